/*
 * vr_xlsx_read: the cells of an xlsx workbook a vendor sends back (see
 * vr_grid.h).  Debian has no C library that reads xlsx, so this is
 * libzip for the package and the hardened parse every XML body gets
 * (vr_xml_parse_untrusted: no DOCTYPE, no network, depth capped) for
 * its parts, the workbook, its relationships, the shared strings and
 * each worksheet.  The file is untrusted:
 *  - at most MAX_ENTRIES members; a member name that climbs ("..", a
 *    leading "/", a backslash) refuses the file, and so does a part
 *    target that would leave the package;
 *  - each part is read with a cap on the bytes it unpacks to, counted
 *    as they come (the sizes in the ZIP directory are the sender's
 *    word), and one that unpacks to more than MAX_RATIO times its
 *    packed size past 1 MiB is a zip bomb, refused before inflating;
 *  - the grid caps rows, columns, cells and text (vr_grid.h).
 * Nothing is ever written to disk.  Text keeps its line breaks; the
 * _xHHHH_ escapes of OOXML strings are decoded; phonetic runs (rPh,
 * furigana Excel adds to Japanese text) are not the cell's text.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <zip.h>

#include "../core/vr_buf.h"
#include "vr_grid.h"
#include "vr_xml_private.h"

#define MAX_ENTRIES	1000
#define MAX_PART	(16u * 1024 * 1024)
#define MAX_TOTAL	(64u * 1024 * 1024)
#define MAX_RATIO	100
#define MAX_STRINGS	200000u

typedef struct xlsx {
	zip_t		*zip;
	uint64_t	 unpacked;	/* bytes read out of every part */
	char		**strings;	/* the shared strings */
	size_t		 nstrings;
	vr_problem_t	*p;
} xlsx_t;

static vr_err_e
bad(xlsx_t *x, const char *part, const char *what)
{
	return vr_fail(x->p, VR_E_MALFORMED, "bad_file", NULL,
	    "not a readable xlsx workbook: %s%s%s", part ? part : "",
	    part ? ": " : "", what);
}

/* A member name that could reach outside the package if extracted. */
static bool
climbs(const char *name)
{
	const char	*s;

	if (name[0] == '/' || name[0] == '\0' || strchr(name, '\\') != NULL)
		return true;
	for (s = name; (s = strstr(s, "..")) != NULL; s += 2)
		if ((s == name || s[-1] == '/') && (s[2] == '/' || s[2] == '\0'))
			return true;
	return false;
}

/* Reads member name into out; VR_E_NOT_FOUND when it is absent. */
static vr_err_e
read_part(xlsx_t *x, const char *name, vr_buf_t *out)
{
	zip_stat_t	 st;
	zip_file_t	*f;
	zip_int64_t	 idx, n;
	char		*dst;
	vr_err_e	 e = VR_OK;

	vr_buf_reset(out);
	if ((idx = zip_name_locate(x->zip, name, 0)) < 0)
		return VR_E_NOT_FOUND;
	zip_stat_init(&st);
	if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) == -1)
		return bad(x, name, "its entry cannot be read");
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st.encryption_method != ZIP_EM_NONE)
		return bad(x, name, "it is encrypted");
	if ((st.valid & ZIP_STAT_SIZE) && (st.size > MAX_PART ||
	    ((st.valid & ZIP_STAT_COMP_SIZE) && st.size > 1024 * 1024 &&
	    st.size / MAX_RATIO > st.comp_size)))
		return vr_fail(x->p, VR_E_TOO_LARGE, "too_large", NULL,
		    "%s unpacks to %" PRIu64 " bytes: too large for a check "
		    "sheet", name, (uint64_t)st.size);
	if ((f = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0)) == NULL)
		return bad(x, name, "it cannot be unpacked");
	for (;;) {
		if ((dst = vr_buf_space(out, 65536)) == NULL) {
			e = vr_fail_oom(x->p);
			break;
		}
		if ((n = zip_fread(f, dst, 65536)) <= 0) {
			if (n < 0)
				e = bad(x, name, "it is damaged");
			vr_buf_commit(out, 0);
			break;
		}
		vr_buf_commit(out, (size_t)n);
		x->unpacked += (uint64_t)n;
		if (out->len > MAX_PART || x->unpacked > MAX_TOTAL) {
			e = vr_fail(x->p, VR_E_TOO_LARGE, "too_large", NULL,
			    "%s unpacks to more than a check sheet can hold",
			    name);
			break;
		}
	}
	zip_fclose(f);
	return e;
}

/* Parses part name as XML; NOT_FOUND when absent. */
static vr_err_e
parse_part(xlsx_t *x, const char *name, xmlDocPtr *doc)
{
	vr_buf_t	 b = { 0 };
	vr_problem_t	 why;
	vr_err_e	 e;

	*doc = NULL;
	vr_problem_clear(&why);
	if ((e = read_part(x, name, &b)) == VR_OK &&
	    vr_xml_parse_untrusted(b.data, b.len, doc, &why) != VR_OK)
		e = bad(x, name, why.detail);
	vr_buf_free(&b);
	return e;
}

static bool
named(const xmlNode *n, const char *local)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, local) == 0;
}

/* The first child element called local, or NULL. */
static xmlNode *
child(const xmlNode *n, const char *local)
{
	xmlNode	*c;

	for (c = n != NULL ? n->children : NULL; c != NULL; c = c->next)
		if (named(c, local))
			return c;
	return NULL;
}

/*
 * The value of attribute local of n: without a namespace, or (ns) in
 * any namespace, since strict OOXML moves the relationship one.
 */
static const char *
attr(const xmlNode *n, const char *local, bool ns)
{
	const xmlAttr	*a;

	for (a = n->properties; a != NULL; a = a->next)
		if (strcmp((const char *)a->name, local) == 0 &&
		    (a->ns != NULL) == ns)
			return a->children != NULL &&
			    a->children->type == XML_TEXT_NODE &&
			    a->children->next == NULL ?
			    (const char *)a->children->content : "";
	return NULL;
}

/* Appends cp as UTF-8. */
static int
put_utf8(vr_buf_t *b, unsigned cp)
{
	char	 u[4];
	size_t	 n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	}
	return vr_buf_append(b, u, n);
}

/* Appends the text of element t, its _xHHHH_ escapes decoded. */
static int
put_text(vr_buf_t *b, const xmlNode *t)
{
	xmlChar		*raw = xmlNodeGetContent(t);
	const char	*s;
	unsigned	 cp;
	int		 rc = 0;

	if (raw == NULL)
		return 0;
	for (s = (const char *)raw; *s != '\0' && rc == 0; s++) {
		if (s[0] == '_' && s[1] == 'x' &&
		    strspn(s + 2, "0123456789abcdefABCDEF") >= 4 &&
		    s[6] == '_' && sscanf(s + 2, "%4x", &cp) == 1 &&
		    (cp < 0xD800 || cp > 0xDFFF) && cp != 0) {
			rc = put_utf8(b, cp);
			s += 6;
		} else
			rc = vr_buf_append(b, s, 1);
	}
	xmlFree(raw);
	return rc;
}

/* The text of a string item (si, is): its t, or its runs' t, not rPh. */
static int
put_string_item(vr_buf_t *b, const xmlNode *si)
{
	const xmlNode	*c;
	int		 rc = 0;

	for (c = si->children; c != NULL && rc == 0; c = c->next)
		if (named(c, "t"))
			rc = put_text(b, c);
		else if (named(c, "r"))
			rc = put_text(b, child(c, "t"));
	return rc;
}

static vr_err_e
read_strings(xlsx_t *x, const char *part)
{
	xmlDocPtr	 doc;
	xmlNode		*si;
	vr_buf_t	 b = { 0 };
	char		**grown;
	size_t		 cap = 0;
	vr_err_e	 e;

	if ((e = parse_part(x, part, &doc)) != VR_OK)
		return e == VR_E_NOT_FOUND ? VR_OK : e;
	for (si = xmlDocGetRootElement(doc)->children; si != NULL &&
	    e == VR_OK; si = si->next) {
		if (!named(si, "si"))
			continue;
		vr_buf_reset(&b);
		if (x->nstrings == MAX_STRINGS)
			e = bad(x, part, "too many strings");
		else if (put_string_item(&b, si) == -1 ||
		    vr_buf_append(&b, "", 0) == -1)
			e = vr_fail_oom(x->p);
		else if (x->nstrings == cap) {
			cap = cap ? cap * 2 : 256;
			if ((grown = realloc(x->strings, cap *
			    sizeof(*grown))) == NULL)
				e = vr_fail_oom(x->p);
			else
				x->strings = grown;
		}
		if (e == VR_OK && (x->strings[x->nstrings] =
		    strdup(b.data != NULL ? b.data : "")) == NULL)
			e = vr_fail_oom(x->p);
		else if (e == VR_OK)
			x->nstrings++;
	}
	vr_buf_free(&b);
	xmlFreeDoc(doc);
	return e;
}

/* "K5" into row 5, col 11; -1 for anything else. */
static int
cell_ref(const char *r, uint32_t *row, uint32_t *col)
{
	uint64_t	 c = 0, w = 0;

	for (; *r >= 'A' && *r <= 'Z' && c <= VR_GRID_MAX_COLS; r++)
		c = c * 26 + (uint64_t)(*r - 'A' + 1);
	for (; *r >= '0' && *r <= '9' && w <= VR_GRID_MAX_ROWS; r++)
		w = w * 10 + (uint64_t)(*r - '0');
	if (*r != '\0' || c == 0 || w == 0)
		return -1;
	*row = (uint32_t)w;
	*col = (uint32_t)c;
	return 0;
}

/* A row or cell number past the limits is the grid's refusal too. */
static uint32_t
number_attr(const xmlNode *n, const char *local, uint32_t def)
{
	const char	*s = attr(n, local, false);
	char		*end;
	unsigned long	 v;

	if (s == NULL)
		return def;
	v = strtoul(s, &end, 10);
	return *end != '\0' || v > VR_GRID_MAX_ROWS ? UINT32_MAX : (uint32_t)v;
}

static vr_err_e
read_cell(xlsx_t *x, vr_grid_sheet_t *s, const char *part, xmlNode *c,
    uint32_t row, uint32_t col, vr_buf_t *b)
{
	const char	*type = attr(c, "t", false);
	char		*end;
	unsigned long	 k;
	bool		 number = type == NULL || strcmp(type, "n") == 0;

	vr_buf_reset(b);
	if (type != NULL && strcmp(type, "inlineStr") == 0) {
		if (child(c, "is") != NULL &&
		    put_string_item(b, child(c, "is")) == -1)
			return vr_fail_oom(x->p);
	} else if (type != NULL && strcmp(type, "s") == 0) {
		if (child(c, "v") == NULL)
			return VR_OK;
		if (put_text(b, child(c, "v")) == -1 ||
		    vr_buf_append(b, "", 0) == -1)
			return vr_fail_oom(x->p);
		k = strtoul(b->data, &end, 10);
		if (*end != '\0' || end == b->data || k >= x->nstrings)
			return bad(x, part, "a cell names a string that does "
			    "not exist");
		vr_buf_reset(b);
		if (vr_buf_puts(b, x->strings[k]) == -1)
			return vr_fail_oom(x->p);
	} else if (child(c, "v") != NULL &&
	    put_text(b, child(c, "v")) == -1)
		return vr_fail_oom(x->p);
	if (b->len == 0)
		return VR_OK;
	if (vr_grid_put(s, row, col, b->data, b->len, number) == -1)
		return vr_fail(x->p, VR_E_MALFORMED, "bad_file", NULL,
		    "sheet %s: more than %u rows, %u columns, %u cells or "
		    "%u characters in a cell", s->name, VR_GRID_MAX_ROWS,
		    VR_GRID_MAX_COLS, VR_GRID_MAX_CELLS, VR_GRID_MAX_TEXT);
	return VR_OK;
}

static vr_err_e
read_sheet(xlsx_t *x, vr_grid_sheet_t *s, const char *part)
{
	xmlDocPtr	 doc;
	xmlNode		*data, *r, *c;
	vr_buf_t	 b = { 0 };
	uint32_t	 row = 0, col;
	const char	*ref;
	vr_err_e	 e;

	if ((e = parse_part(x, part, &doc)) != VR_OK)
		return e == VR_E_NOT_FOUND ? bad(x, part, "the sheet is "
		    "missing") : e;
	data = child(xmlDocGetRootElement(doc), "sheetData");
	for (r = data != NULL ? data->children : NULL; r != NULL &&
	    e == VR_OK; r = r->next) {
		if (!named(r, "row"))
			continue;
		row = number_attr(r, "r", row + 1);
		col = 0;
		for (c = r->children; c != NULL && e == VR_OK; c = c->next) {
			if (!named(c, "c"))
				continue;
			col++;
			if ((ref = attr(c, "r", false)) != NULL &&
			    (cell_ref(ref, &row, &col) == -1 ||
			    row != number_attr(r, "r", row)))
				e = bad(x, part, "a cell has a bad reference");
			else
				e = read_cell(x, s, part, c, row, col, &b);
		}
	}
	vr_buf_free(&b);
	xmlFreeDoc(doc);
	return e;
}

/* The part a relationship target names, from xl/; -1 if it leaves. */
static int
target_part(const char *target, char *out, size_t outlen)
{
	int	 n;

	n = target[0] == '/' ? snprintf(out, outlen, "%s", target + 1) :
	    snprintf(out, outlen, "xl/%s", target);
	return n < 0 || (size_t)n >= outlen || climbs(out) ? -1 : 0;
}

/* The target of relationship id in rels (a parsed .rels), or NULL. */
static const char *
rel_target(xmlDocPtr rels, const char *id, const char *type_suffix)
{
	const xmlNode	*r;
	const char	*v, *t;
	size_t		 tl, sl;

	for (r = rels != NULL ? xmlDocGetRootElement(rels)->children : NULL;
	    r != NULL; r = r->next) {
		if (!named(r, "Relationship"))
			continue;
		if (id != NULL && (v = attr(r, "Id", false)) != NULL &&
		    strcmp(v, id) == 0)
			return attr(r, "Target", false);
		if (type_suffix != NULL && (t = attr(r, "Type", false)) !=
		    NULL && (tl = strlen(t)) >= (sl = strlen(type_suffix)) &&
		    strcmp(t + tl - sl, type_suffix) == 0)
			return attr(r, "Target", false);
	}
	return NULL;
}

static vr_err_e
check_members(xlsx_t *x)
{
	zip_int64_t	 n, i;
	const char	*name;

	if ((n = zip_get_num_entries(x->zip, 0)) < 0 || n > MAX_ENTRIES)
		return bad(x, NULL, "more members than a workbook has");
	for (i = 0; i < n; i++)
		if ((name = zip_get_name(x->zip, (zip_uint64_t)i, 0)) == NULL ||
		    climbs(name))
			return bad(x, NULL, "a member's name leaves the "
			    "package");
	return VR_OK;
}

static vr_err_e
read_workbook(xlsx_t *x, vr_grid_t *g)
{
	xmlDocPtr	 wb = NULL, rels = NULL;
	xmlNode		*sheets, *sh, *pr;
	const char	*name, *id, *target, *v;
	char		 part[512];
	vr_grid_sheet_t	*s;
	vr_err_e	 e;

	if ((e = check_members(x)) != VR_OK)
		return e;
	if ((e = parse_part(x, "xl/workbook.xml", &wb)) != VR_OK ||
	    (e = parse_part(x, "xl/_rels/workbook.xml.rels", &rels)) != VR_OK) {
		if (e == VR_E_NOT_FOUND)
			e = bad(x, NULL, "it has no xl/workbook.xml and its "
			    "relationships");
		goto out;
	}
	if ((pr = child(xmlDocGetRootElement(wb), "workbookPr")) != NULL &&
	    (v = attr(pr, "date1904", false)) != NULL)
		g->date1904 = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
	target = rel_target(rels, NULL, "/sharedStrings");
	if (target != NULL && target_part(target, part, sizeof(part)) == -1) {
		e = bad(x, "xl/_rels/workbook.xml.rels", "a target leaves "
		    "the package");
		goto out;
	}
	if (target != NULL && (e = read_strings(x, part)) != VR_OK)
		goto out;
	sheets = child(xmlDocGetRootElement(wb), "sheets");
	for (sh = sheets != NULL ? sheets->children : NULL; sh != NULL &&
	    e == VR_OK; sh = sh->next) {
		if (!named(sh, "sheet"))
			continue;
		if ((name = attr(sh, "name", false)) == NULL ||
		    (id = attr(sh, "id", true)) == NULL ||
		    (target = rel_target(rels, id, NULL)) == NULL ||
		    target_part(target, part, sizeof(part)) == -1) {
			e = bad(x, "xl/workbook.xml", "a sheet has no part "
			    "inside the package");
			break;
		}
		if (g->n == VR_GRID_MAX_SHEETS) {
			e = bad(x, "xl/workbook.xml", "too many sheets");
			break;
		}
		s = &g->sheets[g->n++];
		if ((s->name = strdup(name)) == NULL)
			e = vr_fail_oom(x->p);
		else
			e = read_sheet(x, s, part);
	}
	if (e == VR_OK && g->n == 0)
		e = bad(x, "xl/workbook.xml", "it has no sheet");
out:
	xmlFreeDoc(wb);
	xmlFreeDoc(rels);
	return e;
}

vr_err_e
vr_grid_read_xlsx(const char *data, size_t len, vr_grid_t *g,
    vr_problem_t *p)
{
	xlsx_t		 x = { .p = p };
	zip_source_t	*src;
	zip_error_t	 ze;
	size_t		 i;
	vr_err_e	 e;

	memset(g, 0, sizeof(*g));
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(data, len, 0, &ze)) == NULL) {
		zip_error_fini(&ze);
		return vr_fail_oom(p);
	}
	if ((x.zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS,
	    &ze)) == NULL) {
		zip_source_free(src);
		e = vr_fail(p, VR_E_MALFORMED, "bad_file", NULL,
		    "not a readable xlsx workbook: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return e;
	}
	zip_error_fini(&ze);
	if ((e = read_workbook(&x, g)) == VR_OK)
		e = vr_grid_finish(g, p);
	zip_discard(x.zip);
	for (i = 0; i < x.nstrings; i++)
		free(x.strings[i]);
	free(x.strings);
	if (e != VR_OK)
		vr_grid_free(g);
	return e;
}
