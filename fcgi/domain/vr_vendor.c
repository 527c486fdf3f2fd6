/*
 * vr_vendor: vendor record rules beyond single fields (the tier, who
 * approves, when a change needs a new review) and how vendors are kept
 * and listed (their store).
 */
#include <string.h>

#include "../model/vr_model.h"
#include "vr_tier.h"
#include "vr_subcontract.h"
#include "vr_vendor.h"

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
	/* Approved, and the next audit is due within 30 days or overdue. */
	{ .param = "audit_due", .condition = "v.status = 'approved' AND "
	    "v.next_audit_due < CURRENT_DATE + INTERVAL 31 DAY" },
};

/* Name or kana; the terms table is sql/002_vendor_search.sql. */
static const vr_search_t search = {
	.param = "q", .max_chars = 200,
	.fields = { VF_NAME, VF_NAME_KANA }, .nfields = 2,
	.terms_table = "vr_vendor_terms", .terms_key = "vendor_id",
};

/* An approved vendor whose scope widened: start a new assessment. */
static const struct vr_flag_event needs_review = {
	.field = VF_NEEDS_REVIEW, .type = "vendor.needs_review",
};

static vr_store_sql_t sql;

const vr_store_t vr_vendor_store = {
	.res = &vr_vendor_resource, .path = "/vendors",
	.sorts = sorts, .nsorts = sizeof(sorts) / sizeof(sorts[0]),
	.filters = filters, .nfilters = sizeof(filters) / sizeof(filters[0]),
	.search = &search, .derive = vr_vendor_derive,
	/* A suspension or termination flags the subcontracts below. */
	.after_write = vr_subcontract_vendor_written,
	.flag_event = &needs_review, .sql = &sql,
};

static bool
flag(const vr_value_t *rec, int f)
{
	return rec[f].present && !rec[f].null && rec[f].i != 0;
}

/* Position of s in the NULL-terminated list v; -1 when absent. */
static int
rank(const char *const *v, const vr_value_t *s)
{
	int	 i;

	for (i = 0; s->present && !s->null && v[i] != NULL; i++)
		if (strcmp(v[i], s->s) == 0)
			return i;
	return -1;
}

bool
vr_vendor_widened(const vr_value_t *b, const vr_value_t *a)
{
	static const int	 flags[] = { VF_SPECIAL_CARE_DATA,
	    VF_PAYMENT_DATA, VF_CONFIDENTIAL_DATA, VF_SYSTEM_ACCESS,
	    VF_OFFSITE_WORK };
	size_t			 i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (!flag(b, flags[i]) && flag(a, flags[i]))
			return true;
	/* vr_tiers runs high, medium, low: a lower index is a higher tier. */
	return rank(vr_personal_data_bands, &a[VF_PERSONAL_DATA]) >
	    rank(vr_personal_data_bands, &b[VF_PERSONAL_DATA]) ||
	    rank(vr_tiers, &a[VF_TIER]) < rank(vr_tiers, &b[VF_TIER]);
}

static bool
is_approved(const vr_value_t *rec)
{
	return rec[VF_STATUS].present && !rec[VF_STATUS].null &&
	    strcmp(rec[VF_STATUS].s, "approved") == 0;
}

void
vr_vendor_profile(const vr_value_t *rec, vr_risk_profile_t *r)
{
	r->personal_data = rec[VF_PERSONAL_DATA].present &&
	    !rec[VF_PERSONAL_DATA].null ? rec[VF_PERSONAL_DATA].s : "none";
	r->special_care_data = flag(rec, VF_SPECIAL_CARE_DATA);
	r->payment_data = flag(rec, VF_PAYMENT_DATA);
	r->confidential_data = flag(rec, VF_CONFIDENTIAL_DATA);
	r->system_access = flag(rec, VF_SYSTEM_ACCESS);
	r->offsite_work = flag(rec, VF_OFFSITE_WORK);
}

vr_err_e
vr_vendor_derive(struct vr_db *db, const struct vr_actor *who, vr_value_t *rec,
    const vr_value_t *before, vr_problem_t *p)
{
	vr_risk_profile_t	 r;
	const char		*tier;

	(void)db;
	(void)who;
	if (is_approved(rec) && (before == NULL || !is_approved(before)))
		return vr_fail(p, VR_E_INVALID, "approval_by_workflow",
		    "status", "a vendor is approved only by its onboarding "
		    "assessment: start one with POST /assessments");
	vr_vendor_profile(rec, &r);
	tier = vr_tier_of(&r);
	if (vr_value_set_text(&rec[VF_TIER], tier, strlen(tier)) == -1)
		return vr_fail_oom(p);
	if (before != NULL && is_approved(before) &&
	    vr_vendor_widened(before, rec))
		vr_value_set_int(&rec[VF_NEEDS_REVIEW], 1);
	return VR_OK;
}
