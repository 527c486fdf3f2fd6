/*
 * vr_sheet_file: a case's check sheet as a file to send a vendor, and
 * the file that comes back.  Out: an Excel workbook (libxlsxwriter) and
 * CSV (UTF-8 with a BOM, RFC 4180), for the companies that exchange
 * check sheets as spreadsheets.  One row per question of the case (its
 * tier's), sections in order: code, question and help in Japanese and
 * English, the answer type, whether it is required, its options, its
 * guideline basis, and the answer, note and evidence given so far.  In
 * the workbook the answer cell of a yes/no or single-choice question
 * takes only its codes (a data-validation list), and a hidden sheet
 * names the case and the template version, with a keyed digest of that
 * identity (HMAC-SHA256 under the server's sheet secret).  Back: the
 * cells of a returned workbook or CSV (vr_grid) as the answers to save,
 * each tied to the cell it came from, after the identity is checked.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <xlsxwriter.h>

#include "../model/vr_model.h"
#include "vr_codec.h"
#include "vr_grid.h"
#include "vr_table_file.h"
#include "vr_sheet_file.h"

/* The columns, with their bilingual headers. */
enum { C_SECTION, C_CODE, C_TEXT_JA, C_TEXT_EN, C_HELP_JA, C_HELP_EN,
    C_TYPE, C_REQUIRED, C_OPTIONS, C_BASIS, C_ANSWER, C_NOTE, C_EVIDENCE,
    C__MAX };

static const vr_table_col_t columns[C__MAX] = {
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

/* A value as a cell's text: codes of a list joined by ", ". */
static int
value_text(const vr_value_t *v, vr_buf_t *out)
{
	size_t	 k;

	vr_buf_reset(out);
	if (v->present && !v->null) {
		if (v->kind == VR_T_INT) {
			if (vr_buf_put_int(out, v->i) == -1)
				return -1;
		} else if (v->kind == VR_T_LIST) {
			for (k = 0; k < v->n; k++)
				if (vr_buf_printf(out, "%s%s", k ? ", " : "",
				    text_of(&v->item[k])) == -1)
					return -1;
		} else if (vr_buf_puts(out, text_of(v)) == -1)
			return -1;
	}
	return vr_buf_append(out, "", 1);
}

/* The answer to question code in the answers LIST, or NULL. */
static const vr_value_t *
answer_of(const vr_value_t *answers, const char *code)
{
	size_t	 k;

	for (k = 0; k < answers->n; k++)
		if (strcmp(text_of(&answers->item[k].rec[ANF_QUESTION]),
		    code) == 0)
			return answers->item[k].rec;
	return NULL;
}

/* The answer to code as cells' texts: value, note and evidence. */
static int
answer_text(const vr_value_t *answers, const char *code, vr_buf_t *out,
    const char **note, const char **evidence)
{
	const vr_value_t	*a = answer_of(answers, code);
	static const vr_value_t	 none;

	*note = a != NULL ? text_of(&a[ANF_NOTE]) : "";
	*evidence = a != NULL ? text_of(&a[ANF_EVIDENCE]) : "";
	return value_text(a != NULL ? &a[ANF_VALUE] : &none, out);
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
		if (vr_csv_field(c->out, f[i], i == 0) == -1)
			return -1;
	return vr_buf_append(c->out, "\r\n", 2);
}

vr_err_e
vr_sheet_csv(const vr_value_t *tpl, const char *tier,
    const vr_value_t *answers, vr_buf_t *out, vr_problem_t *p)
{
	struct csv_ctx	 c = { out, answers, { 0 }, { 0 } };
	int		 rc;

	rc = vr_csv_head(out, columns, C__MAX);
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

/*
 * The keyed digest of a sheet's identity, in hex: the case, template,
 * version and tier, so no field of it can be changed or moved to another
 * case without the server's secret.
 */
static int
identity_digest(const char *secret, size_t slen, int64_t case_id,
    const char *code, int64_t version, const char *tier, char out[65])
{
	unsigned char	 d[EVP_MAX_MD_SIZE];
	unsigned int	 dlen = 0, i;
	char		 msg[512];
	int		 n;

	n = snprintf(msg, sizeof(msg), "vendor-review check sheet\n%" PRId64
	    "\n%s\n%" PRId64 "\n%s\n", case_id, code, version, tier);
	if (n < 0 || (size_t)n >= sizeof(msg) || slen > INT32_MAX ||
	    HMAC(EVP_sha256(), secret, (int)slen, (unsigned char *)msg,
	    (size_t)n, d, &dlen) == NULL || dlen != 32)
		return -1;
	for (i = 0; i < dlen; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	return 0;
}

/* The hidden sheet's rows: a key in column A, its value in B. */
enum { META_CASE, META_TEMPLATE, META_VERSION, META_TIER, META_DIGEST,
    META__MAX };
static const char *const meta_keys[META__MAX] = {
	[META_CASE] = "assessment_id", [META_TEMPLATE] = "template",
	[META_VERSION] = "template_version", [META_TIER] = "tier",
	[META_DIGEST] = "digest",
};
#define META_SHEET	"vendor-review"

struct sheet_book {
	const vr_value_t	*tpl;
	const char		*tier;
	int64_t			 case_id;
	const char		*digest;	/* "" when no secret */
	struct xlsx_ctx		 c;
};

static int
fill_sheet(lxw_workbook *wb, void *arg)
{
	struct sheet_book	*b = arg;
	lxw_worksheet		*meta;
	size_t			 i;

	if ((b->c.ws = vr_table_sheet(wb, "チェックシート", columns, C__MAX,
	    &b->c.wrap)) == NULL ||
	    (meta = workbook_add_worksheet(wb, META_SHEET)) == NULL)
		return -1;
	/* Which case and sheet this is, for the file that comes back. */
	for (i = 0; i < META__MAX; i++)
		if (worksheet_write_string(meta, (lxw_row_t)i, 0, meta_keys[i],
		    NULL) != LXW_NO_ERROR)
			return -1;
	if (worksheet_write_number(meta, META_CASE, 1, (double)b->case_id,
	    NULL) ||
	    worksheet_write_string(meta, META_TEMPLATE, 1,
	    text_of(&b->tpl[TF_CODE]), NULL) ||
	    worksheet_write_number(meta, META_VERSION, 1,
	    (double)b->tpl[TF_VERSION].i, NULL) ||
	    worksheet_write_string(meta, META_TIER, 1, b->tier, NULL) ||
	    (b->digest[0] != '\0' && worksheet_write_string(meta,
	    META_DIGEST, 1, b->digest, NULL)))
		return -1;
	worksheet_hide(meta);
	return each_question(b->tpl, b->tier, xlsx_row, &b->c);
}

vr_err_e
vr_sheet_xlsx(const vr_value_t *tpl, const char *tier, int64_t case_id,
    const vr_value_t *answers, const char *secret, size_t secret_len,
    vr_buf_t *out, vr_problem_t *p)
{
	struct sheet_book	 b;
	char			 digest[65] = "";
	vr_err_e		 e;

	if (secret != NULL && identity_digest(secret, secret_len, case_id,
	    text_of(&tpl[TF_CODE]), tpl[TF_VERSION].i, tier, digest) == -1)
		return vr_fail(p, VR_E_INTERNAL, "digest_failed", NULL,
		    "the workbook's digest could not be computed");
	memset(&b, 0, sizeof(b));
	b.tpl = tpl;
	b.tier = tier;
	b.case_id = case_id;
	b.digest = digest;
	b.c.answers = answers;
	e = vr_workbook_make(fill_sheet, &b, out, p);
	vr_buf_free(&b.c.opts);
	vr_buf_free(&b.c.ans);
	return e;
}

/* ---- the file that comes back ------------------------------------------ */

/* The columns the importer reads, found by their headers in row 1. */
enum { IC_CODE, IC_ANSWER, IC_NOTE, IC_EVIDENCE, IC__MAX };
static const int import_columns[IC__MAX] = {
	[IC_CODE] = C_CODE, [IC_ANSWER] = C_ANSWER, [IC_NOTE] = C_NOTE,
	[IC_EVIDENCE] = C_EVIDENCE,
};

static const char *
cell_text(const vr_grid_sheet_t *s, uint32_t row, uint32_t col)
{
	const vr_cell_t	*c = col > 0 ? vr_grid_cell(s, row, col) : NULL;

	return c != NULL ? c->text : "";
}

/* The text without surrounding ASCII and ideographic spaces. */
static void
trimmed(const char *s, const char **start, size_t *len)
{
	const char	*e = s + strlen(s);

	for (;;) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		else if (strncmp(s, "\xE3\x80\x80", 3) == 0)
			s += 3;
		else
			break;
	}
	for (;;) {
		if (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
		    e[-1] == '\n'))
			e--;
		else if (e - s >= 3 && strncmp(e - 3, "\xE3\x80\x80", 3) == 0)
			e -= 3;
		else
			break;
	}
	*start = s;
	*len = (size_t)(e - s);
}

static bool
trimmed_is(const char *s, const char *want)
{
	const char	*t;
	size_t		 n;

	trimmed(s, &t, &n);
	return strlen(want) == n && strncmp(t, want, n) == 0;
}

/*
 * The workbook's identity against the case: the hidden sheet must name
 * this case, its template version and tier, under a digest made with
 * this server's secret.
 */
static vr_err_e
check_identity(const vr_grid_t *g, const char *secret, size_t slen,
    const vr_value_t *tpl, const char *tier, int64_t case_id,
    vr_problem_t *p)
{
	const vr_grid_sheet_t	*m = vr_grid_sheet(g, META_SHEET);
	const char		*v[META__MAX] = { 0 };
	char			 want[65], named[VR_INT_TEXT_MAX], *at;
	uint32_t		 r, k;

	if (m == NULL)
		return vr_fail(p, VR_E_INVALID, "not_a_check_sheet", NULL,
		    "this workbook is not a check sheet exported by "
		    "vendor-review (it has no \"%s\" sheet)", META_SHEET);
	for (r = 1; r <= vr_grid_rows(m); r++)
		for (k = 0; k < META__MAX; k++)
			if (trimmed_is(cell_text(m, r, 1), meta_keys[k]))
				v[k] = cell_text(m, r, 2);
	for (k = 0; k < META__MAX; k++)
		if (v[k] == NULL)
			return vr_fail(p, VR_E_INVALID, "not_a_check_sheet",
			    NULL, "the \"%s\" sheet of this workbook has no "
			    "%s: it was not exported by vendor-review, or it "
			    "was edited", META_SHEET, meta_keys[k]);
	if (secret == NULL)
		return vr_fail(p, VR_E_CONFLICT, "no_sheet_secret", NULL,
		    "this server has no sheet_secret_file: a returned "
		    "workbook cannot be checked (see vendor-review.conf(5))");
	if (identity_digest(secret, slen, (int64_t)strtoll(v[META_CASE],
	    NULL, 10), v[META_TEMPLATE], (int64_t)strtoll(v[META_VERSION],
	    NULL, 10), v[META_TIER], want) == -1)
		return vr_fail(p, VR_E_INTERNAL, "digest_failed", NULL,
		    "the workbook's digest could not be computed");
	at = vr_int_text(named, (int64_t)strtoll(v[META_CASE], NULL, 10));
	if (strlen(v[META_DIGEST]) != 64 ||
	    CRYPTO_memcmp(want, v[META_DIGEST], 64) != 0 ||
	    strcmp(at, v[META_CASE]) != 0)
		return vr_fail(p, VR_E_INVALID, "sheet_identity", NULL,
		    "this workbook's identity does not hold: it was not "
		    "exported by this server, or its \"%s\" sheet was "
		    "altered", META_SHEET);
	if (strtoll(v[META_CASE], NULL, 10) != case_id)
		return vr_fail(p, VR_E_CONFLICT, "other_case", NULL,
		    "this workbook is the check sheet of assessment %s, not "
		    "of assessment %" PRId64, v[META_CASE], case_id);
	if (strcmp(v[META_TEMPLATE], text_of(&tpl[TF_CODE])) != 0 ||
	    strtoll(v[META_VERSION], NULL, 10) != tpl[TF_VERSION].i ||
	    strcmp(v[META_TIER], tier) != 0)
		return vr_fail(p, VR_E_CONFLICT, "sheet_outdated", NULL,
		    "this workbook holds template %s version %s for tier %s; "
		    "the case now asks %s version %" PRId64 " for tier %s: "
		    "export the sheet again", v[META_TEMPLATE],
		    v[META_VERSION], v[META_TIER], text_of(&tpl[TF_CODE]),
		    tpl[TF_VERSION].i, tier);
	return VR_OK;
}

int64_t
vr_sheet_file_case(const vr_grid_t *g)
{
	const vr_grid_sheet_t	*m = vr_grid_sheet(g, META_SHEET);
	uint32_t		 r;
	long long		 id;
	char			*end;

	for (r = 1; r <= vr_grid_rows(m); r++)
		if (trimmed_is(cell_text(m, r, 1), meta_keys[META_CASE])) {
			id = strtoll(cell_text(m, r, 2), &end, 10);
			return *end == '\0' && id > 0 ? (int64_t)id : 0;
		}
	return 0;
}

/* Records the cell a problem is about, in field and detail. */
static vr_err_e
cell_fail(const vr_sheet_import_t *im, uint32_t row, int which,
    vr_err_e err, const char *code, const char *fmt, const char *arg,
    vr_problem_t *p)
{
	char	 at[16 + sizeof(im->sheet)], cell[16];

	vr_grid_cell_name(row, im->cols[which], cell);
	snprintf(at, sizeof(at), "%s%s%s", im->xlsx ? im->sheet : "",
	    im->xlsx ? "!" : "", cell);
	return vr_fail(p, err, code, at, "cell %s (row %" PRIu32 ", %s): "
	    "%s%s", at, row, columns[import_columns[which]].head, fmt, arg);
}

/* Excel's serial day (1900 or 1904 system) as YYYY-MM-DD; -1 if none. */
static int
serial_date(const char *text, bool date1904, char out[11])
{
	char		*end;
	double		 d = strtod(text, &end);
	long		 days;
	int64_t		 z, era, doe, yoe, y, doy, mp, dd, mm;

	if (*end != '\0' || end == text || d < 1 || d > 2958465)
		return -1;
	/* Days since 1970-01-01: 25569 from 1899-12-30; 1904: 24107. */
	days = (long)d - (date1904 ? 24107 : 25569);
	/* Civil from days (H. Hinnant's algorithm). */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	dd = doy - (153 * mp + 2) / 5 + 1;
	mm = mp < 10 ? mp + 3 : mp - 9;
	y += mm <= 2;
	snprintf(out, 11, "%04d-%02d-%02d", (int)y, (int)mm, (int)dd);
	return 0;
}

/*
 * The answer cell as the value to save, by the question's type: text
 * for a code, a number or a date (typed as text, YYYY/MM/DD too, or as
 * Excel's serial day), a list of codes split at commas for a multiple
 * choice, the text itself (CR LF as LF) for a free text.  An empty cell
 * is null.  The value's own check comes with the save.
 */
static int
cell_value(const vr_grid_t *g, const vr_cell_t *c, const char *type,
    vr_value_t *v)
{
	const char	*t, *s, *comma, *code;
	vr_buf_t	 b = { 0 };
	vr_value_t	*item;
	char		 date[11];
	size_t		 n, k;
	int		 rc = 0;

	vr_value_set_null(v);
	if (c == NULL)
		return 0;
	if (strcmp(type, "text") == 0) {
		for (s = c->text; *s != '\0' && rc == 0; s++)
			if (!(s[0] == '\r' && s[1] == '\n'))
				rc = vr_buf_append(&b, s, 1);
		if (rc == 0 && b.len > 0) {
			rc = vr_value_set_text(v, b.data, b.len);
			v->kind = VR_T_TEXT;
		}
		vr_buf_free(&b);
		return rc;
	}
	trimmed(c->text, &t, &n);
	if (n == 0)
		return 0;
	if (strcmp(type, "multiple_choice") == 0) {
		v->present = true;
		v->null = false;
		v->kind = VR_T_LIST;
		for (s = t; s <= t + n && rc == 0; s = comma + 1) {
			if ((comma = memchr(s, ',', (size_t)(t + n - s))) ==
			    NULL)
				comma = t + n;
			if (vr_buf_append(&b, s, (size_t)(comma - s)) == -1 ||
			    vr_buf_append(&b, "", 0) == -1) {
				rc = -1;
				break;
			}
			trimmed(b.data != NULL ? b.data : "", &code, &k);
			if (k > 0 && ((item = vr_value_push(v)) == NULL ||
			    vr_value_set_text(item, code, k) == -1))
				rc = -1;
			vr_buf_reset(&b);
		}
		vr_buf_free(&b);
		return rc;
	}
	if (strcmp(type, "date") == 0 && c->number &&
	    serial_date(c->text, g->date1904, date) == 0) {
		t = date;
		n = 10;
	}
	if (vr_value_set_text(v, t, n) == -1)
		return -1;
	v->kind = VR_T_TEXT;
	if (strcmp(type, "date") == 0 && n == 10 && v->s[4] == '/' &&
	    v->s[7] == '/')
		v->s[4] = v->s[7] = '-';
	return 0;
}

/* Whether a row says what is stored: then it is not saved again. */
static int
same_as_stored(const vr_value_t *answers, const char *code,
    const vr_value_t *v, const char *note, const char *evidence,
    bool *same)
{
	vr_buf_t	 now = { 0 }, given = { 0 };
	const char	*n0, *e0;
	int		 rc;

	*same = false;
	if ((rc = answer_text(answers, code, &now, &n0, &e0)) == 0 &&
	    (rc = value_text(v, &given)) == 0)
		*same = strcmp(now.data, given.data) == 0 &&
		    strcmp(n0, note) == 0 && strcmp(e0, evidence) == 0;
	vr_buf_free(&now);
	vr_buf_free(&given);
	return rc;
}

/* The question of code in the LIST qs, or NULL. */
static const vr_value_t *
question_of(const vr_value_t *qs, const char *code, size_t len)
{
	const char	*c;
	size_t		 k;

	for (k = 0; k < qs->n; k++) {
		c = text_of(&qs->item[k].rec[TQF_CODE]);
		if (strlen(c) == len && strncmp(c, code, len) == 0)
			return qs->item[k].rec;
	}
	return NULL;
}

/* Finds the importer's columns by their headers in row 1. */
static vr_err_e
find_columns(const vr_grid_sheet_t *s, vr_sheet_import_t *im,
    vr_problem_t *p)
{
	uint32_t	 col;
	size_t		 k;

	for (col = 1; col <= VR_GRID_MAX_COLS; col++)
		for (k = 0; k < IC__MAX; k++)
			if (im->cols[k] == 0 && trimmed_is(cell_text(s, 1,
			    col), columns[import_columns[k]].head))
				im->cols[k] = col;
	if (im->cols[IC_CODE] == 0 || im->cols[IC_ANSWER] == 0)
		return vr_fail(p, VR_E_INVALID, "not_a_check_sheet", NULL,
		    "%s%s has no \"%s\" and \"%s\" columns in row 1: it is "
		    "not a check sheet exported by vendor-review",
		    im->xlsx ? "sheet " : "the CSV file",
		    im->xlsx ? im->sheet : "", columns[C_CODE].head,
		    columns[C_ANSWER].head);
	return VR_OK;
}

/* A cell's text as a free text: CR LF as LF; "" when empty. */
static int
plain_text(const vr_grid_sheet_t *s, uint32_t row, uint32_t col,
    vr_value_t *v)
{
	const vr_cell_t	*c = col > 0 ? vr_grid_cell(s, row, col) : NULL;

	vr_value_clear(v);
	return cell_value(NULL, c, "text", v);
}

/* Adds one row's answer to im (value, note and evidence as the file says). */
static vr_err_e
add_answer(vr_sheet_import_t *im, uint32_t row, const char *code,
    size_t len, vr_value_t *value, vr_value_t *note, vr_value_t *evidence,
    vr_problem_t *p)
{
	vr_value_t	*item, *rec, *list = &im->answers[ASF_ANSWERS];
	uint32_t	*rows;

	if ((rows = realloc(im->rows, (list->n + 1) * sizeof(*rows))) == NULL)
		return vr_fail_oom(p);
	im->rows = rows;
	if ((item = vr_value_push(list)) == NULL ||
	    (rec = vr_value_set_record(&vr_answers_resource.fields[
	    ASF_ANSWERS].items[0], item)) == NULL ||
	    vr_value_set_text(&rec[ANF_QUESTION], code, len) == -1)
		return vr_fail_oom(p);
	im->rows[list->n - 1] = row;
	rec[ANF_VALUE] = *value;
	rec[ANF_NOTE] = *note;
	rec[ANF_EVIDENCE] = *evidence;
	memset(value, 0, sizeof(*value));
	memset(note, 0, sizeof(*note));
	memset(evidence, 0, sizeof(*evidence));
	/* Given, even when empty: the file is the truth for this row. */
	rec[ANF_VALUE].present = rec[ANF_NOTE].present =
	    rec[ANF_EVIDENCE].present = true;
	if (rec[ANF_NOTE].s == NULL)
		rec[ANF_NOTE].null = true;
	if (rec[ANF_EVIDENCE].s == NULL)
		rec[ANF_EVIDENCE].null = true;
	return VR_OK;
}

vr_err_e
vr_sheet_import(const vr_grid_t *g, bool xlsx, const char *secret,
    size_t secret_len, const vr_value_t *tpl, const char *tier,
    int64_t case_id, const vr_value_t *qs, const vr_value_t *answers,
    vr_sheet_import_t *im, vr_problem_t *p)
{
	const vr_value_t	*q, *list;
	const vr_grid_sheet_t	*s = NULL;
	vr_value_t		 value = { 0 }, note = { 0 }, evidence = { 0 };
	const char		*code;
	uint32_t		 row, k;
	size_t			 len, i;
	bool			 same;
	vr_err_e		 e = VR_OK;

	memset(im, 0, sizeof(*im));
	im->xlsx = xlsx;
	if (xlsx && (e = check_identity(g, secret, secret_len, tpl, tier,
	    case_id, p)) != VR_OK)
		return e;
	/* The sheet: the first that is not the hidden one (any name). */
	for (i = 0; i < g->n && s == NULL; i++)
		if (strcmp(g->sheets[i].name, META_SHEET) != 0)
			s = &g->sheets[i];
	if (s == NULL)
		return vr_fail(p, VR_E_INVALID, "not_a_check_sheet", NULL,
		    "the file holds no check sheet");
	snprintf(im->sheet, sizeof(im->sheet), "%s", s->name);
	if ((im->answers = vr_record_new(&vr_answers_resource)) == NULL)
		return vr_fail_oom(p);
	im->answers[ASF_ANSWERS].present = true;
	if ((e = find_columns(s, im, p)) != VR_OK)
		return e;
	list = &im->answers[ASF_ANSWERS];
	for (row = 2; row <= vr_grid_rows(s) && e == VR_OK; row++) {
		trimmed(cell_text(s, row, im->cols[IC_CODE]), &code, &len);
		if (len == 0) {
			for (k = IC_ANSWER; k < IC__MAX; k++)
				if (cell_text(s, row, im->cols[k])[0] != '\0')
					e = cell_fail(im, row, IC_CODE,
					    VR_E_INVALID, "no_question", "an "
					    "answer is given in this row but "
					    "no question code", "", p);
			continue;
		}
		if ((q = question_of(qs, code, len)) == NULL) {
			e = cell_fail(im, row, IC_CODE, VR_E_INVALID,
			    "unknown_question", "not a question of this "
			    "sheet: ", code, p);
			break;
		}
		for (i = 0; i < list->n; i++)
			if (strcmp(list->item[i].rec[ANF_QUESTION].s,
			    text_of(&q[TQF_CODE])) == 0)
				e = cell_fail(im, row, IC_CODE, VR_E_INVALID,
				    "duplicate_question", "a second row for "
				    "question ", text_of(&q[TQF_CODE]), p);
		if (e != VR_OK)
			break;
		if (cell_value(g, vr_grid_cell(s, row, im->cols[IC_ANSWER]),
		    text_of(&q[TQF_TYPE]), &value) == -1 ||
		    plain_text(s, row, im->cols[IC_NOTE], &note) == -1 ||
		    plain_text(s, row, im->cols[IC_EVIDENCE], &evidence) == -1 ||
		    same_as_stored(answers, text_of(&q[TQF_CODE]), &value,
		    text_of(&note), text_of(&evidence), &same) == -1)
			e = vr_fail_oom(p);
		else if (!same)
			e = add_answer(im, row, text_of(&q[TQF_CODE]),
			    strlen(text_of(&q[TQF_CODE])), &value, &note,
			    &evidence, p);
		vr_value_free(&vr_answer_resource.fields[ANF_VALUE], &value);
		vr_value_free(&vr_answer_resource.fields[ANF_NOTE], &note);
		vr_value_free(&vr_answer_resource.fields[ANF_EVIDENCE],
		    &evidence);
	}
	return e;
}

void
vr_sheet_import_locate(const vr_sheet_import_t *im, vr_problem_t *p)
{
	static const char *const members[IC__MAX] = {
		[IC_CODE] = "question", [IC_ANSWER] = "value",
		[IC_NOTE] = "note", [IC_EVIDENCE] = "evidence",
	};
	vr_problem_t	 was = *p;
	char		 member[32], *at, rest[VR_PROBLEM_DETAIL_MAX];
	size_t		 k, flen;
	int		 which, used = 0;

	if (p->err != VR_E_INVALID || im->answers == NULL ||
	    sscanf(p->field, "answers[%zu].%31[a-z_]%n", &k, member,
	    &used) != 2 || p->field[used] != '\0' ||
	    k >= im->answers[ASF_ANSWERS].n)
		return;
	for (which = 0; which < IC__MAX; which++)
		if (strcmp(members[which], member) == 0)
			break;
	if (which == IC__MAX || im->cols[which] == 0)
		return;
	/* The message without the field's path: the cell says where. */
	flen = strlen(was.field);
	if ((at = strstr(was.detail, was.field)) != NULL) {
		snprintf(rest, sizeof(rest), "%.*s%s", (int)(at - was.detail),
		    was.detail, at + flen);
		if (strncmp(rest, " ", 1) == 0)
			memmove(rest, rest + 1, strlen(rest));
	} else
		snprintf(rest, sizeof(rest), "%s", was.detail);
	vr_problem_clear(p);
	cell_fail(im, im->rows[k], which, was.err, was.code, "", rest, p);
}

void
vr_sheet_import_free(vr_sheet_import_t *im)
{
	vr_record_free(&vr_answers_resource, im->answers);
	free(im->rows);
	memset(im, 0, sizeof(*im));
}
