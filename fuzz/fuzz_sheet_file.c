/*
 * fuzz_sheet_file: the readers of a check sheet mailed back
 * (vr_grid_read_xlsx for a ZIP, vr_grid_read_csv for anything else), on
 * untrusted bytes as POST …/answers/import receives them.
 *
 * Invariants (abort() when broken):
 *  - a refusal is MALFORMED, TOO_LARGE or out of memory, with a detail,
 *    and leaves an empty grid;
 *  - an accepted grid holds at most VR_GRID_MAX_SHEETS sheets, each
 *    named, its cells strictly ordered by row then column, inside the
 *    row and column limits, each text valid UTF-8 of at most 4 *
 *    VR_GRID_MAX_TEXT bytes, and vr_grid_cell() finds every one of them.
 */
#include "codec/vr_grid.h"
#include "fuzz_common.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const vr_grid_sheet_t	*s;
	const vr_cell_t		*c;
	vr_grid_t		 g;
	vr_problem_t		 p;
	size_t			 i, k;
	vr_err_e		 e;

	vr_problem_clear(&p);
	e = size >= 4 && memcmp(data, "PK\x03\x04", 4) == 0 ?
	    vr_grid_read_xlsx((const char *)data, size, &g, &p) :
	    vr_grid_read_csv((const char *)data, size, &g, &p);
	if (e != VR_OK) {
		FUZZ_CHECK(e == VR_E_MALFORMED || e == VR_E_TOO_LARGE ||
		    e == VR_E_INTERNAL, "error %d", (int)e);
		FUZZ_CHECK(p.detail[0] != '\0', "a refusal says why");
		FUZZ_CHECK(g.n == 0, "a refused grid is empty");
		return 0;
	}
	FUZZ_CHECK(g.n <= VR_GRID_MAX_SHEETS, "%zu sheets", g.n);
	for (i = 0; i < g.n; i++) {
		s = &g.sheets[i];
		FUZZ_CHECK(s->name != NULL, "sheet %zu has a name", i);
		for (k = 0; k < s->n; k++) {
			c = &s->cells[k];
			FUZZ_CHECK(c->row >= 1 && c->row <= VR_GRID_MAX_ROWS &&
			    c->col >= 1 && c->col <= VR_GRID_MAX_COLS,
			    "cell %u,%u in range", c->row, c->col);
			FUZZ_CHECK(k == 0 || s->cells[k - 1].row < c->row ||
			    (s->cells[k - 1].row == c->row &&
			    s->cells[k - 1].col < c->col), "cells ordered");
			FUZZ_CHECK(strlen(c->text) <= 4 * VR_GRID_MAX_TEXT &&
			    vr_utf8_valid(c->text, strlen(c->text)),
			    "cell text is UTF-8");
			FUZZ_CHECK(vr_grid_cell(s, c->row, c->col) == c,
			    "the cell is found");
		}
	}
	vr_grid_free(&g);
	return 0;
}
