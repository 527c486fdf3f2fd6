/*
 * vr_rules: the registry of guards and effects the manifest may name.
 * A new rule is a C function (in the domain file of the resource it
 * works on) and one row here; the manifest then uses it by name, and a
 * manifest naming one that is not here does not load.
 */
#include "../domain/vr_assessment.h"
#include "../domain/vr_case.h"
#include "../domain/vr_incident.h"
#include "../domain/vr_subcontract.h"
#include "vr_workflow.h"

const char *const vr_workflow_resources[] = {
	"assessment", "subcontract", "incident", NULL
};

const vr_rule_t vr_guards[] = {
	/* Every required question of the sheet has an answer. */
	{ "all_required_answered", vr_guard_all_required_answered },
	/* Segregation of duties: who decides neither requested nor
	 * reviewed the case (its fields and its audit rows). */
	{ "not_requester_or_reviewer", vr_guard_not_requester_or_reviewer },
	/* No high finding open or in progress (a risk accepted is not). */
	{ "no_open_high_findings", vr_guard_no_open_high_findings },
	/* Subcontracts: every flow-down item confirmed, the parent (vendor,
	 * and the subcontract above for 再々委託) approved and standing,
	 * the subcontractor's sheet submitted, the chain not too deep, and
	 * nothing above it suspended since. */
	{ "flow_down_confirmed", vr_guard_flow_down_confirmed },
	{ "parent_approved", vr_guard_parent_approved },
	{ "subcontract_sheet_submitted", vr_guard_subcontract_sheet_submitted },
	{ "depth_within_limit", vr_guard_depth_within_limit },
	{ "not_flagged", vr_guard_not_flagged },
	/* Incidents: a case of Rule Art. 7 applies; every report item is
	 * known (the final report); the reports a reportable one needs are
	 * made (closing); the people are not notified yet. */
	{ "is_reportable", vr_guard_is_reportable },
	{ "report_items_known", vr_guard_report_items_known },
	{ "reports_done", vr_guard_reports_done },
	{ "people_not_notified", vr_guard_people_not_notified },
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
	/* Incidents: the day each report and the notice were made, and the
	 * extra audit a closing may require. */
	{ "record_preliminary_report", vr_effect_record_preliminary_report },
	{ "record_final_report", vr_effect_record_final_report },
	{ "record_people_notified", vr_effect_record_people_notified },
	{ "open_follow_up_audit", vr_effect_open_follow_up_audit },
	{ NULL, NULL }
};
