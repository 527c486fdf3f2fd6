/*
 * Vendors (委託先): the companies we hand data to.  Served by the generic
 * handlers; what is the vendor's own is here: how it is listed, its
 * search index and its routes.  Its fields are in model/vendor.c, its
 * tier rule in domain/vr_vendor.c.
 */
#include "../domain/vr_vendor.h"
#include "../model/vr_model.h"
#include "vr_resources.h"

#define ROLE_WRITE_VENDOR	(VR_ROLE_REQUESTER | VR_ROLE_ADMIN)

static const vr_sort_t sorts[] = {
	{ .name = "id", .field = VF_ID },
	{ .name = "-id", .field = VF_ID, .desc = true },
	{ .name = "name", .field = VF_NAME },
	{ .name = "-name", .field = VF_NAME, .desc = true },
	{ .name = "updated_at", .field = VF_UPDATED_AT },
	{ .name = "-updated_at", .field = VF_UPDATED_AT, .desc = true },
};

static const vr_filter_t filters[] = {
	{ .param = "status", .field = VF_STATUS },
	{ .param = "tier", .field = VF_TIER },
};

/* Name or kana; the terms table is sql/002_vendor_search.sql. */
static const vr_search_t search = {
	.param = "q", .max_chars = 200,
	.fields = { VF_NAME, VF_NAME_KANA }, .nfields = 2,
	.terms_table = "vr_vendor_terms", .terms_key = "vendor_id",
};

static vr_store_sql_t sql;

const vr_store_t vr_vendor_store = {
	.res = &vr_vendor_resource, .path = "/vendors",
	.sorts = sorts, .nsorts = sizeof(sorts) / sizeof(sorts[0]),
	.filters = filters, .nfilters = sizeof(filters) / sizeof(filters[0]),
	.search = &search, .derive = vr_vendor_derive, .sql = &sql,
};

static const vr_route_t routes[] = {
	{ "GET", "/vendors", vr_crud_list, VR_ROLE_ANY, true,
	    &vr_vendor_store },
	{ "POST", "/vendors", vr_crud_create, ROLE_WRITE_VENDOR, false,
	    &vr_vendor_store },
	{ "GET", "/vendors/{id}", vr_crud_get, VR_ROLE_ANY, false,
	    &vr_vendor_store },
	{ "PATCH", "/vendors/{id}", vr_crud_patch, ROLE_WRITE_VENDOR, false,
	    &vr_vendor_store },
	{ .method = NULL }
};

const vr_module_t vr_vendors_module = { &vr_vendor_store, routes };
