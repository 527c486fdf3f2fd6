/*
 * Findings (指摘事項): raised by a reviewer (or by a failed mandatory
 * control on submit), listed by case, vendor, status and severity, and
 * changed with their version; accepting a risk is the approver's.
 * Served by the generic handlers; rules in domain/vr_assessment.c.
 */
#include "../domain/vr_assessment.h"
#include "vr_resources.h"

#define ROLE_RAISE	(VR_ROLE_REVIEWER | VR_ROLE_ADMIN)
#define ROLE_CHANGE	(VR_ROLE_REVIEWER | VR_ROLE_APPROVER | VR_ROLE_ADMIN)

static const vr_route_t routes[] = {
	{ "GET", "/findings", vr_crud_list, VR_ROLE_ANY, false,
	    &vr_finding_store, false },
	{ "POST", "/findings", vr_crud_create, ROLE_RAISE, false,
	    &vr_finding_store, false },
	{ "GET", "/findings/{id}", vr_crud_get, VR_ROLE_ANY, false,
	    &vr_finding_store, false },
	{ "PATCH", "/findings/{id}", vr_crud_patch, ROLE_CHANGE, false,
	    &vr_finding_store, false },
	{ .method = NULL }
};

const vr_module_t vr_findings_module = { &vr_finding_store, routes };
