/*
 * vr_stats: the counts of GET /stats and the caller of GET /me (see
 * vr_stats.h).  The database groups and counts; this file picks the
 * windows (as_of, its months, the ages) and the order of the groups
 * (the field tables' enums), and turns the rows into records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/vr_buf.h"
#include "../core/vr_config.h"
#include "../core/vr_date.h"
#include "../db/vr_stats_db.h"
#include "../model/vr_model.h"
#include "vr_stats.h"
#include "vr_tier.h"

/* The days as_of may be (vr_stats.h); compared as text, being dates. */
#define AS_OF_FIRST	"1001-01-01"
#define AS_OF_LAST	"9997-12-31"

/* The last day of each age of vr_finding_ages but the last (181+). */
static const int age_upto[] = { 30, 90, 180 };

/* values (an enum's, the order of the groups) as one comma list (for FIND_IN_SET): 0, or -1 (no memory). */
static int
comma_list(vr_buf_t *b, const char *const *values)
{
	size_t	 k;

	for (k = 0; values[k] != NULL; k++)
		if ((k > 0 && vr_buf_puts(b, ",") == -1) ||
		    vr_buf_puts(b, values[k]) == -1)
			return -1;
	return 0;
}

/* Appends a record to the list field f of stats; NULL: no memory. */
static vr_value_t *
push(vr_value_t *stats, int f)
{
	vr_value_t	*item;

	if ((item = vr_value_push(&stats[f])) == NULL)
		return NULL;
	return vr_value_set_record(vr_stats_resource.fields[f].items, item);
}

static vr_err_e
vendors(vr_db_t *db, vr_value_t *stats, vr_problem_t *p)
{
	vr_buf_t	 tiers = { 0 }, statuses = { 0 };
	vr_stat_rows_t	 rows = { 0 };
	vr_value_t	*g;
	size_t		 k;
	vr_err_e	 e;

	if (comma_list(&tiers, vr_tiers) == -1 ||
	    comma_list(&statuses, vr_vendor_statuses) == -1) {
		e = vr_fail_oom(p);
		goto out;
	}
	if ((e = vr_stats_vendors(db, tiers.data, statuses.data, &rows,
	    p)) != VR_OK)
		goto out;
	for (k = 0; k < rows.n && e == VR_OK; k++)
		if ((g = push(stats, STATS_VENDORS)) == NULL ||
		    vr_value_set_str(&g[STATS_V_TIER],
		    rows.items[k].key[0]) == -1 ||
		    vr_value_set_str(&g[STATS_V_STATUS],
		    rows.items[k].key[1]) == -1)
			e = vr_fail_oom(p);
		else
			vr_value_set_int(&g[STATS_V_COUNT], rows.items[k].n[0]);
out:
	vr_buf_free(&tiers);
	vr_buf_free(&statuses);
	vr_stat_rows_free(&rows);
	return e;
}

/* The months from 12 before as_of's to 12 after it. */
static vr_err_e
audits(vr_db_t *db, const char *as_of, vr_value_t *stats, vr_problem_t *p)
{
	vr_stat_rows_t	 rows = { 0 };
	vr_value_t	*g;
	char		 first[11], from[11], to[11];
	size_t		 k;
	vr_err_e	 e;

	snprintf(first, sizeof(first), "%.8s01", as_of);
	/* as_of's year is 1001 to 9997 (AS_OF_FIRST, AS_OF_LAST). */
	snprintf(from, sizeof(from), "%04u%.6s",
	    (unsigned)(atoi(as_of) - 1) % 10000u, first + 4);
	vr_date_plus_months(first, 13, to);
	if ((e = vr_stats_audits(db, from, to, as_of, &rows, p)) != VR_OK)
		goto out;
	for (k = 0; k < rows.n && e == VR_OK; k++)
		if ((g = push(stats, STATS_AUDITS)) == NULL ||
		    vr_value_set_str(&g[STATS_A_MONTH],
		    rows.items[k].key[0]) == -1)
			e = vr_fail_oom(p);
		else {
			vr_value_set_int(&g[STATS_A_DUE], rows.items[k].n[0]);
			vr_value_set_int(&g[STATS_A_OVERDUE],
			    rows.items[k].n[1]);
		}
out:
	vr_stat_rows_free(&rows);
	return e;
}

/* Ages count whole Tokyo days: since[k] is 00:00 JST age_upto[k] days back. */
static vr_err_e
findings(vr_db_t *db, const char *as_of, vr_value_t *stats, vr_problem_t *p)
{
	vr_buf_t	 severities = { 0 };
	vr_stat_rows_t	 rows = { 0 };
	vr_value_t	*g;
	char		 since[3][32], end[32], day[11];
	const char	*const s[3] = { since[0], since[1], since[2] };
	size_t		 k;
	vr_err_e	 e = VR_OK;

	for (k = 0; k < 3; k++) {
		vr_date_plus_days(as_of, -age_upto[k], day);
		vr_time_of_date(day, since[k]);
	}
	vr_date_plus_days(as_of, 1, day);
	vr_time_of_date(day, end);
	if (comma_list(&severities, vr_severities) == -1) {
		e = vr_fail_oom(p);
		goto out;
	}
	if ((e = vr_stats_findings(db, s, end, severities.data, &rows,
	    p)) != VR_OK)
		goto out;
	for (k = 0; k < rows.n && e == VR_OK; k++)
		if (rows.items[k].n[0] < 0 || rows.items[k].n[0] > 3)
			e = vr_fail(p, VR_E_INTERNAL, "internal", NULL,
			    "finding age %lld out of range",
			    (long long)rows.items[k].n[0]);
		else if ((g = push(stats, STATS_FINDINGS)) == NULL ||
		    vr_value_set_str(&g[STATS_F_SEVERITY],
		    rows.items[k].key[0]) == -1 ||
		    vr_value_set_str(&g[STATS_F_AGE],
		    vr_finding_ages[rows.items[k].n[0]]) == -1)
			e = vr_fail_oom(p);
		else
			vr_value_set_int(&g[STATS_F_COUNT], rows.items[k].n[1]);
out:
	vr_buf_free(&severities);
	vr_stat_rows_free(&rows);
	return e;
}

vr_err_e
vr_stats_get(vr_db_t *db, const char *as_of, vr_value_t *stats,
    vr_problem_t *p)
{
	char		 day[11], at[27], now[32];
	vr_err_e	 e = VR_OK;

	if (as_of != NULL && (!vr_date_valid(as_of) ||
	    strcmp(as_of, AS_OF_FIRST) < 0 || strcmp(as_of, AS_OF_LAST) > 0)) {
		e = vr_fail(p, VR_E_MALFORMED, "invalid_parameter", "as_of",
		    "as_of must be a date YYYY-MM-DD from " AS_OF_FIRST
		    " to " AS_OF_LAST);
		goto out;
	}
	if (as_of != NULL)
		snprintf(day, sizeof(day), "%s", as_of);
	else {
		vr_db_now(at);
		snprintf(now, sizeof(now), "%.10sT%sZ", at, at + 11);
		vr_date_of_time(now, day);
	}
	if (vr_value_set_str(&stats[STATS_AS_OF], day) == -1) {
		e = vr_fail_oom(p);
		goto out;
	}
	/* Lists with no group are [] (or an empty element), not absent. */
	stats[STATS_VENDORS].present = stats[STATS_AUDITS].present =
	    stats[STATS_FINDINGS].present = true;
	if ((e = vendors(db, stats, p)) == VR_OK &&
	    (e = audits(db, day, stats, p)) == VR_OK)
		e = findings(db, day, stats, p);
out:
	return e;
}

vr_err_e
vr_me_get(const vr_actor_t *who, vr_value_t *me, vr_problem_t *p)
{
	vr_value_t	*r;
	const char	*name;
	unsigned	 bit;
	vr_err_e	 e = VR_OK;

	if (who->user != NULL && vr_value_set_str(&me[ME_USER],
	    who->user) == -1)
		e = vr_fail_oom(p);
	me[ME_ROLES].present = true;
	/* The role bits in their order; VR_ROLE_ANY has no gap. */
	for (bit = 1; e == VR_OK && (bit & VR_ROLE_ANY) != 0; bit <<= 1)
		if ((who->roles & bit) != 0 &&
		    (name = vr_role_name((vr_role_e)bit)) != NULL &&
		    ((r = vr_value_push(&me[ME_ROLES])) == NULL ||
		    vr_value_set_str(r, name) == -1))
			e = vr_fail_oom(p);
	return e;
}
