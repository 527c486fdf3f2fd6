/*
 * vr_template: check-sheet template rules (see vr_template.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/vr_model.h"
#include "vr_template.h"

static const vr_sort_t sorts[] = {
	{ .name = "id", .field = TF_ID },
	{ .name = "-id", .field = TF_ID, .desc = true },
	/* vr_assessment_newest_template() takes this one, index 2. */
	{ .name = "-version", .field = TF_VERSION, .desc = true },
};

static const vr_filter_t filters[] = {
	{ .param = "code", .field = TF_CODE },
	{ .param = "kind", .field = TF_KIND },
};

static vr_store_sql_t sql;

const vr_store_t vr_template_store = {
	.res = &vr_template_resource, .path = "/templates",
	.sorts = sorts, .nsorts = sizeof(sorts) / sizeof(sorts[0]),
	.filters = filters, .nfilters = sizeof(filters) / sizeof(filters[0]),
	.derive = vr_template_derive, .sql = &sql,
};

const char *const vr_answer_types[] = {
	[VR_ANSWER_YES_NO] = "yes_no",
	[VR_ANSWER_SINGLE] = "single_choice",
	[VR_ANSWER_MULTIPLE] = "multiple_choice",
	[VR_ANSWER_NUMBER] = "number",
	[VR_ANSWER_DATE] = "date",
	[VR_ANSWER_TEXT] = "text",
	[VR_ANSWER__MAX] = NULL
};

int
vr_answer_type_of(const char *s)
{
	int	 t;

	for (t = 0; t < VR_ANSWER__MAX; t++)
		if (strcmp(vr_answer_types[t], s) == 0)
			return t;
	return -1;
}

static bool
flag(const vr_value_t *rec, int f)
{
	return rec[f].present && !rec[f].null && rec[f].i != 0;
}

/* A code seen in the template, with where (for the problem's path). */
struct seen {
	const char	*code;
	char		 path[VR_PROBLEM_FIELD_MAX];
};

static int
seen_cmp(const void *a, const void *b)
{
	return strcmp(((const struct seen *)a)->code,
	    ((const struct seen *)b)->code);
}

/* The first code of v[0..n) given twice: VR_E_INVALID naming it. */
static vr_err_e
unique(struct seen *v, size_t n, const char *what, vr_problem_t *p)
{
	size_t	 k;

	qsort(v, n, sizeof(*v), seen_cmp);
	for (k = 1; k < n; k++)
		if (strcmp(v[k - 1].code, v[k].code) == 0)
			return vr_fail(p, VR_E_INVALID, "duplicate_code",
			    v[k].path, "%s code %s is used twice", what,
			    v[k].code);
	return VR_OK;
}

/* One question's own rules; path names it. */
static vr_err_e
check_question(const vr_value_t *q, const char *path, vr_problem_t *p)
{
	const vr_value_t	*opts = &q[TQF_OPTIONS];
	struct seen		 codes[10];
	size_t			 k, nopt = opts->present ? opts->n : 0;
	int			 type = vr_answer_type_of(q[TQF_TYPE].s);
	bool			 choice = type == VR_ANSWER_SINGLE ||
				    type == VR_ANSWER_MULTIPLE;
	bool			 scored = choice || type == VR_ANSWER_YES_NO;

	if (choice && nopt < 2)
		return vr_fail(p, VR_E_INVALID, "options_required", path,
		    "%s: a choice question needs 2 to 10 options", path);
	if (!choice && nopt > 0)
		return vr_fail(p, VR_E_INVALID, "options_not_allowed", path,
		    "%s: only choice questions have options", path);
	if (!scored && ((q[TQF_WEIGHT].present && !q[TQF_WEIGHT].null &&
	    q[TQF_WEIGHT].i != 0) || flag(q, TQF_MANDATORY)))
		return vr_fail(p, VR_E_INVALID, "not_scored", path,
		    "%s: a %s question is recorded, not scored: weight 0, "
		    "not mandatory", path, q[TQF_TYPE].s);
	if (q[TQF_TIERS].n == 0)
		return vr_fail(p, VR_E_INVALID, "required", path,
		    "%s: name at least one tier", path);
	for (k = 0; k < nopt && k < 10; k++) {
		codes[k].code = opts->item[k].rec[TOF_CODE].s;
		snprintf(codes[k].path, sizeof(codes[k].path),
		    "%.40s.options[%zu]", path, k);
	}
	return unique(codes, nopt, "option", p);
}

vr_err_e
vr_template_derive(struct vr_db *db, const struct vr_actor *who,
    vr_value_t *rec, const vr_value_t *before, vr_problem_t *p)
{
	const vr_value_t	*secs = &rec[TF_SECTIONS], *qs;
	struct seen		*qcodes = NULL, *scodes = NULL;
	size_t			 i, j, nq = 0, total = 0;
	vr_err_e		 e = VR_OK;

	(void)db;
	(void)who;
	(void)before;
	for (i = 0; i < secs->n; i++)
		total += secs->item[i].rec[TSF_QUESTIONS].n;
	if (total == 0)
		return vr_fail(p, VR_E_INVALID, "required", "sections",
		    "a template needs at least one question");
	if ((qcodes = calloc(total, sizeof(*qcodes))) == NULL ||
	    (scodes = calloc(secs->n, sizeof(*scodes))) == NULL) {
		e = vr_fail_oom(p);
		goto out;
	}
	for (i = 0; i < secs->n && e == VR_OK; i++) {
		scodes[i].code = secs->item[i].rec[TSF_CODE].s;
		snprintf(scodes[i].path, sizeof(scodes[i].path),
		    "sections[%zu].code", i);
		qs = &secs->item[i].rec[TSF_QUESTIONS];
		for (j = 0; j < qs->n && e == VR_OK; j++, nq++) {
			qcodes[nq].code = qs->item[j].rec[TQF_CODE].s;
			snprintf(qcodes[nq].path, sizeof(qcodes[nq].path),
			    "sections[%zu].questions[%zu]", i, j);
			e = check_question(qs->item[j].rec, qcodes[nq].path, p);
		}
	}
	if (e == VR_OK && (e = unique(scodes, secs->n, "section", p)) == VR_OK &&
	    (e = unique(qcodes, nq, "question", p)) == VR_OK)
		vr_value_set_int(&rec[TF_QUESTIONS], (int64_t)total);
out:
	free(qcodes);
	free(scodes);
	return e;
}
