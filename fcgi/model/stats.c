/*
 * The read-only views the web pages draw from: GET /stats, counts for
 * the dashboard (each computed by the database, domain/vr_stats.c), and
 * GET /me, who the plugin takes the caller to be.  Neither is stored.
 */
#include <stdint.h>

#include "../domain/vr_tier.h"
#include "vr_model.h"

/* Ages of an open finding in days, from its creation to as_of. */
const char *const vr_finding_ages[] = {
	"0-30", "31-90", "91-180", "181+", NULL
};

#define COUNT(n, d) { .name = n, .type = VR_T_INT, .max = INT64_MAX, \
	.doc = d }

static const vr_field_t vendors_fields[STATS_V__MAX] = {
	[STATS_V_TIER] = { .name = "tier", .type = VR_T_ENUM,
	    .enum_values = vr_tiers, .doc = "The vendors' risk tier "
	    "(vendor.tier)." },
	[STATS_V_STATUS] = { .name = "status", .type = VR_T_ENUM,
	    .enum_values = vr_vendor_statuses,
	    .doc = "Their status (vendor.status)." },
	[STATS_V_COUNT] = COUNT("count", "How many vendors have this tier "
	    "and status now (at least 1)."),
};

const vr_resource_t vr_stats_vendors_resource = {
	.name = "vendor_count", .xmlns = VR_XMLNS, .fields = vendors_fields,
	.nfields = STATS_V__MAX,
};

static const vr_field_t audits_fields[STATS_A__MAX] = {
	[STATS_A_MONTH] = { .name = "month", .type = VR_T_TEXT,
	    .max_chars = 7, .doc = "A month, YYYY-MM." },
	[STATS_A_DUE] = COUNT("due", "Approved vendors whose next_audit_due "
	    "falls in that month (at least 1)."),
	[STATS_A_OVERDUE] = COUNT("overdue", "Of those, the ones whose "
	    "next_audit_due is before as_of."),
};

const vr_resource_t vr_stats_audits_resource = {
	.name = "audit_month", .xmlns = VR_XMLNS, .fields = audits_fields,
	.nfields = STATS_A__MAX,
};

static const vr_field_t findings_fields[STATS_F__MAX] = {
	[STATS_F_SEVERITY] = { .name = "severity", .type = VR_T_ENUM,
	    .enum_values = vr_severities,
	    .doc = "The findings' severity (finding.severity)." },
	[STATS_F_AGE] = { .name = "age", .type = VR_T_ENUM,
	    .enum_values = vr_finding_ages, .doc = "Days from the day each "
	    "was created (Asia/Tokyo) to as_of: 0-30, 31-90, 91-180 or "
	    "181+." },
	[STATS_F_COUNT] = COUNT("count", "How many open or in_progress "
	    "findings have this severity and age (at least 1)."),
};

const vr_resource_t vr_stats_findings_resource = {
	.name = "finding_count", .xmlns = VR_XMLNS, .fields = findings_fields,
	.nfields = STATS_F__MAX,
};

static const vr_field_t vendors_item = {
	.name = "vendor_count", .type = VR_T_RECORD,
	.sub = &vr_stats_vendors_resource, .doc = "One tier and status." };
static const vr_field_t audits_item = {
	.name = "audit_month", .type = VR_T_RECORD,
	.sub = &vr_stats_audits_resource, .doc = "One month." };
static const vr_field_t findings_item = {
	.name = "finding_count", .type = VR_T_RECORD,
	.sub = &vr_stats_findings_resource, .doc = "One severity and age." };

static const vr_field_t stats_fields[STATS__MAX] = {
	[STATS_AS_OF] = { .name = "as_of", .type = VR_T_DATE,
	    .doc = "The day counted for (Asia/Tokyo): ?as_of=YYYY-MM-DD, "
	    "today when absent." },
	[STATS_VENDORS] = { .name = "vendors_by_tier_status",
	    .type = VR_T_LIST, .items = &vendors_item, .max_items = 64,
	    .doc = "Every vendor now, counted by tier and status, in the "
	    "order of the tiers and then the statuses; a tier and status "
	    "no vendor has is left out." },
	[STATS_AUDITS] = { .name = "audits_by_month", .type = VR_T_LIST,
	    .items = &audits_item, .max_items = 25,
	    .doc = "Approved vendors by the month of their next_audit_due, "
	    "from the month 12 months before as_of's to the month 12 "
	    "months after it, in order; a month no vendor is due in is "
	    "left out.  overdue counts the due dates before as_of (whether "
	    "or not their audit is open)." },
	[STATS_FINDINGS] = { .name = "findings_by_severity_age",
	    .type = VR_T_LIST, .items = &findings_item, .max_items = 64,
	    .doc = "Findings open or in_progress now and created on or "
	    "before as_of, counted by severity and age, in the order of "
	    "the severities and then the ages; a severity and age no "
	    "finding has is left out." },
};

const vr_resource_t vr_stats_resource = {
	.name = "stats", .xmlns = VR_XMLNS, .fields = stats_fields,
	.nfields = STATS__MAX,
};

static const vr_field_t role_item = {
	.name = "role", .type = VR_T_TEXT, .doc = "A role: requester, "
	"reviewer, approver, auditor or admin." };

static const vr_field_t me_fields[ME__MAX] = {
	[ME_USER] = { .name = "user", .type = VR_T_TEXT,
	    .doc = "The user the front server passed (user_param), never "
	    "one a client sent." },
	[ME_ROLES] = { .name = "roles", .type = VR_T_LIST,
	    .items = &role_item, .max_items = 8, .doc = "The plugin roles "
	    "the user's host groups give (group_role), in the order "
	    "requester, reviewer, approver, auditor, admin." },
};

const vr_resource_t vr_me_resource = {
	.name = "me", .xmlns = VR_XMLNS, .fields = me_fields,
	.nfields = ME__MAX,
};
