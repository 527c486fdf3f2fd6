/*
 * Vendors (委託先): the companies we hand data to, served by the generic
 * handlers.  Fields in model/vendor.c; rules, listing and search index
 * in domain/vr_vendor.c.
 */
#include "../domain/vr_vendor.h"
#include "../model/vr_model.h"
#include "vr_resources.h"

#define ROLE_WRITE_VENDOR	(VR_ROLE_REQUESTER | VR_ROLE_ADMIN)

static const vr_route_t routes[] = {
	{ .method = "GET", .pattern = "/vendors", .handler = vr_crud_list,
	    .roles = VR_ROLE_ANY, .cached = true, .store = &vr_vendor_store },
	{ .method = "POST", .pattern = "/vendors", .handler = vr_crud_create,
	    .roles = ROLE_WRITE_VENDOR, .store = &vr_vendor_store },
	{ .method = "GET", .pattern = "/vendors/{id}", .handler = vr_crud_get,
	    .roles = VR_ROLE_ANY, .store = &vr_vendor_store },
	{ .method = "PATCH", .pattern = "/vendors/{id}",
	    .handler = vr_crud_patch, .roles = ROLE_WRITE_VENDOR,
	    .store = &vr_vendor_store },
	{ .method = NULL }
};

const vr_module_t vr_vendors_module = { &vr_vendor_store, routes, NULL };
