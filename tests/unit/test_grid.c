/*
 * test_grid: the readers of returned spreadsheets (vr_grid): CSV as Excel
 * saves it (BOM, quotes, line breaks in a field, semicolons, Shift_JIS,
 * UTF-16), cell names, and small xlsx packages made here with libzip:
 * shared and inline strings, phonetic runs, _xHHHH_ escapes, and the
 * refusals (a climbing member name, a target leaving the package, a
 * DOCTYPE, a cell twice).
 */
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "codec/vr_grid.h"
#include "unit_check.h"

static const char *
text_at(const vr_grid_t *g, size_t sheet, uint32_t row, uint32_t col)
{
	const vr_cell_t	*c = vr_grid_cell(&g->sheets[sheet], row, col);

	return c != NULL ? c->text : "";
}

static void
test_csv(void)
{
	static const char utf8[] = "\xEF\xBB\xBFh1,h2,h3\r\n"
	    "a,\"b, \"\"q\"\"\nline\",c\r\n\r\n,,last";
	/* "番号;回答\r\nA-1;はい" in Shift_JIS. */
	static const char sjis[] = "\x94\xd4\x8d\x86;\x89\xf1\x93\x9a\r\n"
	    "A-1;\x82\xcd\x82\xa2";
	/* "x\ty\n" as UTF-16LE with its BOM. */
	static const char utf16[] = "\xFF\xFEx\0\t\0y\0\n\0";
	vr_grid_t	 g;
	vr_problem_t	 p;

	vr_problem_clear(&p);
	CHECK(vr_grid_read_csv(utf8, sizeof(utf8) - 1, &g, &p) == VR_OK,
	    "utf-8 csv: %s", p.detail);
	CHECK(strcmp(text_at(&g, 0, 1, 1), "h1") == 0, "BOM dropped: %s",
	    text_at(&g, 0, 1, 1));
	CHECK(strcmp(text_at(&g, 0, 2, 2), "b, \"q\"\nline") == 0,
	    "quoted field: %s", text_at(&g, 0, 2, 2));
	CHECK(strcmp(text_at(&g, 0, 2, 3), "c") == 0, "after it");
	CHECK(vr_grid_cell(&g.sheets[0], 3, 1) == NULL, "an empty line");
	CHECK(strcmp(text_at(&g, 0, 4, 3), "last") == 0 &&
	    vr_grid_rows(&g.sheets[0]) == 4, "last line without CRLF");
	vr_grid_free(&g);

	vr_problem_clear(&p);
	CHECK(vr_grid_read_csv(sjis, sizeof(sjis) - 1, &g, &p) == VR_OK,
	    "shift_jis csv: %s", p.detail);
	CHECK(strcmp(text_at(&g, 0, 1, 1), "番号") == 0 &&
	    strcmp(text_at(&g, 0, 2, 2), "はい") == 0,
	    "Shift_JIS converted, semicolons split: %s %s",
	    text_at(&g, 0, 1, 1), text_at(&g, 0, 2, 2));
	vr_grid_free(&g);

	vr_problem_clear(&p);
	CHECK(vr_grid_read_csv(utf16, sizeof(utf16) - 1, &g, &p) == VR_OK &&
	    strcmp(text_at(&g, 0, 1, 2), "y") == 0, "utf-16 with tabs: %s",
	    p.detail);
	vr_grid_free(&g);

	vr_problem_clear(&p);
	CHECK(vr_grid_read_csv("a,\"open", 7, &g, &p) == VR_E_MALFORMED &&
	    strstr(p.detail, "line 1") != NULL, "an open quote: %s",
	    p.detail);
}

static void
test_names(void)
{
	static const struct { uint32_t row, col; const char *want; } t[] = {
		{ 1, 1, "A1" }, { 5, 11, "K5" }, { 9, 26, "Z9" },
		{ 10, 27, "AA10" }, { 3, 52, "AZ3" }, { 7, 53, "BA7" },
	};
	char	 out[16];
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		vr_grid_cell_name(t[i].row, t[i].col, out);
		CHECK(strcmp(out, t[i].want) == 0, "cell name %s, want %s",
		    out, t[i].want);
	}
}

/* A package of (name, content) pairs, NULL-ended; malloc'd bytes. */
static char *
package(const char *const *parts, size_t *len)
{
	zip_source_t	*src, *part;
	zip_error_t	 ze;
	zip_t		*z;
	zip_stat_t	 st;
	char		*out = NULL;
	size_t		 i;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_source_keep(src);
	z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	for (i = 0; parts[i] != NULL; i += 2) {
		part = zip_source_buffer(z, parts[i + 1],
		    strlen(parts[i + 1]), 0);
		zip_file_add(z, parts[i], part, ZIP_FL_ENC_UTF_8);
	}
	zip_close(z);
	zip_source_stat(src, &st);
	*len = (size_t)st.size;
	if ((out = malloc(*len)) != NULL && zip_source_open(src) == 0) {
		zip_source_read(src, out, *len);
		zip_source_close(src);
	}
	zip_source_free(src);
	zip_error_fini(&ze);
	return out;
}

#define WB "<workbook xmlns=\"http://schemas.openxmlformats.org/" \
	"spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats." \
	"org/officeDocument/2006/relationships\"><workbookPr date1904=\"1\"/>" \
	"<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets>" \
	"</workbook>"
#define RELS(target) "<Relationships xmlns=\"http://schemas." \
	"openxmlformats.org/package/2006/relationships\"><Relationship " \
	"Id=\"rId1\" Type=\"x/worksheet\" Target=\"" target "\"/>" \
	"<Relationship Id=\"rId9\" Type=\"x/sharedStrings\" " \
	"Target=\"sharedStrings.xml\"/></Relationships>"
#define SST "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/" \
	"2006/main\"><si><t>plain</t></si><si><r><t>ri</t></r><r><t>ch" \
	"</t></r><rPh><t>ルビ</t></rPh></si></sst>"
#define SHEET(cells) "<worksheet xmlns=\"http://schemas.openxmlformats." \
	"org/spreadsheetml/2006/main\"><sheetData>" cells "</sheetData>" \
	"</worksheet>"

static vr_err_e
read_package(const char *const *parts, vr_grid_t *g, vr_problem_t *p)
{
	size_t	 len;
	char	*data = package(parts, &len);
	vr_err_e e;

	vr_problem_clear(p);
	e = data != NULL ? vr_grid_read_xlsx(data, len, g, p) : VR_E_INTERNAL;
	free(data);
	return e;
}

static void
test_xlsx(void)
{
	const char *const good[] = {
		"xl/workbook.xml", WB,
		"xl/_rels/workbook.xml.rels", RELS("worksheets/sheet1.xml"),
		"xl/sharedStrings.xml", SST,
		"xl/worksheets/sheet1.xml", SHEET(
		    "<row r=\"2\"><c r=\"B2\" t=\"s\"><v>1</v></c>"
		    "<c r=\"A2\" t=\"s\"><v>0</v></c></row>"
		    "<row r=\"3\"><c r=\"C3\" t=\"inlineStr\"><is><t>a_x000D_"
		    "\nb_x0041_</t></is></c><c r=\"D3\"><v>45992</v></c>"
		    "<c r=\"E3\" s=\"1\"/></row>"),
		NULL };
	const char *const climbing[] = {
		"xl/workbook.xml", WB,
		"xl/_rels/workbook.xml.rels", RELS("worksheets/sheet1.xml"),
		"xl/worksheets/sheet1.xml", SHEET(""),
		"xl/../../evil", "x", NULL };
	const char *const leaving[] = {
		"xl/workbook.xml", WB,
		"xl/_rels/workbook.xml.rels", RELS("../../etc/passwd"),
		NULL };
	const char *const doctype[] = {
		"xl/workbook.xml", "<!DOCTYPE workbook [<!ENTITY e 'x'>]>" WB,
		"xl/_rels/workbook.xml.rels", RELS("worksheets/sheet1.xml"),
		NULL };
	const char *const twice[] = {
		"xl/workbook.xml", WB,
		"xl/_rels/workbook.xml.rels", RELS("worksheets/sheet1.xml"),
		"xl/worksheets/sheet1.xml", SHEET("<row r=\"1\"><c r=\"A1\">"
		    "<v>1</v></c><c r=\"A1\"><v>2</v></c></row>"),
		NULL };
	vr_grid_t	 g;
	vr_problem_t	 p;

	CHECK(read_package(good, &g, &p) == VR_OK, "xlsx: %s", p.detail);
	if (g.n == 1) {
		CHECK(strcmp(g.sheets[0].name, "S") == 0, "sheet name");
		CHECK(strcmp(text_at(&g, 0, 2, 1), "plain") == 0 &&
		    strcmp(text_at(&g, 0, 2, 2), "rich") == 0,
		    "shared strings, runs without the phonetic run: %s",
		    text_at(&g, 0, 2, 2));
		CHECK(strcmp(text_at(&g, 0, 3, 3), "a\r\nbA") == 0,
		    "inline string, escapes decoded: %s",
		    text_at(&g, 0, 3, 3));
		CHECK(vr_grid_cell(&g.sheets[0], 3, 4) != NULL &&
		    vr_grid_cell(&g.sheets[0], 3, 4)->number &&
		    strcmp(text_at(&g, 0, 3, 4), "45992") == 0,
		    "a number cell");
		CHECK(vr_grid_cell(&g.sheets[0], 3, 5) == NULL,
		    "a styled empty cell is empty");
		CHECK(g.date1904, "the 1904 date system is seen");
	} else
		CHECK(0, "one sheet, got %zu", g.n);
	vr_grid_free(&g);

	CHECK(read_package(climbing, &g, &p) == VR_E_MALFORMED &&
	    strstr(p.detail, "leaves the package") != NULL,
	    "a climbing member: %s", p.detail);
	CHECK(read_package(leaving, &g, &p) == VR_E_MALFORMED &&
	    strstr(p.detail, "inside the package") != NULL,
	    "a target outside: %s", p.detail);
	CHECK(read_package(doctype, &g, &p) == VR_E_MALFORMED &&
	    strstr(p.detail, "DOCTYPE") != NULL, "a DOCTYPE: %s", p.detail);
	CHECK(read_package(twice, &g, &p) == VR_E_MALFORMED &&
	    strstr(p.detail, "A1 twice") != NULL, "a cell twice: %s",
	    p.detail);
	vr_problem_clear(&p);
	CHECK(vr_grid_read_xlsx("PK\x03\x04junk", 8, &g, &p) ==
	    VR_E_MALFORMED, "no zip: %s", p.detail);
}

int
main(void)
{
	test_csv();
	test_names();
	test_xlsx();
	return unit_report("test_grid");
}
