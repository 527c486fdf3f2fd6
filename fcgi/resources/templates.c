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
	    .store = &vr_template_store },
	{ .method = "POST", .pattern = "/templates", .handler = vr_crud_create,
	    .roles = VR_ROLE_ADMIN, .store = &vr_template_store },
	{ .method = "GET", .pattern = "/templates/{id}", .handler = vr_crud_get,
	    .roles = VR_ROLE_ANY, .store = &vr_template_store },
	{ .method = NULL }
};

const vr_module_t vr_templates_module = { &vr_template_store, routes, NULL };
