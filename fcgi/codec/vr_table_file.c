/*
 * vr_table_file: CSV fields, tables of text as CSV or xlsx, and the
 * temporary file a workbook is made in (see vr_table_file.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vr_table_file.h"

int
vr_csv_field(vr_buf_t *out, const char *s, bool first)
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
vr_workbook_make(vr_workbook_fill_fn fill, void *ctx, vr_buf_t *out,
    vr_problem_t *p)
{
	lxw_workbook_options	 opt = { 0 };
	lxw_workbook		*wb;
	char			 path[] = "/tmp/vendor-review-sheet-XXXXXX";
	int			 fd, rc = -1;

	/* libxlsxwriter 1.1 writes to a file: a private one, gone at once. */
	if ((fd = mkstemp(path)) == -1)
		return vr_fail(p, VR_E_INTERNAL, "no_temp_file", NULL,
		    "no temporary file for the workbook: %s", strerror(errno));
	close(fd);
	opt.tmpdir = "/tmp";
	if ((wb = workbook_new_opt(path, &opt)) != NULL) {
		rc = fill(wb, ctx);
		if (workbook_close(wb) != LXW_NO_ERROR)
			rc = -1;
		if (rc == 0)
			rc = slurp(path, out);
	}
	unlink(path);
	return rc == 0 ? VR_OK : vr_fail(p, VR_E_INTERNAL, "xlsx_failed",
	    NULL, "the workbook could not be written");
}

int
vr_csv_head(vr_buf_t *out, const vr_table_col_t *cols, size_t ncols)
{
	size_t	 c;
	int	 rc;

	/* The BOM tells Excel the file is UTF-8. */
	rc = vr_buf_puts(out, "\xEF\xBB\xBF");
	for (c = 0; c < ncols && rc == 0; c++)
		rc = vr_csv_field(out, cols[c].head, c == 0);
	return rc == 0 ? vr_buf_append(out, "\r\n", 2) : -1;
}

vr_err_e
vr_table_csv(const vr_table_col_t *cols, size_t ncols,
    const char *const *cells, size_t nrows, vr_buf_t *out, vr_problem_t *p)
{
	size_t	 r, c;
	int	 rc;

	rc = vr_csv_head(out, cols, ncols);
	for (r = 0; r < nrows && rc == 0; r++) {
		for (c = 0; c < ncols && rc == 0; c++)
			rc = vr_csv_field(out, cells[r * ncols + c], c == 0);
		if (rc == 0)
			rc = vr_buf_append(out, "\r\n", 2);
	}
	return rc == 0 ? VR_OK : vr_fail_oom(p);
}

struct table {
	const char		*sheet;
	const vr_table_col_t	*cols;
	size_t			 ncols, nrows;
	const char *const	*cells;
};

lxw_worksheet *
vr_table_sheet(lxw_workbook *wb, const char *name, const vr_table_col_t *cols,
    size_t ncols, lxw_format **wrap)
{
	lxw_worksheet	*ws = workbook_add_worksheet(wb, name);
	lxw_format	*head = workbook_add_format(wb);
	size_t		 c;

	*wrap = workbook_add_format(wb);
	if (ws == NULL || head == NULL || *wrap == NULL)
		return NULL;
	format_set_bold(head);
	format_set_text_wrap(head);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_text_wrap(*wrap);
	format_set_align(*wrap, LXW_ALIGN_VERTICAL_TOP);
	for (c = 0; c < ncols; c++)
		if (worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
		    cols[c].width, NULL) != LXW_NO_ERROR ||
		    worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c].head,
		    head) != LXW_NO_ERROR)
			return NULL;
	worksheet_freeze_panes(ws, 1, 2);
	return ws;
}

static int
fill_table(lxw_workbook *wb, void *arg)
{
	const struct table	*t = arg;
	lxw_worksheet		*ws;
	lxw_format		*wrap;
	const char		*s;
	size_t			 r, c;

	if ((ws = vr_table_sheet(wb, t->sheet, t->cols, t->ncols, &wrap)) ==
	    NULL)
		return -1;
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			if ((s = t->cells[r * t->ncols + c])[0] != '\0' &&
			    worksheet_write_string(ws, (lxw_row_t)(r + 1),
			    (lxw_col_t)c, s, wrap) != LXW_NO_ERROR)
				return -1;
	return worksheet_autofilter(ws, 0, 0, (lxw_row_t)t->nrows,
	    (lxw_col_t)(t->ncols - 1)) == LXW_NO_ERROR ? 0 : -1;
}

vr_err_e
vr_table_xlsx(const char *sheet, const vr_table_col_t *cols, size_t ncols,
    const char *const *cells, size_t nrows, vr_buf_t *out, vr_problem_t *p)
{
	struct table	 t = { sheet, cols, ncols, nrows, cells };

	return vr_workbook_make(fill_table, &t, out, p);
}
