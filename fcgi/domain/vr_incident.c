/*
 * vr_incident: leak incidents (see vr_incident.h).  What the law says is
 * in ../shared/domain.md and docs/incidents.md; the preliminary report's
 * target (preliminary_report_days) is practice, the rest is the Rule.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../core/vr_date.h"
#include "../model/vr_model.h"
#include "../workflow/vr_workflow.h"
#include "vr_assessment.h"
#include "vr_case.h"
#include "vr_incident.h"
#include "vr_vendor.h"
#include "vr_write.h"

static const vr_sort_t sorts[] = {
	{ .name = "id", .field = INF_ID },
	{ .name = "-id", .field = INF_ID, .desc = true },
	{ .name = "updated_at", .field = INF_UPDATED_AT },
	{ .name = "-updated_at", .field = INF_UPDATED_AT, .desc = true },
};

static const vr_filter_t filters[] = {
	{ .param = "vendor_id", .field = INF_VENDOR_ID },
	{ .param = "state", .field = INF_STATE, .multi = true },
	{ .param = "reportable", .field = INF_REPORTABLE },
	{ .param = "host_ref", .field = INF_HOST_REF },
};

static vr_store_sql_t sql;

const vr_store_t vr_incident_store = {
	.res = &vr_incident_resource, .path = "/incidents",
	.sorts = sorts, .nsorts = sizeof(sorts) / sizeof(sorts[0]),
	.filters = filters, .nfilters = sizeof(filters) / sizeof(filters[0]),
	.derive = vr_incident_derive, .sql = &sql,
};

static bool
list_has(const vr_value_t *list, const char *s)
{
	size_t	 k;

	for (k = 0; vr_value_given(list) && k < list->n; k++)
		if (vr_value_is(&list->item[k], s))
			return true;
	return false;
}

/* A LIST of texts made anew from names (n of them). */
static int
set_names(const vr_field_t *f, vr_value_t *v, const char *const *names,
    size_t n)
{
	vr_value_t	*item;
	size_t		 k;

	vr_value_free(f, v);
	v->present = true;
	for (k = 0; k < n; k++)
		if ((item = vr_value_push(v)) == NULL ||
		    vr_value_set_text(item, names[k], strlen(names[k])) == -1)
			return -1;
	return 0;
}

/* ---- the rules of the Rule --------------------------------------------- */

static bool
closed_day(const char *d, const vr_holidays_t *h)
{
	int	 wd = vr_date_weekday(d);

	return wd == 0 || wd == 6 || vr_holidays_has(h, d) ||
	    (strncmp(d + 5, "12-", 3) == 0 && strcmp(d + 8, "29") >= 0) ||
	    (strncmp(d + 5, "01-0", 4) == 0 && d[9] >= '1' && d[9] <= '3');
}

void
vr_incident_deadline(const char *aware_on, unsigned days,
    const vr_holidays_t *h, char out[11])
{
	char	 d[11];

	vr_date_plus_days(aware_on, (int)days - 1, d);
	while (closed_day(d, h))
		vr_date_plus_days(d, 1, d);
	memcpy(out, d, 11);
}

/*
 * The cases of Rule Art. 7 (none when the data was strongly encrypted):
 * special-care data; data whose misuse causes financial loss; an act
 * that may have had an improper purpose; more than 1,000 people (the
 * largest possible count when unknown).
 */
static size_t
cases_of(const vr_value_t *rec, const char *out[4])
{
	static const char *const malicious_causes[] = { "malware",
	    "unauthorised_access", "insider_take_out", "theft", NULL };
	const char *const	*c;
	bool			 improper = rec[INF_MALICIOUS].i != 0;
	size_t			 n = 0;

	if (rec[INF_ENCRYPTED].i)
		return 0;
	for (c = malicious_causes; *c != NULL; c++)
		improper |= vr_value_is(&rec[INF_CAUSE], *c);
	if (list_has(&rec[INF_DATA_CLASSES], "special_care_data"))
		out[n++] = "special_care_data";
	if (list_has(&rec[INF_DATA_CLASSES], "payment_data"))
		out[n++] = "financial_loss";
	if (improper)
		out[n++] = "improper_purpose";
	if (rec[INF_PEOPLE_AFFECTED].i > 1000)
		out[n++] = "over_1000_people";
	return n;
}

/* The deadlines of a reportable incident, and a note when the holidays
 * of its year are not loaded. */
static vr_err_e
deadlines(vr_db_t *db, vr_value_t *rec, bool improper, vr_problem_t *p)
{
	const vr_config_t	*cfg = vr_workflow_config();
	vr_holidays_t		 h = { 0 };
	char			 day_n[11], until[11], due[11], note[160];
	unsigned		 days = improper ? 60 : 30;
	int64_t			 loaded = 0;
	vr_err_e		 e;

	vr_date_plus_days(rec[INF_AWARE_ON].s, (int)days - 1, day_n);
	vr_date_plus_days(day_n, 20, until);
	if ((e = vr_holidays_between(db, day_n, until, &h, p)) != VR_OK ||
	    (e = vr_holidays_in_year(db, day_n, &loaded, p)) != VR_OK)
		goto out;
	vr_incident_deadline(rec[INF_AWARE_ON].s, days, &h, due);
	if (vr_value_set_str(&rec[INF_FINAL_DUE], due) == -1) {
		e = vr_fail_oom(p);
		goto out;
	}
	/* The target of the preliminary report moves for nothing. */
	vr_date_plus_days(rec[INF_AWARE_ON].s,
	    (int)(cfg != NULL ? cfg->preliminary_report_days : 3) - 1, due);
	if (vr_value_set_str(&rec[INF_PRELIMINARY_DUE], due) == -1) {
		e = vr_fail_oom(p);
		goto out;
	}
	if (loaded == 0) {
		snprintf(note, sizeof(note), "the national holidays of %.4s are "
		    "not loaded (vendor-review import-holidays): check "
		    "final_due", day_n);
		if (vr_value_set_str(&rec[INF_DEADLINE_NOTE], note) == -1)
			e = vr_fail_oom(p);
	} else
		vr_value_set_null(&rec[INF_DEADLINE_NOTE]);
out:
	vr_holidays_free(&h);
	return e;
}

vr_err_e
vr_incident_derive(vr_db_t *db, const vr_actor_t *who, vr_value_t *rec,
    const vr_value_t *before, vr_problem_t *p)
{
	const vr_field_t	*f = vr_incident_resource.fields;
	const vr_value_t	*wf = vr_workflow_for("incident", NULL), *st;
	const char		*cases[4], *unknown[9];
	const char *const	*item;
	vr_value_t		*vendor = NULL;
	size_t			 ncases, nunknown = 0, k;
	bool			 improper = false;
	vr_err_e		 e;

	if (wf == NULL)
		return vr_fail(p, VR_E_INVALID, "no_workflow", NULL,
		    "the manifest has no incident workflow");
	if (before == NULL) {
		if (!(who->roles & vr_workflow_start_roles(wf)))
			return vr_fail(p, VR_E_FORBIDDEN, "forbidden", NULL,
			    "your roles may not record an incident");
		if (vr_value_set_str(&rec[INF_STATE], wf[MWF_INITIAL].s) == -1 ||
		    vr_value_set_str(&rec[INF_REPORTED_BY], who->user) == -1)
			return vr_fail_oom(p);
	} else if ((st = vr_workflow_state(wf, before[INF_STATE].s)) != NULL &&
	    st[MSF_FINAL].i) {
		/* A closed incident keeps its facts; its host_ref may change. */
		if (vr_write_changes_only(&vr_incident_resource, before, rec,
		    INF_HOST_REF))
			return VR_OK;
		return vr_fail(p, VR_E_CONFLICT, "not_editable", NULL,
		    "incident %" PRId64 " is closed", before[INF_ID].i);
	} else if (rec[INF_VENDOR_ID].i != before[INF_VENDOR_ID].i)
		return vr_fail(p, VR_E_INVALID, "read_only", "vendor_id",
		    "an incident stays with its vendor");
	if ((vendor = vr_record_new(&vr_vendor_resource)) == NULL)
		return vr_fail_oom(p);
	e = vr_store_get(db, &vr_vendor_store, rec[INF_VENDOR_ID].i, false,
	    vendor, p);
	vr_record_free(&vr_vendor_resource, vendor);
	if (e == VR_E_NOT_FOUND) {
		vr_problem_clear(p);
		return vr_fail(p, VR_E_INVALID, "no_such_vendor", "vendor_id",
		    "vendor %" PRId64 " does not exist", rec[INF_VENDOR_ID].i);
	}
	if (e != VR_OK)
		return e;
	/* The company is aware at the latest when the vendor's notice came. */
	if (vr_value_given(&rec[INF_VENDOR_NOTIFIED_ON]) &&
	    strcmp(rec[INF_AWARE_ON].s, rec[INF_VENDOR_NOTIFIED_ON].s) > 0)
		return vr_fail(p, VR_E_INVALID, "aware_after_notice", "aware_on",
		    "the company was aware on %s at the latest, when the "
		    "vendor's notice came", rec[INF_VENDOR_NOTIFIED_ON].s);
	ncases = cases_of(rec, cases);
	for (k = 0; k < ncases; k++)
		improper |= strcmp(cases[k], "improper_purpose") == 0;
	for (item = vr_report_items; *item != NULL; item++)
		if (!list_has(&rec[INF_KNOWN_ITEMS], *item) &&
		    !list_has(&rec[INF_VENDOR_NOTICE_ITEMS], *item))
			unknown[nunknown++] = *item;
	vr_value_set_int(&rec[INF_REPORTABLE], ncases > 0);
	if (set_names(&f[INF_REPORTABLE_CASES], &rec[INF_REPORTABLE_CASES],
	    cases, ncases) == -1 || set_names(&f[INF_UNKNOWN_ITEMS],
	    &rec[INF_UNKNOWN_ITEMS], unknown, nunknown) == -1)
		return vr_fail_oom(p);
	if (ncases > 0)
		return deadlines(db, rec, improper, p);
	vr_value_set_null(&rec[INF_PRELIMINARY_DUE]);
	vr_value_set_null(&rec[INF_FINAL_DUE]);
	vr_value_set_null(&rec[INF_DEADLINE_NOTE]);
	return VR_OK;
}

/* ---- the workflow ------------------------------------------------------ */

const vr_case_type_t vr_incident_case = {
	.store = &vr_incident_store, .kind_field = -1,
	.state_field = INF_STATE, .requested_field = INF_REPORTED_BY,
	.reviewed_field = -1, .decided_field = INF_CLOSED_BY,
};

vr_err_e
vr_guard_is_reportable(vr_case_t *c, vr_problem_t *p)
{
	if (!c->rec[INF_REPORTABLE].i)
		return vr_fail(p, VR_E_INVALID, "not_reportable", NULL,
		    "no case of Rule Art. 7 applies: there is nothing to "
		    "report");
	return VR_OK;
}

vr_err_e
vr_guard_report_items_known(vr_case_t *c, vr_problem_t *p)
{
	const vr_value_t	*u = &c->rec[INF_UNKNOWN_ITEMS];
	char			 names[200];
	size_t			 k, used = 0;

	if (!vr_value_given(u) || u->n == 0)
		return VR_OK;
	names[0] = '\0';
	for (k = 0; k < u->n && used < sizeof(names); k++)
		used += (size_t)snprintf(names + used, sizeof(names) - used,
		    "%s%s", k ? ", " : "", u->item[k].s);
	return vr_fail(p, VR_E_INVALID, "items_unknown", "known_items",
	    "the final report needs every item; still unknown: %s", names);
}

vr_err_e
vr_guard_reports_done(vr_case_t *c, vr_problem_t *p)
{
	if (c->rec[INF_REPORTABLE].i && !vr_value_given(&c->rec[INF_FINAL_REPORTED_ON]))
		return vr_fail(p, VR_E_INVALID, "report_pending", NULL,
		    "a reportable incident closes after its final report "
		    "(due %s)", vr_value_given(&c->rec[INF_FINAL_DUE]) ?
		    c->rec[INF_FINAL_DUE].s : "-");
	return VR_OK;
}

vr_err_e
vr_guard_people_not_notified(vr_case_t *c, vr_problem_t *p)
{
	if (vr_value_given(&c->rec[INF_PEOPLE_NOTIFIED_ON]))
		return vr_fail(p, VR_E_INVALID, "already_notified", NULL,
		    "the people were notified on %s",
		    c->rec[INF_PEOPLE_NOTIFIED_ON].s);
	return VR_OK;
}

/* Records today (Tokyo) in field f of the incident. */
static vr_err_e
record_day(vr_case_t *c, int f, vr_problem_t *p)
{
	char	 day[11];

	vr_date_of_time(c->now, day);
	if (vr_value_set_str(&c->rec[f], day) == -1)
		return vr_fail_oom(p);
	return VR_OK;
}

vr_err_e
vr_effect_record_preliminary_report(vr_case_t *c, vr_problem_t *p)
{
	return record_day(c, INF_PRELIMINARY_REPORTED_ON, p);
}

vr_err_e
vr_effect_record_final_report(vr_case_t *c, vr_problem_t *p)
{
	return record_day(c, INF_FINAL_REPORTED_ON, p);
}

vr_err_e
vr_effect_record_people_notified(vr_case_t *c, vr_problem_t *p)
{
	return record_day(c, INF_PEOPLE_NOTIFIED_ON, p);
}

/*
 * Closing an incident marked require_audit opens an extra periodic
 * audit of its vendor, in the same write, on the closer's behalf (with
 * an admin's right to open one).
 */
vr_err_e
vr_effect_open_follow_up_audit(vr_case_t *c, vr_problem_t *p)
{
	vr_actor_t	 opener = *c->who;
	vr_value_t	*a;
	vr_err_e	 e;

	if (!c->rec[INF_REQUIRE_AUDIT].i)
		return VR_OK;
	if ((a = vr_record_new(&vr_assessment_resource)) == NULL)
		return vr_fail_oom(p);
	opener.roles |= VR_ROLE_ADMIN;
	vr_value_set_int(&a[AS_VENDOR_ID], c->rec[INF_VENDOR_ID].i);
	if (vr_value_set_str(&a[AS_KIND], "periodic_audit") == -1 ||
	    (c->rec[INF_HOST_REF].present && vr_value_copy(
	    &vr_assessment_resource.fields[AS_HOST_REF], &a[AS_HOST_REF],
	    &c->rec[INF_HOST_REF]) == -1)) {
		e = vr_fail_oom(p);
		goto out;
	}
	if ((e = vr_write_prepare_new(c->db, &vr_assessment_store, &opener, a,
	    c->now, p)) != VR_OK ||
	    (e = vr_store_insert(c->db, &vr_assessment_store, a, p)) != VR_OK ||
	    (e = vr_write_describe(c->changes, &vr_assessment_store,
	    vr_assessment_store.sql->created, NULL, a, p)) != VR_OK)
		goto out;
	vr_value_set_int(&c->rec[INF_AUDIT_ID], a[AS_ID].i);
out:
	vr_record_free(&vr_assessment_resource, a);
	return e;
}
