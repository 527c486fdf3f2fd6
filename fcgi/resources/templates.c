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
	{ "GET", "/templates", vr_crud_list, VR_ROLE_ANY, true,
	    &vr_template_store, false },
	{ "POST", "/templates", vr_crud_create, VR_ROLE_ADMIN, false,
	    &vr_template_store, false },
	{ "GET", "/templates/{id}", vr_crud_get, VR_ROLE_ANY, false,
	    &vr_template_store, false },
	{ .method = NULL }
};

const vr_module_t vr_templates_module = { &vr_template_store, routes };
