/*
 * Check-sheet templates: imported by an admin (POST, or `vendor-review
 * import-template FILE`), read by anyone, never changed: a new version is
 * a new template.  Served by the generic handlers; fields in
 * model/template.c, rules in domain/vr_template.c.
 */
#include "../domain/vr_template.h"
#include "../model/vr_model.h"
#include "vr_resources.h"

static const vr_route_t routes[] = {
	{ .method = "GET", .pattern = "/templates", .handler = vr_crud_list,
	    .roles = VR_ROLE_ANY, .cached = true,
	    .store = &vr_template_store, .summary = "Check-sheet templates",
	    .out = &vr_template_resource, .list = true },
	{ .method = "POST", .pattern = "/templates", .handler = vr_crud_create,
	    .roles = VR_ROLE_ADMIN, .store = &vr_template_store,
	    .summary = "Imports a template (a published version never "
	    "changes)", .in = &vr_template_resource,
	    .out = &vr_template_resource, .status = 201,
	    .problems = (const char *const[]){ "409 duplicate",
	    "422 duplicate_code", "422 not_scored", "422 options_not_allowed",
	    "422 options_required", NULL } },
	{ .method = "GET", .pattern = "/templates/{id}", .handler = vr_crud_get,
	    .roles = VR_ROLE_ANY, .store = &vr_template_store,
	    .summary = "One template", .out = &vr_template_resource },
	{ .method = NULL }
};

const vr_module_t vr_templates_module = { &vr_template_store, routes, NULL };
