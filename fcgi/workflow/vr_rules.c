/*
 * vr_rules: the registry of guards and effects the manifest may name.
 * A new rule is a C function (in the domain file of the resource it
 * works on) and one row here; the manifest then uses it by name, and a
 * manifest naming one that is not here does not load.
 */
#include "../domain/vr_assessment.h"
#include "vr_workflow.h"

const vr_rule_t vr_guards[] = {
	/* Every required question of the sheet has an answer. */
	{ "all_required_answered", vr_guard_all_required_answered },
	/* Segregation of duties: who decides neither requested nor
	 * reviewed the case (its fields and its audit rows). */
	{ "not_requester_or_reviewer", vr_guard_not_requester_or_reviewer },
	/* No high finding open or in progress (a risk accepted is not). */
	{ "no_open_high_findings", vr_guard_no_open_high_findings },
	{ NULL, NULL }
};

const vr_rule_t vr_effects[] = {
	{ "issue_vendor_link", vr_effect_issue_vendor_link },
	{ "revoke_vendor_link", vr_effect_revoke_vendor_link },
	{ "score_assessment", vr_effect_score_assessment },
	{ "create_mandatory_findings", vr_effect_create_mandatory_findings },
	{ "record_reviewer", vr_effect_record_reviewer },
	{ "vendor_approve", vr_effect_vendor_approve },
	{ "schedule_next_audit", vr_effect_schedule_next_audit },
	/* A failed periodic audit: the vendor is suspended. */
	{ "vendor_suspend", vr_effect_vendor_suspend },
	{ NULL, NULL }
};
