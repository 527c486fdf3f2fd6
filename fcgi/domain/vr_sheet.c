/*
 * vr_sheet: check-sheet rules of a case (see vr_sheet.h and
 * docs/scoring.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../model/vr_model.h"
#include "vr_sheet.h"
#include "vr_template.h"

static bool
flag(const vr_value_t *rec, int f)
{
	return rec[f].present && !rec[f].null && rec[f].i != 0;
}

bool
vr_sheet_applies(const vr_value_t *q, const char *tier)
{
	size_t	 k;

	for (k = 0; k < q[TQF_TIERS].n; k++)
		if (vr_value_is(&q[TQF_TIERS].item[k], tier))
			return true;
	return false;
}

static const vr_field_t question_item = {
	.name = "question", .type = VR_T_RECORD,
	.sub = &vr_template_question_resource,
};

int
vr_sheet_questions(const vr_value_t *tpl, const char *tier, vr_value_t *list)
{
	const vr_value_t	*secs = &tpl[TF_SECTIONS], *qs;
	vr_value_t		*item;
	size_t			 i, j;

	list->present = true;
	for (i = 0; i < secs->n; i++) {
		qs = &secs->item[i].rec[TSF_QUESTIONS];
		for (j = 0; j < qs->n; j++)
			if (vr_sheet_applies(qs->item[j].rec, tier) &&
			    ((item = vr_value_push(list)) == NULL ||
			    vr_value_copy(&question_item, item,
			    &qs->item[j]) == -1))
				return -1;
	}
	return 0;
}

const vr_value_t *
vr_sheet_question(const vr_value_t *qs, const char *code)
{
	size_t	 k;

	for (k = 0; k < qs->n; k++)
		if (vr_value_is(&qs->item[k].rec[TQF_CODE], code))
			return qs->item[k].rec;
	return NULL;
}

const vr_value_t *
vr_sheet_answer(const vr_value_t *answers, const char *code)
{
	size_t	 k;

	for (k = 0; k < answers->n; k++)
		if (vr_value_is(&answers->item[k].rec[ANF_QUESTION], code))
			return answers->item[k].rec;
	return NULL;
}

/* The option of code in question q, or NULL. */
static const vr_value_t *
option(const vr_value_t *q, const char *code)
{
	size_t	 k;

	for (k = 0; k < q[TQF_OPTIONS].n; k++)
		if (vr_value_is(&q[TQF_OPTIONS].item[k].rec[TOF_CODE], code))
			return q[TQF_OPTIONS].item[k].rec;
	return NULL;
}

static vr_err_e
bad(const vr_value_t *q, const char *path, const char *takes, vr_problem_t *p)
{
	return vr_fail_more(p, VR_E_INVALID, "invalid_answer", path,
	    "%s takes %s", q[TQF_CODE].s, takes);
}

/* A multiple choice: a list of distinct option codes. */
static vr_err_e
check_multiple(const vr_value_t *q, vr_value_t *v, const char *path,
    vr_problem_t *p)
{
	size_t	 i, k;
	char	*one;

	/* XML gives <value/> for none and may give one code as text. */
	if (v->kind == VR_T_TEXT) {
		one = v->s;
		v->s = NULL;
		v->kind = VR_T_LIST;
		if (one[0] != '\0' && (vr_value_push(v) == NULL ||
		    vr_value_set_text(&v->item[0], one, strlen(one)) == -1)) {
			free(one);
			return vr_fail_oom(p);
		}
		free(one);
	}
	if (v->kind != VR_T_LIST)
		return bad(q, path, "a list of its option codes", p);
	for (i = 0; i < v->n; i++) {
		if (option(q, v->item[i].s) == NULL)
			return bad(q, path, "a list of its option codes", p);
		for (k = 0; k < i; k++)
			if (strcmp(v->item[k].s, v->item[i].s) == 0)
				return bad(q, path, "each option once", p);
	}
	return VR_OK;
}

vr_err_e
vr_sheet_check_answer(const vr_value_t *q, vr_value_t *v, const char *path,
    vr_problem_t *p)
{
	const char	*s = v->kind == VR_T_TEXT ? v->s : NULL;
	char		*end;
	long long	 n;

	switch (vr_answer_type_of(q[TQF_TYPE].s)) {
	case VR_ANSWER_YES_NO:
		if (s != NULL && (strcmp(s, "yes") == 0 || strcmp(s, "no") == 0 ||
		    (strcmp(s, "na") == 0 && flag(q, TQF_NA_ALLOWED))))
			return VR_OK;
		return bad(q, path, flag(q, TQF_NA_ALLOWED) ? "yes, no or na" :
		    "yes or no", p);
	case VR_ANSWER_SINGLE:
		if (s != NULL && option(q, s) != NULL)
			return VR_OK;
		return bad(q, path, "one of its option codes", p);
	case VR_ANSWER_MULTIPLE:
		return check_multiple(q, v, path, p);
	case VR_ANSWER_NUMBER:
		if (v->kind == VR_T_INT)
			return VR_OK;
		errno = 0;
		if (s != NULL && s[0] != '\0' && ((s[0] >= '0' && s[0] <= '9') ||
		    (s[0] == '-' && s[1] >= '0' && s[1] <= '9')) &&
		    (n = strtoll(s, &end, 10), *end == '\0') && errno == 0) {
			vr_value_set_int(v, n);	/* the text goes */
			free(v->s);
			v->s = NULL;
			v->kind = VR_T_INT;
			return VR_OK;
		}
		return bad(q, path, "an integer", p);
	case VR_ANSWER_DATE:
		if (s != NULL && vr_date_valid(s))
			return VR_OK;
		return bad(q, path, "a date YYYY-MM-DD", p);
	case VR_ANSWER_TEXT:
		if (s != NULL)
			return VR_OK;
		return bad(q, path, "a text", p);
	default:
		return bad(q, path, "no answer (its type is unknown)", p);
	}
}

int
vr_sheet_answer_score(const vr_value_t *q, const vr_value_t *v)
{
	const vr_value_t	*o;
	int64_t			 sum = 0;
	size_t			 k;

	if (v == NULL || !v->present || v->null)
		return -1;
	switch (vr_answer_type_of(q[TQF_TYPE].s)) {
	case VR_ANSWER_YES_NO:
		return vr_value_is(v, "yes") ? 100 : vr_value_is(v, "no") ? 0 : -1;
	case VR_ANSWER_SINGLE:
		o = v->kind == VR_T_TEXT ? option(q, v->s) : NULL;
		return o != NULL ? (int)o[TOF_SCORE].i : -1;
	case VR_ANSWER_MULTIPLE:
		for (k = 0; k < v->n; k++)
			if ((o = option(q, v->item[k].s)) != NULL)
				sum += o[TOF_SCORE].i;
		return sum > 100 ? 100 : (int)sum;
	default:
		return -1;
	}
}

/* Whether an answer's value says something: no empty text or list. */
static bool
given(const vr_value_t *v)
{
	if (!v->present || v->null)
		return false;
	if (v->kind == VR_T_LIST)
		return v->n > 0;
	if (v->kind == VR_T_TEXT)
		return v->s != NULL && v->s[strspn(v->s, " \t\r\n")] != '\0';
	return true;
}

void
vr_sheet_progress(const vr_value_t *qs, const vr_value_t *answers,
    int64_t *answered, int64_t *required)
{
	const vr_value_t	*a;
	size_t			 k;

	*answered = *required = 0;
	for (k = 0; k < qs->n; k++) {
		if (!flag(qs->item[k].rec, TQF_REQUIRED))
			continue;
		(*required)++;
		a = vr_sheet_answer(answers, qs->item[k].rec[TQF_CODE].s);
		if (a != NULL && given(&a[ANF_VALUE]))
			(*answered)++;
	}
}

static const vr_field_t score_item = {
	.name = "section_score", .type = VR_T_RECORD,
	.sub = &vr_section_score_resource,
};

/* Rounds num / den to the nearest integer (both >= 0, den > 0). */
static int64_t
ratio(int64_t num, int64_t den)
{
	return (num + den / 2) / den;
}

int
vr_sheet_score(const vr_value_t *tpl, const char *tier,
    const vr_value_t *answers, vr_value_t *scores, int64_t *overall)
{
	const vr_value_t	*secs = &tpl[TF_SECTIONS], *qs, *q, *a;
	vr_value_t		*item, *rec;
	int64_t			 num = 0, den = 0, snum, sden;
	size_t			 i, j;
	int			 s;

	scores->present = true;
	for (i = 0; i < secs->n; i++) {
		qs = &secs->item[i].rec[TSF_QUESTIONS];
		snum = sden = 0;
		for (j = 0; j < qs->n; j++) {
			q = qs->item[j].rec;
			if (!vr_sheet_applies(q, tier))
				continue;
			if (!q[TQF_WEIGHT].present || q[TQF_WEIGHT].null ||
			    q[TQF_WEIGHT].i <= 0)
				continue;	/* weight 0 counts for nothing */
			a = vr_sheet_answer(answers, q[TQF_CODE].s);
			if ((s = vr_sheet_answer_score(q, a != NULL ?
			    &a[ANF_VALUE] : NULL)) < 0)
				continue;
			snum += s * q[TQF_WEIGHT].i;
			sden += q[TQF_WEIGHT].i;
		}
		if ((item = vr_value_push(scores)) == NULL ||
		    (rec = vr_value_set_record(&score_item, item)) == NULL ||
		    vr_value_copy(&vr_section_score_resource.fields[SSF_SECTION],
		    &rec[SSF_SECTION], &secs->item[i].rec[TSF_CODE]) == -1)
			return -1;
		if (sden > 0)
			vr_value_set_int(&rec[SSF_SCORE], ratio(snum, sden));
		else
			vr_value_set_null(&rec[SSF_SCORE]);
		num += snum;
		den += sden;
	}
	*overall = den > 0 ? ratio(num, den) : -1;
	return 0;
}
