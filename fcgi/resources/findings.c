/*
 * Findings (指摘事項): raised by a reviewer (or by a failed mandatory
 * control on submit), listed by case, vendor, status and severity, and
 * changed with their version; accepting a risk is the approver's.
 * Served by the generic handlers; rules in domain/vr_assessment.c.
 */
#include "../domain/vr_assessment.h"
#include "../model/vr_model.h"
#include "vr_resources.h"

#define ROLE_RAISE	(VR_ROLE_REVIEWER | VR_ROLE_ADMIN)
#define ROLE_CHANGE	(VR_ROLE_REVIEWER | VR_ROLE_APPROVER | VR_ROLE_ADMIN)

static const char *const finding_problems[] = {
	"403 approver_only", "422 no_such_assessment", "422 required", NULL
};

static const vr_route_t routes[] = {
	{ .method = "GET", .pattern = "/findings", .handler = vr_crud_list,
	    .roles = VR_ROLE_ANY, .store = &vr_finding_store,
	    .summary = "Findings, filtered", .out = &vr_finding_resource,
	    .list = true },
	{ .method = "POST", .pattern = "/findings", .handler = vr_crud_create,
	    .roles = ROLE_RAISE, .store = &vr_finding_store,
	    .summary = "Records a finding", .in = &vr_finding_resource,
	    .out = &vr_finding_resource, .status = 201,
	    .problems = finding_problems },
	{ .method = "GET", .pattern = "/findings/{id}", .handler = vr_crud_get,
	    .roles = VR_ROLE_ANY, .store = &vr_finding_store,
	    .summary = "One finding", .out = &vr_finding_resource },
	{ .method = "PATCH", .pattern = "/findings/{id}",
	    .handler = vr_crud_patch, .roles = ROLE_CHANGE,
	    .store = &vr_finding_store, .summary = "Changes a finding; "
	    "risk_accepted is the approver's", .in = &vr_finding_resource,
	    .out = &vr_finding_resource, .problems = finding_problems },
	{ .method = NULL }
};

const vr_module_t vr_findings_module = { &vr_finding_store, routes, NULL };
