/*
 * vr_stats: the read-only views the web pages draw from: the counts of
 * GET /stats, each grouped by the database (db/vr_stats_db.h), and the
 * caller of GET /me.  Nothing here writes: no audit row, no event.
 */
#ifndef VR_STATS_H
#define VR_STATS_H

#include "../db/vr_audit.h"

/*
 * Fills stats (a record of vr_stats_resource) for the Tokyo date as_of
 * (NULL: today).  An as_of that is not a date YYYY-MM-DD from
 * 1001-01-01 to 9997-12-31 (so that its windows stay dates MariaDB
 * keeps) is VR_E_MALFORMED "invalid_parameter" naming as_of, the query
 * parameter it comes from.  The three counts are three statements, not
 * one snapshot: a write between them may show in one and not another.
 */
vr_err_e	 vr_stats_get(vr_db_t *, const char *as_of, vr_value_t *stats,
		    vr_problem_t *);

/*
 * Fills me (a record of vr_me_resource) with who's user and the names
 * of its roles, in the order of vr_role_e.
 */
vr_err_e	 vr_me_get(const vr_actor_t *who, vr_value_t *me,
		    vr_problem_t *);

#endif
