/*
 * The supervision record (監督記録): GET /vendors/{id}/record answers the
 * vendor's pack, a ZIP (domain/vr_supervision.c; the layout is in
 * docs/supervision-record.md).  Exporting writes an audit row, so it is
 * a write: for the roles that supervise or check supervision (reviewer,
 * approver, auditor, admin), not for every requester.
 */
#include "../codec/vr_zip.h"
#include "../domain/vr_supervision.h"
#include "../model/vr_model.h"
#include "vr_resources.h"

#define ROLE_RECORD	(VR_ROLE_REVIEWER | VR_ROLE_APPROVER | \
	VR_ROLE_AUDITOR | VR_ROLE_ADMIN)

static vr_err_e
record_get(vr_request_t *req, vr_response_t *resp)
{
	const vr_actor_t	 who = vr_request_actor(req);
	char			 name[64];
	vr_err_e		 e;

	if ((e = vr_supervision_export(req->db, &who, req->id, &resp->body,
	    &req->problem)) != VR_OK)
		return e;
	vr_supervision_name(req->id, name);
	resp->status = 200;
	resp->content_type = VR_ZIP_MEDIA_TYPE;
	if (vr_buf_printf(&resp->headers, "Content-Disposition: attachment; "
	    "filename=\"%s\"\r\n", name) == -1)
		return vr_fail_oom(&req->problem);
	return VR_OK;
}

static const vr_route_t routes[] = {
	{ .method = "GET", .pattern = "/vendors/{id}/record",
	    .handler = record_get, .roles = ROLE_RECORD, .raw = true,
	    .summary = "The vendor's supervision record (監督記録) as a ZIP",
	    .media = (const char *const[]){ VR_ZIP_MEDIA_TYPE, NULL } },
	{ .method = NULL }
};

static const vr_resource_t *const bodies[] = {
	&vr_supervision_resource, &vr_audit_trail_resource, NULL
};

const vr_module_t vr_supervision_module = { NULL, routes, bodies };
