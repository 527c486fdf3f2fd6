/*
 * vr_stats_db: the statements of GET /stats (see vr_stats_db.h).  Each
 * is one prepared statement that groups in the database; the groups'
 * order comes from the field tables, given as comma lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vr_stats_db.h"

/* A scan of the register, which holds hundreds or thousands of rows. */
static const char sql_vendors[] =
    "SELECT tier, status, COUNT(*), 0 FROM vr_vendors"
    " GROUP BY tier, status"
    " ORDER BY FIND_IN_SET(tier, ?), FIND_IN_SET(status, ?), tier, status";

/* Uses vr_vendors_audit_due (status, next_audit_due, id). */
static const char sql_audits[] =
    "SELECT DATE_FORMAT(next_audit_due, '%Y-%m') AS month, '', COUNT(*),"
    " SUM(next_audit_due < ?) FROM vr_vendors"
    " WHERE status = 'approved' AND next_audit_due >= ?"
    " AND next_audit_due < ?"
    " GROUP BY month ORDER BY month";

/* Uses vr_findings_status (status, id). */
static const char sql_findings[] =
    "SELECT severity, '', CASE WHEN created_at >= ? THEN 0"
    " WHEN created_at >= ? THEN 1 WHEN created_at >= ? THEN 2 ELSE 3 END"
    " AS age, COUNT(*) FROM vr_findings"
    " WHERE status IN ('open', 'in_progress') AND created_at < ?"
    " GROUP BY severity, age"
    " ORDER BY FIND_IN_SET(severity, ?), severity, age";

void
vr_stat_rows_free(vr_stat_rows_t *l)
{
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* key, key, count, count. */
static int
stat_row(void *arg, const char *const *c, const unsigned long *len,
    unsigned n)
{
	vr_stat_rows_t	*l = arg;
	vr_stat_row_t	*r, *grown;
	size_t		 cap, k;

	(void)len;
	if (n != 4 || c[2] == NULL)
		return -1;
	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 16;
		if ((grown = realloc(l->items, cap * sizeof(*grown))) == NULL)
			return -1;
		l->items = grown;
		l->cap = cap;
	}
	r = &l->items[l->n++];
	for (k = 0; k < 2; k++) {
		snprintf(r->key[k], sizeof(r->key[k]), "%s",
		    c[k] != NULL ? c[k] : "");
		r->n[k] = c[k + 2] != NULL ? strtoll(c[k + 2], NULL, 10) : 0;
	}
	return 0;
}

vr_err_e
vr_stats_vendors(vr_db_t *db, const char *tiers, const char *statuses,
    vr_stat_rows_t *l, vr_problem_t *p)
{
	const vr_db_arg_t	 a[] = { VR_ARG_S(tiers), VR_ARG_S(statuses) };

	return vr_db_exec(db, sql_vendors, a, 2, stat_row, l, NULL, NULL, p);
}

vr_err_e
vr_stats_audits(vr_db_t *db, const char *from, const char *to,
    const char *as_of, vr_stat_rows_t *l, vr_problem_t *p)
{
	const vr_db_arg_t	 a[] = { VR_ARG_S(as_of), VR_ARG_S(from),
	    VR_ARG_S(to) };

	return vr_db_exec(db, sql_audits, a, 3, stat_row, l, NULL, NULL, p);
}

vr_err_e
vr_stats_findings(vr_db_t *db, const char *const since[3], const char *end,
    const char *severities, vr_stat_rows_t *l, vr_problem_t *p)
{
	char			 t[4][VR_DB_TIME_MAX];
	const vr_db_arg_t	 a[] = { VR_ARG_S(t[0]), VR_ARG_S(t[1]),
	    VR_ARG_S(t[2]), VR_ARG_S(t[3]), VR_ARG_S(severities) };
	size_t			 k;

	for (k = 0; k < 3; k++)
		vr_db_time(since[k], t[k]);
	vr_db_time(end, t[3]);
	return vr_db_exec(db, sql_findings, a, 5, stat_row, l, NULL, NULL, p);
}
