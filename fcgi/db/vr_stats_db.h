/*
 * vr_stats_db: the counts of GET /stats, each one grouped statement run
 * by the database (GROUP BY), never rows counted here.  Read-only: no
 * transaction, no audit row, no event.
 */
#ifndef VR_STATS_DB_H
#define VR_STATS_DB_H

#include "vr_db.h"

/* One group: its keys and its counts, as the statement says. */
typedef struct vr_stat_row {
	char		 key[2][33];	/* "" past the keys it has */
	int64_t		 n[2];
} vr_stat_row_t;

typedef struct vr_stat_rows {
	vr_stat_row_t	*items;
	size_t		 n, cap;
} vr_stat_rows_t;

void		 vr_stat_rows_free(vr_stat_rows_t *);

/*
 * Every vendor by tier and status: key tier, status; n[0] the count.
 * In the order of tiers, then of statuses (comma lists).
 */
vr_err_e	 vr_stats_vendors(vr_db_t *, const char *tiers,
		    const char *statuses, vr_stat_rows_t *, vr_problem_t *);
/*
 * Approved vendors whose next_audit_due is on or after from and before
 * to (dates), by its month: key[0] "YYYY-MM"; n[0] the vendors, n[1]
 * those due before as_of.  In month order.
 */
vr_err_e	 vr_stats_audits(vr_db_t *, const char *from, const char *to,
		    const char *as_of, vr_stat_rows_t *, vr_problem_t *);
/*
 * Findings open or in_progress created before end (ISO UTC), by
 * severity and age: key[0] the severity; n[0] the age, 0 for those
 * created at or after since[0], 1 since[1], 2 since[2] (ISO UTC, each
 * older than the one before), 3 for older ones; n[1] the count.  In
 * the order of severities (comma list), then of ages.
 */
vr_err_e	 vr_stats_findings(vr_db_t *, const char *const since[3],
		    const char *end, const char *severities, vr_stat_rows_t *,
		    vr_problem_t *);

#endif
