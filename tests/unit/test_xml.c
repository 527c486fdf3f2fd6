/*
 * test_xml: the XML codec (fcgi/codec/vr_xml.c) and the schema writer
 * (vr_xsd.c).  Table-driven: bodies that must decode to given values,
 * bodies that must be refused with a given error and code (hostile ones
 * included: DOCTYPE, XXE, billion laughs, XInclude, depth, bad bytes),
 * encode/decode round trips, the encoder's bytes against libxml2's own
 * serialiser as the oracle, documents validated against the generated
 * schema, and a threaded run over the one shared compiled schema.
 * Prints a line per failed case and "test_xml: N passed, N failed";
 * exits non-zero on any failure.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "codec/vr_codec.h"

#define NS	"urn:vendor-review:api:1"
#define XSI	" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
#define W(x)	"<widget xmlns=\"" NS "\">" x "</widget>"
#define WX(x)	"<widget xmlns=\"" NS "\"" XSI ">" x "</widget>"
#define DECL	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

static int	 passed, failed;

static void
check(bool ok, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
check(bool ok, const char *name, const char *fmt, ...)
{
	va_list	 ap;

	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* ---- the test resources ---------------------------------------------- */

static const char *const status_values[] = {
	"draft", "published", "retired", NULL
};

enum { W_ID, W_NAME, W_RATING, W_ACTIVE, W_STATUS, W_NOTE, W_CREATED,
    W_DUE, W__MAX };

static const vr_field_t widget_fields[W__MAX] = {
	[W_ID] = { .name = "id", .column = "id", .type = VR_T_INT,
	    .flags = VR_F_SERVER | VR_F_ID, .min = 1, .max = INT64_MAX,
	    .doc = "Identifier, given by the server." },
	[W_NAME] = { .name = "name", .column = "name", .type = VR_T_TEXT,
	    .flags = VR_F_REQUIRED, .max_chars = 10,
	    .doc = "Display name <& \"quoted\">." },
	[W_RATING] = { .name = "rating", .column = "rating", .type = VR_T_INT,
	    .min = 1, .max = 5, .doc = "Stars from 1 to 5." },
	[W_ACTIVE] = { .name = "active", .column = "active", .type = VR_T_BOOL,
	    .doc = "Whether it is in use." },
	[W_STATUS] = { .name = "status", .column = "status", .type = VR_T_ENUM,
	    .enum_values = status_values, .doc = "Life cycle state." },
	[W_NOTE] = { .name = "note", .column = "note", .type = VR_T_TEXT,
	    .flags = VR_F_NULLABLE, .max_chars = 50, .doc = "Free note." },
	[W_CREATED] = { .name = "created", .column = "created",
	    .type = VR_T_TIME, .flags = VR_F_SERVER, .doc = "Creation time." },
	[W_DUE] = { .name = "due", .column = "due", .type = VR_T_DATE,
	    .doc = "Due date." },
};

static const vr_resource_t widget = {
	.name = "widget", .plural = "widgets", .table = "widget", .xmlns = NS,
	.fields = widget_fields, .nfields = W__MAX
};

static const vr_field_t gadget_fields[] = {
	{ .name = "label", .column = "label", .type = VR_T_TEXT,
	    .max_chars = 20, .doc = "Label." },
};

static const vr_resource_t gadget = {
	.name = "gadget", .plural = "gadgets", .table = "gadget", .xmlns = NS,
	.fields = gadget_fields, .nfields = 1
};

static const vr_field_t problem_fields[] = {
	{ .name = "title", .type = VR_T_TEXT, .doc = "Title." },
};

static const vr_resource_t problem = {
	.name = "problem", .plural = NULL, .table = NULL,
	    .xmlns = "urn:ietf:rfc:7807",
	.fields = problem_fields, .nfields = 1
};

/*
 * Tables that differ from the compiled schema under the same element
 * names: they reach the codec's own checks behind the schema.
 */
static const vr_resource_t widget_lite = {
	.name = "widget", .plural = "widgets", .table = NULL, .xmlns = NS,
	.fields = widget_fields, .nfields = 2	/* id, name */
};

static const vr_field_t gadget_int_fields[] = {
	{ .name = "label", .type = VR_T_INT, .max = 100, .doc = "Label." },
};

static const vr_resource_t gadget_int = {
	.name = "gadget", .plural = "gadgets", .table = NULL, .xmlns = NS,
	.fields = gadget_int_fields, .nfields = 1
};

static const vr_resource_t *const inputs[] = {
	&widget, &gadget, &problem, &widget, NULL
};

/* ---- decoding table -------------------------------------------------- */

typedef struct dcase {
	const char		*name;
	const vr_resource_t	*res;		/* NULL: widget */
	const char		*body;
	size_t			 len;		/* 0: strlen(body) */
	vr_err_e		 err;
	const char		*code;		/* NULL when err is VR_OK */
	const char		*field;		/* NULL: not checked */
	/* VR_OK: "f=v|f=~" exactly the present fields (~ is null). */
	const char		*want;
} dcase_t;

static const dcase_t dcases[] = {
	/* Valid bodies. */
	{ "all_fields", NULL, W("<name>Bob</name><rating>3</rating>"
	    "<active>true</active><status>draft</status><note>hi</note>"
	    "<due>2026-01-02</due>"), 0, VR_OK, NULL, NULL,
	    "name=Bob|rating=3|active=1|status=draft|note=hi|due=2026-01-02" },
	{ "any_order", NULL, W("<due>2026-01-02</due><active>0</active>"
	    "<name>Bob</name><rating>5</rating>"), 0, VR_OK, NULL, NULL,
	    "due=2026-01-02|active=0|name=Bob|rating=5" },
	{ "bool_words", NULL, W("<active>false</active>"), 0, VR_OK, NULL,
	    NULL, "active=0" },
	{ "bool_digit", NULL, W("<active>1</active>"), 0, VR_OK, NULL, NULL,
	    "active=1" },
	{ "nil", NULL, WX("<note xsi:nil=\"true\"/><name>x</name>"), 0, VR_OK,
	    NULL, NULL, "note=~|name=x" },
	{ "nil_one", NULL, WX("<rating xsi:nil=\"1\"></rating>"), 0, VR_OK,
	    NULL, NULL, "rating=~" },
	{ "nil_false", NULL, WX("<note xsi:nil=\"false\">n</note>"), 0, VR_OK,
	    NULL, NULL, "note=n" },
	{ "empty_record", NULL, W(""), 0, VR_OK, NULL, NULL, "" },
	{ "empty_text", NULL, W("<note></note>"), 0, VR_OK, NULL, NULL,
	    "note=" },
	{ "decl_comments_pi", NULL, DECL "\n<!-- c -->\n<widget xmlns=\"" NS
	    "\">\n  <name>a<!-- x -->b</name>\n  <?app ignored?>\n"
	    "</widget>\n<!-- after -->\n", 0, VR_OK, NULL, NULL, "name=ab" },
	{ "decl_lowercase_utf8", NULL, "<?xml version=\"1.0\" "
	    "encoding=\"utf-8\"?>" W("<name>a</name>"), 0, VR_OK, NULL, NULL,
	    "name=a" },
	{ "bom", NULL, "\xEF\xBB\xBF" W("<name>a</name>"), 0, VR_OK, NULL,
	    NULL, "name=a" },
	{ "escapes_cdata", NULL, W("<name>&lt;a&amp;&#x263A;</name>"
	    "<note><![CDATA[<x>&amp;]]></note>"), 0, VR_OK, NULL, NULL,
	    "name=<a&\xE2\x98\xBA|note=<x>&amp;" },
	{ "ten_multibyte_chars", NULL, W("<name>\xC3\xA9\xC3\xA9\xC3\xA9"
	    "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9</name>"),
	    0, VR_OK, NULL, NULL, "name=\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3"
	    "\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9" },
	{ "four_byte_char", NULL, W("<name>\xF0\x9F\x98\x80</name>"), 0,
	    VR_OK, NULL, NULL, "name=\xF0\x9F\x98\x80" },
	{ "padded_bool", NULL, W("<active> true\n</active>"), 0, VR_OK,
	    NULL, NULL, "active=1" },
	{ "padded_date", NULL, W("<due> 2026-03-04 </due>"), 0, VR_OK, NULL,
	    NULL, "due=2026-03-04" },
	{ "plus_sign_int", NULL, W("<rating>+2</rating>"), 0, VR_OK, NULL,
	    NULL, "rating=2" },
	{ "text_keeps_spaces", NULL, W("<name>  a </name>"), 0, VR_OK, NULL,
	    NULL, "name=  a " },
	{ "crlf_normalised", NULL, W("<note>a\r\nb</note>"), 0, VR_OK, NULL,
	    NULL, "note=a\nb" },
	{ "server_field_passes", NULL, W("<id>7</id><created>x</created>"),
	    0, VR_OK, NULL, NULL, "id=7|created=x" },
	{ "int64_max", NULL, W("<id>9223372036854775807</id>"), 0, VR_OK,
	    NULL, NULL, "id=9223372036854775807" },
	{ "prefixed", NULL, "<v:widget xmlns:v=\"" NS "\"><v:name>a</v:name>"
	    "</v:widget>", 0, VR_OK, NULL, NULL, "name=a" },
	{ "schema_location_ignored", NULL, "<widget xmlns=\"" NS "\"" XSI
	    " xsi:schemaLocation=\"" NS " file:///etc/passwd\"><name>a</name>"
	    "</widget>", 0, VR_OK, NULL, NULL, "name=a" },
	{ "gadget", &gadget, "<gadget xmlns=\"" NS "\"><label>l</label>"
	    "</gadget>", 0, VR_OK, NULL, NULL, "label=l" },

	/* Not well-formed. */
	{ "empty_body", NULL, "", 0, VR_E_MALFORMED, "empty_body", NULL,
	    NULL },
	{ "not_xml", NULL, "name=Bob", 0, VR_E_MALFORMED, "malformed_xml",
	    NULL, NULL },
	{ "json", NULL, "{\"name\":\"Bob\"}", 0, VR_E_MALFORMED,
	    "malformed_xml", NULL, NULL },
	{ "truncated", NULL, "<widget xmlns=\"" NS "\"><name>Bo", 0,
	    VR_E_MALFORMED, "malformed_xml", NULL, NULL },
	{ "truncated_tag", NULL, "<widget", 0, VR_E_MALFORMED,
	    "malformed_xml", NULL, NULL },
	{ "mismatched", NULL, W("<name>a</nome>"), 0, VR_E_MALFORMED,
	    "malformed_xml", NULL, NULL },
	{ "two_roots", NULL, W("") W(""), 0, VR_E_MALFORMED, "malformed_xml",
	    NULL, NULL },
	{ "trailing_text", NULL, W("") "x", 0, VR_E_MALFORMED,
	    "malformed_xml", NULL, NULL },
	{ "undeclared_entity", NULL, W("<name>&xxe;</name>"), 0,
	    VR_E_MALFORMED, "malformed_xml", NULL, NULL },
	{ "char_ref_nul", NULL, W("<name>&#0;</name>"), 0, VR_E_MALFORMED,
	    "malformed_xml", NULL, NULL },
	{ "char_ref_control", NULL, W("<name>&#x1;</name>"), 0,
	    VR_E_MALFORMED, "malformed_xml", NULL, NULL },
	{ "raw_control_char", NULL, W("<name>a\x01</name>"), 0,
	    VR_E_MALFORMED, "malformed_xml", NULL, NULL },
	{ "duplicate_attr", NULL, "<widget xmlns=\"" NS "\" a=\"1\" a=\"2\"/>",
	    0, VR_E_MALFORMED, "malformed_xml", NULL, NULL },
	{ "unbound_prefix", NULL, W("<x:name>a</x:name>"), 0,
	    VR_E_MALFORMED, "malformed_xml", NULL, NULL },
	{ "xml_decl_not_first", NULL, " " DECL W(""), 0, VR_E_MALFORMED,
	    "malformed_xml", NULL, NULL },

	/* Bytes and encodings. */
	{ "invalid_utf8_ff", NULL, W("<name>\xFF</name>"), 0,
	    VR_E_MALFORMED, "malformed_xml", NULL, NULL },
	{ "overlong_utf8", NULL, W("<name>\xC0\xAF</name>"), 0,
	    VR_E_MALFORMED, "malformed_xml", NULL, NULL },
	{ "surrogate_utf8", NULL, W("<name>\xED\xA0\x80</name>"), 0,
	    VR_E_MALFORMED, "malformed_xml", NULL, NULL },
	{ "above_10ffff", NULL, W("<name>\xF4\x90\x80\x80</name>"), 0,
	    VR_E_MALFORMED, "malformed_xml", NULL, NULL },
	{ "cut_sequence_at_end", NULL, W("") "\xE2\x98", 0, VR_E_MALFORMED,
	    "malformed_xml", NULL, NULL },
	{ "nul_in_middle", NULL, W("<name>a\0b</name>"),
	    sizeof(W("<name>a\0b</name>")) - 1, VR_E_MALFORMED,
	    "malformed_xml", NULL, NULL },
	{ "nul_after_root", NULL, W("") "\0<x/>", sizeof(W("") "\0<x/>") - 1,
	    VR_E_MALFORMED, "malformed_xml", NULL, NULL },
	{ "latin1_declared_latin1_bytes", NULL, "<?xml version=\"1.0\" "
	    "encoding=\"ISO-8859-1\"?>" W("<name>caf\xE9</name>"), 0,
	    VR_E_MALFORMED, "malformed_xml", NULL, NULL },
	{ "latin1_declared_ascii", NULL, "<?xml version=\"1.0\" "
	    "encoding=\"ISO-8859-1\"?>" W("<name>cafe</name>"), 0,
	    VR_E_MALFORMED, "malformed_xml", NULL, NULL },
	{ "utf16_declared", NULL, "<?xml version=\"1.0\" "
	    "encoding=\"UTF-16\"?>" W("<name>a</name>"), 0, VR_E_MALFORMED,
	    "malformed_xml", NULL, NULL },
	{ "utf16_bytes", NULL, "\xFF\xFE<\0w\0/\0>\0", 10, VR_E_MALFORMED,
	    "malformed_xml", NULL, NULL },

	/* DOCTYPE in every shape. */
	{ "doctype_plain", NULL, "<!DOCTYPE widget>" W(""), 0,
	    VR_E_MALFORMED, "doctype_forbidden", NULL, NULL },
	{ "doctype_internal_entity", NULL, "<!DOCTYPE widget [<!ENTITY x "
	    "\"expanded\">]>" W("<name>&x;</name>"), 0, VR_E_MALFORMED,
	    "doctype_forbidden", NULL, NULL },
	{ "doctype_external_dtd", NULL, "<!DOCTYPE widget SYSTEM "
	    "\"http://127.0.0.1:9/x.dtd\">" W(""), 0, VR_E_MALFORMED,
	    "doctype_forbidden", NULL, NULL },
	{ "doctype_parameter_entity", NULL, "<!DOCTYPE widget [<!ENTITY % p "
	    "SYSTEM \"file:///etc/passwd\"> %p;]>" W(""), 0, VR_E_MALFORMED,
	    "doctype_forbidden", NULL, NULL },
	{ "doctype_param_internal", NULL, "<!DOCTYPE widget [<!ENTITY % p "
	    "\"<!ENTITY q 'v'>\"> %p;]>" W("<name>&q;</name>"), 0,
	    VR_E_MALFORMED, "doctype_forbidden", NULL, NULL },
	{ "doctype_after_comment", NULL, DECL "<!-- c --><!DOCTYPE widget>"
	    W(""), 0, VR_E_MALFORMED, "doctype_forbidden", NULL, NULL },

	/* Well-formed, but not a widget. */
	{ "wrong_root", NULL, "<gadget xmlns=\"" NS "\"><label>x</label>"
	    "</gadget>", 0, VR_E_INVALID, "wrong_root", NULL, NULL },
	{ "list_root", NULL, "<widgets xmlns=\"" NS "\"/>", 0, VR_E_INVALID,
	    "wrong_root", NULL, NULL },
	{ "wrong_namespace", NULL, "<widget xmlns=\"urn:other\"><name>a"
	    "</name></widget>", 0, VR_E_INVALID, "wrong_root", NULL, NULL },
	{ "no_namespace", NULL, "<widget><name>a</name></widget>", 0,
	    VR_E_INVALID, "wrong_root", NULL, NULL },
	{ "problem_not_in_schema", &problem, "<problem xmlns=\"urn:ietf:rfc:"
	    "7807\"><title>t</title></problem>", 0, VR_E_INVALID,
	    "schema_violation", NULL, NULL },

	/* Schema violations. */
	{ "unknown_element", NULL, W("<name>a</name><colour>red</colour>"),
	    0, VR_E_INVALID, "schema_violation", "colour", NULL },
	{ "child_no_namespace", NULL, W("<name xmlns=\"\">a</name>"), 0,
	    VR_E_INVALID, "schema_violation", "name", NULL },
	{ "xinclude", NULL, "<widget xmlns=\"" NS "\" xmlns:xi=\"http://"
	    "www.w3.org/2001/XInclude\"><xi:include href=\"file:///etc/"
	    "passwd\" parse=\"text\"/></widget>", 0, VR_E_INVALID,
	    "schema_violation", "include", NULL },
	{ "xinclude_in_field", NULL, "<widget xmlns=\"" NS "\" xmlns:xi=\""
	    "http://www.w3.org/2001/XInclude\"><name><xi:include href=\""
	    "file:///etc/passwd\" parse=\"text\"/></name></widget>", 0,
	    VR_E_INVALID, "schema_violation", "name", NULL },
	{ "duplicate", NULL, W("<name>a</name><name>b</name>"), 0,
	    VR_E_INVALID, "schema_violation", "name", NULL },
	{ "too_long", NULL, W("<name>abcdefghijk</name>"), 0, VR_E_INVALID,
	    "too_long", "name", NULL },
	{ "too_long_multibyte", NULL, W("<name>\xC3\xA9\xC3\xA9\xC3\xA9\xC3"
	    "\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9x</name>"), 0,
	    VR_E_INVALID, "too_long", "name", NULL },
	{ "bad_enum", NULL, W("<status>lost</status>"), 0, VR_E_INVALID,
	    "invalid_value", "status", NULL },
	{ "enum_padded", NULL, W("<status> draft</status>"), 0, VR_E_INVALID,
	    "invalid_value", "status", NULL },
	{ "int_not_integer", NULL, W("<rating>abc</rating>"), 0,
	    VR_E_INVALID, "wrong_type", "rating", NULL },
	{ "int_decimal", NULL, W("<rating>2.5</rating>"), 0, VR_E_INVALID,
	    "wrong_type", "rating", NULL },
	/* libxml2 does not collapse whitespace of a restricted xs:long. */
	{ "padded_int", NULL, W("<rating> 4 </rating>"), 0, VR_E_INVALID,
	    "wrong_type", "rating", NULL },
	{ "int_empty", NULL, W("<rating></rating>"), 0, VR_E_INVALID,
	    "wrong_type", "rating", NULL },
	{ "int_above", NULL, W("<rating>6</rating>"), 0, VR_E_INVALID,
	    "out_of_range", "rating", NULL },
	{ "int_below", NULL, W("<rating>0</rating>"), 0, VR_E_INVALID,
	    "out_of_range", "rating", NULL },
	{ "int_overflow", NULL, W("<id>99999999999999999999</id>"), 0,
	    VR_E_INVALID, "wrong_type", "id", NULL },
	{ "bool_yes", NULL, W("<active>yes</active>"), 0, VR_E_INVALID,
	    "wrong_type", "active", NULL },
	{ "date_month_13", NULL, W("<due>2026-13-01</due>"), 0, VR_E_INVALID,
	    "wrong_type", "due", NULL },
	{ "date_with_zone", NULL, W("<due>2026-01-02Z</due>"), 0,
	    VR_E_INVALID, "schema_violation", "due", NULL },
	{ "mixed_text", NULL, W("hello<name>a</name>"), 0, VR_E_INVALID,
	    "schema_violation", NULL, NULL },
	{ "cdata_at_root", NULL, W("<![CDATA[x]]>"), 0, VR_E_INVALID,
	    "schema_violation", NULL, NULL },
	{ "element_in_field", NULL, W("<name><b>x</b></name>"), 0,
	    VR_E_INVALID, "schema_violation", "name", NULL },
	{ "attribute_on_field", NULL, W("<name foo=\"1\">a</name>"), 0,
	    VR_E_INVALID, "schema_violation", "name", NULL },
	{ "attribute_on_root", NULL, "<widget xmlns=\"" NS "\" foo=\"1\"/>",
	    0, VR_E_INVALID, "schema_violation", NULL, NULL },
	{ "nil_with_content", NULL, WX("<note xsi:nil=\"true\">x</note>"), 0,
	    VR_E_INVALID, "schema_violation", "note", NULL },
	{ "xsi_type_switch", NULL, "<widget xmlns=\"" NS "\"" XSI " xmlns:"
	    "xs=\"http://www.w3.org/2001/XMLSchema\"><rating xsi:type=\""
	    "xs:string\">many</rating></widget>", 0, VR_E_INVALID,
	    "schema_violation", "rating", NULL },

	/* The codec's own checks behind the schema. */
	{ "unknown_field_behind_schema", &widget_lite,
	    W("<name>a</name><rating>3</rating>"), 0, VR_E_INVALID,
	    "unknown_field", "rating", NULL },
	{ "wrong_type_behind_schema", &gadget_int, "<gadget xmlns=\"" NS
	    "\"><label>abc</label></gadget>", 0, VR_E_INVALID, "wrong_type",
	    "label", NULL },
};

/* Whether any string of rec contains needle. */
static bool
rec_contains(const vr_resource_t *res, const vr_value_t *rec,
    const char *needle)
{
	size_t	 i;

	for (i = 0; i < res->nfields; i++)
		if (rec[i].s != NULL && strstr(rec[i].s, needle) != NULL)
			return true;
	return false;
}

/* Compares rec with "f=v|f=~"; writes the first difference to why. */
static bool
rec_matches(const vr_resource_t *res, const vr_value_t *rec,
    const char *want, char *why, size_t whylen)
{
	bool		 named[64] = { false };
	char		 copy[512], *tok, *save, *val;
	const vr_value_t *v;
	int		 idx;
	size_t		 i;

	snprintf(copy, sizeof(copy), "%s", want);
	for (tok = strtok_r(copy, "|", &save); tok != NULL;
	    tok = strtok_r(NULL, "|", &save)) {
		val = strchr(tok, '=');
		*val++ = '\0';
		idx = vr_field_index(res, tok, strlen(tok));
		v = &rec[idx];
		named[idx] = true;
		if (!v->present) {
			snprintf(why, whylen, "%s absent", tok);
			return false;
		}
		if (strcmp(val, "~") == 0) {
			if (!v->null) {
				snprintf(why, whylen, "%s not null", tok);
				return false;
			}
			continue;
		}
		if (v->null) {
			snprintf(why, whylen, "%s null", tok);
			return false;
		}
		switch (res->fields[idx].type) {
		case VR_T_INT:
		case VR_T_BOOL:
			if (v->i != strtoll(val, NULL, 10)) {
				snprintf(why, whylen, "%s = %" PRId64, tok,
				    v->i);
				return false;
			}
			break;
		default:
			if (v->s == NULL || strcmp(v->s, val) != 0) {
				snprintf(why, whylen, "%s = \"%s\"", tok,
				    v->s ? v->s : "(null)");
				return false;
			}
		}
	}
	for (i = 0; i < res->nfields; i++)
		if (!named[i] && rec[i].present) {
			snprintf(why, whylen, "%s present",
			    res->fields[i].name);
			return false;
		}
	return true;
}

/* Decodes one case; true when the outcome is the expected one. */
static bool
run_case(const dcase_t *c, char *why, size_t whylen)
{
	const vr_resource_t	*res = c->res ? c->res : &widget;
	size_t			 len = c->len ? c->len : strlen(c->body);
	vr_value_t		*rec;
	vr_problem_t		 p;
	vr_err_e		 err;
	bool			 ok = false;

	vr_problem_clear(&p);
	if ((rec = vr_record_new(res)) == NULL) {
		snprintf(why, whylen, "no memory");
		return false;
	}
	err = vr_xml_decode(res, c->body, len, rec, &p);
	if (err != c->err)
		snprintf(why, whylen, "err %d (%s: %s [%s]), want %d", err,
		    p.code ? p.code : "-", p.detail, p.field, c->err);
	else if (err == VR_OK)
		ok = rec_matches(res, rec, c->want, why, whylen);
	else if (p.err != err || p.code == NULL ||
	    strcmp(p.code, c->code) != 0)
		snprintf(why, whylen, "code %s (%s), want %s",
		    p.code ? p.code : "-", p.detail, c->code);
	else if (c->field != NULL && strcmp(p.field, c->field) != 0)
		snprintf(why, whylen, "field \"%s\", want \"%s\" (%s)",
		    p.field, c->field, p.detail);
	else if (err == VR_E_MALFORMED && strcmp(p.code, "malformed_xml") ==
	    0 && strncmp(p.detail, "line ", 5) != 0)
		snprintf(why, whylen, "no line in \"%s\"", p.detail);
	else if (rec_contains(res, rec, "root:"))
		snprintf(why, whylen, "a value holds /etc/passwd");
	else
		ok = true;
	vr_record_free(res, rec);
	return ok;
}

static void
test_decode_table(void)
{
	char	 why[512];
	size_t	 i;

	for (i = 0; i < sizeof(dcases) / sizeof(dcases[0]); i++) {
		why[0] = '\0';
		check(run_case(&dcases[i], why, sizeof(why)), dcases[i].name,
		    "%s", why);
	}
}

/* ---- hostile bodies built at run time -------------------------------- */

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static vr_err_e
decode(const vr_resource_t *res, const char *body, size_t len,
    vr_problem_t *p, bool *leaked)
{
	vr_value_t	*rec = vr_record_new(res);
	vr_err_e	 err;

	vr_problem_clear(p);
	err = vr_xml_decode(res, body, len, rec, p);
	if (leaked != NULL)
		*leaked = rec_contains(res, rec, "root:");
	vr_record_free(res, rec);
	return err;
}

static void
test_xxe(void)
{
	static const char *const bodies[] = {
		"<!DOCTYPE widget [<!ENTITY xxe SYSTEM "
		    "\"file:///etc/passwd\">]>" W("<name>&xxe;</name>"),
		"<?xml version=\"1.0\"?><!DOCTYPE widget SYSTEM "
		    "\"file:///etc/passwd\">" W("<name>a</name>"),
		"<!DOCTYPE widget [<!ENTITY % p SYSTEM \"file:///etc/passwd\">"
		    "<!ENTITY % q \"<!ENTITY leak '%p;'>\"> %q;]>"
		    W("<note>&leak;</note>"),
	};
	vr_problem_t	 p;
	vr_err_e	 err;
	bool		 leaked;
	size_t		 i;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		err = decode(&widget, bodies[i], strlen(bodies[i]), &p,
		    &leaked);
		check(err == VR_E_MALFORMED && p.code != NULL &&
		    strcmp(p.code, "doctype_forbidden") == 0 && !leaked,
		    "xxe", "body %zu: err %d code %s leaked %d", i, err,
		    p.code ? p.code : "-", leaked);
	}
}

static void
test_billion_laughs(void)
{
	vr_buf_t	 b = { 0 };
	vr_problem_t	 p;
	vr_err_e	 err;
	double		 t0;
	int		 i;

	vr_buf_puts(&b, "<?xml version=\"1.0\"?><!DOCTYPE widget [\n"
	    "<!ENTITY lol0 \"lol\">\n");
	for (i = 1; i < 10; i++)
		vr_buf_printf(&b, "<!ENTITY lol%d \"&lol%d;&lol%d;&lol%d;"
		    "&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;\">\n",
		    i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
		    i - 1, i - 1);
	vr_buf_puts(&b, "]>" W("<note>&lol9;</note>"));
	t0 = now();
	err = decode(&widget, b.data, b.len, &p, NULL);
	check(err == VR_E_MALFORMED && strcmp(p.code, "doctype_forbidden") ==
	    0 && now() - t0 < 1.0, "billion_laughs", "err %d code %s in "
	    "%.3fs", err, p.code ? p.code : "-", now() - t0);
	vr_buf_free(&b);
}

/* n nested elements: at the root, or inside a field (within the limit). */
static void
test_depth(void)
{
	vr_buf_t	 b = { 0 };
	vr_problem_t	 p;
	vr_err_e	 err;
	int		 i;

	vr_buf_puts(&b, "<widget xmlns=\"" NS "\">");
	for (i = 0; i < 100; i++)
		vr_buf_puts(&b, "<name>");
	for (i = 0; i < 100; i++)
		vr_buf_puts(&b, "</name>");
	vr_buf_puts(&b, "</widget>");
	err = decode(&widget, b.data, b.len, &p, NULL);
	check(err == VR_E_MALFORMED && strcmp(p.code, "malformed_xml") == 0,
	    "depth_100", "err %d code %s (%s)", err, p.code ? p.code : "-",
	    p.detail);

	/* 20 levels is deep for us but not malformed: the schema refuses. */
	vr_buf_reset(&b);
	vr_buf_puts(&b, "<widget xmlns=\"" NS "\">");
	for (i = 0; i < 20; i++)
		vr_buf_puts(&b, "<name>");
	for (i = 0; i < 20; i++)
		vr_buf_puts(&b, "</name>");
	vr_buf_puts(&b, "</widget>");
	err = decode(&widget, b.data, b.len, &p, NULL);
	check(err == VR_E_INVALID && strcmp(p.code, "schema_violation") == 0,
	    "depth_20", "err %d code %s (%s)", err, p.code ? p.code : "-",
	    p.detail);

	/* Deep attribute-free nesting of 100k elements fails fast too. */
	vr_buf_reset(&b);
	for (i = 0; i < 100000; i++)
		vr_buf_puts(&b, "<a>");
	err = decode(&widget, b.data, b.len, &p, NULL);
	check(err == VR_E_MALFORMED, "depth_100000", "err %d", err);
	vr_buf_free(&b);
}

/* The problem detail stays valid UTF-8 when cut. */
static void
test_long_detail(void)
{
	vr_buf_t	 b = { 0 };
	vr_problem_t	 p;
	vr_err_e	 err;
	int		 i;

	/* libxml2 quotes the value in its message: cut inside a char. */
	vr_buf_puts(&b, "<widget xmlns=\"" NS "\"><status>");
	for (i = 0; i < 400; i++)
		vr_buf_puts(&b, "\xE2\x98\xBA");
	vr_buf_puts(&b, "</status></widget>");
	err = decode(&widget, b.data, b.len, &p, NULL);
	check(err == VR_E_INVALID && vr_utf8_valid(p.detail,
	    strlen(p.detail)) && strlen(p.detail) < VR_PROBLEM_DETAIL_MAX,
	    "long_detail_utf8", "err %d detail %s", err, p.detail);

	/* An unknown element whose name is long and non-ASCII. */
	vr_buf_reset(&b);
	vr_buf_puts(&b, "<widget xmlns=\"" NS "\"><");
	for (i = 0; i < 100; i++)
		vr_buf_puts(&b, "\xC3\xA9");
	vr_buf_puts(&b, "/></widget>");
	err = decode(&widget, b.data, b.len, &p, NULL);
	check(err == VR_E_INVALID && vr_utf8_valid(p.field, strlen(p.field))
	    && vr_utf8_valid(p.detail, strlen(p.detail)) && p.field[0] !=
	    '\0', "long_field_name_utf8", "err %d field %s", err, p.field);
	vr_buf_free(&b);
}

/* ---- encoding -------------------------------------------------------- */

static vr_value_t *
sample_record(const char *name, const char *note, bool note_null)
{
	vr_value_t	*r = vr_record_new(&widget);

	vr_value_set_int(&r[W_ID], 42);
	vr_value_set_text(&r[W_NAME], name, strlen(name));
	vr_value_set_int(&r[W_RATING], 5);
	vr_value_set_int(&r[W_ACTIVE], 1);
	vr_value_set_text(&r[W_STATUS], "published", 9);
	if (note_null)
		vr_value_set_null(&r[W_NOTE]);
	else
		vr_value_set_text(&r[W_NOTE], note, strlen(note));
	vr_value_set_text(&r[W_CREATED], "2026-11-25T08:00:00.000000Z", 27);
	vr_value_set_text(&r[W_DUE], "2026-12-01", 10);
	return r;
}

static bool
records_equal(const vr_resource_t *res, const vr_value_t *a,
    const vr_value_t *b)
{
	size_t	 i;

	for (i = 0; i < res->nfields; i++) {
		if (a[i].present != b[i].present || a[i].null != b[i].null)
			return false;
		if (!a[i].present || a[i].null)
			continue;
		if (res->fields[i].type == VR_T_INT ||
		    res->fields[i].type == VR_T_BOOL) {
			if (a[i].i != b[i].i)
				return false;
		} else if (strcmp(a[i].s ? a[i].s : "", b[i].s ? b[i].s : "")
		    != 0)
			return false;
	}
	return true;
}

/* Compiles the generated XSD (the one vr_xml_init compiles too). */
static xmlSchemaPtr
compile_xsd(vr_buf_t *xsd)
{
	xmlSchemaParserCtxtPtr	 pc;
	xmlSchemaPtr		 s;

	if ((pc = xmlSchemaNewMemParserCtxt(xsd->data, (int)xsd->len)) ==
	    NULL)
		return NULL;
	xmlSchemaSetParserStructuredErrors(pc, NULL, NULL);
	s = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	return s;
}

static void
silent_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

/* Validates a document we encoded against the schema. */
static bool
doc_valid(xmlSchemaPtr s, const vr_buf_t *b)
{
	xmlDocPtr		 d;
	xmlSchemaValidCtxtPtr	 vc;
	bool			 ok = false;

	d = xmlReadMemory(b->data, (int)b->len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (d == NULL)
		return false;
	if ((vc = xmlSchemaNewValidCtxt(s)) != NULL) {
		xmlSchemaSetValidStructuredErrors(vc, silent_error, NULL);
		ok = xmlSchemaValidateDoc(vc, d) == 0;
		xmlSchemaFreeValidCtxt(vc);
	}
	xmlFreeDoc(d);
	return ok;
}

static void
test_xsd(xmlSchemaPtr *out)
{
	static const vr_resource_t *const empty[] = { NULL };
	static const vr_resource_t *const rfc[] = { &problem, &widget, NULL };
	vr_buf_t	 xsd = { 0 };
	vr_err_e	 err;

	*out = NULL;
	err = vr_xsd_generate(inputs, &xsd);
	check(err == VR_OK, "xsd_generate", "err %d", err);
	if (err != VR_OK)
		goto out;
	check((*out = compile_xsd(&xsd)) != NULL, "xsd_compiles", "%s",
	    xsd.data);
	check(strstr(xsd.data, "targetNamespace=\"" NS "\"") != NULL &&
	    strstr(xsd.data, "elementFormDefault=\"qualified\"") != NULL,
	    "xsd_namespace", "no target namespace");
	check(strstr(xsd.data, "<xs:element name=\"widget\"") != NULL &&
	    strstr(xsd.data, "<xs:element name=\"widgets\"") != NULL &&
	    strstr(xsd.data, "<xs:element name=\"gadget\"") != NULL,
	    "xsd_elements", "missing element");
	check(strstr(xsd.data, "problem") == NULL, "xsd_other_namespace_left"
	    "_out", "problem is in the VR_XMLNS schema");
	check(strstr(xsd.data, "Display name &lt;&amp; &quot;quoted&quot;&gt;"
	    ". (required on create)") != NULL && strstr(xsd.data,
	    "Identifier, given by the server. (set by the server)") != NULL,
	    "xsd_documentation", "field docs missing or unescaped");
	check(strstr(xsd.data, "<xs:maxLength value=\"10\"/>") != NULL &&
	    strstr(xsd.data, "<xs:minInclusive value=\"1\"/>"
	    "<xs:maxInclusive value=\"5\"/>") != NULL &&
	    strstr(xsd.data, "<xs:enumeration value=\"retired\"/>") != NULL &&
	    strstr(xsd.data, "nillable=\"true\"") != NULL,
	    "xsd_facets", "facet missing");

	/* Generated from the other namespace: its own valid schema. */
	vr_buf_reset(&xsd);
	err = vr_xsd_generate(rfc, &xsd);
	{
		xmlSchemaPtr	 s = err == VR_OK ? compile_xsd(&xsd) : NULL;

		check(s != NULL && strstr(xsd.data, "widget") == NULL &&
		    strstr(xsd.data, "urn:ietf:rfc:7807") != NULL,
		    "xsd_problem_namespace", "err %d", err);
		if (s != NULL)
			xmlSchemaFree(s);
	}
	vr_buf_reset(&xsd);
	check(vr_xsd_generate(empty, &xsd) == VR_E_INTERNAL, "xsd_empty_list",
	    "not refused");
out:
	vr_buf_free(&xsd);
}

static void
test_round_trip(xmlSchemaPtr s)
{
	static const char *const notes[] = {
		"plain",
		"<tag> & \"quotes\" 'apos' ]]> &amp;",
		"tab\there\nnewline\r\ncrlf \r lone cr",
		"  leading and trailing  ",
		"\xE2\x98\xBA \xF0\x9F\x98\x80 \xC3\xA9",
		"",
	};
	vr_value_t	*a, *b;
	vr_buf_t	 out = { 0 };
	vr_problem_t	 p;
	vr_err_e	 err;
	size_t		 i;

	for (i = 0; i <= sizeof(notes) / sizeof(notes[0]); i++) {
		/* The last round has a null note. */
		a = sample_record("Bob", i < sizeof(notes) / sizeof(notes[0]) ?
		    notes[i] : NULL, i == sizeof(notes) / sizeof(notes[0]));
		b = vr_record_new(&widget);
		vr_buf_reset(&out);
		vr_problem_clear(&p);
		err = vr_xml_encode_record(&widget, a, &out);
		check(err == VR_OK && strncmp(out.data, DECL, strlen(DECL)) ==
		    0, "encode_record", "round %zu: err %d: %s", i, err,
		    out.data ? out.data : "");
		if (err == VR_OK) {
			check(s != NULL && doc_valid(s, &out),
			    "encoded_record_valid", "round %zu: %s", i,
			    out.data);
			err = vr_xml_decode(&widget, out.data, out.len, b, &p);
			check(err == VR_OK && records_equal(&widget, a, b),
			    "round_trip", "round %zu: err %d (%s) %s", i,
			    err, p.detail, out.data);
		}
		vr_record_free(&widget, a);
		vr_record_free(&widget, b);
	}

	/* Raw UTF-8, not character references; no pretty printing. */
	a = sample_record("\xE2\x98\xBA", "x", false);
	vr_buf_reset(&out);
	err = vr_xml_encode_record(&widget, a, &out);
	check(err == VR_OK && strstr(out.data, "<name>\xE2\x98\xBA</name>") !=
	    NULL && strstr(out.data, "<widget xmlns=\"" NS "\"><id>42</id>")
	    != NULL, "encode_raw_utf8", "%s", out.data ? out.data : "");
	vr_record_free(&widget, a);

	/* Absent fields are left out; empty record is an empty element. */
	a = vr_record_new(&widget);
	vr_buf_reset(&out);
	err = vr_xml_encode_record(&widget, a, &out);
	check(err == VR_OK && strstr(out.data, "<widget xmlns=\"" NS "\"/>")
	    != NULL, "encode_empty_record", "%s", out.data ? out.data : "");
	vr_record_free(&widget, a);
	vr_buf_free(&out);
}

/*
 * The oracle: the document libxml2 serialises from a tree of the same
 * records (how the codec once encoded).  The codec now writes the bytes
 * itself and must write exactly these.
 */
static void
tree_fields(xmlNodePtr root, xmlNodePtr node, xmlNsPtr ns, xmlNsPtr *xsi,
    const vr_resource_t *res, const vr_value_t *rec)
{
	char	 num[32];
	size_t	 i;

	for (i = 0; i < res->nfields; i++) {
		if (!rec[i].present)
			continue;
		if (rec[i].null) {
			if (*xsi == NULL)
				*xsi = xmlNewNs(root, BAD_CAST
				    "http://www.w3.org/2001/XMLSchema-instance",
				    BAD_CAST "xsi");
			xmlNewNsProp(xmlNewChild(node, ns,
			    BAD_CAST res->fields[i].name, NULL), *xsi,
			    BAD_CAST "nil", BAD_CAST "true");
			continue;
		}
		if (res->fields[i].type == VR_T_INT)
			snprintf(num, sizeof(num), "%" PRId64, rec[i].i);
		else if (res->fields[i].type == VR_T_BOOL)
			snprintf(num, sizeof(num), "%s", rec[i].i ? "true" :
			    "false");
		xmlNewTextChild(node, ns, BAD_CAST res->fields[i].name,
		    BAD_CAST (res->fields[i].type == VR_T_INT ||
		    res->fields[i].type == VR_T_BOOL ? num : rec[i].s));
	}
}

/* rec or list (one of them NULL) as libxml2 writes it; caller frees. */
static char *
tree_text(const vr_resource_t *res, const vr_value_t *rec,
    const vr_list_t *list)
{
	xmlDocPtr	 doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr	 root;
	xmlNsPtr	 ns, xsi = NULL;
	xmlChar		*mem = NULL;
	char		*text;
	int		 size = 0;
	size_t		 i;

	root = xmlNewDocNode(doc, NULL, BAD_CAST (rec != NULL ? res->name :
	    res->plural), NULL);
	xmlDocSetRootElement(doc, root);
	ns = xmlNewNs(root, BAD_CAST res->xmlns, NULL);
	xmlSetNs(root, ns);
	if (rec != NULL)
		tree_fields(root, root, ns, &xsi, res, rec);
	else {
		for (i = 0; i < list->n; i++)
			tree_fields(root, xmlNewChild(root, ns,
			    BAD_CAST res->name, NULL), ns, &xsi, res,
			    list->items[i]);
		if (list->next_cursor != NULL)
			xmlNewTextChild(root, ns, BAD_CAST "next_cursor",
			    BAD_CAST list->next_cursor);
	}
	xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
	text = strdup((const char *)mem);
	xmlFree(mem);
	xmlFreeDoc(doc);
	if (text == NULL)
		exit(2);
	return text;
}

static void
same_as_libxml2(const vr_value_t *rec, const vr_list_t *list,
    const char *what)
{
	vr_buf_t	 out = { 0 };
	vr_err_e	 err;
	char		*want = tree_text(&widget, rec, list);

	err = rec != NULL ? vr_xml_encode_record(&widget, rec, &out) :
	    vr_xml_encode_list(&widget, list, &out);
	check(err == VR_OK && strcmp(out.data, want) == 0, what,
	    "err %d: got %s, libxml2 %s", err, out.data ? out.data : "",
	    want);
	free(want);
	vr_buf_free(&out);
}

static void
test_encode_oracle(void)
{
	static const int64_t	 ints[] = { 0, -1, 7, INT64_MAX, INT64_MIN };
	vr_list_t		 l = { 0 };
	vr_value_t		*a;
	char			 text[4], what[64];
	unsigned		 c;
	size_t			 i;

	/* Every ASCII character XML can carry, alone and inside text. */
	for (c = 1; c < 0x80; c++) {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			continue;
		snprintf(text, sizeof(text), "a%cb", (char)c);
		a = sample_record(text, text + 1, c & 1);
		snprintf(what, sizeof(what), "libxml2 escape of 0x%02x", c);
		same_as_libxml2(a, NULL, what);
		vr_record_free(&widget, a);
	}
	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		a = sample_record("", "\xE6\xA0\xAA&<>\r\n\"'", false);
		vr_value_set_int(&a[W_ID], ints[i]);
		vr_value_set_int(&a[W_ACTIVE], (int64_t)(i & 1));
		same_as_libxml2(a, NULL, "libxml2 integers, empty text");
		vr_record_free(&widget, a);
	}
	a = vr_record_new(&widget);
	same_as_libxml2(a, NULL, "libxml2 empty record");
	vr_value_set_null(&a[W_NOTE]);
	same_as_libxml2(a, NULL, "libxml2 only a nil");
	vr_record_free(&widget, a);

	same_as_libxml2(NULL, &l, "libxml2 empty list");
	l.next_cursor = strdup("c&<>\r");
	same_as_libxml2(NULL, &l, "libxml2 list of a cursor only");
	vr_list_push(&l, vr_record_new(&widget));
	same_as_libxml2(NULL, &l, "libxml2 list with an empty item");
	vr_list_push(&l, sample_record("x", "y", false));
	vr_list_push(&l, sample_record("x", "y", true));
	same_as_libxml2(NULL, &l, "libxml2 list with a nil");
	free(l.next_cursor);
	l.next_cursor = NULL;
	same_as_libxml2(NULL, &l, "libxml2 list without cursor");
	vr_list_free(&widget, &l);
}

static void
test_encode_refuses(void)
{
	static const char *const bad[] = {
		"a\x01z", "esc\x1B", "\xFF", "\xEF\xBF\xBE", "\xED\xA0\x80",
	};
	vr_value_t	*a;
	vr_buf_t	 out = { 0 };
	vr_list_t	 l = { 0 };
	vr_err_e	 err;
	size_t		 i;

	vr_buf_puts(&out, "keep");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = sample_record("Bob", bad[i], false);
		err = vr_xml_encode_record(&widget, a, &out);
		check(err == VR_E_INTERNAL && strcmp(out.data, "keep") == 0,
		    "encode_refuses_invalid_char", "case %zu: err %d", i, err);
		vr_record_free(&widget, a);
	}
	l.next_cursor = strdup("bad\x02");
	err = vr_xml_encode_list(&widget, &l, &out);
	check(err == VR_E_INTERNAL && strcmp(out.data, "keep") == 0,
	    "encode_refuses_bad_cursor", "err %d", err);
	err = vr_xml_encode_list(&problem, &l, &out);
	check(err == VR_E_INTERNAL, "encode_list_without_plural", "err %d",
	    err);
	vr_list_free(&widget, &l);
	vr_buf_free(&out);
}

static void
test_list(xmlSchemaPtr s)
{
	vr_list_t	 l = { 0 };
	vr_buf_t	 out = { 0 };
	vr_err_e	 err;
	int		 i;

	err = vr_xml_encode_list(&widget, &l, &out);
	check(err == VR_OK && s != NULL && doc_valid(s, &out) &&
	    strstr(out.data, "<widgets xmlns=\"" NS "\"/>") != NULL,
	    "list_empty", "err %d: %s", err, out.data ? out.data : "");

	for (i = 0; i < 3; i++)
		vr_list_push(&l, sample_record("Bob", "n", i == 1));
	l.next_cursor = strdup("abc&<def>");
	vr_buf_reset(&out);
	err = vr_xml_encode_list(&widget, &l, &out);
	check(err == VR_OK && s != NULL && doc_valid(s, &out),
	    "list_valid", "err %d: %s", err, out.data ? out.data : "");
	check(err == VR_OK && strstr(out.data, "<next_cursor>abc&amp;&lt;def"
	    "&gt;</next_cursor></widgets>") != NULL && strstr(out.data,
	    "<note xsi:nil=\"true\"/>") != NULL, "list_shape", "%s",
	    out.data ? out.data : "");

	/* A list is not a record: the decoder refuses it. */
	{
		vr_problem_t	 p;

		err = decode(&widget, out.data, out.len, &p, NULL);
		check(err == VR_E_INVALID && strcmp(p.code, "wrong_root") ==
		    0, "list_not_decoded_as_record", "err %d", err);
	}
	vr_list_free(&widget, &l);
	vr_buf_free(&out);
}

/* ---- threads --------------------------------------------------------- */

#define THREADS		8
#define PER_THREAD	2000

static const char *const tgood[] = {
	"all_fields", "nil", "any_order", "escapes_cdata",
};

typedef struct tres {
	int	 id;
	int	 bad;
	char	 why[512];
} tres_t;

static const char *const tnames[] = {
	"bad_enum", "too_long", "int_above", "mismatched",
	"doctype_internal_entity", "invalid_utf8_ff", "unknown_element",
	"wrong_root",
};

static const dcase_t *
find_case(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(dcases) / sizeof(dcases[0]); i++)
		if (strcmp(dcases[i].name, name) == 0)
			return &dcases[i];
	return NULL;
}

static void *
worker(void *arg)
{
	tres_t		*r = arg;
	const dcase_t	*c;
	int		 i;

	for (i = 0; i < PER_THREAD; i++) {
		if ((i + r->id) % 2 == 0)
			c = find_case(tgood[(size_t)(i / 2 + r->id) %
			    (sizeof(tgood) / sizeof(tgood[0]))]);
		else
			c = find_case(tnames[(size_t)(i / 2 + r->id) %
			    (sizeof(tnames) / sizeof(tnames[0]))]);
		if (!run_case(c, r->why, sizeof(r->why)) && r->bad++ == 0)
			fprintf(stderr, "thread %d case %s: %s\n", r->id,
			    c->name, r->why);
	}
	return NULL;
}

static void
test_threads(void)
{
	pthread_t	 t[THREADS];
	tres_t		 r[THREADS];
	int		 i, bad = 0, started = 0;

	memset(r, 0, sizeof(r));
	for (i = 0; i < THREADS; i++) {
		r[i].id = i;
		if (pthread_create(&t[i], NULL, worker, &r[i]) != 0)
			break;
		started++;
	}
	for (i = 0; i < started; i++) {
		pthread_join(t[i], NULL);
		bad += r[i].bad;
	}
	check(started == THREADS && bad == 0, "threads", "%d threads, %d of "
	    "%d decodes wrong", started, bad, THREADS * PER_THREAD);
}

int
main(void)
{
	xmlSchemaPtr	 s = NULL;
	vr_problem_t	 p;
	vr_err_e	 err;
	size_t		 i;

	/* Before vr_xml_init() decoding is refused, not attempted. */
	err = decode(&widget, W(""), strlen(W("")), &p, NULL);
	check(err == VR_E_INTERNAL, "decode_before_init", "err %d", err);

	if (vr_xml_init(inputs) != 0) {
		printf("FAIL vr_xml_init\n");
		return 1;
	}
	check(vr_xml_init(inputs) == -1, "init_twice_refused", "accepted");
	for (i = 0; i < sizeof(tnames) / sizeof(tnames[0]); i++)
		check(find_case(tnames[i]) != NULL, "thread_case_names", "%s",
		    tnames[i]);
	for (i = 0; i < sizeof(tgood) / sizeof(tgood[0]); i++)
		check(find_case(tgood[i]) != NULL, "thread_case_names", "%s",
		    tgood[i]);

	err = decode(&widget, NULL, 0, &p, NULL);
	check(err == VR_E_MALFORMED, "decode_null_body", "err %d", err);
	test_decode_table();
	test_xxe();
	test_billion_laughs();
	test_depth();
	test_long_detail();
	test_xsd(&s);
	test_round_trip(s);
	test_encode_refuses();
	test_encode_oracle();
	test_list(s);
	test_threads();

	if (s != NULL)
		xmlSchemaFree(s);
	vr_xml_cleanup();
	printf("test_xml: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
