/*
 * vr_grid: a spreadsheet as cells of text, whichever file it came in: a
 * returned check sheet read from xlsx (vr_grid_read_xlsx, in
 * vr_xlsx_read.c) or CSV (vr_grid_read_csv).  Both readers take
 * untrusted bytes and cap what they build (VR_GRID_MAX_*), so a hostile
 * file costs bounded memory.  Rows and columns count from 1, as a
 * spreadsheet shows them.
 */
#ifndef VR_GRID_H
#define VR_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/vr_err.h"

#define VR_GRID_MAX_SHEETS	32
#define VR_GRID_MAX_ROWS	10000u
#define VR_GRID_MAX_COLS	64u
#define VR_GRID_MAX_CELLS	100000u
#define VR_GRID_MAX_TEXT	32767u	/* Excel's own limit on a cell */

typedef struct vr_cell {
	uint32_t	 row, col;
	bool		 number;	/* a numeric xlsx cell: text is its value */
	char		*text;		/* UTF-8, never NULL */
} vr_cell_t;

typedef struct vr_grid_sheet {
	char		*name;
	vr_cell_t	*cells;		/* sorted by row, then column */
	size_t		 n, cap;
} vr_grid_sheet_t;

typedef struct vr_grid {
	vr_grid_sheet_t	 sheets[VR_GRID_MAX_SHEETS];
	size_t		 n;
	bool		 date1904;	/* serial dates count from 1904 */
} vr_grid_t;

/*
 * CSV (RFC 4180, "," or ";" or TAB as Excel writes by locale) in UTF-8,
 * with or without a BOM, or in Shift_JIS (CP932: what Excel saves as
 * "CSV" on a Japanese PC), into one sheet named "CSV".  MALFORMED
 * ("bad_file") naming the line for what cannot be read.
 */
vr_err_e	 vr_grid_read_csv(const char *data, size_t len, vr_grid_t *,
		    vr_problem_t *);
/*
 * An xlsx workbook (Office Open XML, as Excel, LibreOffice and
 * libxlsxwriter write it): every worksheet's cells.  MALFORMED
 * ("bad_file") for a file that is no workbook, damaged, or beyond the
 * limits; TOO_LARGE for a part that unpacks too large.
 */
vr_err_e	 vr_grid_read_xlsx(const char *data, size_t len, vr_grid_t *,
		    vr_problem_t *);
void		 vr_grid_free(vr_grid_t *);

/* The sheet called name, or NULL. */
const vr_grid_sheet_t *vr_grid_sheet(const vr_grid_t *, const char *name);
/* The cell at row, col, or NULL when it is empty. */
const vr_cell_t	*vr_grid_cell(const vr_grid_sheet_t *, uint32_t row,
		    uint32_t col);
/* The last row that holds a cell (0 for an empty sheet). */
uint32_t	 vr_grid_rows(const vr_grid_sheet_t *);
/* "K5": a cell's name as a spreadsheet shows it. */
void		 vr_grid_cell_name(uint32_t row, uint32_t col, char out[16]);

/* For the readers: adds a cell (text copied); -1 past the limits / OOM. */
int		 vr_grid_put(vr_grid_sheet_t *, uint32_t row, uint32_t col,
		    const char *text, size_t len, bool number);
/* For the readers: sorts each sheet's cells, refusing a repeated cell. */
vr_err_e	 vr_grid_finish(vr_grid_t *, vr_problem_t *);

#endif
