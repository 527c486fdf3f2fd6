/*
 * Subcontracts (再委託): asked for by a requester, reviewed, approved as
 * a gate by the subcontract workflow of the manifest; and the chain of
 * a vendor (GET /vendors/{id}/chain).  Create, read, list and the
 * draft's changes are the generic handlers; rules in
 * domain/vr_subcontract.c.
 */
#include "../domain/vr_subcontract.h"
#include "../domain/vr_vendor.h"
#include "../model/vr_model.h"
#include "../workflow/vr_workflow.h"
#include "../domain/vr_case.h"
#include "vr_resources.h"

#define ROLE_CHANGE	(VR_ROLE_REQUESTER | VR_ROLE_ADMIN)

static vr_err_e
subcontract_list(vr_request_t *req, vr_response_t *resp)
{
	return vr_crud_case_list(req, resp, &vr_subcontract_case);
}

static vr_err_e
subcontract_actions(vr_request_t *req, vr_response_t *resp)
{
	return vr_crud_actions(req, resp, &vr_subcontract_case);
}

static vr_err_e
subcontract_transition(vr_request_t *req, vr_response_t *resp)
{
	return vr_crud_transition(req, resp, &vr_subcontract_case);
}

static vr_err_e
vendor_chain(vr_request_t *req, vr_response_t *resp)
{
	vr_value_t	*chain;
	vr_err_e	 e;

	if ((chain = vr_record_new(&vr_chain_resource)) == NULL)
		return vr_fail_oom(&req->problem);
	if ((e = vr_subcontract_chain(req->db, req->id, chain,
	    &req->problem)) == VR_OK)
		e = vr_http_send_record(req, resp, 200, &vr_chain_resource,
		    chain);
	vr_record_free(&vr_chain_resource, chain);
	return e;
}

static const char *const subcontract_problems[] = {
	"409 not_editable", "422 data_class_not_held", "422 depth_exceeded",
	"422 flagged", "422 flow_down_unconfirmed", "422 no_sheet",
	"422 no_such_record", "422 no_workflow", "422 parent_mismatch",
	"422 parent_not_approved", "422 same_vendor",
	"422 sheet_not_submitted", "422 wrong_sheet", NULL
};

static const vr_route_t routes[] = {
	{ .method = "GET", .pattern = "/subcontracts", .handler = subcontract_list,
	    .roles = VR_ROLE_ANY, .store = &vr_subcontract_store,
	    .summary = "Subcontracts (再委託), filtered",
	    .out = &vr_subcontract_resource, .list = true,
	    .params = vr_crud_waiting_param },
	/* Who may ask: the workflow's vr:start (checked by the rules). */
	{ .method = "POST", .pattern = "/subcontracts",
	    .handler = vr_crud_create, .roles = VR_ROLE_ANY,
	    .store = &vr_subcontract_store, .summary = "Asks to pass work on "
	    "to a subcontractor", .in = &vr_subcontract_resource,
	    .out = &vr_subcontract_resource, .status = 201,
	    .problems = subcontract_problems },
	{ .method = "GET", .pattern = "/subcontracts/{id}",
	    .handler = vr_crud_get, .roles = VR_ROLE_ANY,
	    .store = &vr_subcontract_store, .summary = "One subcontract",
	    .out = &vr_subcontract_resource },
	{ .method = "PATCH", .pattern = "/subcontracts/{id}",
	    .handler = vr_crud_patch, .roles = ROLE_CHANGE,
	    .store = &vr_subcontract_store, .summary = "Changes a draft "
	    "subcontract", .in = &vr_subcontract_resource,
	    .out = &vr_subcontract_resource, .problems = subcontract_problems },
	{ .method = "GET", .pattern = "/subcontracts/{id}/actions",
	    .handler = subcontract_actions, .roles = VR_ROLE_ANY,
	    .store = &vr_subcontract_store, .summary = "The transitions you "
	    "may fire now", .out = &vr_actions_resource },
	{ .method = "POST", .pattern = "/subcontracts/{id}/transitions",
	    .handler = subcontract_transition, .roles = VR_ROLE_ANY,
	    .store = &vr_subcontract_store, .summary = "Fires a transition",
	    .in = &vr_transition_resource, .out = &vr_subcontract_resource,
	    .problems = subcontract_problems },
	/* A chain depends on nothing but the path and the data. */
	{ .method = "GET", .pattern = "/vendors/{id}/chain",
	    .handler = vendor_chain, .roles = VR_ROLE_ANY, .cached = true,
	    .store = &vr_vendor_store, .summary = "The subcontract tree below "
	    "a vendor and the vendors above it", .out = &vr_chain_resource },
	{ .method = NULL }
};

static const vr_resource_t *const bodies[] = { &vr_chain_resource, NULL };

const vr_module_t vr_subcontracts_module = { &vr_subcontract_store, routes,
    bodies };
