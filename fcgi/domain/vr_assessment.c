/*
 * vr_assessment: cases and findings (see vr_assessment.h).  The
 * workflow engine (workflow/) decides what may happen; this file loads
 * what it decides on and writes what happened.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "../codec/vr_codec.h"
#include "../core/vr_date.h"
#include "../core/vr_sha256.h"
#include "../model/vr_model.h"
#include "../workflow/vr_workflow.h"
#include "vr_assessment.h"
#include "vr_case.h"
#include "vr_sheet.h"
#include "vr_subcontract.h"
#include "vr_tier.h"
#include "vr_template.h"
#include "vr_vendor.h"
#include "vr_write.h"

/* ---- stores ------------------------------------------------------------ */

static const vr_sort_t case_sorts[] = {
	{ .name = "id", .field = AS_ID },
	{ .name = "-id", .field = AS_ID, .desc = true },
	{ .name = "updated_at", .field = AS_UPDATED_AT },
	{ .name = "-updated_at", .field = AS_UPDATED_AT, .desc = true },
};

static const vr_filter_t case_filters[] = {
	{ .param = "kind", .field = AS_KIND },
	{ .param = "state", .field = AS_STATE, .multi = true },
	{ .param = "vendor_id", .field = AS_VENDOR_ID },
	{ .param = "host_ref", .field = AS_HOST_REF },
	/* The vendor's link ran out before the vendor submitted. */
	{ .param = "overdue", .condition = "v.link_expires_at < "
	    "UTC_TIMESTAMP(6)" },
};

static vr_store_sql_t case_sql;

const vr_store_t vr_assessment_store = {
	.res = &vr_assessment_resource, .path = "/assessments",
	.sorts = case_sorts, .nsorts = sizeof(case_sorts) /
	    sizeof(case_sorts[0]),
	.filters = case_filters, .nfilters = sizeof(case_filters) /
	    sizeof(case_filters[0]),
	.derive = vr_assessment_derive, .lookup_field = AS_LINK_HASH,
	.sql = &case_sql,
};

static const vr_sort_t finding_sorts[] = {
	{ .name = "id", .field = FF_ID },
	{ .name = "-id", .field = FF_ID, .desc = true },
};

/* The order matters: find_open_high() fills them by position. */
static const vr_filter_t finding_filters[] = {
	{ .param = "assessment_id", .field = FF_ASSESSMENT_ID },
	{ .param = "vendor_id", .field = FF_VENDOR_ID },
	{ .param = "status", .field = FF_STATUS, .multi = true },
	{ .param = "severity", .field = FF_SEVERITY, .multi = true },
};

static vr_store_sql_t finding_sql;

const vr_store_t vr_finding_store = {
	.res = &vr_finding_resource, .path = "/findings",
	.sorts = finding_sorts, .nsorts = sizeof(finding_sorts) /
	    sizeof(finding_sorts[0]),
	.filters = finding_filters, .nfilters = sizeof(finding_filters) /
	    sizeof(finding_filters[0]),
	.derive = vr_finding_derive, .sql = &finding_sql,
};

/* ---- the template cache ------------------------------------------------ */

/*
 * A published template never changes, so each process parses one once
 * and keeps it, with the questions of each tier, until it exits; the
 * pointers handed out stay valid that long.
 */
typedef struct cached {
	int64_t		 id;
	vr_value_t	*tpl;
	vr_value_t	 questions[3];	/* by tier: high, medium, low */
} cached_t;

static pthread_mutex_t	 cache_lock = PTHREAD_MUTEX_INITIALIZER;
static cached_t		**cache;
static size_t		 ncache;

static int
tier_index(const char *tier)
{
	return strcmp(tier, "high") == 0 ? 0 : strcmp(tier, "medium") == 0 ?
	    1 : 2;
}

static const vr_field_t question_list = {
	.name = "questions", .type = VR_T_LIST,
	.items = &(const vr_field_t){ .name = "question",
	    .type = VR_T_RECORD, .sub = &vr_template_question_resource },
};

/* The cached template id, or NULL; the caller holds cache_lock. */
static const cached_t *
cache_find_locked(int64_t id)
{
	size_t	 i;

	for (i = 0; i < ncache; i++)
		if (cache[i]->id == id)
			return cache[i];
	return NULL;
}

static const cached_t *
cache_find(int64_t id)
{
	const cached_t	*c;

	pthread_mutex_lock(&cache_lock);
	c = cache_find_locked(id);
	pthread_mutex_unlock(&cache_lock);
	return c;
}

/* The template id, from the cache or read and added to it. */
static vr_err_e
template_of(vr_db_t *db, int64_t id, const cached_t **out, vr_problem_t *p)
{
	cached_t	*c, **grown;
	vr_err_e	 e;
	int		 t;

	if ((*out = cache_find(id)) != NULL)
		return VR_OK;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->tpl = vr_record_new(&vr_template_resource)) == NULL) {
		free(c);
		return vr_fail_oom(p);
	}
	c->id = id;
	if ((e = vr_store_get(db, &vr_template_store, id, false, c->tpl,
	    p)) != VR_OK)
		goto fail;
	for (t = 0; t < 3; t++)
		if (vr_sheet_questions(c->tpl, vr_tiers[t],
		    &c->questions[t]) == -1) {
			e = vr_fail_oom(p);
			goto fail;
		}
	pthread_mutex_lock(&cache_lock);
	/* Another thread may have added it meanwhile: keep the first. */
	if ((*out = cache_find_locked(id)) == NULL &&
	    (grown = realloc(cache, (ncache + 1) * sizeof(*cache))) != NULL) {
		cache = grown;
		cache[ncache++] = c;
		*out = c;
		c = NULL;
	}
	pthread_mutex_unlock(&cache_lock);
	if (*out == NULL) {
		e = vr_fail_oom(p);
		goto fail;
	}
	e = VR_OK;
fail:
	if (c != NULL) {
		vr_record_free(&vr_template_resource, c->tpl);
		for (t = 0; t < 3; t++)
			vr_value_free(&question_list, &c->questions[t]);
		free(c);
	}
	return e;
}

void
vr_assessment_cache_free(void)
{
	size_t	 i;
	int	 t;

	for (i = 0; i < ncache; i++) {
		vr_record_free(&vr_template_resource, cache[i]->tpl);
		for (t = 0; t < 3; t++)
			vr_value_free(&question_list, &cache[i]->questions[t]);
		free(cache[i]);
	}
	free(cache);
	cache = NULL;
	ncache = 0;
}

/* ---- small helpers ----------------------------------------------------- */

static const vr_field_t answer_item = {
	.name = "answer", .type = VR_T_RECORD, .sub = &vr_answer_resource,
};


/* The transaction time of a write as the ISO form records carry. */
static void
iso_now(const vr_changes_t *cs, char out[32])
{
	snprintf(out, 32, "%.10sT%sZ", cs->at, cs->at + 11);
}

/* ---- a new case -------------------------------------------------------- */

/*
 * The newest version of the template whose code is the case's kind (an
 * admin publishes a new sheet as a new version of that code), or 422.
 */
vr_err_e
vr_assessment_newest_template(vr_db_t *db, const char *kind, int64_t *id,
    vr_problem_t *p)
{
	vr_store_query_t q;
	vr_list_t	 l = { 0 };
	vr_err_e	 e;

	memset(&q, 0, sizeof(q));
	q.filters[0] = kind;		/* the template store's "code" */
	q.filters[1] = kind;		/* and "kind" */
	q.sort = 2;			/* -version: the newest first */
	q.limit = 1;
	if ((e = vr_store_list(db, &vr_template_store, &q, &l, p)) == VR_OK &&
	    l.n == 0)
		e = vr_fail(p, VR_E_INVALID, "no_template", "kind", "there is "
		    "no %s check sheet: an admin imports one first", kind);
	if (e == VR_OK)
		*id = l.items[0][TF_ID].i;
	vr_list_free(&vr_template_resource, &l);
	return e;
}

/*
 * The vendor's latest case that ended other than withdrawn (a withdrawn
 * case's answers were never decided on), of any kind: a re-audit shows
 * its answers beside the new ones, matched by question code.
 */
static bool
decided_final(const vr_value_t *st, const void *arg)
{
	return st[MSF_FINAL].i && strcmp(st[MSF_ID].s, (const char *)arg) != 0;
}

static vr_err_e
previous_case(vr_db_t *db, vr_value_t *rec, vr_problem_t *p)
{
	vr_store_query_t q;
	vr_list_t	 l = { 0 };
	char		 vid[VR_INT_TEXT_MAX], finals[512];
	vr_err_e	 e;

	vr_workflow_state_list("assessment", NULL, decided_final, "withdrawn",
	    finals, sizeof(finals));
	if (finals[0] == '\0') {
		vr_value_set_null(&rec[AS_PREVIOUS_ID]);
		return VR_OK;
	}
	memset(&q, 0, sizeof(q));
	q.filters[1] = finals;		/* state */
	q.filters[2] = vr_int_text(vid, rec[AS_VENDOR_ID].i);
	q.sort = 1;			/* -id: the latest first */
	q.limit = 1;
	if ((e = vr_store_list(db, &vr_assessment_store, &q, &l, p)) ==
	    VR_OK) {
		if (l.n == 1)
			vr_value_set_int(&rec[AS_PREVIOUS_ID], l.items[0][AS_ID].i);
		else
			vr_value_set_null(&rec[AS_PREVIOUS_ID]);
	}
	vr_list_free(&vr_assessment_resource, &l);
	return e;
}

vr_err_e
vr_assessment_derive(vr_db_t *db, const vr_actor_t *who, vr_value_t *rec,
    const vr_value_t *before, vr_problem_t *p)
{
	const vr_value_t	*wf;
	const cached_t		*c;
	vr_value_t		*vendor;
	int64_t			 tid, answered, required;
	vr_err_e		 e;

	/*
	 * A case changes through its actions; a PATCH can bring only its
	 * host_ref (kind and vendor_id are fixed, the rest server-set), in
	 * any state: nothing to derive.
	 */
	if (before != NULL)
		return VR_OK;
	if ((wf = vr_workflow_for("assessment", rec[AS_KIND].s)) == NULL)
		return vr_fail(p, VR_E_INVALID, "no_workflow", "kind",
		    "the manifest has no workflow for %s", rec[AS_KIND].s);
	/* Who may open one: the workflow's vr:start roles. */
	if (!(who->roles & vr_workflow_start_roles(wf)))
		return vr_fail(p, VR_E_FORBIDDEN, "forbidden", "kind",
		    "your roles may not open a %s case", rec[AS_KIND].s);
	if ((vendor = vr_record_new(&vr_vendor_resource)) == NULL)
		return vr_fail_oom(p);
	/* Locked: a suspension or termination meanwhile waits for this. */
	e = vr_store_get(db, &vr_vendor_store, rec[AS_VENDOR_ID].i, true,
	    vendor, p);
	if (e == VR_E_NOT_FOUND) {
		vr_problem_clear(p);
		e = vr_fail(p, VR_E_INVALID, "no_such_vendor", "vendor_id",
		    "vendor %" PRId64 " does not exist", rec[AS_VENDOR_ID].i);
	} else if (e == VR_OK && (vr_value_is(&vendor[VF_STATUS], "terminated") ||
	    (vr_value_is(&vendor[VF_STATUS], "suspended") &&
	    vr_value_is(&rec[AS_KIND], "onboarding"))))
		/* A suspended vendor is still audited (that may lift it). */
		e = vr_fail(p, VR_E_INVALID, "vendor_not_assessable",
		    "vendor_id", "vendor %" PRId64 " is %s",
		    rec[AS_VENDOR_ID].i, vendor[VF_STATUS].s);
	if (e == VR_OK && (vr_value_set_str(&rec[AS_TIER], vendor[VF_TIER].s) == -1 ||
	    vr_value_set_str(&rec[AS_STATE], wf[MWF_INITIAL].s) == -1 ||
	    vr_value_set_str(&rec[AS_REQUESTED_BY], who->user) == -1))
		e = vr_fail_oom(p);
	vr_record_free(&vr_vendor_resource, vendor);
	/*
	 * The newest template of the kind, unless the caller pinned one
	 * (the scheduler looks it up once per run; a client cannot: the
	 * field is the server's).
	 */
	if (e == VR_OK && vr_value_given(&rec[AS_TEMPLATE_ID]))
		tid = rec[AS_TEMPLATE_ID].i;
	else if (e == VR_OK)
		e = vr_assessment_newest_template(db, rec[AS_KIND].s, &tid, p);
	if (e != VR_OK ||
	    (e = template_of(db, tid, &c, p)) != VR_OK ||
	    (e = previous_case(db, rec, p)) != VR_OK)
		return e;
	vr_value_set_int(&rec[AS_TEMPLATE_ID], tid);
	rec[AS_ANSWERS].present = true;
	vr_sheet_progress(&c->questions[tier_index(rec[AS_TIER].s)],
	    &rec[AS_ANSWERS], &answered, &required);
	vr_value_set_int(&rec[AS_ANSWERED], answered);
	vr_value_set_int(&rec[AS_REQUIRED], required);
	return VR_OK;
}

/* ---- reading a case ---------------------------------------------------- */

/* The case's questions, from the cache. */
static vr_err_e
questions_of(vr_db_t *db, const vr_value_t *rec, const vr_value_t **qs,
    const vr_value_t **tpl, vr_problem_t *p)
{
	const cached_t	*c;
	vr_err_e	 e;

	if ((e = template_of(db, rec[AS_TEMPLATE_ID].i, &c, p)) != VR_OK)
		return e;
	*qs = &c->questions[tier_index(rec[AS_TIER].s)];
	if (tpl != NULL)
		*tpl = c->tpl;
	return VR_OK;
}

vr_err_e
vr_assessment_template(vr_db_t *db, const vr_value_t *rec,
    const vr_value_t **tpl, vr_problem_t *p)
{
	const vr_value_t	*qs;

	return questions_of(db, rec, &qs, tpl, p);
}

#define FINDINGS_PAGE	500

enum finding_pick {
	ONLY_CASE,		/* the findings of case */
	OPEN_ELSEWHERE		/* open or in progress, of other cases */
};

static bool
picks(enum finding_pick pick, const vr_value_t *f, int64_t case_id)
{
	if (f[FF_ASSESSMENT_ID].i == case_id)
		return pick == ONLY_CASE;
	return pick == OPEN_ELSEWHERE && (vr_value_is(&f[FF_STATUS], "open") ||
	    vr_value_is(&f[FF_STATUS], "in_progress"));
}

/* Moves the records of l that pick takes onto the end of the LIST v. */
static vr_err_e
move_into(vr_value_t *v, vr_list_t *l, enum finding_pick pick,
    int64_t case_id, vr_problem_t *p)
{
	vr_value_t	*item, *f;
	size_t		 k;

	for (k = 0; k < l->n; k++) {
		if ((f = l->items[k]) == NULL || !picks(pick, f, case_id))
			continue;
		if ((item = vr_value_push(v)) == NULL)
			return vr_fail_oom(p);
		item->present = true;
		item->rec = f;
		l->items[k] = NULL;
	}
	return VR_OK;
}

/*
 * What the previous case answered: beside each answer (previous,
 * changed) and, for this sheet's questions, as previous_answers.
 */
static vr_err_e
show_previous(vr_db_t *db, vr_value_t *rec, vr_problem_t *p)
{
	const vr_field_t	*vf = &vr_answer_resource.fields[ANF_VALUE];
	const vr_value_t	*qs, *a;
	vr_value_t		*prev, *item, *mine;
	size_t			 k, j;
	vr_err_e		 e;

	if (!rec[AS_PREVIOUS_ID].present || rec[AS_PREVIOUS_ID].null)
		return VR_OK;
	if ((prev = vr_record_new(&vr_assessment_resource)) == NULL)
		return vr_fail_oom(p);
	if ((e = questions_of(db, rec, &qs, NULL, p)) != VR_OK ||
	    (e = vr_store_get(db, &vr_assessment_store,
	    rec[AS_PREVIOUS_ID].i, false, prev, p)) != VR_OK)
		goto out;
	vr_value_free(&vr_assessment_resource.fields[AS_PREVIOUS_ANSWERS],
	    &rec[AS_PREVIOUS_ANSWERS]);
	rec[AS_PREVIOUS_ANSWERS].present = true;
	for (k = 0; k < prev[AS_ANSWERS].n; k++) {
		a = prev[AS_ANSWERS].item[k].rec;
		if (vr_sheet_question(qs, a[ANF_QUESTION].s) == NULL ||
		    !a[ANF_VALUE].present || a[ANF_VALUE].null)
			continue;
		if ((item = vr_value_push(&rec[AS_PREVIOUS_ANSWERS])) ==
		    NULL || vr_value_copy(&answer_item, item,
		    &prev[AS_ANSWERS].item[k]) == -1) {
			e = vr_fail_oom(p);
			goto out;
		}
		/* Shown beside the answer it belongs to. */
		for (j = 0; j < rec[AS_ANSWERS].n; j++) {
			mine = rec[AS_ANSWERS].item[j].rec;
			if (!vr_value_is(&mine[ANF_QUESTION], a[ANF_QUESTION].s))
				continue;
			if (vr_value_copy(vf, &mine[ANF_PREVIOUS],
			    &a[ANF_VALUE]) == -1) {
				e = vr_fail_oom(p);
				goto out;
			}
			vr_value_set_int(&mine[ANF_CHANGED], !vr_value_same(vf,
			    &mine[ANF_VALUE], &a[ANF_VALUE]));
		}
	}
out:
	vr_record_free(&vr_assessment_resource, prev);
	return e;
}

/* The template's sections as headings (code, title) in v. */
static vr_err_e
section_headings(vr_value_t *v, const vr_value_t *tpl, vr_problem_t *p)
{
	const vr_value_t	*secs = &tpl[TF_SECTIONS];
	vr_value_t		*item;
	size_t			 k;

	vr_value_free(&vr_assessment_resource.fields[AS_SECTIONS], v);
	v->present = true;
	for (k = 0; k < secs->n; k++) {
		if ((item = vr_value_push(v)) == NULL ||
		    (item->rec = vr_record_new(&vr_section_heading_resource)) ==
		    NULL)
			return vr_fail_oom(p);
		item->present = true;
		if (vr_record_project(&vr_section_heading_resource, item->rec,
		    &vr_template_section_resource, secs->item[k].rec) == -1)
			return vr_fail_oom(p);
	}
	return VR_OK;
}

vr_err_e
vr_assessment_decorate(vr_db_t *db, vr_value_t *rec, bool questions,
    vr_problem_t *p)
{
	const vr_value_t	*qs, *tpl;
	vr_store_query_t	 q;
	vr_list_t		 l = { 0 };
	char			 vid[VR_INT_TEXT_MAX], *cursor = NULL;
	vr_err_e		 e;

	if (questions) {
		if ((e = questions_of(db, rec, &qs, &tpl, p)) != VR_OK)
			return e;
		vr_value_borrow(&rec[AS_QUESTIONS], qs);
		if ((e = section_headings(&rec[AS_SECTIONS], tpl, p)) != VR_OK)
			return e;
	}
	/*
	 * The case's findings and the vendor's still open from earlier
	 * cases (follow_up), from one read of the vendor's findings (a page
	 * at a time: a vendor of decades of audits has more than a page).
	 */
	vr_value_free(&vr_assessment_resource.fields[AS_FINDINGS],
	    &rec[AS_FINDINGS]);
	vr_value_free(&vr_assessment_resource.fields[AS_FOLLOW_UP],
	    &rec[AS_FOLLOW_UP]);
	rec[AS_FINDINGS].present = rec[AS_FOLLOW_UP].present = true;
	memset(&q, 0, sizeof(q));
	q.filters[1] = vr_int_text(vid, rec[AS_VENDOR_ID].i);
	q.limit = FINDINGS_PAGE;
	for (;;) {
		if ((e = vr_store_list(db, &vr_finding_store, &q, &l, p)) !=
		    VR_OK ||
		    (e = move_into(&rec[AS_FINDINGS], &l, ONLY_CASE,
		    rec[AS_ID].i, p)) != VR_OK ||
		    (e = move_into(&rec[AS_FOLLOW_UP], &l, OPEN_ELSEWHERE,
		    rec[AS_ID].i, p)) != VR_OK || l.next_cursor == NULL)
			break;
		/* The next page: its cursor is kept, the page dropped. */
		free(cursor);
		q.cursor = cursor = l.next_cursor;
		l.next_cursor = NULL;
		vr_list_free(&vr_finding_resource, &l);
	}
	if (e != VR_OK)
		goto out;
	e = show_previous(db, rec, p);
out:
	free(cursor);
	vr_list_free(&vr_finding_resource, &l);
	return e;
}

/* ---- findings ---------------------------------------------------------- */

vr_err_e
vr_finding_derive(vr_db_t *db, const vr_actor_t *who, vr_value_t *rec,
    const vr_value_t *before, vr_problem_t *p)
{
	vr_value_t	*c;
	vr_err_e	 e = VR_OK;
	bool		 accepting;

	if (before != NULL && rec[FF_ASSESSMENT_ID].i !=
	    before[FF_ASSESSMENT_ID].i)
		return vr_fail(p, VR_E_INVALID, "read_only", "assessment_id",
		    "a finding stays with the case it was found in");
	if ((c = vr_record_new(&vr_assessment_resource)) == NULL)
		return vr_fail_oom(p);
	/*
	 * Locked: a finding raised or changed while its case is
	 * being approved waits for the approval (or the approval
	 * for it), so the no_open_high_findings guard sees it or it
	 * comes after.
	 */
	e = vr_store_get_row(db, &vr_assessment_store,
	    rec[FF_ASSESSMENT_ID].i, true, c, p);
	if (e == VR_E_NOT_FOUND) {
		vr_problem_clear(p);
		e = vr_fail(p, VR_E_INVALID, "no_such_assessment",
		    "assessment_id", "assessment %" PRId64 " does not "
		    "exist", rec[FF_ASSESSMENT_ID].i);
	}
	if (e == VR_OK && before == NULL)
		vr_value_set_int(&rec[FF_VENDOR_ID], c[AS_VENDOR_ID].i);
	vr_record_free(&vr_assessment_resource, c);
	if (e == VR_OK && before == NULL && !rec[FF_SOURCE].present &&
	    vr_value_set_str(&rec[FF_SOURCE], "reviewer") == -1)
		e = vr_fail_oom(p);
	if (e != VR_OK)
		return e;
	accepting = vr_value_is(&rec[FF_STATUS], "risk_accepted") &&
	    (before == NULL || !vr_value_is(&before[FF_STATUS], "risk_accepted"));
	if (!accepting)
		return VR_OK;
	/* Accepting a risk is the approver's, with a reason and an end. */
	if (!(who->roles & VR_ROLE_APPROVER))
		return vr_fail(p, VR_E_FORBIDDEN, "approver_only", "status",
		    "only an approver may accept a risk");
	if (!rec[FF_RISK_REASON].present || rec[FF_RISK_REASON].null)
		return vr_fail(p, VR_E_INVALID, "required", "risk_reason",
		    "say why the risk is accepted");
	if (!rec[FF_RISK_ACCEPTED_UNTIL].present ||
	    rec[FF_RISK_ACCEPTED_UNTIL].null)
		return vr_fail(p, VR_E_INVALID, "required",
		    "risk_accepted_until", "say until when it is accepted");
	if (vr_value_set_str(&rec[FF_RISK_ACCEPTED_BY], who->user) == -1)
		return vr_fail_oom(p);
	return VR_OK;
}

/* ---- answers ----------------------------------------------------------- */

/*
 * The roles that may answer a case in this state: those that may submit
 * it from there (and admins); 0 when the state takes no answers.
 */
static unsigned
answering(const vr_value_t *wf, const char *state)
{
	const vr_value_t	*st = vr_workflow_state(wf, state), *t;

	if (st == NULL || (t = vr_workflow_transition(st, "submit")) == NULL)
		return 0;
	return vr_workflow_roles(t) | VR_ROLE_ADMIN;
}

/* The answer record for code in the LIST, added when there is none. */
static vr_value_t *
answer_slot(vr_value_t *answers, const char *code)
{
	vr_value_t	*item, *rec;
	size_t		 k;

	for (k = 0; k < answers->n; k++)
		if (vr_value_is(&answers->item[k].rec[ANF_QUESTION], code))
			return answers->item[k].rec;
	if ((item = vr_value_push(answers)) == NULL ||
	    (rec = vr_value_set_record(&answer_item, item)) == NULL ||
	    vr_value_set_str(&rec[ANF_QUESTION], code) == -1)
		return NULL;
	return rec;
}

/*
 * Whether given (an answer as sent) changes slot (as kept): only then is
 * it copied and stamped with who and when, so answered_at is when the
 * answer last changed and a page that saves the whole sheet does not
 * restamp (and rewrite) every answer it did not touch.
 */
static bool
answer_changes(const vr_value_t *slot, const vr_value_t *given)
{
	static const int	 kept[] = { ANF_VALUE, ANF_NOTE, ANF_EVIDENCE };
	size_t			 k;

	if (!slot[ANF_ANSWERED_AT].present)
		return true;
	for (k = 0; k < sizeof(kept) / sizeof(kept[0]); k++)
		if (given[kept[k]].present && !vr_value_same(
		    &vr_answer_resource.fields[kept[k]], &slot[kept[k]],
		    &given[kept[k]]))
			return true;
	return false;
}

/* Puts the answers in the order of the sheet's questions. */
static int
sort_answers(const vr_value_t *qs, vr_value_t *answers)
{
	vr_value_t	*sorted;
	size_t		 n = 0, k, j;

	if (answers->n == 0)
		return 0;
	if ((sorted = calloc(answers->n, sizeof(*sorted))) == NULL)
		return -1;
	for (k = 0; k < qs->n; k++)
		for (j = 0; j < answers->n; j++)
			if (answers->item[j].rec != NULL && vr_value_is(
			    &answers->item[j].rec[ANF_QUESTION],
			    qs->item[k].rec[TQF_CODE].s)) {
				sorted[n++] = answers->item[j];
				answers->item[j].rec = NULL;
			}
	for (j = 0; j < answers->n; j++)	/* none: every code is checked */
		vr_value_free(&answer_item, &answers->item[j]);
	memcpy(answers->item, sorted, n * sizeof(*sorted));
	answers->n = n;
	free(sorted);
	return 0;
}

/*
 * Replaces *rec with case id read afresh and locked for this
 * transaction: a body run again after a retry starts from the row.
 */
static vr_err_e
lock_case(vr_db_t *db, int64_t id, vr_value_t **rec, vr_problem_t *p)
{
	vr_record_free(&vr_assessment_resource, *rec);
	if ((*rec = vr_record_new(&vr_assessment_resource)) == NULL)
		return vr_fail_oom(p);
	return vr_store_get(db, &vr_assessment_store, id, true, *rec, p);
}

struct save_ctx {
	const vr_actor_t	*who;
	int64_t			 id;
	vr_value_t		*input;		/* the LIST of answers given */
	vr_value_t		*result;
	vr_value_t		 carried;	/* carry forward: the LIST made */
};

static const vr_field_t answer_list = {
	.name = "answers", .type = VR_T_LIST, .items = &answer_item,
};

/*
 * Carry forward: the previous case's answers to questions of this sheet
 * that have no value here yet, and that still fit the question (a new
 * template version may have changed it), as a LIST of answers to save.
 */
static vr_err_e
carry_forward(vr_db_t *db, const vr_value_t *rec, const vr_value_t *qs,
    vr_value_t *out, vr_problem_t *p)
{
	const vr_value_t	*a, *q, *mine;
	vr_value_t		*prev, *item;
	vr_problem_t		 unfit;
	size_t			 k;
	vr_err_e		 e;

	vr_value_free(&answer_list, out);
	out->present = true;
	if (!rec[AS_PREVIOUS_ID].present || rec[AS_PREVIOUS_ID].null)
		return vr_fail(p, VR_E_CONFLICT, "no_previous", NULL,
		    "assessment %" PRId64 " has no previous case to carry "
		    "answers from", rec[AS_ID].i);
	if ((prev = vr_record_new(&vr_assessment_resource)) == NULL)
		return vr_fail_oom(p);
	if ((e = vr_store_get(db, &vr_assessment_store,
	    rec[AS_PREVIOUS_ID].i, false, prev, p)) != VR_OK)
		goto out;
	for (k = 0; k < prev[AS_ANSWERS].n; k++) {
		a = prev[AS_ANSWERS].item[k].rec;
		mine = vr_sheet_answer(&rec[AS_ANSWERS], a[ANF_QUESTION].s);
		memset(&unfit, 0, sizeof(unfit));
		if ((q = vr_sheet_question(qs, a[ANF_QUESTION].s)) == NULL ||
		    !a[ANF_VALUE].present || a[ANF_VALUE].null ||
		    (mine != NULL && mine[ANF_VALUE].present &&
		    !mine[ANF_VALUE].null))
			continue;
		if ((item = vr_value_push(out)) == NULL ||
		    vr_value_copy(&answer_item, item,
		    &prev[AS_ANSWERS].item[k]) == -1) {
			e = vr_fail_oom(p);
			goto out;
		}
		if (vr_sheet_check_answer(q, &item->rec[ANF_VALUE], "value",
		    &unfit) != VR_OK) {
			vr_value_free(&answer_item, item);
			out->n--;
		}
	}
out:
	vr_record_free(&vr_assessment_resource, prev);
	return e;
}

static vr_err_e
save_body(vr_db_t *db, void *arg, vr_changes_t *cs, vr_problem_t *p)
{
	struct save_ctx		*w = arg;
	const vr_value_t	*wf, *qs, *q;
	vr_value_t		*before = NULL, *rec, *slot, *given;
	char			 now[32], path[VR_PROBLEM_FIELD_MAX],
				 item[VR_PROBLEM_FIELD_MAX];
	int64_t			 answered, required;
	unsigned		 may;
	size_t			 k;
	vr_err_e		 e, rc;

	if ((e = lock_case(db, w->id, &w->result, p)) != VR_OK ||
	    (e = questions_of(db, rec = w->result, &qs, NULL, p)) != VR_OK)
		return e;
	wf = vr_workflow_for("assessment", rec[AS_KIND].s);
	if (wf == NULL || (may = answering(wf, rec[AS_STATE].s)) == 0)
		return vr_fail(p, VR_E_CONFLICT, "not_answering", NULL,
		    "assessment %" PRId64 " is %s: its answers cannot change "
		    "now", w->id, rec[AS_STATE].s);
	if (!(w->who->roles & may))
		return vr_fail(p, VR_E_FORBIDDEN, "forbidden", NULL,
		    "your roles may not answer assessment %" PRId64 " while "
		    "it is %s", w->id, rec[AS_STATE].s);
	if (w->input == NULL || w->input == &w->carried) {
		if ((e = carry_forward(db, rec, qs, &w->carried, p)) != VR_OK)
			return e;
		w->input = &w->carried;
		/* Nothing to carry: no write (the caller answers the case). */
		if (w->carried.n == 0)
			return vr_fail(p, VR_E_CONFLICT, "nothing_to_carry",
			    NULL, "no previous answer is left to carry");
	}
	if ((before = vr_record_dup(&vr_assessment_resource, rec)) == NULL)
		return vr_fail_oom(p);
	iso_now(cs, now);
	/* Every answer is checked before any is kept: a 422 lists them all. */
	for (k = 0; k < w->input->n && !vr_problem_full(p); k++) {
		given = w->input->item[k].rec;
		vr_path_index(item, "answers", k);
		vr_path_member(path, item, "question");
		if ((q = vr_sheet_question(qs, given[ANF_QUESTION].s)) == NULL)
			e = vr_fail_more(p, VR_E_INVALID, "unknown_question",
			    path, "%s is not a question of this sheet",
			    given[ANF_QUESTION].s);
		else if (given[ANF_VALUE].present && !given[ANF_VALUE].null) {
			vr_path_member(path, item, "value");
			if ((rc = vr_sheet_check_answer(q, &given[ANF_VALUE],
			    path, p)) != VR_OK && e == VR_OK)
				e = rc;
			if (rc != VR_OK && rc != VR_E_INVALID)
				break;
		}
	}
	for (k = 0; k < w->input->n && e == VR_OK; k++) {
		given = w->input->item[k].rec;
		if ((slot = answer_slot(&rec[AS_ANSWERS],
		    given[ANF_QUESTION].s)) == NULL) {
			e = vr_fail_oom(p);
			break;
		}
		if (!answer_changes(slot, given))
			continue;
		if ((given[ANF_VALUE].present && vr_value_copy(
		    &vr_answer_resource.fields[ANF_VALUE], &slot[ANF_VALUE],
		    &given[ANF_VALUE]) == -1) ||
		    (given[ANF_NOTE].present && vr_value_copy(
		    &vr_answer_resource.fields[ANF_NOTE], &slot[ANF_NOTE],
		    &given[ANF_NOTE]) == -1) ||
		    (given[ANF_EVIDENCE].present && vr_value_copy(
		    &vr_answer_resource.fields[ANF_EVIDENCE],
		    &slot[ANF_EVIDENCE], &given[ANF_EVIDENCE]) == -1) ||
		    vr_value_set_str(&slot[ANF_ANSWERED_BY], w->who->user) == -1 ||
		    vr_value_set_str(&slot[ANF_ANSWERED_AT], now) == -1)
			e = vr_fail_oom(p);
	}
	if (e == VR_OK && sort_answers(qs, &rec[AS_ANSWERS]) == -1)
		e = vr_fail_oom(p);
	if (e == VR_OK) {
		vr_sheet_progress(qs, &rec[AS_ANSWERS], &answered, &required);
		vr_value_set_int(&rec[AS_ANSWERED], answered);
		vr_value_set_int(&rec[AS_REQUIRED], required);
		if ((e = vr_write_touch(&vr_assessment_store, rec, w->who, now,
		    p)) == VR_OK &&
		    (e = vr_store_update(db, &vr_assessment_store, before, rec,
		    p)) == VR_OK)
			e = vr_write_describe(cs, &vr_assessment_store,
			    w->input == &w->carried ?
			    "assessment.answers_carried_forward" :
			    "assessment.answers_saved", before, rec, p);
	}
	vr_record_free(&vr_assessment_resource, before);
	return e;
}

vr_err_e
vr_assessment_save_answers(vr_db_t *db, const vr_actor_t *who, int64_t id,
    vr_value_t *answers, vr_value_t **out, vr_problem_t *p)
{
	struct save_ctx	 w = { who, id, answers, NULL, { 0 } };
	vr_err_e	 e;

	e = vr_audit_write(db, who->user, who->request_id, save_body, &w, p);
	if (e == VR_E_CONFLICT && p->code != NULL &&
	    strcmp(p->code, "nothing_to_carry") == 0) {
		/* The case as it was read (nothing changed since). */
		vr_problem_clear(p);
		e = VR_OK;
	}
	if (e == VR_OK)
		*out = w.result;
	else
		vr_record_free(&vr_assessment_resource, w.result);
	vr_value_free(&answer_list, &w.carried);
	return e;
}

/* ---- transitions ------------------------------------------------------- */

/* What the assessment rules keep in a case (vr_case_t.ext). */
typedef struct case_ext {
	const vr_config_t	*cfg;
	const vr_value_t	*tpl;
	const vr_value_t	*questions;
	vr_value_t		*vendor;	/* loaded for update when needed */
	vr_value_t		*vendor_before;
	const char		*vendor_action;
	char			 token[33];	/* a vendor link issued */
} case_ext_t;

static case_ext_t *
ext(vr_case_t *c)
{
	return c->ext;
}

/* The case's vendor, locked for this transaction (loaded once). */
static vr_err_e
vendor_of(vr_case_t *c, vr_problem_t *p)
{
	case_ext_t	*x = ext(c);
	vr_err_e	 e;

	if (x->vendor != NULL)
		return VR_OK;
	if ((x->vendor = vr_record_new(&vr_vendor_resource)) == NULL)
		return vr_fail_oom(p);
	if ((e = vr_store_get(c->db, &vr_vendor_store, c->rec[AS_VENDOR_ID].i,
	    true, x->vendor, p)) != VR_OK)
		return e;
	if ((x->vendor_before = vr_record_dup(&vr_vendor_resource,
	    x->vendor)) == NULL)
		return vr_fail_oom(p);
	return VR_OK;
}

vr_err_e
vr_guard_all_required_answered(vr_case_t *c, vr_problem_t *p)
{
	/* Counted on every save of the answers, in its transaction. */
	int64_t	 answered = c->rec[AS_ANSWERED].i;
	int64_t	 required = c->rec[AS_REQUIRED].i;

	if (answered < required)
		return vr_fail(p, VR_E_INVALID, "unanswered", NULL, "%" PRId64
		    " of %" PRId64 " required questions are answered",
		    answered, required);
	return VR_OK;
}

vr_err_e
vr_guard_no_open_high_findings(vr_case_t *c, vr_problem_t *p)
{
	vr_store_query_t q;
	char		 id[VR_INT_TEXT_MAX];
	int64_t		 n;
	vr_err_e	 e;

	memset(&q, 0, sizeof(q));
	q.filters[0] = vr_int_text(id, c->rec[AS_ID].i);
	q.filters[2] = "open,in_progress";
	q.filters[3] = "high";
	if ((e = vr_store_count(c->db, &vr_finding_store, &q, &n, p)) !=
	    VR_OK)
		return e;
	if (n > 0)
		return vr_fail(p, VR_E_INVALID, "open_high_findings", NULL,
		    "%" PRId64 " high-severity finding%s open: resolve %s or "
		    "have an approver accept the risk", n, n == 1 ? " is" :
		    "s are", n == 1 ? "it" : "them");
	return VR_OK;
}

vr_err_e
vr_effect_issue_vendor_link(vr_case_t *c, vr_problem_t *p)
{
	case_ext_t	*x = ext(c);
	unsigned char	 r[16];
	char		 hash[65], until[32];
	size_t		 i;

	/* 128 random bits; only their SHA-256 is kept. */
	if (RAND_bytes(r, sizeof(r)) != 1)
		return vr_fail(p, VR_E_INTERNAL, "no_randomness", NULL,
		    "no random bytes for the vendor link");
	for (i = 0; i < sizeof(r); i++)
		snprintf(x->token + 2 * i, 3, "%02x", r[i]);
	vr_time_plus_days(c->now, x->cfg->vendor_link_days, until);
	if (vr_sha256_hex(x->token, strlen(x->token), hash) == -1 ||
	    vr_value_set_str(&c->rec[AS_LINK_HASH], hash) == -1 ||
	    vr_value_set_str(&c->rec[AS_LINK_EXPIRES_AT], until) == -1)
		return vr_fail_oom(p);
	return VR_OK;
}

vr_err_e
vr_effect_revoke_vendor_link(vr_case_t *c, vr_problem_t *p)
{
	(void)p;
	vr_value_set_null(&c->rec[AS_LINK_HASH]);
	vr_value_set_null(&c->rec[AS_LINK_EXPIRES_AT]);
	return VR_OK;
}

vr_err_e
vr_effect_score_assessment(vr_case_t *c, vr_problem_t *p)
{
	vr_value_t	*scores = &c->rec[AS_SECTION_SCORES];
	int64_t		 overall;

	vr_value_free(&vr_assessment_resource.fields[AS_SECTION_SCORES],
	    scores);
	if (vr_sheet_score(ext(c)->tpl, c->rec[AS_TIER].s, &c->rec[AS_ANSWERS],
	    scores, &overall) == -1)
		return vr_fail_oom(p);
	if (overall < 0)
		vr_value_set_null(&c->rec[AS_SCORE]);
	else
		vr_value_set_int(&c->rec[AS_SCORE], overall);
	return VR_OK;
}

/* One automatic finding: question q failed with answer a. */
static vr_err_e
raise_finding(vr_case_t *c, const vr_value_t *q, const vr_value_t *a,
    vr_problem_t *p)
{
	vr_value_t	*f;
	vr_buf_t	 said = { 0 }, desc = { 0 };
	vr_err_e	 e;

	if ((f = vr_record_new(&vr_finding_resource)) == NULL)
		return vr_fail_oom(p);
	/* Whole texts: a cut could fall inside a character. */
	if (vr_buf_printf(&desc, "%s: %s", q[TQF_CODE].s,
	    q[TQF_TEXT].rec[LF_JA].s) == -1) {
		e = vr_fail_oom(p);
		goto out;
	}
	vr_value_set_int(&f[FF_ASSESSMENT_ID], c->rec[AS_ID].i);
	vr_value_set_int(&f[FF_VENDOR_ID], c->rec[AS_VENDOR_ID].i);
	if (vr_json_encode_value(&vr_answer_resource.fields[ANF_VALUE],
	    &a[ANF_VALUE], &said) != VR_OK ||
	    vr_buf_append(&said, "", 1) == -1 ||
	    vr_value_set_str(&f[FF_QUESTION], q[TQF_CODE].s) == -1 ||
	    vr_value_set_str(&f[FF_ANSWER], said.data) == -1 ||
	    vr_value_set_str(&f[FF_SOURCE], "mandatory_control") == -1 ||
	    vr_value_set_str(&f[FF_SEVERITY], q[TQF_SEVERITY].s) == -1 ||
	    vr_value_set_str(&f[FF_DESCRIPTION], desc.data) == -1) {
		e = vr_fail_oom(p);
		goto out;
	}
	if ((e = vr_write_prepare_new(c->db, &vr_finding_store, c->who, f,
	    c->now, p)) != VR_OK ||
	    (e = vr_store_insert(c->db, &vr_finding_store, f, p)) != VR_OK)
		goto out;
	e = vr_write_describe(c->changes, &vr_finding_store,
	    vr_finding_store.sql->created, NULL, f, p);
out:
	vr_buf_free(&said);
	vr_buf_free(&desc);
	vr_record_free(&vr_finding_resource, f);
	return e;
}

vr_err_e
vr_effect_create_mandatory_findings(vr_case_t *c, vr_problem_t *p)
{
	const vr_value_t	*qs = ext(c)->questions, *q, *a;
	size_t			 k;
	vr_err_e		 e;

	for (k = 0; k < qs->n; k++) {
		q = qs->item[k].rec;
		if (!q[TQF_MANDATORY].present || !q[TQF_MANDATORY].i)
			continue;
		a = vr_sheet_answer(&c->rec[AS_ANSWERS], q[TQF_CODE].s);
		if (a != NULL && vr_sheet_answer_score(q, &a[ANF_VALUE]) == 0 &&
		    (e = raise_finding(c, q, a, p)) != VR_OK)
			return e;
	}
	return VR_OK;
}

vr_err_e
vr_effect_vendor_approve(vr_case_t *c, vr_problem_t *p)
{
	vr_value_t	*v;
	vr_err_e	 e;

	if ((e = vendor_of(c, p)) != VR_OK)
		return e;
	v = ext(c)->vendor;
	/* An admin's suspension or termination is not undone by a case. */
	if (vr_value_is(&v[VF_STATUS], "suspended") ||
	    vr_value_is(&v[VF_STATUS], "terminated"))
		return vr_fail(p, VR_E_CONFLICT, "vendor_not_approvable", NULL,
		    "vendor %" PRId64 " is %s: it cannot be approved",
		    v[VF_ID].i, v[VF_STATUS].s);
	if (vr_value_set_str(&v[VF_STATUS], "approved") == -1)
		return vr_fail_oom(p);
	/* Reviewed only if this case asked what the vendor's tier asks. */
	if (tier_index(c->rec[AS_TIER].s) <= tier_index(v[VF_TIER].s))
		vr_value_set_int(&v[VF_NEEDS_REVIEW], 0);
	ext(c)->vendor_action = "vendor.approved";
	return VR_OK;
}

/*
 * The next audit, the tier's interval on: from the cycle a scheduled
 * audit was for, so the dates keep their rhythm, unless that is already
 * past (an audit done very late), then from today, as for a case
 * without a cycle (onboarding, an extra audit).
 */
vr_err_e
vr_effect_schedule_next_audit(vr_case_t *c, vr_problem_t *p)
{
	case_ext_t	*x = ext(c);
	unsigned	 months;
	char		 today[11], due[11];
	vr_err_e	 e;

	if ((e = vendor_of(c, p)) != VR_OK)
		return e;
	months = x->cfg->audit_months[tier_index(x->vendor[VF_TIER].s)];
	vr_date_of_time(c->now, today);
	due[0] = '\0';
	if (c->rec[AS_CYCLE].present && !c->rec[AS_CYCLE].null)
		vr_date_plus_months(c->rec[AS_CYCLE].s, months, due);
	if (strcmp(due, today) <= 0)
		vr_date_plus_months(today, months, due);
	if (vr_value_set_str(&x->vendor[VF_NEXT_AUDIT_DUE], due) == -1)
		return vr_fail_oom(p);
	if (x->vendor_action == NULL)
		x->vendor_action = "vendor.audit_scheduled";
	return VR_OK;
}

/* A failed audit suspends the vendor (an admin may lift it by PATCH). */
vr_err_e
vr_effect_vendor_suspend(vr_case_t *c, vr_problem_t *p)
{
	case_ext_t	*x = ext(c);
	vr_err_e	 e;

	if ((e = vendor_of(c, p)) != VR_OK)
		return e;
	if (vr_value_is(&x->vendor[VF_STATUS], "terminated"))
		return VR_OK;
	if (vr_value_set_str(&x->vendor[VF_STATUS], "suspended") == -1)
		return vr_fail_oom(p);
	x->vendor_action = "vendor.suspended";
	return VR_OK;
}

static void
ext_free(case_ext_t *x)
{
	vr_record_free(&vr_vendor_resource, x->vendor);
	vr_record_free(&vr_vendor_resource, x->vendor_before);
	x->vendor = x->vendor_before = NULL;
}

/* Loads what the rules decide on: the template and the questions. */
static vr_err_e
case_open(vr_case_t *c, vr_problem_t *p)
{
	case_ext_t	*x = ext(c);

	x->cfg = vr_workflow_config();
	return questions_of(c->db, c->rec, &x->questions, &x->tpl, p);
}

/* Writes the vendor when an effect changed it. */
static vr_err_e
case_finish(vr_case_t *c, vr_problem_t *p)
{
	case_ext_t	*x = ext(c);
	vr_err_e	 e;

	if (x->vendor == NULL || x->vendor_action == NULL)
		return VR_OK;
	if ((e = vr_write_touch(&vr_vendor_store, x->vendor, c->who, c->now, p)) !=
	    VR_OK || (e = vr_store_update(c->db, &vr_vendor_store,
	    x->vendor_before, x->vendor, p)) != VR_OK ||
	    (e = vr_write_describe(c->changes, &vr_vendor_store,
	    x->vendor_action, x->vendor_before, x->vendor, p)) != VR_OK)
		return e;
	/* As when an admin suspends it: what is below it is flagged. */
	return vr_subcontract_vendor_written(c->db, c->who, x->vendor,
	    x->vendor_before, c->changes, c->now, p);
}

static void
case_release(vr_case_t *c)
{
	ext_free(ext(c));
}

const vr_case_type_t vr_assessment_case = {
	.store = &vr_assessment_store, .kind_field = AS_KIND,
	.state_field = AS_STATE, .requested_field = AS_REQUESTED_BY,
	.reviewed_field = AS_REVIEWED_BY, .decided_field = AS_DECIDED_BY,
	.ext_size = sizeof(case_ext_t),
	.open = case_open, .finish = case_finish, .release = case_release,
};

vr_err_e
vr_assessment_fire(vr_db_t *db, const vr_actor_t *who, int64_t id,
    const char *action, int64_t version, const char *comment,
    vr_value_t **out, char token[33], vr_problem_t *p)
{
	case_ext_t	 x;
	vr_err_e	 e;

	e = vr_case_fire(db, &vr_assessment_case, who, id, action, version,
	    comment, &x, sizeof(x), out, p);
	memcpy(token, e == VR_OK ? x.token : "", e == VR_OK ?
	    sizeof(x.token) : 1);
	return e;
}

vr_err_e
vr_assessment_by_token(vr_db_t *db, const char *token, int64_t *id,
    vr_problem_t *p)
{
	vr_value_t	*rec = NULL;
	char		 hash[65], now[32], at[27];
	vr_err_e	 e;

	/* One answer for wrong, expired and used tokens: a probe learns
	 * nothing from it. */
	if (strlen(token) != 32 || strspn(token, "0123456789abcdef") != 32 ||
	    vr_sha256_hex(token, strlen(token), hash) == -1)
		goto gone;
	if ((e = vr_store_find_by(db, &vr_assessment_store, hash, &rec,
	    p)) != VR_OK) {
		if (e != VR_E_NOT_FOUND)
			return e;
		goto gone;
	}
	vr_db_now(at);
	snprintf(now, sizeof(now), "%.10sT%sZ", at, at + 11);
	if (!rec[AS_LINK_EXPIRES_AT].present || rec[AS_LINK_EXPIRES_AT].null ||
	    strcmp(rec[AS_LINK_EXPIRES_AT].s, now) <= 0)
		goto gone;
	*id = rec[AS_ID].i;
	vr_record_free(&vr_assessment_resource, rec);
	return VR_OK;
gone:
	vr_record_free(&vr_assessment_resource, rec);
	vr_problem_clear(p);
	return vr_fail(p, VR_E_NOT_FOUND, "no_such_link", NULL,
	    "this link is not valid: it may have expired or been used");
}

