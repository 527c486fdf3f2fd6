/*
 * vr_table_file: what the spreadsheet files we send share (the check
 * sheet, the vendor register): CSV fields as RFC 4180 wants them, a
 * table of text cells as CSV or as a one-sheet workbook, and the
 * workbook's life in a private temporary file (libxlsxwriter writes
 * files, not memory).
 */
#ifndef VR_TABLE_FILE_H
#define VR_TABLE_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include <xlsxwriter.h>

#include "../core/vr_buf.h"
#include "../core/vr_err.h"

#define VR_XLSX_MEDIA_TYPE \
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define VR_CSV_MEDIA_TYPE	"text/csv; charset=utf-8"

/* A column: its header (bilingual) and width in the workbook. */
typedef struct vr_table_col {
	const char	*head;
	double		 width;
} vr_table_col_t;

/* Appends one CSV field, after a comma unless first; 0 or -1 (memory). */
int		 vr_csv_field(vr_buf_t *, const char *, bool first);
/* A UTF-8 BOM (so Excel reads UTF-8) and the header row; 0 or -1. */
int		 vr_csv_head(vr_buf_t *, const vr_table_col_t *, size_t ncols);
/*
 * Makes a workbook: fill(wb, ctx) adds its sheets (0, or -1 for a failed
 * libxlsxwriter call), then the file is appended to out.  INTERNAL when
 * it could not be made.
 */
typedef int (*vr_workbook_fill_fn)(lxw_workbook *, void *);
vr_err_e	 vr_workbook_make(vr_workbook_fill_fn, void *, vr_buf_t *out,
		    vr_problem_t *);
/*
 * Adds a sheet called name whose row 1 is the headers of cols (bold,
 * frozen with the first two columns); *wrap is the format of its cells
 * (wrapped, top-aligned).  NULL when libxlsxwriter failed.
 */
lxw_worksheet	*vr_table_sheet(lxw_workbook *, const char *name,
		    const vr_table_col_t *, size_t ncols, lxw_format **wrap);
/*
 * A table as CSV (a UTF-8 BOM, a header row, nrows rows of ncols cells,
 * row-major, "" for empty) or as a workbook with one sheet called sheet
 * (bold header row, frozen, wrapped text).
 */
vr_err_e	 vr_table_csv(const vr_table_col_t *, size_t ncols,
		    const char *const *cells, size_t nrows, vr_buf_t *out,
		    vr_problem_t *);
vr_err_e	 vr_table_xlsx(const char *sheet, const vr_table_col_t *,
		    size_t ncols, const char *const *cells, size_t nrows,
		    vr_buf_t *out, vr_problem_t *);

#endif
