/*
 * vr_vendor: vendor record rules beyond single fields (the tier, who
 * approves, when a change needs a new review) and how vendors are kept
 * and listed (their store).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../model/vr_model.h"
#include "vr_namefold.h"
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
	/* 五十音順 of the kana (the name where there is none). */
	{ .name = "kana", .field = VF_KANA_KEY },
	{ .name = "-kana", .field = VF_KANA_KEY, .desc = true },
};

static const vr_filter_t filters[] = {
	{ .param = "status", .field = VF_STATUS },
	{ .param = "tier", .field = VF_TIER },
	/* Approved, and the next audit is due within 30 days or overdue. */
	{ .param = "audit_due", .condition = "v.status = 'approved' AND "
	    "v.next_audit_due < CURRENT_DATE + INTERVAL 31 DAY" },
};

/*
 * Name, kana, 法人番号 or address, legal forms and spaces ignored: the
 * database's search_text (sql/008_vendor_register.sql) and q folded
 * alike; the terms table is sql/002_vendor_search.sql.
 */
static const vr_search_t search = {
	.param = "q", .max_chars = 200,
	.fields = { VF_SEARCH_TEXT }, .nfields = 1,
	.sources = { VF_NAME, VF_NAME_KANA, VF_CORPORATE_NUMBER, VF_ADDRESS },
	.nsources = 4, .fold = vr_namefold,
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
	/* One 法人番号, one vendor, but for an admin's stated duplicate. */
	.same_field = VF_CORPORATE_NUMBER,
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

/* Whether field f differs between before and rec. */
static bool
differs(const vr_value_t *before, const vr_value_t *rec, int f)
{
	if (vr_value_given(&before[f]) != vr_value_given(&rec[f]))
		return true;
	if (!vr_value_given(&rec[f]))
		return false;
	return rec[f].s != NULL ? strcmp(rec[f].s, before[f].s) != 0 :
	    rec[f].i != before[f].i;
}

/* Bytes of s, at most max, that end on a character boundary. */
static int
utf8_prefix(const char *s, size_t max)
{
	size_t	 n = strlen(s);

	if (n <= max)
		return (int)n;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return (int)max;
}

/*
 * One 法人番号, one vendor: a second is 409 naming the first, unless an
 * admin states it is deliberate (duplicate_of a vendor holding the same
 * number, and duplicate_reason).  Checked when the number or those two
 * change, so an older record's other edits are never held up.
 */
static vr_err_e
check_duplicate(vr_db_t *db, const vr_value_t *rec, const vr_value_t *before,
    vr_problem_t *p)
{
	const vr_value_t	*cn = &rec[VF_CORPORATE_NUMBER],
				*of = &rec[VF_DUPLICATE_OF];
	int64_t			 self = before != NULL ? before[VF_ID].i : 0;
	vr_value_t		*other = NULL;
	vr_problem_t		 q;
	vr_err_e		 e;

	if (before != NULL && !differs(before, rec, VF_CORPORATE_NUMBER) &&
	    !differs(before, rec, VF_DUPLICATE_OF) &&
	    !differs(before, rec, VF_DUPLICATE_REASON))
		return VR_OK;
	if (vr_value_given(of) != vr_value_given(&rec[VF_DUPLICATE_REASON]))
		return vr_fail(p, VR_E_INVALID, "required", vr_value_given(of) ?
		    "duplicate_reason" : "duplicate_of", "a deliberate "
		    "duplicate needs both duplicate_of and duplicate_reason");
	if (!vr_value_given(cn) && !vr_value_given(of))
		return VR_OK;
	if (vr_value_given(of)) {
		vr_problem_clear(&q);
		if ((other = vr_record_new(&vr_vendor_resource)) == NULL)
			return vr_fail_oom(p);
		e = of->i == self || !vr_value_given(cn) ? VR_E_NOT_FOUND :
		    vr_store_get_row(db, &vr_vendor_store, of->i, false, other,
		    &q);
		if (e == VR_OK && !vr_value_is(&other[VF_CORPORATE_NUMBER],
		    cn->s))
			e = VR_E_NOT_FOUND;
		vr_record_free(&vr_vendor_resource, other);
		if (e == VR_E_NOT_FOUND)
			return vr_fail(p, VR_E_INVALID, "invalid_value",
			    "duplicate_of", "duplicate_of must name another "
			    "vendor with the same corporate_number");
		return e == VR_OK ? VR_OK : vr_fail(p, e, q.code, q.field,
		    "%s", q.detail);
	}
	if ((e = vr_store_find_same(db, &vr_vendor_store, cn->s, self, &other,
	    p)) == VR_E_NOT_FOUND)
		return VR_OK;
	if (e != VR_OK)
		return e;
	e = vr_fail(p, VR_E_CONFLICT, "duplicate_corporate_number",
	    "corporate_number", "vendor %" PRId64 " already has corporate_number "
	    "%s (an admin may add a deliberate duplicate with duplicate_of and "
	    "duplicate_reason): %.*s", other[VF_ID].i, cn->s,
	    utf8_prefix(other[VF_NAME].s, 90), other[VF_NAME].s);
	if (p != NULL && p->existing_id == 0)
		p->existing_id = other[VF_ID].i;
	vr_record_free(&vr_vendor_resource, other);
	return e;
}

/*
 * The contract ends on or after it starts; a certification of kind
 * other says what it is.
 */
static vr_err_e
check_contract(const vr_value_t *rec, vr_problem_t *p)
{
	const vr_value_t	*certs = &rec[VF_CERTIFICATIONS], *c;
	size_t			 k;

	if (vr_value_given(&rec[VF_CONTRACT_START]) &&
	    vr_value_given(&rec[VF_CONTRACT_END]) &&
	    strcmp(rec[VF_CONTRACT_END].s, rec[VF_CONTRACT_START].s) < 0)
		return vr_fail(p, VR_E_INVALID, "invalid_value", "contract_end",
		    "contract_end is before contract_start");
	for (k = 0; vr_value_given(certs) && k < certs->n; k++) {
		c = certs->item[k].rec;
		if (vr_value_is(&c[CERF_KIND], "other") &&
		    !vr_value_given(&c[CERF_NAME])) {
			char	 path[64];

			snprintf(path, sizeof(path), "certifications[%zu].name",
			    k);
			return vr_fail(p, VR_E_INVALID, "required", path,
			    "%s: a certification of kind other says what it "
			    "is", path);
		}
	}
	return VR_OK;
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
	vr_err_e		 e;

	(void)who;
	if (is_approved(rec) && (before == NULL || !is_approved(before)))
		return vr_fail(p, VR_E_INVALID, "approval_by_workflow",
		    "status", "a vendor is approved only by its onboarding "
		    "assessment: start one with POST /assessments");
	if ((e = check_duplicate(db, rec, before, p)) != VR_OK ||
	    (e = check_contract(rec, p)) != VR_OK)
		return e;
	vr_vendor_profile(rec, &r);
	tier = vr_tier_of(&r);
	if (vr_value_set_text(&rec[VF_TIER], tier, strlen(tier)) == -1)
		return vr_fail_oom(p);
	if (before != NULL && is_approved(before) &&
	    vr_vendor_widened(before, rec))
		vr_value_set_int(&rec[VF_NEEDS_REVIEW], 1);
	return VR_OK;
}
