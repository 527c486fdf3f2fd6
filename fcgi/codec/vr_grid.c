/*
 * vr_grid: cells of text from a returned spreadsheet (see vr_grid.h), and
 * the CSV reader.  A CSV file comes back from a vendor in whatever Excel
 * saved: UTF-8 with a BOM ("CSV UTF-8"), Shift_JIS ("CSV" on a Japanese
 * PC), UTF-16 with tabs ("Unicode text"), comma or semicolon separated.
 * Anything that is not valid UTF-8 is converted with iconv(3) first.
 */
#include <errno.h>
#include <iconv.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/vr_buf.h"
#include "../core/vr_field.h"
#include "vr_grid.h"

void
vr_grid_free(vr_grid_t *g)
{
	size_t	 i, k;

	for (i = 0; i < g->n; i++) {
		for (k = 0; k < g->sheets[i].n; k++)
			free(g->sheets[i].cells[k].text);
		free(g->sheets[i].cells);
		free(g->sheets[i].name);
	}
	memset(g, 0, sizeof(*g));
}

int
vr_grid_put(vr_grid_sheet_t *s, uint32_t row, uint32_t col,
    const char *text, size_t len, bool number)
{
	vr_cell_t	*c;
	size_t		 cap;

	if (row == 0 || col == 0 || row > VR_GRID_MAX_ROWS ||
	    col > VR_GRID_MAX_COLS || s->n >= VR_GRID_MAX_CELLS ||
	    len > VR_GRID_MAX_TEXT * 4)
		return -1;
	if (s->n == s->cap) {
		cap = s->cap ? s->cap * 2 : 64;
		if ((c = realloc(s->cells, cap * sizeof(*c))) == NULL)
			return -1;
		s->cells = c;
		s->cap = cap;
	}
	c = &s->cells[s->n];
	if ((c->text = malloc(len + 1)) == NULL)
		return -1;
	memcpy(c->text, text, len);
	c->text[len] = '\0';
	c->row = row;
	c->col = col;
	c->number = number;
	s->n++;
	return 0;
}

static int
cell_order(const void *a, const void *b)
{
	const vr_cell_t	*x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

vr_err_e
vr_grid_finish(vr_grid_t *g, vr_problem_t *p)
{
	vr_grid_sheet_t	*s;
	char		 at[16];
	size_t		 i, k;

	for (i = 0; i < g->n; i++) {
		s = &g->sheets[i];
		if (s->n > 1)
			qsort(s->cells, s->n, sizeof(*s->cells), cell_order);
		for (k = 1; k < s->n; k++)
			if (cell_order(&s->cells[k - 1], &s->cells[k]) == 0) {
				vr_grid_cell_name(s->cells[k].row,
				    s->cells[k].col, at);
				return vr_fail(p, VR_E_MALFORMED, "bad_file",
				    NULL, "sheet %s holds cell %s twice",
				    s->name, at);
			}
	}
	return VR_OK;
}

const vr_grid_sheet_t *
vr_grid_sheet(const vr_grid_t *g, const char *name)
{
	size_t	 i;

	for (i = 0; i < g->n; i++)
		if (strcmp(g->sheets[i].name, name) == 0)
			return &g->sheets[i];
	return NULL;
}

const vr_cell_t *
vr_grid_cell(const vr_grid_sheet_t *s, uint32_t row, uint32_t col)
{
	vr_cell_t	 key = { .row = row, .col = col };

	if (s == NULL || s->n == 0)
		return NULL;
	return bsearch(&key, s->cells, s->n, sizeof(*s->cells), cell_order);
}

uint32_t
vr_grid_rows(const vr_grid_sheet_t *s)
{
	return s == NULL || s->n == 0 ? 0 : s->cells[s->n - 1].row;
}

void
vr_grid_cell_name(uint32_t row, uint32_t col, char out[16])
{
	char	 letters[8];
	size_t	 n = 0, i;

	/* Bijective base 26: 1 = A, 26 = Z, 27 = AA. */
	for (; col > 0 && n < sizeof(letters); col = (col - 1) / 26)
		letters[n++] = (char)('A' + (col - 1) % 26);
	for (i = 0; i < n; i++)
		out[i] = letters[n - 1 - i];
	snprintf(out + n, 16 - n, "%" PRIu32, row);
}

/* ---- CSV ----------------------------------------------------------------- */

/* data converted from charset into UTF-8 in out; -1 when it does not convert. */
static int
to_utf8(const char *charset, const char *data, size_t len, vr_buf_t *out)
{
	iconv_t	 cd;
	char	*in = (char *)data, *dst;
	size_t	 left = len, room, before;
	int	 rc = 0;

	if ((cd = iconv_open("UTF-8", charset)) == (iconv_t)-1)
		return -1;
	while (left > 0 && rc == 0) {
		room = left * 2 + 16;
		if ((dst = vr_buf_space(out, room)) == NULL) {
			rc = -1;
			break;
		}
		before = room;
		if (iconv(cd, &in, &left, &dst, &room) == (size_t)-1 &&
		    errno != E2BIG)
			rc = -1;
		vr_buf_commit(out, before - room);
	}
	iconv_close(cd);
	return rc;
}

/* The separator Excel used: the most frequent of , ; TAB in line one. */
static char
separator(const char *s, const char *end)
{
	size_t	 comma = 0, semi = 0, tab = 0;
	bool	 quoted = false;

	for (; s < end && (quoted || (*s != '\n' && *s != '\r')); s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (!quoted) {
			comma += *s == ',';
			semi += *s == ';';
			tab += *s == '\t';
		}
	}
	if (tab > comma && tab > semi)
		return '\t';
	return semi > comma ? ';' : ',';
}

static vr_err_e
parse_csv(const char *s, size_t len, vr_grid_sheet_t *sh, vr_problem_t *p)
{
	const char	*end = s + len;
	vr_buf_t	 field = { 0 };
	uint32_t	 row = 1, col = 1, line = 1;
	char		 sep = separator(s, end);
	bool		 quoted, at_end;
	vr_err_e	 e = VR_OK;

	while (s < end && e == VR_OK) {
		vr_buf_reset(&field);
		quoted = *s == '"';
		if (quoted) {
			for (s++;; s++) {
				if (s == end) {
					e = vr_fail(p, VR_E_MALFORMED,
					    "bad_file", NULL, "CSV line %"
					    PRIu32 ": a quoted field is not "
					    "closed", line);
					break;
				}
				if (*s == '"' && s + 1 < end && s[1] == '"')
					s++;
				else if (*s == '"') {
					s++;
					break;
				}
				line += *s == '\n';
				if (vr_buf_append(&field, s, 1) == -1)
					e = vr_fail_oom(p);
			}
		}
		/* Unquoted text (or what follows a closing quote) to the end. */
		for (; e == VR_OK && s < end && *s != sep && *s != '\n' &&
		    *s != '\r'; s++)
			if (vr_buf_append(&field, s, 1) == -1)
				e = vr_fail_oom(p);
		if (e != VR_OK)
			break;
		if (field.len > 0 && vr_grid_put(sh, row, col, field.data,
		    field.len, false) == -1) {
			e = vr_fail(p, VR_E_MALFORMED, "bad_file", NULL,
			    "CSV line %" PRIu32 ": more than %u rows, %u "
			    "columns or %u characters in a field", line,
			    VR_GRID_MAX_ROWS, VR_GRID_MAX_COLS,
			    VR_GRID_MAX_TEXT);
			break;
		}
		at_end = s == end;
		if (!at_end && *s == sep) {
			s++;
			col++;
			continue;
		}
		if (!at_end && *s == '\r')
			s++;
		if (s < end && *s == '\n')
			s++;
		row++;
		line++;
		col = 1;
	}
	vr_buf_free(&field);
	return e;
}

vr_err_e
vr_grid_read_csv(const char *data, size_t len, vr_grid_t *g,
    vr_problem_t *p)
{
	vr_buf_t	 conv = { 0 };
	vr_grid_sheet_t	*sh;
	const char	*charset = NULL;
	vr_err_e	 e;

	memset(g, 0, sizeof(*g));
	if (len >= 2 && ((unsigned char)data[0] == 0xFF &&
	    (unsigned char)data[1] == 0xFE))
		charset = "UTF-16";	/* reads the BOM itself */
	else if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (charset == NULL && (memchr(data, '\0', len) != NULL ||
	    !vr_utf8_valid(data, len)))
		charset = "CP932";
	if (charset != NULL) {
		if (to_utf8(charset, data, len, &conv) == -1 ||
		    memchr(conv.data, '\0', conv.len) != NULL) {
			vr_buf_free(&conv);
			return vr_fail(p, VR_E_MALFORMED, "bad_file", NULL,
			    "the CSV file is neither UTF-8 nor Shift_JIS "
			    "text");
		}
		data = conv.data != NULL ? conv.data : "";
		len = conv.len;
		if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
			data += 3;
			len -= 3;
		}
	}
	sh = &g->sheets[g->n++];
	if ((sh->name = strdup("CSV")) == NULL)
		e = vr_fail_oom(p);
	else if ((e = parse_csv(data, len, sh, p)) == VR_OK)
		e = vr_grid_finish(g, p);
	vr_buf_free(&conv);
	if (e != VR_OK)
		vr_grid_free(g);
	return e;
}
