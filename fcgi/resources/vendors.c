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
	{ "GET", "/vendors", vr_crud_list, VR_ROLE_ANY, true,
	    &vr_vendor_store, false },
	{ "POST", "/vendors", vr_crud_create, ROLE_WRITE_VENDOR, false,
	    &vr_vendor_store, false },
	{ "GET", "/vendors/{id}", vr_crud_get, VR_ROLE_ANY, false,
	    &vr_vendor_store, false },
	{ "PATCH", "/vendors/{id}", vr_crud_patch, ROLE_WRITE_VENDOR, false,
	    &vr_vendor_store, false },
	{ .method = NULL }
};

const vr_module_t vr_vendors_module = { &vr_vendor_store, routes };
