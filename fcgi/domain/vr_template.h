/*
 * vr_template: the rules of a check-sheet template beyond single fields
 * (the derive hook of its store): codes unique, options only and always
 * on choice questions, unscored types unweighted, and the question count.
 */
#ifndef VR_TEMPLATE_H
#define VR_TEMPLATE_H

#include "../core/vr_field.h"
#include "../db/vr_store.h"

/* How templates are kept and listed. */
extern const vr_store_t vr_template_store;

/* Answer types, by index of vr_answer_types. */
typedef enum vr_answer_type {
	VR_ANSWER_YES_NO, VR_ANSWER_SINGLE, VR_ANSWER_MULTIPLE,
	VR_ANSWER_NUMBER, VR_ANSWER_DATE, VR_ANSWER_TEXT, VR_ANSWER__MAX
} vr_answer_type_e;

/* The type of a question's "type" text; -1 when unknown. */
int		 vr_answer_type_of(const char *);
struct vr_db;
struct vr_actor;

vr_err_e	 vr_template_derive(struct vr_db *, const struct vr_actor *,
		    vr_value_t *rec, const vr_value_t *before, vr_problem_t *);

#endif
