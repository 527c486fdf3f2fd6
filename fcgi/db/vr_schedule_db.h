/*
 * vr_schedule_db: what the scheduler reads (what is due) and the notices
 * it takes, each at most once.  "Once" is a unique key of vr_notices and
 * "one audit per cycle" one of vr_assessments: both are enforced by the
 * database, so they hold for runs in several processes and on several
 * Galera nodes too (tests/galera), where GET_LOCK and FOR UPDATE would
 * lock one node only.
 */
#ifndef VR_SCHEDULE_DB_H
#define VR_SCHEDULE_DB_H

#include "vr_db.h"

/* One thing that is due: a record's id, its date or time, and a word. */
typedef struct vr_due {
	int64_t		 id;
	char		 when[32];	/* date, or ISO UTC time */
	char		 what[81];	/* a state, status or link hash */
} vr_due_t;

typedef struct vr_due_list {
	vr_due_t	*items;
	size_t		 n, cap;
} vr_due_list_t;

void		 vr_due_list_free(vr_due_list_t *);

/* Approved vendors whose next_audit_due is on or before date and whose
 * audit for that cycle is not open yet: id, next_audit_due. */
vr_err_e	 vr_sched_vendors_due(vr_db_t *, const char *date,
		    vr_due_list_t *, vr_problem_t *);
/* Cases with a live link expiring after from, on or before to (ISO UTC):
 * id, link_expires_at, link_hash. */
vr_err_e	 vr_sched_links_expiring(vr_db_t *, const char *from,
		    const char *to, vr_due_list_t *, vr_problem_t *);
/* Cases with a cycle before date in none of the states listed (comma
 * list): id, cycle, state. */
vr_err_e	 vr_sched_cycles_late(vr_db_t *, const char *date,
		    const char *finished, vr_due_list_t *, vr_problem_t *);
/* Findings open or in progress due on or before date: id, due_date,
 * status. */
vr_err_e	 vr_sched_findings_due(vr_db_t *, const char *date,
		    vr_due_list_t *, vr_problem_t *);

/* Certifications of vendors not terminated expiring on or before date:
 * the vendor's id, expires_on, "kind:number". */
vr_err_e	 vr_sched_certs_expiring(vr_db_t *, const char *date,
		    vr_due_list_t *, vr_problem_t *);

/* Reports of reportable incidents not made yet, due on or before date,
 * in none of the states listed: id, the due date, "preliminary" or
 * "final". */
vr_err_e	 vr_sched_reports_due(vr_db_t *, const char *date,
		    const char *finished, vr_due_list_t *, vr_problem_t *);

/*
 * Takes the notice (entity, id, notice, step): VR_OK the first time,
 * VR_E_CONFLICT "duplicate" when it was taken before (by any process).
 * Inside the caller's write transaction, so it is taken only if the
 * event it raises commits.
 */
vr_err_e	 vr_notice_take(vr_db_t *, const char *entity, int64_t id,
		    const char *notice, const char *step, vr_problem_t *);
/* Whether it was taken (a dry run asks). */
vr_err_e	 vr_notice_taken(vr_db_t *, const char *entity, int64_t id,
		    const char *notice, const char *step, bool *taken,
		    vr_problem_t *);

#endif
