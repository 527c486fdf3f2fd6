/*
 * vr_incident: leak incidents at vendors (漏えい等報告): whether one must
 * be reported to the PPC (Rule Art. 7), the deadlines of the reports
 * (Rule Art. 8, GL 3-5-3), the report items still unknown, and the rules
 * of the incident workflow.
 */
#ifndef VR_INCIDENT_H
#define VR_INCIDENT_H

#include "../db/vr_audit.h"
#include "../db/vr_calendar.h"
#include "../db/vr_store.h"

struct vr_case;

extern const vr_store_t vr_incident_store;

vr_err_e	 vr_incident_derive(vr_db_t *, const vr_actor_t *,
		    vr_value_t *rec, const vr_value_t *before, vr_problem_t *);
/* The incident workflow's case (domain/vr_case.h). */
extern const struct vr_case_type vr_incident_case;

/*
 * The day days after aware_on counting aware_on as day 1 (day 30 is
 * aware_on + 29), moved to the next day that is not a Saturday, Sunday,
 * a holiday in h or 29 Dec-3 Jan (GL 3-5-3, 行政機関の休日に関する法律
 * Art. 2).  The caller's h covers day N and the days after it.
 */
void		 vr_incident_deadline(const char *aware_on, unsigned days,
		    const vr_holidays_t *h, char out[11]);

vr_err_e	 vr_guard_is_reportable(struct vr_case *, vr_problem_t *);
vr_err_e	 vr_guard_report_items_known(struct vr_case *, vr_problem_t *);
vr_err_e	 vr_guard_reports_done(struct vr_case *, vr_problem_t *);
vr_err_e	 vr_guard_people_not_notified(struct vr_case *, vr_problem_t *);
vr_err_e	 vr_effect_record_preliminary_report(struct vr_case *,
		    vr_problem_t *);
vr_err_e	 vr_effect_record_final_report(struct vr_case *, vr_problem_t *);
vr_err_e	 vr_effect_record_people_notified(struct vr_case *,
		    vr_problem_t *);
vr_err_e	 vr_effect_open_follow_up_audit(struct vr_case *, vr_problem_t *);

#endif
