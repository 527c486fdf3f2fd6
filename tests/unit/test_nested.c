/*
 * test_nested: fields that hold a sub-record, a list of scalars, a list
 * of sub-records or a variant value, through both codecs, the validator
 * and the generated schema: JSON and XML decode to the same record, each
 * encodes back to what it read, a record survives a deep copy, and every
 * mistake is named by its path (e.g. "sections[0].questions[1].weight").
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/vr_codec.h"
#include "core/vr_field.h"

#include "unit_check.h"

#define NS	"urn:vendor-review:test-nested"

static const char *const tiers[] = { "high", "medium", "low", NULL };
static const char *const qtypes[] = { "yes_no", "single_choice", "number",
    NULL };

enum { L_JA, L_EN, L__MAX };
static const vr_field_t label_fields[L__MAX] = {
	[L_JA] = { .name = "ja", .type = VR_T_TEXT, .flags = VR_F_REQUIRED,
	    .max_chars = 20, .doc = "Japanese." },
	[L_EN] = { .name = "en", .type = VR_T_TEXT, .max_chars = 20,
	    .doc = "English." },
};
static const vr_resource_t label = {
	.name = "label", .xmlns = NS, .fields = label_fields,
	.nfields = L__MAX,
};

enum { O_CODE, O_LABEL, O_SCORE, O__MAX };
static const vr_field_t option_fields[O__MAX] = {
	[O_CODE] = { .name = "code", .type = VR_T_TEXT,
	    .flags = VR_F_REQUIRED, .max_chars = 10 },
	[O_LABEL] = { .name = "label", .type = VR_T_RECORD, .sub = &label },
	[O_SCORE] = { .name = "score", .type = VR_T_INT, .max = 100 },
};
static const vr_resource_t option = {
	.name = "option", .xmlns = NS, .fields = option_fields,
	.nfields = O__MAX,
};
static const vr_field_t option_item = {
	.name = "option", .type = VR_T_RECORD, .sub = &option,
};
static const vr_field_t tier_item = {
	.name = "tier", .type = VR_T_ENUM, .enum_values = tiers,
};

enum { Q_CODE, Q_TEXT, Q_TYPE, Q_OPTIONS, Q_TIERS, Q_WEIGHT, Q__MAX };
static const vr_field_t question_fields[Q__MAX] = {
	[Q_CODE] = { .name = "code", .type = VR_T_TEXT,
	    .flags = VR_F_REQUIRED, .max_chars = 10 },
	[Q_TEXT] = { .name = "text", .type = VR_T_RECORD,
	    .flags = VR_F_REQUIRED, .sub = &label },
	[Q_TYPE] = { .name = "type", .type = VR_T_ENUM,
	    .enum_values = qtypes },
	[Q_OPTIONS] = { .name = "options", .type = VR_T_LIST,
	    .items = &option_item, .max_items = 3 },
	[Q_TIERS] = { .name = "tiers", .type = VR_T_LIST,
	    .items = &tier_item },
	[Q_WEIGHT] = { .name = "weight", .type = VR_T_INT, .max = 10,
	    .flags = VR_F_NULLABLE },
};
static const vr_resource_t question = {
	.name = "question", .xmlns = NS, .fields = question_fields,
	.nfields = Q__MAX,
};
static const vr_field_t question_item = {
	.name = "question", .type = VR_T_RECORD, .sub = &question,
};

enum { S_CODE, S_TITLE, S_QUESTIONS, S__MAX };
static const vr_field_t section_fields[S__MAX] = {
	[S_CODE] = { .name = "code", .type = VR_T_TEXT,
	    .flags = VR_F_REQUIRED, .max_chars = 10 },
	[S_TITLE] = { .name = "title", .type = VR_T_RECORD, .sub = &label,
	    .flags = VR_F_REQUIRED },
	[S_QUESTIONS] = { .name = "questions", .type = VR_T_LIST,
	    .items = &question_item },
};
static const vr_resource_t section = {
	.name = "section", .xmlns = NS, .fields = section_fields,
	.nfields = S__MAX,
};
static const vr_field_t section_item = {
	.name = "section", .type = VR_T_RECORD, .sub = &section,
};

enum { A_QUESTION, A_VALUE, A__MAX };
static const vr_field_t answer_fields[A__MAX] = {
	[A_QUESTION] = { .name = "question", .type = VR_T_TEXT,
	    .flags = VR_F_REQUIRED, .max_chars = 10 },
	[A_VALUE] = { .name = "value", .type = VR_T_VARIANT,
	    .flags = VR_F_NULLABLE, .max_chars = 30, .max_items = 3 },
};
static const vr_resource_t answer = {
	.name = "answer", .xmlns = NS, .fields = answer_fields,
	.nfields = A__MAX,
};
static const vr_field_t answer_item = {
	.name = "answer", .type = VR_T_RECORD, .sub = &answer,
};

enum { D_CODE, D_TITLE, D_SECTIONS, D_ANSWERS, D__MAX };
static const vr_field_t sheet_fields[D__MAX] = {
	[D_CODE] = { .name = "code", .type = VR_T_TEXT,
	    .flags = VR_F_REQUIRED, .max_chars = 10 },
	[D_TITLE] = { .name = "title", .type = VR_T_RECORD, .sub = &label },
	[D_SECTIONS] = { .name = "sections", .type = VR_T_LIST,
	    .items = &section_item },
	[D_ANSWERS] = { .name = "answers", .type = VR_T_LIST,
	    .items = &answer_item },
};
static const vr_resource_t sheet = {
	.name = "sheet", .plural = "sheets", .xmlns = NS,
	.fields = sheet_fields, .nfields = D__MAX,
};

static const vr_resource_t *const inputs[] = { &sheet, NULL };

/* The canonical JSON of the sample: fields in table order. */
static const char sample_json[] =
    "{\"code\":\"onb\",\"title\":{\"ja\":\"評価\",\"en\":\"Review\"},"
    "\"sections\":[{\"code\":\"CT\",\"title\":{\"ja\":\"契約\"},"
    "\"questions\":[{\"code\":\"CT-01\",\"text\":{\"ja\":\"秘密保持\","
    "\"en\":\"NDA\"},\"type\":\"yes_no\",\"tiers\":[\"high\",\"low\"],"
    "\"weight\":3},{\"code\":\"CT-02\",\"text\":{\"ja\":\"頻度\"},"
    "\"type\":\"single_choice\",\"options\":[{\"code\":\"d\",\"label\":"
    "{\"ja\":\"毎日\"},\"score\":100},{\"code\":\"n\",\"score\":0}],"
    "\"tiers\":[],\"weight\":null}]},{\"code\":\"AC\",\"title\":{\"ja\":"
    "\"アクセス\"}}],\"answers\":[{\"question\":\"CT-01\",\"value\":\"yes\"},"
    "{\"question\":\"CT-02\",\"value\":[\"d\",\"n\"]},{\"question\":\"N-1\","
    "\"value\":42},{\"question\":\"N-2\",\"value\":null}]}";

/* The same document in XML, in another order with blanks and comments. */
static const char sample_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<sheet xmlns=\"" NS "\" "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
    "  <title><en>Review</en><ja>評価</ja></title>\n"
    "  <code>onb</code>\n"
    "  <sections>\n"
    "    <section><code>CT</code><title><ja>契約</ja></title>\n"
    "      <questions>\n"
    "        <question><code>CT-01</code><type>yes_no</type>\n"
    "          <text><ja>秘密保持</ja><en>NDA</en></text>\n"
    "          <weight>3</weight><!-- a comment -->\n"
    "          <tiers><tier>high</tier><tier>low</tier></tiers>\n"
    "        </question>\n"
    "        <question><code>CT-02</code><text><ja>頻度</ja></text>\n"
    "          <type>single_choice</type><tiers/>\n"
    "          <options><option><code>d</code><label><ja>毎日</ja></label>"
    "<score>100</score></option><option><score>0</score><code>n</code>"
    "</option></options><weight xsi:nil=\"true\"/>\n"
    "        </question>\n"
    "      </questions>\n"
    "    </section>\n"
    "    <section><title><ja>アクセス</ja></title><code>AC</code></section>\n"
    "  </sections>\n"
    "  <answers><answer><question>CT-01</question><value>yes</value>"
    "</answer><answer><question>CT-02</question><value><item>d</item>"
    "<item>n</item></value></answer><answer><question>N-1</question>"
    "<value>42</value></answer><answer><question>N-2</question>"
    "<value xsi:nil=\"true\"/></answer></answers>\n"
    "</sheet>\n";

/* Turns the first "name":"42" (what) into "name":42 in s. */
static void
unquote_once(char *s, const char *what)
{
	char	*at = strstr(s, what), *q1, *q2;

	if (at == NULL)
		return;
	q1 = at + strlen(what) - 4;	/* the quote before 42 */
	q2 = at + strlen(what) - 1;	/* the one after */
	memmove(q2, q2 + 1, strlen(q2 + 1) + 1);
	memmove(q1, q1 + 1, strlen(q1 + 1) + 1);
}

static char *
to_json(const vr_value_t *rec)
{
	vr_buf_t	 b = { 0 };

	if (vr_json_encode_record(&sheet, rec, &b) != VR_OK) {
		vr_buf_free(&b);
		return NULL;
	}
	return vr_buf_take(&b);
}

/* Decodes body in fmt and validates it; the record or NULL. */
static vr_value_t *
decode(vr_format_e fmt, const char *body, vr_problem_t *p)
{
	vr_value_t	*rec = vr_record_new(&sheet);

	vr_problem_clear(p);
	if (vr_decode(fmt, &sheet, body, strlen(body), rec, p) != VR_OK ||
	    vr_record_validate(&sheet, rec, VR_MODE_CREATE, false, p) !=
	    VR_OK) {
		vr_record_free(&sheet, rec);
		return NULL;
	}
	return rec;
}

static void
test_same_record(void)
{
	vr_problem_t	 p;
	vr_value_t	*j, *x, *copy, *again;
	vr_buf_t	 xml = { 0 };
	char		*js, *xs, *cs, *as;

	j = decode(VR_FMT_JSON, sample_json, &p);
	CHECK(j != NULL, "JSON sample decodes: %s %s", p.field, p.detail);
	x = decode(VR_FMT_XML, sample_xml, &p);
	CHECK(x != NULL, "XML sample decodes: %s %s", p.field, p.detail);
	if (j == NULL || x == NULL)
		goto out;
	js = to_json(j);
	xs = to_json(x);
	CHECK(js != NULL && strcmp(js, sample_json) == 0,
	    "JSON encodes back byte for byte: %s", js ? js : "(null)");
	/* XML text "42" is a text variant; the JSON 42 an integer. */
	CHECK(xs != NULL && strstr(xs, "\"value\":\"42\"") != NULL,
	    "XML gives a text variant for 42");
	CHECK(j[D_ANSWERS].item[2].rec[A_VALUE].kind == VR_T_INT &&
	    j[D_ANSWERS].item[2].rec[A_VALUE].i == 42, "JSON 42 is an integer");
	CHECK(j[D_ANSWERS].item[1].rec[A_VALUE].kind == VR_T_LIST &&
	    j[D_ANSWERS].item[1].rec[A_VALUE].n == 2, "variant list of two");
	CHECK(x[D_ANSWERS].item[1].rec[A_VALUE].kind == VR_T_LIST &&
	    x[D_ANSWERS].item[1].rec[A_VALUE].n == 2, "XML variant list");
	CHECK(x[D_SECTIONS].n == 2 &&
	    x[D_SECTIONS].item[0].rec[S_QUESTIONS].n == 2,
	    "two sections, two questions");
	CHECK(x[D_SECTIONS].item[0].rec[S_QUESTIONS].item[1].rec[Q_TIERS]
	    .present && x[D_SECTIONS].item[0].rec[S_QUESTIONS].item[1]
	    .rec[Q_TIERS].n == 0, "<tiers/> is an empty list");
	/* Apart from the text/integer variant, both say the same. */
	if (xs != NULL) {
		unquote_once(xs, "\"value\":\"42\"");
		CHECK(strcmp(xs, sample_json) == 0, "XML and JSON agree: %s",
		    xs);
	}
	/* The XML encoding is valid against the schema and reads back. */
	CHECK(vr_xml_encode_record(&sheet, j, &xml) == VR_OK, "XML encodes");
	again = decode(VR_FMT_XML, xml.data ? xml.data : "", &p);
	CHECK(again != NULL, "XML encoding decodes again: %s %s\n%s", p.field,
	    p.detail, xml.data);
	as = again != NULL ? to_json(again) : NULL;
	CHECK(as != NULL && strstr(as, "\"sections\":[{\"code\":\"CT\"") !=
	    NULL, "round trip keeps the sections");
	copy = vr_record_dup(&sheet, j);
	cs = copy != NULL ? to_json(copy) : NULL;
	CHECK(cs != NULL && strcmp(cs, sample_json) == 0, "deep copy equal");
	vr_record_free(&sheet, copy);
	vr_record_free(&sheet, again);
	vr_buf_free(&xml);
	free(js);
	free(xs);
	free(cs);
	free(as);
out:
	vr_record_free(&sheet, j);
	vr_record_free(&sheet, x);
}

/* s with its first from replaced by to; NULL when from is not in s. */
static char *
replaced(const char *s, const char *from, const char *to)
{
	const char	*at = strstr(s, from);
	char		*out;

	if (at == NULL || (out = malloc(strlen(s) - strlen(from) +
	    strlen(to) + 1)) == NULL)
		return NULL;
	memcpy(out, s, (size_t)(at - s));
	strcpy(out + (at - s), to);
	strcat(out, at + strlen(from));
	return out;
}

/* Whether a and b, as values of field f, encode to the same JSON. */
static bool
encodes_same(const vr_field_t *f, const vr_value_t *a, const vr_value_t *b)
{
	vr_buf_t	 x = { 0 }, y = { 0 };
	bool		 same;

	same = vr_json_encode_value(f, a, &x) == VR_OK &&
	    vr_json_encode_value(f, b, &y) == VR_OK && x.len == y.len &&
	    (x.len == 0 || memcmp(x.data, y.data, x.len) == 0);
	vr_buf_free(&x);
	vr_buf_free(&y);
	return same;
}

enum { F_FLAG, F_SECRET, F__MAX };
static const vr_field_t flagged_fields[F__MAX] = {
	[F_FLAG] = { .name = "flag", .type = VR_T_BOOL },
	[F_SECRET] = { .name = "secret", .type = VR_T_TEXT,
	    .flags = VR_F_HIDDEN, .max_chars = 10 },
};
static const vr_resource_t flagged = {
	.name = "flagged", .xmlns = NS, .fields = flagged_fields,
	.nfields = F__MAX,
};

/*
 * vr_value_same compares without encoding: for every pair of a set of
 * documents that differ in one place each (a number, a null, an order,
 * a variant's kind, a missing member, an empty list), it says "same"
 * exactly when the JSON encodings are equal.
 */
static void
test_value_same(void)
{
	static const char *const edits[][2] = {
		{ "\"weight\":3", "\"weight\":4" },
		{ "\"weight\":3", "\"weight\":null" },
		{ "[\"high\",\"low\"]", "[\"high\"]" },
		{ "[\"high\",\"low\"]", "[\"low\",\"high\"]" },
		{ "\"value\":\"yes\"", "\"value\":\"no\"" },
		{ "[\"d\",\"n\"]", "[\"d\"]" },
		{ "[\"d\",\"n\"]", "[\"d\",\"n\",\"x\"]" },
		{ "\"value\":42", "\"value\":\"42\"" },
		{ "\"value\":42", "\"value\":43" },
		{ "\"value\":null", "\"value\":\"null\"" },
		{ ",\"en\":\"Review\"", "" },
		{ "\"tiers\":[],", "" },
		{ "\"score\":0", "\"score\":1" },
		{ "{\"question\":\"N-2\",\"value\":null}", "{\"question\":"
		    "\"N-2\",\"value\":null},{\"question\":\"N-3\"}" },
	};
	enum { N = sizeof(edits) / sizeof(edits[0]) + 2 };
	const vr_field_t whole = { .name = "sheet", .type = VR_T_RECORD,
	    .sub = &sheet };
	const vr_field_t one = { .name = "flagged", .type = VR_T_RECORD,
	    .sub = &flagged };
	vr_value_t	 doc[N], fa, fb, fr[2][F__MAX];
	vr_problem_t	 p;
	size_t		 i, k, same = 0;
	int		 agree = 0, pairs = 0;
	char		*body;

	memset(doc, 0, sizeof(doc));
	doc[0].rec = decode(VR_FMT_JSON, sample_json, &p);
	doc[1].rec = decode(VR_FMT_XML, sample_xml, &p);
	for (i = 0; i + 2 < N; i++) {
		body = replaced(sample_json, edits[i][0], edits[i][1]);
		doc[i + 2].rec = body != NULL ?
		    decode(VR_FMT_JSON, body, &p) : NULL;
		CHECK(doc[i + 2].rec != NULL, "edit %zu decodes: %s %s", i,
		    p.field, p.detail);
		free(body);
	}
	for (i = 0; i < N; i++)
		for (k = 0; k < N; k++) {
			if (doc[i].rec == NULL || doc[k].rec == NULL)
				continue;
			pairs++;
			same += vr_value_same(&whole, &doc[i], &doc[k]);
			agree += vr_value_same(&whole, &doc[i], &doc[k]) ==
			    encodes_same(&whole, &doc[i], &doc[k]);
		}
	CHECK(pairs == N * N && agree == pairs,
	    "vr_value_same agrees with the encodings on %d of %d pairs", agree,
	    pairs);
	/* Besides itself, the XML sample (42 read as text) is the same as
	 * the edit that quotes 42, both ways round. */
	CHECK(same == N + 2, "each document is the same only as itself "
	    "and the XML sample as the quoted 42 (%zu)", same);
	for (i = 0; i < N; i++)
		vr_record_free(&sheet, doc[i].rec);

	/* A missing sub-record encodes as {}, a hidden field not at all,
	 * a boolean by its truth. */
	memset(&fa, 0, sizeof(fa));
	memset(&fb, 0, sizeof(fb));
	memset(fr, 0, sizeof(fr));
	fb.rec = fr[0];
	CHECK(vr_value_same(&one, &fa, &fb) && encodes_same(&one, &fa, &fb),
	    "no sub-record is the same as an empty one");
	fr[0][F_SECRET].present = true;
	fr[0][F_SECRET].s = "a";
	CHECK(vr_value_same(&one, &fa, &fb) && encodes_same(&one, &fa, &fb),
	    "a hidden field is not compared");
	fa.rec = fr[1];
	fr[0][F_FLAG].present = fr[1][F_FLAG].present = true;
	fr[0][F_FLAG].i = 1;
	fr[1][F_FLAG].i = 2;
	CHECK(vr_value_same(&one, &fa, &fb) && encodes_same(&one, &fa, &fb),
	    "true is true however it is held");
	fr[1][F_FLAG].i = 0;
	CHECK(!vr_value_same(&one, &fa, &fb) &&
	    !encodes_same(&one, &fa, &fb), "true is not false");
	fr[1][F_FLAG].null = true;
	CHECK(!vr_value_same(&one, &fa, &fb) &&
	    !encodes_same(&one, &fa, &fb), "true is not null");
}

/* The path builders: members, indexes of any size, cut short to fit. */
static void
test_path_builders(void)
{
	char	 a[VR_PROBLEM_FIELD_MAX], b[VR_PROBLEM_FIELD_MAX];
	char	 long_name[100];

	vr_path_member(a, "", "answers");
	CHECK(strcmp(a, "answers") == 0, "a top member: %s", a);
	vr_path_index(b, a, 0);
	vr_path_member(a, b, "value");
	CHECK(strcmp(a, "answers[0].value") == 0, "index then member: %s", a);
	vr_path_index(b, "x", 18446744073709551615u);
	CHECK(strcmp(b, "x[18446744073709551615]") == 0, "largest index: %s",
	    b);
	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	vr_path_member(a, "p", long_name);
	CHECK(strlen(a) == VR_PROBLEM_FIELD_MAX - 1 && strncmp(a, "p.nnn", 5)
	    == 0, "a long path is cut to %d bytes (%zu)",
	    VR_PROBLEM_FIELD_MAX - 1, strlen(a));
	vr_path_index(b, a, 7);
	CHECK(strcmp(b, a) == 0, "an index past the end is left off");
}

/* A mistake deep in a document, in either format, named by its path. */
static void
test_paths(void)
{
	static const struct {
		const char	*what;
		vr_format_e	 fmt;
		const char	*body;
		const char	*code, *field;
	} t[] = {
		{ "weight out of range", VR_FMT_JSON,
		    "{\"code\":\"a\",\"sections\":[{\"code\":\"s\",\"title\":"
		    "{\"ja\":\"t\"},\"questions\":[{\"code\":\"q\",\"text\":"
		    "{\"ja\":\"x\"}},{\"code\":\"r\",\"text\":{\"ja\":\"x\"},"
		    "\"weight\":11}]}]}",
		    "out_of_range", "sections[0].questions[1].weight" },
		{ "weight out of range", VR_FMT_XML,
		    "<sheet xmlns=\"" NS "\"><code>a</code><sections><section>"
		    "<code>s</code><title><ja>t</ja></title><questions>"
		    "<question><code>q</code><text><ja>x</ja></text>"
		    "</question><question><code>r</code><text><ja>x</ja>"
		    "</text><weight>11</weight></question></questions>"
		    "</section></sections></sheet>",
		    "out_of_range", "sections[0].questions[1].weight" },
		{ "nested required", VR_FMT_JSON,
		    "{\"code\":\"a\",\"sections\":[{\"code\":\"s\",\"title\":"
		    "{\"en\":\"t\"}}]}", "required", "sections[0].title.ja" },
		{ "nested required", VR_FMT_XML,
		    "<sheet xmlns=\"" NS "\"><code>a</code><sections><section>"
		    "<code>s</code><title><en>t</en></title></section>"
		    "</sections></sheet>", "required", "sections[0].title.ja" },
		{ "nested unknown member", VR_FMT_JSON,
		    "{\"code\":\"a\",\"sections\":[{\"code\":\"s\",\"colour\":1}]}",
		    "unknown_field", "sections[0].colour" },
		{ "nested unknown element", VR_FMT_XML,
		    "<sheet xmlns=\"" NS "\"><code>a</code><sections><section>"
		    "<code>s</code><colour>1</colour></section></sections>"
		    "</sheet>", "schema_violation", "sections[0].colour" },
		{ "too many options", VR_FMT_JSON,
		    "{\"code\":\"a\",\"sections\":[{\"code\":\"s\",\"title\":"
		    "{\"ja\":\"t\"},\"questions\":[{\"code\":\"q\",\"text\":"
		    "{\"ja\":\"x\"},\"options\":[{\"code\":\"1\"},{\"code\":"
		    "\"2\"},{\"code\":\"3\"},{\"code\":\"4\"}]}]}]}",
		    "too_many_items", "sections[0].questions[0].options" },
		{ "enum item", VR_FMT_JSON,
		    "{\"code\":\"a\",\"sections\":[{\"code\":\"s\",\"title\":"
		    "{\"ja\":\"t\"},\"questions\":[{\"code\":\"q\",\"text\":"
		    "{\"ja\":\"x\"},\"tiers\":[\"low\",\"top\"]}]}]}",
		    "invalid_value", "sections[0].questions[0].tiers[1]" },
		{ "enum item", VR_FMT_XML,
		    "<sheet xmlns=\"" NS "\"><code>a</code><sections><section>"
		    "<code>s</code><title><ja>t</ja></title><questions>"
		    "<question><code>q</code><text><ja>x</ja></text><tiers>"
		    "<tier>low</tier><tier>top</tier></tiers></question>"
		    "</questions></section></sections></sheet>",
		    "invalid_value", "sections[0].questions[0].tiers[1]" },
		{ "variant item not a string", VR_FMT_JSON,
		    "{\"code\":\"a\",\"answers\":[{\"question\":\"q\"},"
		    "{\"question\":\"r\",\"value\":[\"x\",1]}]}",
		    "wrong_type", "answers[1].value[1]" },
		{ "variant object", VR_FMT_JSON,
		    "{\"code\":\"a\",\"answers\":[{\"question\":\"q\","
		    "\"value\":{}}]}", "wrong_type", "answers[0].value" },
		{ "variant too long", VR_FMT_JSON,
		    "{\"code\":\"a\",\"answers\":[{\"question\":\"q\",\"value\":"
		    "\"0123456789012345678901234567890\"}]}", "too_long",
		    "answers[0].value" },
		{ "variant list too long", VR_FMT_XML,
		    "<sheet xmlns=\"" NS "\"><code>a</code><answers><answer>"
		    "<question>q</question><value><item>a</item><item>b</item>"
		    "<item>c</item><item>d</item></value></answer></answers>"
		    "</sheet>", "schema_violation", "answers[0].value[3]" },
		{ "record for list", VR_FMT_JSON,
		    "{\"code\":\"a\",\"sections\":{\"code\":\"s\"}}",
		    "wrong_type", "sections" },
		{ "null list item", VR_FMT_JSON,
		    "{\"code\":\"a\",\"sections\":[null]}", "null_not_allowed",
		    "sections[0]" },
		{ "nested duplicate", VR_FMT_XML,
		    "<sheet xmlns=\"" NS "\"><code>a</code><title><ja>x</ja>"
		    "<ja>y</ja></title></sheet>", "schema_violation", "title.ja" },
		{ "nested NUL name", VR_FMT_JSON,
		    "{\"code\":\"a\",\"title\":{\"ja\\u0000x\":\"y\"}}",
		    "unknown_field", "ja?x" },
	};
	vr_problem_t	 p;
	vr_value_t	*rec;
	size_t		 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rec = decode(t[i].fmt, t[i].body, &p);
		CHECK(rec == NULL, "%s (%s) is refused", t[i].what,
		    t[i].fmt == VR_FMT_JSON ? "JSON" : "XML");
		CHECK(p.code != NULL && strcmp(p.code, t[i].code) == 0,
		    "%s (%s): code %s, want %s (%s)", t[i].what,
		    t[i].fmt == VR_FMT_JSON ? "JSON" : "XML",
		    p.code ? p.code : "(none)", t[i].code, p.detail);
		CHECK(strcmp(p.field, t[i].field) == 0,
		    "%s (%s): field \"%s\", want \"%s\"", t[i].what,
		    t[i].fmt == VR_FMT_JSON ? "JSON" : "XML", p.field,
		    t[i].field);
		vr_record_free(&sheet, rec);
	}
}

/* The schema names the nested parts (one item element per list). */
static void
test_schema(void)
{
	vr_buf_t	 b = { 0 };

	CHECK(vr_xsd_generate(inputs, &b) == VR_OK, "schema generated");
	CHECK(b.data != NULL && strstr(b.data, "<xs:element name=\"section\" "
	    "minOccurs=\"0\" maxOccurs=\"1000\">") != NULL,
	    "a list's items are repeated elements");
	CHECK(b.data != NULL && strstr(b.data, "name=\"option\" minOccurs="
	    "\"0\" maxOccurs=\"3\"") != NULL, "max_items is the schema's");
	CHECK(b.data != NULL && strstr(b.data, "mixed=\"true\"") != NULL,
	    "a variant is mixed content");
	vr_buf_free(&b);
}

int
main(void)
{
	if (vr_xml_init(inputs) == -1) {
		printf("test_nested: the schema does not compile\n");
		return 1;
	}
	test_same_record();
	test_value_same();
	test_path_builders();
	test_paths();
	test_schema();
	vr_xml_cleanup();
	return unit_report("test_nested");
}
