/*
 * vr_schedule_db: the scheduler's statements (see vr_schedule_db.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vr_schedule_db.h"

static const char sql_vendors_due[] =
    "SELECT v.id, v.next_audit_due, '' FROM vr_vendors v"
    " WHERE v.status = 'approved' AND v.next_audit_due <= ?"
    " AND NOT EXISTS (SELECT 1 FROM vr_assessments a"
    " WHERE a.vendor_id = v.id AND a.kind = 'periodic_audit'"
    " AND a.cycle = v.next_audit_due)"
    " ORDER BY v.id";

static const char sql_links_expiring[] =
    "SELECT id, link_expires_at, link_hash FROM vr_assessments"
    " WHERE link_hash IS NOT NULL AND link_expires_at > ?"
    " AND link_expires_at <= ? ORDER BY id";

static const char sql_cycles_late[] =
    "SELECT id, cycle, state FROM vr_assessments"
    " WHERE cycle IS NOT NULL AND cycle < ?"
    " AND FIND_IN_SET(state, ?) = 0 ORDER BY id";

static const char sql_findings_due[] =
    "SELECT id, due_date, status FROM vr_findings"
    " WHERE status IN ('open', 'in_progress') AND due_date IS NOT NULL"
    " AND due_date <= ? ORDER BY id";

static const char sql_reports_due[] =
    "SELECT id, preliminary_due, 'preliminary' FROM vr_incidents"
    " WHERE reportable = 1 AND preliminary_reported_on IS NULL"
    " AND final_reported_on IS NULL AND preliminary_due <= ?"
    " AND FIND_IN_SET(state, ?) = 0"
    " UNION ALL SELECT id, final_due, 'final' FROM vr_incidents"
    " WHERE reportable = 1 AND final_reported_on IS NULL"
    " AND final_due <= ? AND FIND_IN_SET(state, ?) = 0"
    " ORDER BY 1, 3 DESC";

/* The certifications of vendors not terminated, from their JSON list. */
static const char sql_certs_expiring[] =
    "SELECT v.id, c.expires_on, CONCAT(c.kind, ':', COALESCE(c.number, ''))"
    " FROM vr_vendors v, JSON_TABLE(v.certifications, '$[*]' COLUMNS ("
    " kind VARCHAR(16) PATH '$.kind', number VARCHAR(64) PATH '$.number',"
    " expires_on DATE PATH '$.expires_on')) c"
    " WHERE v.certifications IS NOT NULL AND v.status <> 'terminated'"
    " AND c.expires_on <= ? ORDER BY v.id, c.expires_on";

static const char sql_notice_take[] =
    "INSERT INTO vr_notices (entity, entity_id, notice, step, created_at)"
    " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6))";

static const char sql_notice_taken[] =
    "SELECT COUNT(*) FROM vr_notices WHERE entity = ? AND entity_id = ?"
    " AND notice = ? AND step = ?";

void
vr_due_list_free(vr_due_list_t *l)
{
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* id, a DATE or DATETIME (made ISO UTC), a word. */
static int
due_row(void *arg, const char *const *c, const unsigned long *len,
    unsigned n)
{
	vr_due_list_t	*l = arg;
	vr_due_t	*d, *grown;
	size_t		 cap;

	(void)len;
	if (n != 3 || c[0] == NULL || c[1] == NULL)
		return -1;
	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 64;
		if ((grown = realloc(l->items, cap * sizeof(*grown))) == NULL)
			return -1;
		l->items = grown;
		l->cap = cap;
	}
	d = &l->items[l->n++];
	d->id = strtoll(c[0], NULL, 10);
	if (strlen(c[1]) > 10)		/* "YYYY-MM-DD HH:MM:SS[.f]" */
		snprintf(d->when, sizeof(d->when), "%.10sT%sZ", c[1], c[1] + 11);
	else
		snprintf(d->when, sizeof(d->when), "%s", c[1]);
	snprintf(d->what, sizeof(d->what), "%s", c[2] != NULL ? c[2] : "");
	return 0;
}

vr_err_e
vr_sched_vendors_due(vr_db_t *db, const char *date, vr_due_list_t *l,
    vr_problem_t *p)
{
	const vr_db_arg_t	 a[] = { VR_ARG_S(date) };

	return vr_db_exec(db, sql_vendors_due, a, 1, due_row, l, NULL, NULL,
	    p);
}

vr_err_e
vr_sched_links_expiring(vr_db_t *db, const char *from, const char *to,
    vr_due_list_t *l, vr_problem_t *p)
{
	char			 f[VR_DB_TIME_MAX], t[VR_DB_TIME_MAX];
	const vr_db_arg_t	 a[] = { VR_ARG_S(f), VR_ARG_S(t) };

	vr_db_time(from, f);
	vr_db_time(to, t);
	return vr_db_exec(db, sql_links_expiring, a, 2, due_row, l, NULL,
	    NULL, p);
}

vr_err_e
vr_sched_cycles_late(vr_db_t *db, const char *date, const char *finished,
    vr_due_list_t *l, vr_problem_t *p)
{
	const vr_db_arg_t	 a[] = { VR_ARG_S(date), VR_ARG_S(finished) };

	return vr_db_exec(db, sql_cycles_late, a, 2, due_row, l, NULL, NULL,
	    p);
}

vr_err_e
vr_sched_findings_due(vr_db_t *db, const char *date, vr_due_list_t *l,
    vr_problem_t *p)
{
	const vr_db_arg_t	 a[] = { VR_ARG_S(date) };

	return vr_db_exec(db, sql_findings_due, a, 1, due_row, l, NULL, NULL,
	    p);
}

vr_err_e
vr_sched_certs_expiring(vr_db_t *db, const char *date, vr_due_list_t *l,
    vr_problem_t *p)
{
	const vr_db_arg_t	 a[] = { VR_ARG_S(date) };

	return vr_db_exec(db, sql_certs_expiring, a, 1, due_row, l, NULL, NULL,
	    p);
}

vr_err_e
vr_sched_reports_due(vr_db_t *db, const char *date, const char *finished,
    vr_due_list_t *l, vr_problem_t *p)
{
	const vr_db_arg_t	 a[] = { VR_ARG_S(date), VR_ARG_S(finished),
	    VR_ARG_S(date), VR_ARG_S(finished) };

	return vr_db_exec(db, sql_reports_due, a, 4, due_row, l, NULL, NULL,
	    p);
}

vr_err_e
vr_notice_take(vr_db_t *db, const char *entity, int64_t id,
    const char *notice, const char *step, vr_problem_t *p)
{
	const vr_db_arg_t	 a[] = { VR_ARG_S(entity), VR_ARG_I(id),
	    VR_ARG_S(notice), VR_ARG_S(step) };

	return vr_db_exec(db, sql_notice_take, a, 4, NULL, NULL, NULL, NULL,
	    p);
}

vr_err_e
vr_notice_taken(vr_db_t *db, const char *entity, int64_t id,
    const char *notice, const char *step, bool *taken, vr_problem_t *p)
{
	const vr_db_arg_t	 a[] = { VR_ARG_S(entity), VR_ARG_I(id),
	    VR_ARG_S(notice), VR_ARG_S(step) };
	int64_t			 n = 0;
	vr_err_e		 e;

	e = vr_db_exec(db, sql_notice_taken, a, 4, vr_db_count_row, &n, NULL,
	    NULL, p);
	*taken = n > 0;
	return e;
}
