/*
 * vr_schedule: one run of the scheduler (vendor-review schedule, POST
 * /schedule/run).  It opens a periodic audit for every approved vendor
 * whose next_audit_due has come, and raises, each once, reminders before
 * a vendor link expires and before a remediation is due, and escalations
 * for audits and remediations that are overdue.  Run it as often as you
 * like: nothing is opened or raised twice, also by runs at the same time
 * in other processes, by unique keys meant to hold on Galera too
 * (vr_schedule_db.h).
 */
#ifndef VR_SCHEDULE_H
#define VR_SCHEDULE_H

#include "../core/vr_config.h"
#include "../db/vr_audit.h"

/*
 * Runs for the Tokyo date as_of (YYYY-MM-DD; NULL: today) as who (the
 * audits are opened in their name; an admin).  dry_run reports what
 * would be done and writes nothing.  report is a record of
 * vr_schedule_report_resource.  Stops at the first error (a run again
 * goes on where this one stopped).
 */
vr_err_e	 vr_schedule_run(vr_db_t *, const vr_config_t *,
		    const vr_actor_t *who, const char *as_of, bool dry_run,
		    vr_value_t *report, vr_problem_t *);

#endif
