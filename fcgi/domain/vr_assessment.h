/*
 * vr_assessment: assessments (評価) and their findings: starting a case
 * on a vendor with the template for its tier, saving answers (from the
 * intranet or the vendor's link), firing the transitions of its
 * workflow, and what a case shows when it is read.  Each write is one
 * transaction with an audit row and an event per record it changes.
 */
#ifndef VR_ASSESSMENT_H
#define VR_ASSESSMENT_H

#include "../db/vr_audit.h"
#include "../db/vr_store.h"

extern const vr_store_t vr_assessment_store;
extern const vr_store_t vr_finding_store;
/* The assessment workflows' case (domain/vr_case.h). */
extern const struct vr_case_type vr_assessment_case;

/* The store derive hooks: a new case, a finding raised or changed. */
vr_err_e	 vr_assessment_derive(vr_db_t *, const vr_actor_t *,
		    vr_value_t *rec, const vr_value_t *before, vr_problem_t *);
vr_err_e	 vr_finding_derive(vr_db_t *, const vr_actor_t *,
		    vr_value_t *rec, const vr_value_t *before, vr_problem_t *);

/*
 * Fills what a case shows beyond its row: its findings, the vendor's
 * findings of earlier cases still open (follow_up), the previous case's
 * answers (previous_answers, and previous/changed beside each answer),
 * and with questions its questions.  The questions are shared (templates never
 * change): the record must not outlive the process's template cache,
 * which lives until exit.
 */
vr_err_e	 vr_assessment_decorate(vr_db_t *, vr_value_t *rec,
		    bool questions, vr_problem_t *);
/*
 * Saves answers (the LIST of an answers body) into case id: others stay
 * as they are, a null value clears one.  409 "not_answering" when the
 * case's state takes no answers; 422 naming answers[i].question or
 * answers[i].value.  *out is the case as committed.  answers NULL
 * carries forward: every answer of the previous case (previous_id) to a
 * question of this sheet that has no value here and that still fits it
 * is saved as given now (409 "no_previous" without a previous case).
 */
vr_err_e	 vr_assessment_save_answers(vr_db_t *, const vr_actor_t *,
		    int64_t id, vr_value_t *answers, vr_value_t **out,
		    vr_problem_t *);
/*
 * Fires action on case id, seen at version (0: the current one, for the
 * vendor's submit).  *out is the case as committed; token receives a
 * vendor link's token the transition issued, or "".
 */
vr_err_e	 vr_assessment_fire(vr_db_t *, const vr_actor_t *, int64_t id,
		    const char *action, int64_t version, const char *comment,
		    vr_value_t **out, char token[33], vr_problem_t *);
/* The template record a case pins (shared: never freed by the caller). */
/* The newest version of the template whose code is kind, or 422. */
vr_err_e	 vr_assessment_newest_template(vr_db_t *, const char *kind,
		    int64_t *id, vr_problem_t *);
vr_err_e	 vr_assessment_template(vr_db_t *, const vr_value_t *rec,
		    const vr_value_t **tpl, vr_problem_t *);
/*
 * The case a vendor link's token opens: 404 for a wrong, expired or
 * used token (the same answer for all three).
 */
vr_err_e	 vr_assessment_by_token(vr_db_t *, const char *token,
		    int64_t *id, vr_problem_t *);
/* The guards and effects of the manifest (registry: workflow/vr_rules.c). */
struct vr_case;
vr_err_e	 vr_guard_all_required_answered(struct vr_case *, vr_problem_t *);
vr_err_e	 vr_guard_no_open_high_findings(struct vr_case *, vr_problem_t *);
vr_err_e	 vr_effect_issue_vendor_link(struct vr_case *, vr_problem_t *);
vr_err_e	 vr_effect_revoke_vendor_link(struct vr_case *, vr_problem_t *);
vr_err_e	 vr_effect_score_assessment(struct vr_case *, vr_problem_t *);
vr_err_e	 vr_effect_create_mandatory_findings(struct vr_case *,
		    vr_problem_t *);
vr_err_e	 vr_effect_vendor_approve(struct vr_case *, vr_problem_t *);
vr_err_e	 vr_effect_schedule_next_audit(struct vr_case *, vr_problem_t *);
vr_err_e	 vr_effect_vendor_suspend(struct vr_case *, vr_problem_t *);

/* Frees the process's template cache (at exit). */
void		 vr_assessment_cache_free(void);

#endif
