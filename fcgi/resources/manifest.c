/*
 * GET /manifest: the plugin manifest for the host: in XML the file
 * itself (the source of truth, SCXML state machines and all), in JSON
 * the same manifest rendered from what the program read of it.
 */
#include "../workflow/vr_workflow.h"
#include "../model/vr_model.h"
#include "vr_resources.h"

static vr_err_e
manifest_get(vr_request_t *req, vr_response_t *resp)
{
	const vr_buf_t	*xml = vr_workflow_manifest_xml();

	if (vr_workflow_manifest() == NULL)
		return vr_fail(&req->problem, VR_E_UNAVAILABLE, "no_manifest",
		    NULL, "the manifest is not loaded");
	if (req->out_format == VR_FMT_JSON)
		return vr_http_send_record(req, resp, 200,
		    &vr_manifest_resource, vr_workflow_manifest());
	resp->status = 200;
	resp->content_type = "application/xml";
	if (vr_buf_append(&resp->body, xml->data, xml->len) == -1)
		return vr_fail_oom(&req->problem);
	return VR_OK;
}

static const vr_route_t routes[] = {
	{ .method = "GET", .pattern = "/manifest", .handler = manifest_get,
	    .roles = VR_ROLE_ANY, .summary = "The plugin manifest: roles, "
	    "menu, pages and workflows (XML: the SCXML file itself)",
	    .out = &vr_manifest_resource,
	    .problems = (const char *const[]){ "503 no_manifest", NULL } },
	{ .method = NULL }
};

static const vr_resource_t *const bodies[] = { &vr_manifest_resource, NULL };

const vr_module_t vr_manifest_module = { NULL, routes, bodies };
