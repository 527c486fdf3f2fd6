/*
 * Incidents (漏えい等報告): recorded against a vendor, with whether and
 * by when they must be reported, run by the incident workflow of the
 * manifest.  Create, read, list and changes of the facts are the generic
 * handlers; rules in domain/vr_incident.c.
 */
#include "../domain/vr_incident.h"
#include "../model/vr_model.h"
#include "../workflow/vr_workflow.h"
#include "../domain/vr_case.h"
#include "vr_resources.h"

#define ROLE_CHANGE	(VR_ROLE_REQUESTER | VR_ROLE_REVIEWER | VR_ROLE_ADMIN)

static vr_err_e
incident_list(vr_request_t *req, vr_response_t *resp)
{
	return vr_crud_case_list(req, resp, &vr_incident_case);
}

static vr_err_e
incident_actions(vr_request_t *req, vr_response_t *resp)
{
	return vr_crud_actions(req, resp, &vr_incident_case);
}

static vr_err_e
incident_transition(vr_request_t *req, vr_response_t *resp)
{
	return vr_crud_transition(req, resp, &vr_incident_case);
}

static const char *const incident_problems[] = {
	"409 not_editable", "422 already_notified", "422 aware_after_notice",
	"422 items_unknown", "422 no_such_vendor", "422 no_workflow",
	"422 not_reportable", "422 report_pending", NULL
};

static const vr_route_t routes[] = {
	{ .method = "GET", .pattern = "/incidents", .handler = incident_list,
	    .roles = VR_ROLE_ANY, .store = &vr_incident_store,
	    .summary = "Leak incidents (漏えい等), filtered",
	    .out = &vr_incident_resource, .list = true,
	    .params = vr_crud_waiting_param },
	/* Who may record one: the workflow's vr:start (checked by the rules). */
	{ .method = "POST", .pattern = "/incidents", .handler = vr_crud_create,
	    .roles = VR_ROLE_ANY, .store = &vr_incident_store,
	    .summary = "Records an incident at a vendor",
	    .in = &vr_incident_resource, .out = &vr_incident_resource,
	    .status = 201, .problems = incident_problems },
	{ .method = "GET", .pattern = "/incidents/{id}", .handler = vr_crud_get,
	    .roles = VR_ROLE_ANY, .store = &vr_incident_store,
	    .summary = "One incident with its deadlines",
	    .out = &vr_incident_resource },
	{ .method = "PATCH", .pattern = "/incidents/{id}",
	    .handler = vr_crud_patch, .roles = ROLE_CHANGE,
	    .store = &vr_incident_store, .summary = "Changes an incident",
	    .in = &vr_incident_resource, .out = &vr_incident_resource,
	    .problems = incident_problems },
	{ .method = "GET", .pattern = "/incidents/{id}/actions",
	    .handler = incident_actions, .roles = VR_ROLE_ANY,
	    .store = &vr_incident_store, .summary = "The transitions you may "
	    "fire now", .out = &vr_actions_resource },
	{ .method = "POST", .pattern = "/incidents/{id}/transitions",
	    .handler = incident_transition, .roles = VR_ROLE_ANY,
	    .store = &vr_incident_store, .summary = "Fires a transition",
	    .in = &vr_transition_resource, .out = &vr_incident_resource,
	    .problems = incident_problems },
	{ .method = NULL }
};

const vr_module_t vr_incidents_module = { &vr_incident_store, routes, NULL };
