/*
 * vr_schedule: the scheduler's run (see vr_schedule.h).  Audits are
 * opened 50 to a write and each notice is raised in a write of its own,
 * every one with its audit row and event: a write that fails leaves the
 * others written, and a run again does the rest.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../core/vr_date.h"
#include "../db/vr_schedule_db.h"
#include "../model/vr_model.h"
#include "../workflow/vr_workflow.h"
#include "vr_assessment.h"
#include "vr_incident.h"
#include "vr_schedule.h"
#include "vr_vendor.h"
#include "vr_write.h"

/* What one run works with. */
typedef struct run {
	vr_db_t			*db;
	const vr_config_t	*cfg;
	const vr_actor_t	*who;
	bool			 dry;
	char			 today[11];	/* the Tokyo date it runs for */
	char			 now[32];	/* its start, ISO UTC */
	vr_value_t		*report;
} run_t;

/* One notice to raise: an event on an entity, once per (notice, step). */
typedef struct notice {
	const vr_store_t	*st;
	int64_t			 id;
	const char		*type;		/* the event type */
	char			 name[32];	/* its vr_notices.notice */
	const char		*step;
	const char		*due;
} notice_t;

/* Appends a record of sub to the LIST of report field f. */
static vr_value_t *
report_push(run_t *r, int f)
{
	vr_value_t	*item;

	r->report[f].present = true;
	if ((item = vr_value_push(&r->report[f])) == NULL)
		return NULL;
	return vr_value_set_record(vr_schedule_report_resource.fields[f].items,
	    item);
}

/* ---- periodic audits --------------------------------------------------- */

/*
 * Audits are opened 50 to a write (one chain-head lock and one commit
 * for all), each with its own audit row and event.  A batch that meets
 * an audit another run opened meanwhile is rolled back whole and written
 * again one audit to a write, so each duplicate is counted and the rest
 * opened.
 */
#define OPEN_BATCH	50

struct batch_ctx {
	const vr_actor_t	*who;
	int64_t			 template_id;	/* looked up once per run */
	const vr_due_t		*due;
	size_t			 n;
	int64_t			 ids[OPEN_BATCH];
};

static vr_err_e
batch_body(vr_db_t *db, void *arg, vr_changes_t *cs, vr_problem_t *p)
{
	struct batch_ctx	*b = arg;
	const vr_store_t	*st = &vr_assessment_store;
	vr_value_t		*rec;
	char			 now[32];
	size_t			 k;
	vr_err_e		 e = VR_OK;

	snprintf(now, sizeof(now), "%.10sT%sZ", cs->at, cs->at + 11);
	for (k = 0; k < b->n && e == VR_OK; k++) {
		if ((rec = vr_record_new(st->res)) == NULL)
			return vr_fail_oom(p);
		vr_value_set_int(&rec[AS_VENDOR_ID], b->due[k].id);
		vr_value_set_int(&rec[AS_TEMPLATE_ID], b->template_id);
		if (vr_value_set_str(&rec[AS_KIND], "periodic_audit") == -1 ||
		    vr_value_set_str(&rec[AS_CYCLE], b->due[k].when) == -1)
			e = vr_fail_oom(p);
		if (e == VR_OK &&
		    (e = vr_write_prepare_new(db, st, b->who, rec, now, p)) ==
		    VR_OK && (e = vr_store_insert(db, st, rec, p)) == VR_OK &&
		    (e = vr_write_describe(cs, st, st->sql->created, NULL, rec,
		    p)) == VR_OK)
			b->ids[k] = rec[AS_ID].i;
		vr_record_free(st->res, rec);
	}
	return e;
}

static bool
is_duplicate(vr_err_e e, const vr_problem_t *p)
{
	return e == VR_E_CONFLICT && p->code != NULL &&
	    strcmp(p->code, "duplicate") == 0;
}

/* Opens the audits of due[0..n) in one write (none on a dry run) and
 * reports them; a duplicate is the caller's. */
static vr_err_e
open_batch(run_t *r, int64_t tid, const vr_due_t *due, size_t n,
    vr_problem_t *p)
{
	struct batch_ctx	 b = { r->who, tid, due, n, { 0 } };
	vr_value_t		*o;
	size_t			 k;
	vr_err_e		 e;

	if (!r->dry && (e = vr_audit_write(r->db, r->who->user,
	    r->who->request_id, batch_body, &b, p)) != VR_OK)
		return e;
	for (k = 0; k < n; k++) {
		if ((o = report_push(r, SPF_OPENED)) == NULL ||
		    vr_value_set_str(&o[SOF_CYCLE], due[k].when) == -1)
			return vr_fail_oom(p);
		vr_value_set_int(&o[SOF_VENDOR_ID], due[k].id);
		if (r->dry)
			vr_value_set_null(&o[SOF_ASSESSMENT_ID]);
		else
			vr_value_set_int(&o[SOF_ASSESSMENT_ID], b.ids[k]);
	}
	return VR_OK;
}

static vr_err_e
open_audits(run_t *r, const vr_due_list_t *due, vr_problem_t *p)
{
	int64_t		 tid = 0;
	size_t		 i, k, n;
	vr_err_e	 e = VR_OK;

	/* No sheet, no audits: said before anything is written. */
	if (due->n > 0 && (e = vr_assessment_newest_template(r->db,
	    "periodic_audit", &tid, p)) != VR_OK)
		return e;
	for (i = 0; i < due->n && e == VR_OK; i += n) {
		n = due->n - i < OPEN_BATCH ? due->n - i : OPEN_BATCH;
		if (!is_duplicate(e = open_batch(r, tid, &due->items[i], n, p),
		    p))
			continue;
		vr_problem_clear(p);
		for (k = 0, e = VR_OK; k < n && e == VR_OK; k++)
			if (is_duplicate(e = open_batch(r, tid,
			    &due->items[i + k], 1, p), p)) {
				/* Another run opened it since the scan. */
				vr_problem_clear(p);
				vr_value_set_int(&r->report[SPF_ALREADY_OPEN],
				    r->report[SPF_ALREADY_OPEN].i + 1);
				e = VR_OK;
			}
	}
	return e;
}

/* ---- notices ----------------------------------------------------------- */

/*
 * The notice's write: it is taken (the unique key refuses a second), and
 * its entity gets an audit row (the same image before and after: nothing
 * changed, something was said) and the event.
 */
static vr_err_e
notice_body(vr_db_t *db, void *arg, vr_changes_t *cs, vr_problem_t *p)
{
	const notice_t	*n = arg;
	vr_value_t	*rec;
	vr_err_e	 e;

	if ((e = vr_notice_take(db, n->st->res->name, n->id, n->name,
	    n->step, p)) != VR_OK)
		return e;
	if ((rec = vr_record_new(n->st->res)) == NULL)
		return vr_fail_oom(p);
	if ((e = vr_store_get(db, n->st, n->id, false, rec, p)) == VR_OK)
		e = vr_write_describe(cs, n->st, n->type, rec, rec, p);
	vr_record_free(n->st->res, rec);
	return e;
}

static vr_err_e
raise_notice(run_t *r, const notice_t *n, vr_problem_t *p)
{
	vr_value_t	*o;
	bool		 taken = false;
	vr_err_e	 e;

	if (r->dry)
		e = vr_notice_taken(r->db, n->st->res->name, n->id, n->name,
		    n->step, &taken, p);
	else {
		e = vr_audit_write(r->db, r->who->user, r->who->request_id,
		    notice_body, (void *)n, p);
		if (e == VR_E_CONFLICT && p->code != NULL &&
		    strcmp(p->code, "duplicate") == 0) {
			vr_problem_clear(p);
			taken = true;
			e = VR_OK;
		}
	}
	if (e != VR_OK || taken)
		return e;
	if ((o = report_push(r, SPF_NOTICES)) == NULL ||
	    vr_value_set_str(&o[SNF_TYPE], n->type) == -1 ||
	    vr_value_set_str(&o[SNF_ENTITY], n->st->res->name) == -1 ||
	    vr_value_set_str(&o[SNF_DUE], n->due) == -1)
		return vr_fail_oom(p);
	vr_value_set_int(&o[SNF_ENTITY_ID], n->id);
	return VR_OK;
}

/*
 * The reminder for days left (rounded up): the tightest of the
 * configured lead times it is within, or -1.  A run that missed a
 * larger one raises only the one that applies now.
 */
static int
reminder_for(const unsigned lead[3], int64_t days_left)
{
	int	 i;

	for (i = 2; i >= 0; i--)
		if (days_left <= (int64_t)lead[i])
			return (int)lead[i];
	return -1;
}

/* Vendor links that expire soon, before the vendor submitted. */
static vr_err_e
link_reminders(run_t *r, vr_problem_t *p)
{
	vr_due_list_t	 l = { 0 };
	notice_t	 n;
	char		 until[32];
	int64_t		 left;
	size_t		 k;
	int		 days;
	vr_err_e	 e;

	vr_time_plus_days(r->now, r->cfg->reminder_days[0], until);
	if ((e = vr_sched_links_expiring(r->db, r->now, until, &l, p)) !=
	    VR_OK)
		goto out;
	for (k = 0; k < l.n && e == VR_OK; k++) {
		left = vr_time_diff(r->now, l.items[k].when);
		if ((days = reminder_for(r->cfg->reminder_days,
		    (left + 86399) / 86400)) < 0)
			continue;
		memset(&n, 0, sizeof(n));
		n.st = &vr_assessment_store;
		n.id = l.items[k].id;
		n.type = "assessment.link_expiring";
		snprintf(n.name, sizeof(n.name), "link_expiring_%d", days);
		n.step = l.items[k].what;	/* the link: a new one, anew */
		n.due = l.items[k].when;
		e = raise_notice(r, &n, p);
	}
out:
	vr_due_list_free(&l);
	return e;
}

static bool
finished(const vr_value_t *st, const void *arg)
{
	(void)arg;
	return st[MSF_FINAL].i != 0;
}

/* Periodic audits not finished audit_grace_days after their cycle. */
static vr_err_e
late_audits(run_t *r, vr_problem_t *p)
{
	vr_due_list_t	 l = { 0 };
	notice_t	 n;
	char		 before[11], due[11], done[512];
	size_t		 k;
	vr_err_e	 e;

	vr_date_plus_days(r->today, -(int)r->cfg->audit_grace_days, before);
	vr_workflow_state_list("assessment", NULL, finished, NULL, done,
	    sizeof(done));
	if ((e = vr_sched_cycles_late(r->db, before, done, &l, p)) != VR_OK)
		goto out;
	for (k = 0; k < l.n && e == VR_OK; k++) {
		memset(&n, 0, sizeof(n));
		n.st = &vr_assessment_store;
		n.id = l.items[k].id;
		n.type = "assessment.overdue";
		snprintf(n.name, sizeof(n.name), "overdue");
		n.step = l.items[k].what;	/* once per state it is late in */
		vr_date_plus_days(l.items[k].when, (int)r->cfg->audit_grace_days,
		    due);
		n.due = due;
		e = raise_notice(r, &n, p);
	}
out:
	vr_due_list_free(&l);
	return e;
}

/* Remediations (findings open or in progress) due soon or overdue. */
static vr_err_e
remediations(run_t *r, vr_problem_t *p)
{
	vr_due_list_t	 l = { 0 };
	notice_t	 n;
	char		 by[11], step[120];
	int64_t		 left;
	size_t		 k;
	int		 days;
	vr_err_e	 e;

	vr_date_plus_days(r->today, (int)r->cfg->reminder_days[0], by);
	if ((e = vr_sched_findings_due(r->db, by, &l, p)) != VR_OK)
		goto out;
	for (k = 0; k < l.n && e == VR_OK; k++) {
		memset(&n, 0, sizeof(n));
		n.st = &vr_finding_store;
		n.id = l.items[k].id;
		n.due = l.items[k].when;
		left = vr_date_diff(r->today, l.items[k].when);
		if (left < 0) {
			/* Once per status it is late in, for its due date. */
			n.type = "finding.overdue";
			snprintf(n.name, sizeof(n.name), "overdue");
			snprintf(step, sizeof(step), "%s:%s", l.items[k].what,
			    l.items[k].when);
		} else if ((days = reminder_for(r->cfg->reminder_days,
		    left)) >= 0) {
			n.type = "finding.due_soon";
			snprintf(n.name, sizeof(n.name), "due_in_%d", days);
			snprintf(step, sizeof(step), "%s", l.items[k].when);
		} else
			continue;
		n.step = step;
		e = raise_notice(r, &n, p);
	}
out:
	vr_due_list_free(&l);
	return e;
}

/*
 * Leak reports of reportable incidents: incident_lead_days ahead of
 * each deadline, and when it has passed, once each.
 */
static vr_err_e
report_deadlines(run_t *r, vr_problem_t *p)
{
	vr_due_list_t	 l = { 0 };
	notice_t	 n;
	char		 by[11], done[256], type[64];
	size_t		 k;
	vr_err_e	 e;

	vr_date_plus_days(r->today, (int)r->cfg->incident_lead_days, by);
	vr_workflow_state_list("incident", NULL, finished, NULL, done,
	    sizeof(done));
	if ((e = vr_sched_reports_due(r->db, by, done, &l, p)) != VR_OK)
		goto out;
	for (k = 0; k < l.n && e == VR_OK; k++) {
		memset(&n, 0, sizeof(n));
		n.st = &vr_incident_store;
		n.id = l.items[k].id;
		n.due = l.items[k].when;
		n.step = l.items[k].when;
		snprintf(n.name, sizeof(n.name), "%.11s_%s", l.items[k].what,
		    vr_date_diff(r->today, l.items[k].when) < 0 ? "overdue" :
		    "due_soon");
		snprintf(type, sizeof(type), "incident.%s", n.name);
		n.type = type;
		e = raise_notice(r, &n, p);
	}
out:
	vr_due_list_free(&l);
	return e;
}

/*
 * Vendors' certifications (Pマーク, ISMS, ...) certification_reminder_days
 * ahead of their expiry, and once when expired; a renewed one (a new
 * expiry or number) is reminded of anew.
 */
static vr_err_e
certifications(run_t *r, vr_problem_t *p)
{
	const unsigned	*lead = r->cfg->certification_reminder_days;
	vr_due_list_t	 l = { 0 };
	notice_t	 n;
	char		 by[11], step[120];
	int64_t		 left;
	size_t		 k;
	int		 days;
	vr_err_e	 e;

	vr_date_plus_days(r->today, (int)lead[0], by);
	if ((e = vr_sched_certs_expiring(r->db, by, &l, p)) != VR_OK)
		goto out;
	for (k = 0; k < l.n && e == VR_OK; k++) {
		memset(&n, 0, sizeof(n));
		n.st = &vr_vendor_store;
		n.id = l.items[k].id;
		n.due = l.items[k].when;
		left = vr_date_diff(r->today, l.items[k].when);
		if (left < 0) {
			n.type = "vendor.certification_expired";
			snprintf(n.name, sizeof(n.name), "cert_expired");
		} else if ((days = reminder_for(lead, left)) >= 0) {
			n.type = "vendor.certification_expiring";
			snprintf(n.name, sizeof(n.name), "cert_expiring_%d",
			    days);
		} else
			continue;
		/* Within vr_notices.step's 80: the number is cut first. */
		snprintf(step, sizeof(step), "%.69s:%s", l.items[k].what,
		    l.items[k].when);
		n.step = step;
		e = raise_notice(r, &n, p);
	}
out:
	vr_due_list_free(&l);
	return e;
}

/* ---- the run ----------------------------------------------------------- */

vr_err_e
vr_schedule_run(vr_db_t *db, const vr_config_t *cfg, const vr_actor_t *who,
    const char *as_of, bool dry_run, vr_value_t *report, vr_problem_t *p)
{
	vr_due_list_t	 due = { 0 };
	run_t		 r;
	char		 at[27];
	vr_err_e	 e;

	memset(&r, 0, sizeof(r));
	r.db = db;
	r.cfg = cfg;
	r.who = who;
	r.dry = dry_run;
	r.report = report;
	vr_db_now(at);
	snprintf(r.now, sizeof(r.now), "%.10sT%sZ", at, at + 11);
	if (as_of != NULL) {
		/* A given day runs as at its start, 00:00 in Tokyo. */
		snprintf(r.today, sizeof(r.today), "%s", as_of);
		vr_time_of_date(r.today, r.now);
	} else
		vr_date_of_time(r.now, r.today);
	if (vr_value_set_str(&report[SPF_AS_OF], r.today) == -1)
		return vr_fail_oom(p);
	vr_value_set_int(&report[SPF_DRY_RUN], dry_run);
	vr_value_set_int(&report[SPF_ALREADY_OPEN], 0);
	report[SPF_OPENED].present = report[SPF_NOTICES].present = true;
	if ((e = vr_sched_vendors_due(db, r.today, &due, p)) != VR_OK)
		goto out;
	e = open_audits(&r, &due, p);
	if (e == VR_OK)
		e = link_reminders(&r, p);
	if (e == VR_OK)
		e = late_audits(&r, p);
	if (e == VR_OK)
		e = remediations(&r, p);
	if (e == VR_OK)
		e = report_deadlines(&r, p);
	if (e == VR_OK)
		e = certifications(&r, p);
out:
	vr_due_list_free(&due);
	return e;
}
