/*
 * vr_sheet_file: a case's check sheet as a file to send a vendor: an
 * Excel workbook (libxlsxwriter) and CSV (UTF-8 with a BOM, RFC 4180),
 * for the companies that exchange check sheets as spreadsheets.  One row
 * per question of the case (its tier's), sections in order: code,
 * question and help in Japanese and English, the answer type, whether it
 * is required, its options, its guideline basis, and the answer, note and
 * evidence given so far.  In the workbook the answer cell of a yes/no or
 * single-choice question takes only its codes (a data-validation list),
 * and a hidden sheet names the case and the template version.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "../model/vr_model.h"
#include "vr_codec.h"
#include "vr_sheet_file.h"

/* The columns, with their bilingual headers. */
enum { C_SECTION, C_CODE, C_TEXT_JA, C_TEXT_EN, C_HELP_JA, C_HELP_EN,
    C_TYPE, C_REQUIRED, C_OPTIONS, C_BASIS, C_ANSWER, C_NOTE, C_EVIDENCE,
    C__MAX };

static const struct {
	const char	*head;
	double		 width;
} columns[C__MAX] = {
	[C_SECTION] = { "区分 / Section", 14 },
	[C_CODE] = { "番号 / Code", 9 },
	[C_TEXT_JA] = { "質問", 48 },
	[C_TEXT_EN] = { "Question", 40 },
	[C_HELP_JA] = { "補足", 32 },
	[C_HELP_EN] = { "Help", 28 },
	[C_TYPE] = { "回答形式 / Type", 14 },
	[C_REQUIRED] = { "必須 / Required", 9 },
	[C_OPTIONS] = { "選択肢 / Options (code: label)", 32 },
	[C_BASIS] = { "根拠 / Basis", 12 },
	[C_ANSWER] = { "回答 / Answer", 20 },
	[C_NOTE] = { "備考 / Note", 30 },
	[C_EVIDENCE] = { "証跡 / Evidence", 20 },
};

static const char *
text_of(const vr_value_t *v)
{
	return v->present && !v->null && v->s != NULL ? v->s : "";
}

/* A label's ja or en text ("" when absent). */
static const char *
label(const vr_value_t *v, int lang)
{
	return v->present && !v->null && v->rec != NULL ?
	    text_of(&v->rec[lang]) : "";
}

/* "code: ja / en" per option, one a line; the yes/no codes for yes_no. */
static int
options_text(const vr_value_t *q, vr_buf_t *out)
{
	const vr_value_t	*opts = &q[TQF_OPTIONS], *o;
	size_t			 k;

	vr_buf_reset(out);
	if (strcmp(text_of(&q[TQF_TYPE]), "yes_no") == 0)
		return vr_buf_puts(out, q[TQF_NA_ALLOWED].present &&
		    q[TQF_NA_ALLOWED].i ? "yes / no / na" : "yes / no");
	for (k = 0; k < opts->n; k++) {
		o = opts->item[k].rec;
		if (vr_buf_printf(out, "%s%s: %s / %s", k ? "\n" : "",
		    text_of(&o[TOF_CODE]), label(&o[TOF_LABEL], LF_JA),
		    label(&o[TOF_LABEL], LF_EN)) == -1)
			return -1;
	}
	return vr_buf_append(out, "", 1);
}

/* The answer as a cell's text: codes of a list joined by ", ". */
static int
answer_text(const vr_value_t *answers, const char *code, vr_buf_t *out,
    const char **note, const char **evidence)
{
	const vr_value_t	*a = NULL, *v;
	size_t			 k;

	vr_buf_reset(out);
	*note = *evidence = "";
	for (k = 0; k < answers->n && a == NULL; k++)
		if (strcmp(text_of(&answers->item[k].rec[ANF_QUESTION]),
		    code) == 0)
			a = answers->item[k].rec;
	if (a != NULL) {
		*note = text_of(&a[ANF_NOTE]);
		*evidence = text_of(&a[ANF_EVIDENCE]);
		v = &a[ANF_VALUE];
		if (v->present && !v->null) {
			if (v->kind == VR_T_INT) {
				if (vr_buf_put_int(out, v->i) == -1)
					return -1;
			} else if (v->kind == VR_T_LIST) {
				for (k = 0; k < v->n; k++)
					if (vr_buf_printf(out, "%s%s",
					    k ? ", " : "", text_of(&v->item[k]))
					    == -1)
						return -1;
			} else if (vr_buf_puts(out, text_of(v)) == -1)
				return -1;
		}
	}
	return vr_buf_append(out, "", 1);
}

/* Calls row() for each question of tpl asked of tier, in order. */
typedef int (*row_fn)(void *, size_t, const char *section,
    const vr_value_t *q);

static int
each_question(const vr_value_t *tpl, const char *tier, row_fn row, void *ctx)
{
	const vr_value_t	*secs = &tpl[TF_SECTIONS], *qs, *q;
	size_t			 i, j, k, n = 0;

	for (i = 0; i < secs->n; i++) {
		qs = &secs->item[i].rec[TSF_QUESTIONS];
		for (j = 0; j < qs->n; j++) {
			q = qs->item[j].rec;
			for (k = 0; k < q[TQF_TIERS].n; k++)
				if (strcmp(text_of(&q[TQF_TIERS].item[k]),
				    tier) == 0)
					break;
			if (k < q[TQF_TIERS].n && row(ctx, ++n,
			    text_of(&secs->item[i].rec[TSF_CODE]), q) == -1)
				return -1;
		}
	}
	return 0;
}

/* ---- CSV ----------------------------------------------------------------- */

/* Appends one RFC 4180 field: quoted when it must be, quotes doubled. */
static int
csv_field(vr_buf_t *out, const char *s, bool first)
{
	if (!first && vr_buf_append(out, ",", 1) == -1)
		return -1;
	if (strpbrk(s, ",\"\r\n") == NULL)
		return vr_buf_puts(out, s);
	if (vr_buf_append(out, "\"", 1) == -1)
		return -1;
	for (; *s != '\0'; s++)
		if ((*s == '"' && vr_buf_append(out, "\"", 1) == -1) ||
		    vr_buf_append(out, s, 1) == -1)
			return -1;
	return vr_buf_append(out, "\"", 1);
}

struct csv_ctx {
	vr_buf_t		*out;
	const vr_value_t	*answers;
	vr_buf_t		 opts, ans;
};

static int
csv_row(void *arg, size_t n, const char *section, const vr_value_t *q)
{
	struct csv_ctx	*c = arg;
	const char	*note, *evidence, *f[C__MAX];
	size_t		 i;

	(void)n;
	if (options_text(q, &c->opts) == -1 ||
	    answer_text(c->answers, text_of(&q[TQF_CODE]), &c->ans, &note,
	    &evidence) == -1)
		return -1;
	f[C_SECTION] = section;
	f[C_CODE] = text_of(&q[TQF_CODE]);
	f[C_TEXT_JA] = label(&q[TQF_TEXT], LF_JA);
	f[C_TEXT_EN] = label(&q[TQF_TEXT], LF_EN);
	f[C_HELP_JA] = label(&q[TQF_HELP], LF_JA);
	f[C_HELP_EN] = label(&q[TQF_HELP], LF_EN);
	f[C_TYPE] = text_of(&q[TQF_TYPE]);
	f[C_REQUIRED] = q[TQF_REQUIRED].present && q[TQF_REQUIRED].i ?
	    "yes" : "no";
	f[C_OPTIONS] = c->opts.data;
	f[C_BASIS] = text_of(&q[TQF_BASIS]);
	f[C_ANSWER] = c->ans.data;
	f[C_NOTE] = note;
	f[C_EVIDENCE] = evidence;
	for (i = 0; i < C__MAX; i++)
		if (csv_field(c->out, f[i], i == 0) == -1)
			return -1;
	return vr_buf_append(c->out, "\r\n", 2);
}

vr_err_e
vr_sheet_csv(const vr_value_t *tpl, const char *tier,
    const vr_value_t *answers, vr_buf_t *out, vr_problem_t *p)
{
	struct csv_ctx	 c = { out, answers, { 0 }, { 0 } };
	size_t		 i;
	int		 rc;

	/* The BOM tells Excel the file is UTF-8. */
	rc = vr_buf_puts(out, "\xEF\xBB\xBF");
	for (i = 0; i < C__MAX && rc == 0; i++)
		rc = csv_field(out, columns[i].head, i == 0);
	if (rc == 0)
		rc = vr_buf_append(out, "\r\n", 2);
	if (rc == 0)
		rc = each_question(tpl, tier, csv_row, &c);
	vr_buf_free(&c.opts);
	vr_buf_free(&c.ans);
	return rc == 0 ? VR_OK : vr_fail_oom(p);
}

/* ---- xlsx ---------------------------------------------------------------- */

struct xlsx_ctx {
	lxw_worksheet		*ws;
	lxw_format		*wrap;
	const vr_value_t	*answers;
	vr_buf_t		 opts, ans;
};

/* The answer cell takes only these codes (yes/no, single choice). */
static int
validate_cell(struct xlsx_ctx *c, size_t row, const vr_value_t *q)
{
	const char		*type = text_of(&q[TQF_TYPE]);
	lxw_data_validation	 dv;
	const char		*items[12];
	size_t			 k, n = 0;

	memset(&dv, 0, sizeof(dv));
	if (strcmp(type, "yes_no") == 0) {
		items[n++] = "yes";
		items[n++] = "no";
		if (q[TQF_NA_ALLOWED].present && q[TQF_NA_ALLOWED].i)
			items[n++] = "na";
	} else if (strcmp(type, "single_choice") == 0) {
		for (k = 0; k < q[TQF_OPTIONS].n && n < 11; k++)
			items[n++] = text_of(
			    &q[TQF_OPTIONS].item[k].rec[TOF_CODE]);
	} else
		return 0;
	items[n] = NULL;
	dv.validate = LXW_VALIDATION_TYPE_LIST;
	dv.value_list = (char **)items;
	dv.show_error = LXW_VALIDATION_ON;
	dv.error_title = "回答 / Answer";
	dv.error_message = "一覧から選んでください / Choose from the list";
	return worksheet_data_validation_cell(c->ws, (lxw_row_t)row,
	    C_ANSWER, &dv) == LXW_NO_ERROR ? 0 : -1;
}

static int
xlsx_row(void *arg, size_t n, const char *section, const vr_value_t *q)
{
	struct xlsx_ctx	*c = arg;
	const char	*note, *evidence;
	lxw_row_t	 r = (lxw_row_t)n;
	lxw_error	 e = LXW_NO_ERROR;

	if (options_text(q, &c->opts) == -1 ||
	    answer_text(c->answers, text_of(&q[TQF_CODE]), &c->ans, &note,
	    &evidence) == -1)
		return -1;
#define PUT(col, s) if (e == LXW_NO_ERROR && (s)[0] != '\0') \
	e = worksheet_write_string(c->ws, r, col, s, c->wrap)
	PUT(C_SECTION, section);
	PUT(C_CODE, text_of(&q[TQF_CODE]));
	PUT(C_TEXT_JA, label(&q[TQF_TEXT], LF_JA));
	PUT(C_TEXT_EN, label(&q[TQF_TEXT], LF_EN));
	PUT(C_HELP_JA, label(&q[TQF_HELP], LF_JA));
	PUT(C_HELP_EN, label(&q[TQF_HELP], LF_EN));
	PUT(C_TYPE, text_of(&q[TQF_TYPE]));
	PUT(C_REQUIRED, q[TQF_REQUIRED].present && q[TQF_REQUIRED].i ?
	    "yes" : "no");
	PUT(C_OPTIONS, c->opts.data);
	PUT(C_BASIS, text_of(&q[TQF_BASIS]));
	PUT(C_ANSWER, c->ans.data);
	PUT(C_NOTE, note);
	PUT(C_EVIDENCE, evidence);
#undef PUT
	return e == LXW_NO_ERROR ? validate_cell(c, n, q) : -1;
}

/* Reads the whole file at path into out. */
static int
slurp(const char *path, vr_buf_t *out)
{
	char	 chunk[16384];
	FILE	*fp;
	size_t	 n;
	int	 rc = 0;

	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	while (rc == 0 && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		rc = vr_buf_append(out, chunk, n);
	if (ferror(fp))
		rc = -1;
	fclose(fp);
	return rc;
}

vr_err_e
vr_sheet_xlsx(const vr_value_t *tpl, const char *tier, int64_t case_id,
    const vr_value_t *answers, vr_buf_t *out, vr_problem_t *p)
{
	lxw_workbook_options	 opt = { 0 };
	lxw_workbook		*wb;
	lxw_worksheet		*meta;
	lxw_format		*head;
	struct xlsx_ctx		 c;
	char			 path[] = "/tmp/vendor-review-sheet-XXXXXX";
	size_t			 i;
	int			 fd, rc = -1;

	memset(&c, 0, sizeof(c));
	c.answers = answers;
	/* libxlsxwriter 1.1 writes to a file: a private one, gone at once. */
	if ((fd = mkstemp(path)) == -1)
		return vr_fail(p, VR_E_INTERNAL, "no_temp_file", NULL,
		    "no temporary file for the workbook: %s", strerror(errno));
	close(fd);
	opt.tmpdir = "/tmp";
	if ((wb = workbook_new_opt(path, &opt)) == NULL)
		goto out;
	c.ws = workbook_add_worksheet(wb, "チェックシート");
	meta = workbook_add_worksheet(wb, "vendor-review");
	c.wrap = workbook_add_format(wb);
	head = workbook_add_format(wb);
	if (c.ws == NULL || meta == NULL || c.wrap == NULL || head == NULL)
		goto close;
	format_set_text_wrap(c.wrap);
	format_set_align(c.wrap, LXW_ALIGN_VERTICAL_TOP);
	format_set_bold(head);
	format_set_text_wrap(head);
	format_set_bg_color(head, 0xDDEBF7);
	for (i = 0; i < C__MAX; i++)
		if (worksheet_set_column(c.ws, (lxw_col_t)i, (lxw_col_t)i,
		    columns[i].width, NULL) != LXW_NO_ERROR ||
		    worksheet_write_string(c.ws, 0, (lxw_col_t)i,
		    columns[i].head, head) != LXW_NO_ERROR)
			goto close;
	worksheet_freeze_panes(c.ws, 1, 2);
	/* Which case and sheet this is, for the file that comes back. */
	if (worksheet_write_string(meta, 0, 0, "assessment_id", NULL) ||
	    worksheet_write_number(meta, 0, 1, (double)case_id, NULL) ||
	    worksheet_write_string(meta, 1, 0, "template", NULL) ||
	    worksheet_write_string(meta, 1, 1, text_of(&tpl[TF_CODE]), NULL) ||
	    worksheet_write_string(meta, 2, 0, "template_version", NULL) ||
	    worksheet_write_number(meta, 2, 1, (double)tpl[TF_VERSION].i,
	    NULL) ||
	    worksheet_write_string(meta, 3, 0, "tier", NULL) ||
	    worksheet_write_string(meta, 3, 1, tier, NULL))
		goto close;
	worksheet_hide(meta);
	rc = each_question(tpl, tier, xlsx_row, &c);
close:
	if (workbook_close(wb) != LXW_NO_ERROR)
		rc = -1;
	if (rc == 0)
		rc = slurp(path, out);
out:
	unlink(path);
	vr_buf_free(&c.opts);
	vr_buf_free(&c.ans);
	return rc == 0 ? VR_OK : vr_fail(p, VR_E_INTERNAL, "xlsx_failed",
	    NULL, "the workbook could not be written");
}
