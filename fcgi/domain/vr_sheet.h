/*
 * vr_sheet: a case's check sheet: which questions of its template a
 * vendor of its tier is asked, whether an answer fits its question (and
 * its normal form: "42" from XML and 42 from JSON are one number), how
 * many required ones are answered, the score and the failed mandatory
 * controls (docs/scoring.md).  Pure functions on records of the
 * template and assessment tables: no database, no codec.
 */
#ifndef VR_SHEET_H
#define VR_SHEET_H

#include "../core/vr_field.h"

/* Whether template question q is asked of a vendor of tier. */
bool		 vr_sheet_applies(const vr_value_t *q, const char *tier);
/* Fills the LIST value list with copies of tpl's questions for tier. */
int		 vr_sheet_questions(const vr_value_t *tpl, const char *tier,
		    vr_value_t *list);
/* The question of code in the LIST qs, or NULL. */
const vr_value_t *vr_sheet_question(const vr_value_t *qs, const char *code);
/* The answer (record) to question code in the answers LIST, or NULL. */
const vr_value_t *vr_sheet_answer(const vr_value_t *answers,
		    const char *code);
/*
 * Checks value v (an answer's VARIANT, not null) against question q and
 * brings it to its normal form.  VR_E_INVALID "invalid_answer" naming
 * path, saying what the question takes.
 */
vr_err_e	 vr_sheet_check_answer(const vr_value_t *q, vr_value_t *v,
		    const char *path, vr_problem_t *);
/*
 * The score 0-100 of answer value v to question q, whatever its weight
 * (a mandatory control fails on 0), or -1 when it has none (a type that
 * is not scored, not applicable, no answer).
 */
int		 vr_sheet_answer_score(const vr_value_t *q, const vr_value_t *v);
/*
 * How many of the required questions in qs the answers list answers
 * (an empty text or an empty choice list is no answer).
 */
void		 vr_sheet_progress(const vr_value_t *qs,
		    const vr_value_t *answers, int64_t *answered,
		    int64_t *required);
/*
 * The weighted score of the answers to tpl's questions for tier: each
 * section's into the LIST section_scores (records of
 * vr_section_score_resource), the whole into *overall (-1 when nothing
 * counts).  0 or -1 (no memory).
 */
int		 vr_sheet_score(const vr_value_t *tpl, const char *tier,
		    const vr_value_t *answers, vr_value_t *section_scores,
		    int64_t *overall);

#endif
