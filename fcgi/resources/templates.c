/*
 * Check-sheet templates: imported by an admin (POST, or `vendor-review
 * import-template FILE`), read by anyone, never changed: a new version is
 * a new template.  Served by the generic handlers; fields in
 * model/template.c, rules in domain/vr_template.c.
 */
#include "../domain/vr_template.h"
#include "../model/vr_model.h"
#include "vr_resources.h"

static const vr_sort_t sorts[] = {
	{ .name = "id", .field = TF_ID },
	{ .name = "-id", .field = TF_ID, .desc = true },
};

static const vr_filter_t filters[] = {
	{ .param = "code", .field = TF_CODE },
	{ .param = "kind", .field = TF_KIND },
};

static vr_store_sql_t sql;

const vr_store_t vr_template_store = {
	.res = &vr_template_resource, .path = "/templates",
	.sorts = sorts, .nsorts = sizeof(sorts) / sizeof(sorts[0]),
	.filters = filters, .nfilters = sizeof(filters) / sizeof(filters[0]),
	.derive = vr_template_derive, .sql = &sql,
};

static const vr_route_t routes[] = {
	{ "GET", "/templates", vr_crud_list, VR_ROLE_ANY, true,
	    &vr_template_store },
	{ "POST", "/templates", vr_crud_create, VR_ROLE_ADMIN, false,
	    &vr_template_store },
	{ "GET", "/templates/{id}", vr_crud_get, VR_ROLE_ANY, false,
	    &vr_template_store },
	{ .method = NULL }
};

const vr_module_t vr_templates_module = { &vr_template_store, routes };
