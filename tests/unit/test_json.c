/*
 * test_json: the JSON codec against a small test resource.  Tables of
 * bodies with the error and problem code each must give (including every
 * json-c leniency listed in dependencies.md), the JSONTestSuite corpus
 * (y_ never malformed, n_ never accepted, i_ never crash), values decoded,
 * and the encoders: exact output, determinism, round trip, and the same
 * bytes as json-c's own serialiser for every escape (json-c is the
 * oracle: the codec writes JSON without building a json-c tree).
 *
 * Usage: test_json [corpus-dir]; else $VR_JSON_CORPUS; else
 * ../shared/corpora/JSONTestSuite/test_parsing (run from the repo root).
 * A missing corpus is a failure, not a skip.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/vr_field.h"
#include "codec/vr_codec.h"

#define DEFAULT_CORPUS	"../shared/corpora/JSONTestSuite/test_parsing"

enum { F_COUNT, F_ACTIVE, F_NAME, F_KIND, F_NOTE, F__MAX };

static const char *const kinds[] = { "goods", "services", NULL };

static const vr_field_t test_fields[F__MAX] = {
	[F_COUNT] = { .name = "count", .type = VR_T_INT, .min = 0,
	    .max = 100 },
	[F_ACTIVE] = { .name = "active", .type = VR_T_BOOL },
	[F_NAME] = { .name = "name", .type = VR_T_TEXT,
	    .flags = VR_F_REQUIRED, .max_chars = 10 },
	[F_KIND] = { .name = "kind", .type = VR_T_ENUM,
	    .enum_values = kinds },
	[F_NOTE] = { .name = "note", .type = VR_T_TEXT,
	    .flags = VR_F_NULLABLE, .max_chars = 200 },
};

static const vr_resource_t test_res = {
	.name = "thing", .plural = "things", .fields = test_fields,
	.nfields = F__MAX,
};

static int	 passed, failed;

static void
check(int ok, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
check(int ok, const char *what, const char *fmt, ...)
{
	va_list	 ap;

	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s: ", what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Decodes body into a fresh record; the record is returned or freed. */
static vr_err_e
decode(const char *body, size_t len, vr_problem_t *p, vr_value_t **recp)
{
	vr_value_t	*rec;
	vr_err_e	 rc;

	vr_problem_clear(p);
	if ((rec = vr_record_new(&test_res)) == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	rc = vr_json_decode(&test_res, body, len, rec, p);
	if (recp != NULL)
		*recp = rec;
	else
		vr_record_free(&test_res, rec);
	return rc;
}

#define B(s)	s, sizeof(s) - 1	/* keeps embedded NUL bytes */

static const struct {
	const char	*name;
	const char	*body;
	size_t		 len;
	vr_err_e	 err;
	const char	*code;		/* NULL: any code */
	const char	*field;		/* NULL: not checked */
} cases[] = {
	{ "valid object", B("{\"count\":5}"), VR_OK, NULL, NULL },
	{ "empty object", B("{}"), VR_OK, NULL, NULL },
	{ "whitespace around", B(" \t\r\n{ \"count\" : 5 } \n"), VR_OK,
	    NULL, NULL },
	{ "empty body", B(""), VR_E_MALFORMED, "empty_body", NULL },
	{ "only whitespace", B("  \n"), VR_E_MALFORMED, "malformed_json",
	    NULL },
	{ "truncated", B("{\"count\":5"), VR_E_MALFORMED, "malformed_json",
	    NULL },
	{ "trailing data", B("{\"count\":1} x"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "second object", B("{\"count\":1}{\"count\":2}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "NUL then more", B("{\"a\":1}\0{\"b\":2}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "trailing NUL", B("{\"count\":1}\0"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "leading zero", B("{\"count\":012}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "negative leading zero", B("{\"count\":-01}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "dot without digits", B("{\"count\":1.}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "dot before exponent", B("{\"count\":2.e3}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "plus sign", B("{\"count\":+1}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "lone minus", B("{\"count\":-}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "hex number", B("{\"count\":0x10}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "NaN", B("{\"count\":NaN}"), VR_E_MALFORMED, "malformed_json",
	    NULL },
	{ "Infinity", B("{\"count\":Infinity}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "-Infinity", B("{\"count\":-Infinity}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "True capitalised", B("{\"active\":True}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "30-digit integer", B("{\"count\":123456789012345678901234567890}"),
	    VR_E_INVALID, "number_too_long", "count" },
	{ "21-digit integer", B("{\"count\":100000000000000000000}"),
	    VR_E_INVALID, "number_too_long", "count" },
	{ "20-digit integer over int64", B("{\"count\":18446744073709551616}"),
	    VR_E_INVALID, "out_of_range", "count" },
	{ "int64 max + 1", B("{\"count\":9223372036854775808}"),
	    VR_E_INVALID, "out_of_range", "count" },
	{ "int64 min - 1", B("{\"count\":-9223372036854775809}"),
	    VR_E_INVALID, "out_of_range", "count" },
	{ "int64 max", B("{\"count\":9223372036854775807}"), VR_OK, NULL,
	    NULL },
	{ "int64 min", B("{\"count\":-9223372036854775808}"), VR_OK, NULL,
	    NULL },
	{ "1e999", B("{\"count\":1e999}"), VR_E_INVALID, "wrong_type",
	    "count" },
	{ "float for int", B("{\"count\":1.5}"), VR_E_INVALID, "wrong_type",
	    "count" },
	{ "exponent int for int", B("{\"count\":1e2}"), VR_E_INVALID,
	    "wrong_type", "count" },
	{ "string for int", B("{\"count\":\"5\"}"), VR_E_INVALID,
	    "wrong_type", "count" },
	{ "bool for int", B("{\"count\":true}"), VR_E_INVALID, "wrong_type",
	    "count" },
	{ "number for bool", B("{\"active\":1}"), VR_E_INVALID,
	    "wrong_type", "active" },
	{ "string for bool", B("{\"active\":\"true\"}"), VR_E_INVALID,
	    "wrong_type", "active" },
	{ "number for text", B("{\"name\":5}"), VR_E_INVALID, "wrong_type",
	    "name" },
	{ "bool for enum", B("{\"kind\":false}"), VR_E_INVALID, "wrong_type",
	    "kind" },
	{ "object for text", B("{\"name\":{\"a\":1}}"), VR_E_INVALID,
	    "wrong_type", "name" },
	{ "array for text", B("{\"name\":[\"a\"]}"), VR_E_INVALID,
	    "wrong_type", "name" },
	{ "array for int", B("{\"count\":[1]}"), VR_E_INVALID, "wrong_type",
	    "count" },
	{ "duplicate key", B("{\"count\":1,\"count\":2}"), VR_E_INVALID,
	    "duplicate_field", "count" },
	{ "duplicate via escape", B("{\"name\":\"a\",\"n\\u0061me\":\"b\"}"),
	    VR_E_INVALID, "duplicate_field", "name" },
	{ "duplicate unknown", B("{\"zz\":1,\"zz\":2}"), VR_E_INVALID,
	    "duplicate_field", "zz" },
	{ "nested duplicates are refused too",
	    B("{\"a\":{\"b\":1,\"b\":2}}"), VR_E_INVALID, "duplicate_field",
	    "b" },
	{ "unknown field", B("{\"colour\":\"red\"}"), VR_E_INVALID,
	    "unknown_field", "colour" },
	{ "unknown after known", B("{\"count\":1,\"Count\":2}"), VR_E_INVALID,
	    "unknown_field", "Count" },
	{ "escaped NUL in name", B("{\"count\\u0000x\":1}"), VR_E_INVALID,
	    "unknown_field", "count?x" },
	{ "escaped NUL in value", B("{\"name\":\"a\\u0000b\"}"), VR_E_INVALID,
	    "invalid_value", "name" },
	{ "lone high surrogate", B("{\"name\":\"\\ud800\"}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "high surrogate then text", B("{\"name\":\"\\ud800abcdef\"}"),
	    VR_E_MALFORMED, "malformed_json", NULL },
	{ "two high surrogates", B("{\"name\":\"\\ud800\\ud800\"}"),
	    VR_E_MALFORMED, "malformed_json", NULL },
	{ "lone low surrogate", B("{\"name\":\"\\udc00\"}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "surrogate pair", B("{\"name\":\"\\ud834\\udd1e\"}"), VR_OK, NULL,
	    NULL },
	{ "bad escape", B("{\"name\":\"\\x41\"}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "short \\u escape", B("{\"name\":\"\\u12\"}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "top-level null", B("null"), VR_E_INVALID, "not_an_object", NULL },
	{ "top-level array", B("[]"), VR_E_INVALID, "not_an_object", NULL },
	{ "top-level string", B("\"x\""), VR_E_INVALID, "not_an_object",
	    NULL },
	{ "top-level number", B("1"), VR_E_INVALID, "not_an_object", NULL },
	{ "overlong C0 AF", B("{\"name\":\"\xC0\xAF\"}"), VR_E_MALFORMED,
	    "invalid_utf8", NULL },
	{ "encoded surrogate ED A0 80", B("{\"name\":\"\xED\xA0\x80\"}"),
	    VR_E_MALFORMED, "invalid_utf8", NULL },
	{ "above U+10FFFF F4 90 80 80", B("{\"name\":\"\xF4\x90\x80\x80\"}"),
	    VR_E_MALFORMED, "invalid_utf8", NULL },
	{ "truncated sequence", B("{\"name\":\"\xE2\x82\"}"), VR_E_MALFORMED,
	    "invalid_utf8", NULL },
	{ "lone continuation", B("{\"name\":\"\x80\"}"), VR_E_MALFORMED,
	    "invalid_utf8", NULL },
	{ "invalid UTF-8 in name", B("{\"\xFF\":1}"), VR_E_MALFORMED,
	    "invalid_utf8", NULL },
	{ "UTF-8 outside string", B("{\"name\":\"a\"}\xC3\xA9"),
	    VR_E_MALFORMED, "malformed_json", NULL },
	{ "BOM", B("\xEF\xBB\xBF{}"), VR_E_MALFORMED, "malformed_json", NULL },
	{ "valid UTF-8", B("{\"name\":\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"}"),
	    VR_OK, NULL, NULL },
	{ "raw tab in string", B("{\"name\":\"a\tb\"}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "raw newline in string", B("{\"name\":\"a\nb\"}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "raw NUL in string", B("{\"name\":\"a\0b\"}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "single quoted value", B("{\"name\":'x'}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "single quoted name", B("{'name':\"x\"}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "bare name", B("{name:\"x\"}"), VR_E_MALFORMED, "malformed_json",
	    NULL },
	{ "trailing comma", B("{\"count\":1,}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "comment", B("{/*c*/\"count\":1}"), VR_E_MALFORMED,
	    "malformed_json", NULL },
	{ "depth at the limit", NULL, 0, VR_E_INVALID, "unknown_field", "a" },
	{ "depth over the limit", NULL, 1, VR_E_MALFORMED, "malformed_json",
	    NULL },
};

/* {"a":[[...]]} with total nesting depth d (object included). */
static char *
nested(size_t d, size_t *lenp)
{
	char	*s;
	size_t	 k, n = 0;

	if ((s = malloc(2 * d + 8)) == NULL)
		exit(2);
	n += (size_t)sprintf(s, "{\"a\":");
	for (k = 1; k < d; k++)
		s[n++] = '[';
	for (k = 1; k < d; k++)
		s[n++] = ']';
	s[n++] = '}';
	*lenp = n;
	return s;
}

static void
test_cases(void)
{
	vr_problem_t	 p;
	vr_err_e	 rc;
	const char	*body;
	char		*buf;
	size_t		 k, len;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		buf = NULL;
		body = cases[k].body;
		len = cases[k].len;
		if (body == NULL) {
			/* len 0: exactly the limit, 1: one past it */
			buf = nested(VR_JSON_MAX_DEPTH + len, &len);
			body = buf;
		}
		rc = decode(body, len, &p, NULL);
		check(rc == cases[k].err, cases[k].name,
		    "err %d, want %d (%s: %s)", rc, cases[k].err,
		    p.code ? p.code : "-", p.detail);
		check(p.err == rc, cases[k].name, "problem err %d != %d",
		    p.err, rc);
		if (rc != VR_OK)
			check(p.code != NULL && p.detail[0] != '\0',
			    cases[k].name, "no code or detail");
		if (cases[k].code != NULL)
			check(p.code != NULL &&
			    strcmp(p.code, cases[k].code) == 0,
			    cases[k].name, "code %s, want %s",
			    p.code ? p.code : "(null)", cases[k].code);
		if (cases[k].field != NULL)
			check(strcmp(p.field, cases[k].field) == 0,
			    cases[k].name, "field \"%s\", want \"%s\"",
			    p.field, cases[k].field);
		free(buf);
	}
}

static void
test_deep(void)
{
	vr_problem_t	 p;
	vr_err_e	 rc;
	char		*s;
	size_t		 n = 100000;
	clock_t		 t0;
	double		 secs;

	if ((s = malloc(n)) == NULL)
		exit(2);
	memset(s, '[', n);
	t0 = clock();
	rc = decode(s, n, &p, NULL);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	check(rc == VR_E_MALFORMED, "100000 [", "err %d (%s)", rc, p.detail);
	check(secs < 1.0, "100000 [ quickly", "took %.3f s", secs);
	memset(s, '{', n);
	rc = decode(s, n, &p, NULL);
	check(rc == VR_E_MALFORMED, "100000 {", "err %d (%s)", rc, p.detail);
	free(s);
}

static void
test_values(void)
{
	static const char body[] = "{\"count\":42,\"active\":false,"
	    "\"name\":\"caf\\u00e9 \\\"x\\\"\\n\",\"kind\":\"goods\","
	    "\"note\":null}";
	vr_problem_t	 p;
	vr_value_t	*rec;
	vr_err_e	 rc;

	rc = decode(body, sizeof(body) - 1, &p, &rec);
	check(rc == VR_OK, "values", "err %d (%s)", rc, p.detail);
	if (rc == VR_OK) {
		check(rec[F_COUNT].present && !rec[F_COUNT].null &&
		    rec[F_COUNT].i == 42, "values count", "wrong");
		check(rec[F_ACTIVE].present && !rec[F_ACTIVE].null &&
		    rec[F_ACTIVE].i == 0, "values active", "wrong");
		check(rec[F_NAME].present && rec[F_NAME].s != NULL &&
		    strcmp(rec[F_NAME].s, "caf\xC3\xA9 \"x\"\n") == 0,
		    "values name", "got \"%s\"",
		    rec[F_NAME].s ? rec[F_NAME].s : "(null)");
		check(rec[F_KIND].present && rec[F_KIND].s != NULL &&
		    strcmp(rec[F_KIND].s, "goods") == 0, "values kind",
		    "wrong");
		check(rec[F_NOTE].present && rec[F_NOTE].null, "values note",
		    "not null");
	}
	vr_record_free(&test_res, rec);

	/* Absent fields stay !present; true is 1; rules are not applied. */
	rc = decode(B("{\"active\":true,\"count\":-7,\"kind\":\"nope\"}"), &p,
	    &rec);
	check(rc == VR_OK, "no rules", "err %d (%s)", rc, p.detail);
	if (rc == VR_OK) {
		check(rec[F_ACTIVE].i == 1, "true is 1", "got %lld",
		    (long long)rec[F_ACTIVE].i);
		check(rec[F_COUNT].i == -7, "range not applied", "got %lld",
		    (long long)rec[F_COUNT].i);
		check(!rec[F_NAME].present && !rec[F_NOTE].present,
		    "absent stays absent", "present");
	}
	vr_record_free(&test_res, rec);

	rc = decode(B("{\"count\":-9223372036854775808}"), &p, &rec);
	check(rc == VR_OK && rec[F_COUNT].i == INT64_MIN, "int64 min value",
	    "err %d", rc);
	vr_record_free(&test_res, rec);
	rc = decode(B("{\"count\":-0}"), &p, &rec);
	check(rc == VR_OK && rec[F_COUNT].i == 0, "-0", "err %d", rc);
	vr_record_free(&test_res, rec);
}

static vr_value_t *
sample(int variant)
{
	vr_value_t	*rec;
	const char	*name;

	if ((rec = vr_record_new(&test_res)) == NULL)
		exit(2);
	vr_value_set_int(&rec[F_COUNT], variant ? INT64_MIN : 7);
	vr_value_set_int(&rec[F_ACTIVE], 1);
	/* a 4-byte character, a slash, a backslash, control bytes */
	name = variant ? "\xF0\x9F\x98\x80 a/b \\ \x01 \x7f" : "x\"y";
	if (vr_value_set_text(&rec[F_NAME], name, strlen(name)) == -1)
		exit(2);
	if (!variant && vr_value_set_text(&rec[F_KIND], "goods", 5) == -1)
		exit(2);
	vr_value_set_null(&rec[F_NOTE]);
	return rec;
}

static int
same_record(const vr_value_t *a, const vr_value_t *b)
{
	size_t	 k;

	for (k = 0; k < F__MAX; k++) {
		if (a[k].present != b[k].present || a[k].null != b[k].null)
			return 0;
		if (!a[k].present || a[k].null)
			continue;
		if (test_fields[k].type == VR_T_INT ||
		    test_fields[k].type == VR_T_BOOL) {
			if (a[k].i != b[k].i)
				return 0;
		} else if (a[k].s == NULL || b[k].s == NULL ||
		    strcmp(a[k].s, b[k].s) != 0)
			return 0;
	}
	return 1;
}

/* json-c's text for rec, built the way the codec once did: the oracle. */
static char *
json_c_text(const vr_value_t *rec)
{
	json_object	*o = json_object_new_object(), *val;
	char		*text;
	size_t		 k;

	for (k = 0; k < F__MAX; k++) {
		if (!rec[k].present)
			continue;
		val = NULL;
		if (rec[k].null)
			;
		else if (test_fields[k].type == VR_T_INT)
			val = json_object_new_int64(rec[k].i);
		else if (test_fields[k].type == VR_T_BOOL)
			val = json_object_new_boolean(rec[k].i != 0);
		else
			val = json_object_new_string(rec[k].s);
		json_object_object_add(o, test_fields[k].name, val);
	}
	text = strdup(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	if (text == NULL)
		exit(2);
	return text;
}

/* Compares the codec's bytes with json-c's for a name of (s, len). */
static void
same_as_json_c(const char *s, size_t len, int64_t count, const char *what)
{
	vr_value_t	*rec;
	vr_buf_t	 b = { 0 };
	char		*want;

	if ((rec = vr_record_new(&test_res)) == NULL ||
	    vr_value_set_text(&rec[F_NAME], s, len) == -1)
		exit(2);
	vr_value_set_int(&rec[F_COUNT], count);
	vr_value_set_int(&rec[F_ACTIVE], count & 1);
	vr_value_set_null(&rec[F_NOTE]);
	want = json_c_text(rec);
	check(vr_json_encode_record(&test_res, rec, &b) == VR_OK &&
	    strcmp(b.data, want) == 0, what, "got %s, json-c %s",
	    b.data ? b.data : "(null)", want);
	free(want);
	vr_buf_free(&b);
	vr_record_free(&test_res, rec);
}

static void
test_encode_oracle(void)
{
	static const int64_t	 counts[] = { 0, 1, -1, 9, 10, -10, 99999,
	    INT64_MAX, INT64_MIN, INT64_MIN + 1 };
	char			 s[8], what[64];
	unsigned		 c, seed = 12345;
	size_t			 k, n;

	/* Every byte that can stand alone in UTF-8, alone and in text. */
	for (c = 1; c < 0x80; c++) {
		snprintf(s, sizeof(s), "a%cb", (char)c);
		snprintf(what, sizeof(what), "json-c escape of 0x%02x", c);
		same_as_json_c(s, 3, (int64_t)c, what);
	}
	for (k = 0; k < sizeof(counts) / sizeof(counts[0]); k++)
		same_as_json_c("n", 1, counts[k], "json-c integer");
	same_as_json_c("", 0, 0, "json-c empty string");
	same_as_json_c("\xC3\xA9\xE6\xA0\xAA\xF0\x9F\x98\x80\xEF\xBF\xBF",
	    12, 0, "json-c multi-byte");
	/* Random runs of the characters that need care. */
	for (k = 0; k < 2000; k++) {
		static const char pick[] = "\"\\/\b\f\n\r\t\x01\x1f\x7f a";
		char	 t[16];

		n = 1 + k % 15;
		for (c = 0; c < n; c++) {
			seed = seed * 1103515245u + 12345u;
			t[c] = pick[(seed >> 16) % (sizeof(pick) - 1)];
		}
		same_as_json_c(t, n, (int64_t)seed, "json-c random text");
	}
}

static void
test_encode(void)
{
	vr_buf_t	 b1 = { 0 }, b2 = { 0 };
	vr_value_t	*rec, *back;
	vr_list_t	 list = { 0 };
	vr_problem_t	 p;
	vr_err_e	 rc;
	int		 v;

	rec = sample(0);
	rc = vr_json_encode_record(&test_res, rec, &b1);
	check(rc == VR_OK && b1.data != NULL && strcmp(b1.data,
	    "{\"count\":7,\"active\":true,\"name\":\"x\\\"y\","
	    "\"kind\":\"goods\",\"note\":null}") == 0, "encode exact",
	    "got %s", b1.data ? b1.data : "(null)");
	vr_record_free(&test_res, rec);

	for (v = 0; v < 2; v++) {
		vr_buf_reset(&b1);
		vr_buf_reset(&b2);
		rec = sample(v);
		rc = vr_json_encode_record(&test_res, rec, &b1);
		check(rc == VR_OK, "encode", "err %d", rc);
		rc = vr_json_encode_record(&test_res, rec, &b2);
		check(rc == VR_OK && b1.len == b2.len &&
		    memcmp(b1.data, b2.data, b1.len) == 0,
		    "encode deterministic", "%s vs %s", b1.data, b2.data);
		rc = decode(b1.data, b1.len, &p, &back);
		check(rc == VR_OK && same_record(rec, back), "round trip",
		    "err %d (%s) on %s", rc, p.detail, b1.data);
		/* and encode(decode(encode(rec))) is the same text */
		vr_buf_reset(&b2);
		if (rc == VR_OK) {
			rc = vr_json_encode_record(&test_res, back, &b2);
			check(rc == VR_OK && strcmp(b1.data, b2.data) == 0,
			    "canonical", "%s vs %s", b1.data, b2.data);
		}
		vr_record_free(&test_res, back);
		vr_record_free(&test_res, rec);
	}

	/* An empty record is {}; encoders append, not overwrite. */
	vr_buf_reset(&b1);
	vr_buf_puts(&b1, "X");
	rec = vr_record_new(&test_res);
	rc = vr_json_encode_record(&test_res, rec, &b1);
	check(rc == VR_OK && strcmp(b1.data, "X{}") == 0, "empty record",
	    "got %s", b1.data);
	vr_record_free(&test_res, rec);

	vr_buf_reset(&b1);
	rc = vr_json_encode_list(&test_res, &list, &b1);
	check(rc == VR_OK && strcmp(b1.data,
	    "{\"items\":[],\"next_cursor\":null}") == 0, "empty list",
	    "got %s", b1.data);

	if (vr_list_push(&list, sample(0)) == -1 ||
	    (list.next_cursor = strdup("abc")) == NULL)
		exit(2);
	rec = vr_record_new(&test_res);
	vr_value_set_int(&rec[F_COUNT], 1);
	if (vr_list_push(&list, rec) == -1)
		exit(2);
	vr_buf_reset(&b1);
	rc = vr_json_encode_list(&test_res, &list, &b1);
	check(rc == VR_OK && strcmp(b1.data,
	    "{\"items\":[{\"count\":7,\"active\":true,\"name\":\"x\\\"y\","
	    "\"kind\":\"goods\",\"note\":null},{\"count\":1}],"
	    "\"next_cursor\":\"abc\"}") == 0, "list exact", "got %s",
	    b1.data);
	vr_list_free(&test_res, &list);
	vr_buf_free(&b1);
	vr_buf_free(&b2);
}

static char *
read_all(const char *path, size_t *lenp)
{
	FILE	*f;
	char	*s = NULL, *t;
	size_t	 n = 0, cap = 0, r;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			if ((t = realloc(s, cap)) == NULL)
				exit(2);
			s = t;
		}
		if ((r = fread(s + n, 1, cap - n, f)) == 0)
			break;
		n += r;
	}
	fclose(f);
	*lenp = n;
	return s;
}

static void
test_corpus(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	char		 path[4096];
	char		*body;
	size_t		 len;
	vr_problem_t	 p;
	vr_err_e	 rc;
	int		 ny = 0, nn = 0, ni = 0;

	if ((d = opendir(dir)) == NULL) {
		check(0, "corpus", "cannot open %s", dir);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || (e->d_name[0] != 'y' &&
		    e->d_name[0] != 'n' && e->d_name[0] != 'i') ||
		    e->d_name[1] != '_')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if ((body = read_all(path, &len)) == NULL) {
			check(0, e->d_name, "cannot read");
			continue;
		}
		rc = decode(body, len, &p, NULL);
		check(rc == VR_OK || p.code != NULL, e->d_name,
		    "error without a code");
		switch (e->d_name[0]) {
		case 'y':
			ny++;
			check(rc == VR_OK || rc == VR_E_INVALID, e->d_name,
			    "valid JSON refused: %d %s (%s)", rc,
			    p.code ? p.code : "-", p.detail);
			break;
		case 'n':
			nn++;
			/*
			 * Stricter than "never VR_OK": most n_ bodies are not
			 * objects, so a parser that let one through would
			 * hide behind not_an_object.
			 */
			check(rc == VR_E_MALFORMED, e->d_name,
			    "invalid JSON gave %d %s", rc,
			    p.code ? p.code : "-");
			break;
		default:
			ni++;
			check(rc == VR_OK || rc == VR_E_MALFORMED ||
			    rc == VR_E_INVALID, e->d_name, "gave %d", rc);
			break;
		}
		free(body);
	}
	closedir(d);
	/* An empty or wrong directory must not pass quietly. */
	check(ny >= 90 && nn >= 180 && ni >= 30, "corpus size",
	    "%d y_, %d n_, %d i_ in %s", ny, nn, ni, dir);
}

int
main(int argc, char *argv[])
{
	const char	*corpus;

	if (argc > 1)
		corpus = argv[1];
	else if ((corpus = getenv("VR_JSON_CORPUS")) == NULL)
		corpus = DEFAULT_CORPUS;

	test_cases();
	test_deep();
	test_values();
	test_encode();
	test_encode_oracle();
	test_corpus(corpus);

	printf("test_json: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
