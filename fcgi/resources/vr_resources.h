/*
 * The handlers of every resource, listed in the route table of vr_http.c.
 */
#ifndef VR_RESOURCES_H
#define VR_RESOURCES_H

#include "../http/vr_http.h"

vr_err_e	 vr_health_get(vr_request_t *, vr_response_t *);
vr_err_e	 vr_vendors_create(vr_request_t *, vr_response_t *);
vr_err_e	 vr_vendors_get(vr_request_t *, vr_response_t *);
vr_err_e	 vr_vendors_patch(vr_request_t *, vr_response_t *);
vr_err_e	 vr_vendors_list(vr_request_t *, vr_response_t *);
vr_err_e	 vr_events_get(vr_request_t *, vr_response_t *);
vr_err_e	 vr_audit_log_get(vr_request_t *, vr_response_t *);

#endif
