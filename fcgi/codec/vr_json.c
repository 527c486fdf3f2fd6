/*
 * vr_json: the JSON codec.  Decodes a request body into a record of a
 * resource and encodes records and lists from the resource's field table.
 *
 * json-c 0.16 is not strict enough on its own (see dependencies.md), so a
 * body passes two gates: our lexical pass over the raw bytes (number
 * grammar, bare words, escapes, lone surrogates, control bytes, strict
 * UTF-8), which also decodes the top-level member names so duplicates can
 * be found, then json-c in STRICT mode with a depth limit, whose whole
 * body must be consumed.  Only this file includes json-c.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vr_codec.h"

/* A member of an object, as the lexical pass saw it. */
typedef struct json_member {
	const char	*name;		/* decoded, NUL-terminated copy */
	size_t		 namelen;	/* may hold an escaped NUL */
	size_t		 object;	/* which object: 1 is the top level */
	size_t		 val;		/* top level: body offset of the value */
	bool		 has_val;
} json_member_t;

typedef struct json_lex {
	const char	*body;
	size_t		 len;
	char		*names;		/* decoded names, len + 1 bytes */
	size_t		 nameslen;
	json_member_t	*members;
	size_t		 nmembers, cap;
	size_t		 long_number;	/* first over-long number, or SIZE_MAX */
} json_lex_t;

#define NAME_SHOWN_MAX	48	/* bytes of a client's name we echo back */

static vr_err_e	 lex_body(json_lex_t *, vr_problem_t *);
static vr_err_e	 lex_string(json_lex_t *, size_t *, size_t, vr_problem_t *);
static vr_err_e	 lex_number(json_lex_t *, size_t *, vr_problem_t *);
static vr_err_e	 lex_word(json_lex_t *, size_t *, vr_problem_t *);
static vr_err_e	 map_members(const vr_resource_t *, json_lex_t *,
		    json_object *, vr_value_t *, vr_problem_t *);
static vr_err_e	 map_value(const vr_field_t *, vr_value_t *, json_object *,
		    const char *, size_t, const char *, vr_problem_t *);
static int	 put_string(vr_buf_t *, const char *);
static int	 put_record(vr_buf_t *, const vr_resource_t *,
		    const vr_value_t *);

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads the 4 hex digits after "\u" at p; -1 when they are not there. */
static long
hex4(const char *p, size_t avail)
{
	long	 v = 0;
	int	 h;
	size_t	 k;

	if (avail < 4)
		return -1;
	for (k = 0; k < 4; k++) {
		if ((h = hex_value((unsigned char)p[k])) < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* Length of the UTF-8 sequence a lead byte announces; 0 when none. */
static size_t
utf8_seq_len(unsigned char c)
{
	if (c >= 0xC0 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF7)
		return 4;
	return 0;
}

static size_t
utf8_put(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Copies a client-supplied name into out for a problem: short, cut on a
 * character boundary, control bytes (an escaped NUL) shown as '?', so the
 * problem document stays valid UTF-8 whatever the client sent.
 */
static void
shown_name(char *out, size_t outsz, const char *name, size_t len)
{
	size_t	 n, k;

	n = len < outsz - 1 ? len : outsz - 1;
	if (n > NAME_SHOWN_MAX)
		n = NAME_SHOWN_MAX;
	while (n < len && n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
		n--;
	for (k = 0; k < n; k++)
		out[k] = (unsigned char)name[k] < 0x20 ? '?' : name[k];
	out[n] = '\0';
}

static vr_err_e
lex_malformed(vr_problem_t *p, const char *what, size_t off)
{
	return vr_fail(p, VR_E_MALFORMED, "malformed_json", NULL,
	    "%s at byte %zu", what, off);
}

static vr_err_e
member_push(json_lex_t *lx)
{
	json_member_t	*m;
	size_t		 ncap;

	if (lx->nmembers == lx->cap) {
		ncap = lx->cap ? lx->cap * 2 : 16;
		if ((m = realloc(lx->members, ncap * sizeof(*m))) == NULL)
			return VR_E_INTERNAL;
		lx->members = m;
		lx->cap = ncap;
	}
	m = &lx->members[lx->nmembers++];
	memset(m, 0, sizeof(*m));
	return VR_OK;
}

/*
 * The lexical pass.  It does not check structure (json-c does); it checks
 * every token json-c is too lenient about, and notes the member names of
 * every object (numbered in order of their '{'), so duplicates can be
 * found at any depth: a string is a name when it follows an object's '{'
 * or one of its ','.  For the top-level object it also notes where each
 * value starts: at the first token after its ':'.  Deeper than the
 * containers it can track, json-c refuses the body anyway.
 */
static vr_err_e
lex_body(json_lex_t *lx, vr_problem_t *p)
{
	const unsigned char	*b = (const unsigned char *)lx->body;
	unsigned char		 open[VR_JSON_MAX_DEPTH + 2];
	size_t			 obj[VR_JSON_MAX_DEPTH + 2];
	size_t			 i = 0, depth = 0, nobj = 0;
	bool			 want_name = false, want_val = false;
	vr_err_e		 rc;

	while (i < lx->len) {
		unsigned char c = b[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			i++;
			continue;
		}
		if (want_val && depth == 1) {
			lx->members[lx->nmembers - 1].val = i;
			lx->members[lx->nmembers - 1].has_val = true;
			want_val = false;
		}
		switch (c) {
		case '{':
		case '[':
			if (depth < sizeof(open)) {
				open[depth] = c;
				obj[depth] = c == '{' ? ++nobj : 0;
			}
			depth++;
			want_name = c == '{' && depth <= sizeof(open);
			i++;
			break;
		case '}':
		case ']':
			if (depth > 0)
				depth--;
			want_name = false;
			i++;
			break;
		case ':':
			if (depth == 1 && open[0] == '{' && lx->nmembers > 0)
				want_val = true;
			want_name = false;
			i++;
			break;
		case ',':
			want_name = depth > 0 && depth <= sizeof(open) &&
			    open[depth - 1] == '{';
			i++;
			break;
		case '"':
			rc = lex_string(lx, &i, want_name ? obj[depth - 1] : 0,
			    p);
			if (rc != VR_OK)
				return rc;
			want_name = false;
			break;
		case '\'':
			return lex_malformed(p, "single quote", i);
		default:
			if (c == '-' || is_digit(c))
				rc = lex_number(lx, &i, p);
			else if (is_alpha(c))
				rc = lex_word(lx, &i, p);
			else
				return vr_fail(p, VR_E_MALFORMED,
				    "malformed_json", NULL,
				    "unexpected byte 0x%02x at byte %zu", c, i);
			if (rc != VR_OK)
				return rc;
			break;
		}
	}
	return VR_OK;
}

/*
 * One string starting at the '"' at *pos; leaves *pos after the closing
 * quote.  A name (of object number object, 0 for a string that is not a
 * name) is decoded into lx->names (never longer than its raw form, so
 * len + 1 bytes hold every name and its NUL).
 */
static vr_err_e
lex_string(json_lex_t *lx, size_t *pos, size_t object, vr_problem_t *p)
{
	bool		 is_name = object != 0;
	const char	*b = lx->body;
	size_t		 start = *pos, j = *pos + 1, n;
	long		 cp, lo;
	char		*out = NULL;
	char		 c;

	if (is_name) {
		if (lx->names == NULL &&
		    (lx->names = malloc(lx->len + 1)) == NULL)
			return VR_E_INTERNAL;
		if (member_push(lx) != VR_OK)
			return VR_E_INTERNAL;
		out = lx->names + lx->nameslen;
		lx->members[lx->nmembers - 1].name = out;
		lx->members[lx->nmembers - 1].object = object;
	}
	for (;;) {
		if (j >= lx->len)
			return lex_malformed(p, "unterminated string", start);
		c = b[j];
		if (c == '"')
			break;
		if ((unsigned char)c < 0x20)
			return vr_fail(p, VR_E_MALFORMED, "malformed_json",
			    NULL, "raw control byte 0x%02x in a string at "
			    "byte %zu", (unsigned char)c, j);
		if ((unsigned char)c >= 0x80) {
			n = utf8_seq_len((unsigned char)c);
			if (n == 0 || n > lx->len - j ||
			    !vr_utf8_valid(b + j, n))
				return vr_fail(p, VR_E_MALFORMED,
				    "invalid_utf8", NULL,
				    "invalid UTF-8 at byte %zu", j);
			if (out != NULL) {
				memcpy(out, b + j, n);
				out += n;
			}
			j += n;
			continue;
		}
		if (c != '\\') {
			if (out != NULL)
				*out++ = c;
			j++;
			continue;
		}
		if (j + 1 >= lx->len)
			return lex_malformed(p, "unterminated string", start);
		switch (b[j + 1]) {
		case '"':  cp = '"';  break;
		case '\\': cp = '\\'; break;
		case '/':  cp = '/';  break;
		case 'b':  cp = '\b'; break;
		case 'f':  cp = '\f'; break;
		case 'n':  cp = '\n'; break;
		case 'r':  cp = '\r'; break;
		case 't':  cp = '\t'; break;
		case 'u':  cp = -2;   break;
		default:
			return lex_malformed(p, "invalid escape", j);
		}
		if (cp != -2) {
			j += 2;
		} else {
			if ((cp = hex4(b + j + 2, lx->len - j - 2)) < 0)
				return lex_malformed(p, "invalid \\u escape",
				    j);
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				return lex_malformed(p,
				    "lone low surrogate escape", j);
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				/* json-c would turn a lone one into U+FFFD. */
				if (lx->len - j < 12 || b[j + 6] != '\\' ||
				    b[j + 7] != 'u' ||
				    (lo = hex4(b + j + 8, 4)) < 0xDC00 ||
				    lo > 0xDFFF)
					return lex_malformed(p,
					    "lone high surrogate escape", j);
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				    (lo - 0xDC00);
				j += 12;
			} else
				j += 6;
		}
		if (out != NULL)
			out += utf8_put(out, (unsigned long)cp);
	}
	if (is_name) {
		json_member_t *m = &lx->members[lx->nmembers - 1];

		m->namelen = (size_t)(out - m->name);
		*out++ = '\0';
		lx->nameslen = (size_t)(out - lx->names);
	}
	*pos = j + 1;
	return VR_OK;
}

/*
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and nothing number-like
 * right after it (so "012", "1.", "2.e3", "-" and "1x" are refused).
 * An over-long number is well-formed JSON; it is only noted here and
 * refused later as an application rule.
 */
static vr_err_e
lex_number(json_lex_t *lx, size_t *pos, vr_problem_t *p)
{
	const unsigned char	*b = (const unsigned char *)lx->body;
	size_t			 i = *pos, j = *pos, digits = 0, len = lx->len;

	if (b[j] == '-')
		j++;
	if (j < len && b[j] == '0') {
		j++;
		digits++;
	} else if (j < len && is_digit(b[j])) {
		for (; j < len && is_digit(b[j]); j++)
			digits++;
	} else
		return lex_malformed(p, "invalid number", i);
	if (j < len && b[j] == '.') {
		if (++j >= len || !is_digit(b[j]))
			return lex_malformed(p, "invalid number", i);
		for (; j < len && is_digit(b[j]); j++)
			digits++;
	}
	if (j < len && (b[j] == 'e' || b[j] == 'E')) {
		j++;
		if (j < len && (b[j] == '+' || b[j] == '-'))
			j++;
		if (j >= len || !is_digit(b[j]))
			return lex_malformed(p, "invalid number", i);
		for (; j < len && is_digit(b[j]); j++)
			digits++;
	}
	if (j < len && (is_digit(b[j]) || is_alpha(b[j]) || b[j] == '.' ||
	    b[j] == '+' || b[j] == '-'))
		return lex_malformed(p, "invalid number", i);
	if (digits > VR_NUMBER_MAX_DIGITS && lx->long_number == SIZE_MAX)
		lx->long_number = i;
	*pos = j;
	return VR_OK;
}

/* The only bare words JSON has; NaN, Infinity, True are refused here. */
static vr_err_e
lex_word(json_lex_t *lx, size_t *pos, vr_problem_t *p)
{
	const unsigned char	*b = (const unsigned char *)lx->body;
	size_t			 i = *pos, j = *pos, n;

	while (j < lx->len && (is_alpha(b[j]) || is_digit(b[j]) ||
	    b[j] == '_'))
		j++;
	n = j - i;
	if (!((n == 4 && memcmp(b + i, "true", 4) == 0) ||
	    (n == 5 && memcmp(b + i, "false", 5) == 0) ||
	    (n == 4 && memcmp(b + i, "null", 4) == 0)))
		return lex_malformed(p, "unexpected word", i);
	*pos = j;
	return VR_OK;
}

static int
member_cmp(const void *a, const void *b)
{
	const json_member_t	*x = *(const json_member_t *const *)a;
	const json_member_t	*y = *(const json_member_t *const *)b;
	size_t			 n;
	int			 c;

	if (x->object != y->object)
		return (x->object > y->object) - (x->object < y->object);
	n = x->namelen < y->namelen ? x->namelen : y->namelen;
	if ((c = memcmp(x->name, y->name, n)) != 0)
		return c;
	return (x->namelen > y->namelen) - (x->namelen < y->namelen);
}

/*
 * json-c keeps the last of two equal names without a word, so duplicates
 * are found on our own decoded names: sorted by object and name, equal
 * neighbours.  A name inside a nested object holding an escaped NUL is
 * refused too: json-c cuts such a key at the NUL, so it could pose as
 * another member.
 */
static vr_err_e
check_duplicates(const json_lex_t *lx, vr_problem_t *p)
{
	json_member_t	**v;
	char		  shown[VR_PROBLEM_FIELD_MAX];
	size_t		  k;
	vr_err_e	  rc = VR_OK;

	if (lx->nmembers < 2)
		return VR_OK;
	if ((v = calloc(lx->nmembers, sizeof(*v))) == NULL)
		return VR_E_INTERNAL;
	for (k = 0; k < lx->nmembers; k++)
		v[k] = &lx->members[k];
	qsort(v, lx->nmembers, sizeof(*v), member_cmp);
	for (k = 0; k < lx->nmembers; k++) {
		if (v[k]->object > 1 &&
		    memchr(v[k]->name, '\0', v[k]->namelen) != NULL) {
			shown_name(shown, sizeof(shown), v[k]->name,
			    v[k]->namelen);
			rc = vr_fail(p, VR_E_INVALID, "unknown_field", shown,
			    "unknown member \"%s\"", shown);
			break;
		}
		if (k == 0 || member_cmp(&v[k - 1], &v[k]) != 0)
			continue;
		shown_name(shown, sizeof(shown), v[k]->name, v[k]->namelen);
		rc = vr_fail(p, VR_E_INVALID, "duplicate_field", shown,
		    "member \"%s\" appears more than once", shown);
		break;
	}
	free(v);
	return rc;
}

/* Names the top-level member whose value starts at off, if any. */
static const char *
member_at(const json_lex_t *lx, size_t off, char *shown, size_t sz)
{
	size_t	 k;

	for (k = 0; k < lx->nmembers; k++)
		if (lx->members[k].has_val && lx->members[k].val == off) {
			shown_name(shown, sz, lx->members[k].name,
			    lx->members[k].namelen);
			return shown;
		}
	return NULL;
}

/* Length of the number token at s (already checked by lex_number). */
static size_t
number_len(const char *s, size_t avail)
{
	size_t	 n = 0;

	while (n < avail && (is_digit((unsigned char)s[n]) || s[n] == '-' ||
	    s[n] == '+' || s[n] == '.' || s[n] == 'e' || s[n] == 'E'))
		n++;
	return n;
}

static vr_err_e	 map_object(const vr_resource_t *, vr_value_t *, json_object *,
		    const char *, vr_problem_t *);

/* A JSON string into v (a C string: an escaped NUL is refused). */
static vr_err_e
map_string(vr_value_t *v, json_object *val, const char *path,
    vr_problem_t *p)
{
	const char	*s = json_object_get_string(val);
	int		 n = json_object_get_string_len(val);

	if (n < 0 || memchr(s, '\0', (size_t)n) != NULL)
		return vr_fail(p, VR_E_INVALID, "invalid_value", path,
		    "%s must not contain a NUL character", path);
	if (vr_value_set_text(v, s, (size_t)n) == -1)
		return VR_E_INTERNAL;
	return VR_OK;
}

/*
 * A JSON integer into v.  raw/rawlen is the value's text in the body
 * (top-level members only; NULL deeper), used to tell a real
 * INT64_MIN/MAX from json-c's silent clamping of an integer that does
 * not fit; without it those two values are refused.
 */
static vr_err_e
map_int(vr_value_t *v, json_object *val, const char *raw, size_t rawlen,
    const char *path, vr_problem_t *p)
{
	char	 canon[32];
	int64_t	 i = json_object_get_int64(val);
	int	 n;

	if (i == INT64_MAX || i == INT64_MIN) {
		n = snprintf(canon, sizeof(canon), "%" PRId64, i);
		if (raw == NULL || n < 0 || (size_t)n != number_len(raw,
		    rawlen) || memcmp(canon, raw, (size_t)n) != 0)
			return vr_fail(p, VR_E_INVALID, "out_of_range", path,
			    "%s does not fit in 64 bits", path);
	}
	vr_value_set_int(v, i);
	return VR_OK;
}

/* The items of a JSON array into the list v, each as field it. */
static vr_err_e
map_items(const vr_field_t *it, vr_value_t *v, json_object *arr,
    const char *path, vr_problem_t *p)
{
	char		 ip[VR_PROBLEM_FIELD_MAX];
	vr_value_t	*item;
	size_t		 k, n = json_object_array_length(arr);
	vr_err_e	 rc;

	v->present = true;
	v->null = false;
	for (k = 0; k < n; k++) {
		vr_path_index(ip, path, k);
		if ((item = vr_value_push(v)) == NULL)
			return VR_E_INTERNAL;
		if ((rc = map_value(it, item, json_object_array_get_idx(arr,
		    k), NULL, 0, ip, p)) != VR_OK)
			return rc;
	}
	return VR_OK;
}

/* What a VARIANT list holds. */
static const vr_field_t variant_item = { .name = "item", .type = VR_T_TEXT };

/* Converts one value to the field's type; see map_int for raw. */
static vr_err_e
map_value(const vr_field_t *f, vr_value_t *v, json_object *val,
    const char *raw, size_t rawlen, const char *path, vr_problem_t *p)
{
	json_type	 t = json_object_get_type(val);

	if (t == json_type_null) {
		vr_value_free(f, v);
		vr_value_set_null(v);
		return VR_OK;
	}
	switch (f->type) {
	case VR_T_INT:
		if (t != json_type_int)
			return vr_fail(p, VR_E_INVALID, "wrong_type", path,
			    "%s must be an integer", path);
		return map_int(v, val, raw, rawlen, path, p);
	case VR_T_BOOL:
		if (t != json_type_boolean)
			return vr_fail(p, VR_E_INVALID, "wrong_type", path,
			    "%s must be true or false", path);
		vr_value_set_int(v, json_object_get_boolean(val) ? 1 : 0);
		return VR_OK;
	case VR_T_RECORD:
		if (t != json_type_object)
			return vr_fail(p, VR_E_INVALID, "wrong_type", path,
			    "%s must be an object", path);
		if (vr_value_set_record(f, v) == NULL)
			return VR_E_INTERNAL;
		return map_object(f->sub, v->rec, val, path, p);
	case VR_T_LIST:
		if (t != json_type_array)
			return vr_fail(p, VR_E_INVALID, "wrong_type", path,
			    "%s must be an array", path);
		return map_items(f->items, v, val, path, p);
	case VR_T_VARIANT:
		if (t == json_type_int) {
			v->kind = VR_T_INT;
			return map_int(v, val, raw, rawlen, path, p);
		}
		if (t == json_type_array) {
			v->kind = VR_T_LIST;
			return map_items(&variant_item, v, val, path, p);
		}
		if (t != json_type_string)
			return vr_fail(p, VR_E_INVALID, "wrong_type", path,
			    "%s must be a string, an integer or an array of "
			    "strings", path);
		v->kind = VR_T_TEXT;
		return map_string(v, val, path, p);
	case VR_T_TEXT:
	case VR_T_ENUM:
	case VR_T_TIME:
	case VR_T_DATE:
		break;
	}
	if (t != json_type_string)
		return vr_fail(p, VR_E_INVALID, "wrong_type", path,
		    "%s must be a string", path);
	return map_string(v, val, path, p);
}

/*
 * The members of a nested object into rec (names already checked for
 * duplicates and NULs by the lexical pass).
 */
static vr_err_e
map_object(const vr_resource_t *res, vr_value_t *rec, json_object *obj,
    const char *prefix, vr_problem_t *p)
{
	char		 path[VR_PROBLEM_FIELD_MAX], shown[VR_PROBLEM_FIELD_MAX];
	int		 idx;
	vr_err_e	 rc;

	json_object_object_foreach(obj, key, val) {
		if ((idx = vr_field_index(res, key, strlen(key))) < 0) {
			shown_name(shown, sizeof(shown), key, strlen(key));
			vr_path_member(path, prefix, shown);
			return vr_fail(p, VR_E_INVALID, "unknown_field", path,
			    "unknown member \"%s\"", path);
		}
		vr_path_member(path, prefix, res->fields[idx].name);
		if ((rc = map_value(&res->fields[idx], &rec[idx], val, NULL, 0,
		    path, p)) != VR_OK)
			return rc;
	}
	return VR_OK;
}

/* Each top-level member in body order: known field, right type, into rec. */
static vr_err_e
map_members(const vr_resource_t *res, json_lex_t *lx, json_object *root,
    vr_value_t *rec, vr_problem_t *p)
{
	json_member_t	*m;
	json_object	*val;
	char		 shown[VR_PROBLEM_FIELD_MAX];
	size_t		 k;
	int		 idx;
	vr_err_e	 rc;

	for (k = 0; k < lx->nmembers; k++) {
		m = &lx->members[k];
		if (m->object != 1)
			continue;
		idx = -1;
		if (memchr(m->name, '\0', m->namelen) == NULL)
			idx = vr_field_index(res, m->name, m->namelen);
		if (idx < 0) {
			shown_name(shown, sizeof(shown), m->name, m->namelen);
			return vr_fail(p, VR_E_INVALID, "unknown_field", shown,
			    "unknown member \"%s\"", shown);
		}
		/* Our decoding of names and json-c's must agree. */
		if (!m->has_val ||
		    !json_object_object_get_ex(root, m->name, &val))
			return vr_fail(p, VR_E_INTERNAL, "internal", NULL,
			    "member \"%s\" lost in decoding",
			    res->fields[idx].name);
		rc = map_value(&res->fields[idx], &rec[idx], val,
		    lx->body + m->val, lx->len - m->val,
		    res->fields[idx].name, p);
		if (rc != VR_OK)
			return rc;
	}
	return VR_OK;
}

vr_err_e
vr_json_decode(const vr_resource_t *res, const char *body, size_t len,
    vr_value_t *rec, vr_problem_t *p)
{
	json_lex_t		 lx;
	json_tokener		*tok = NULL;
	json_object		*root = NULL;
	enum json_tokener_error	 jerr;
	char			 shown[VR_PROBLEM_FIELD_MAX];
	const char		*field;
	vr_err_e		 rc;

	memset(&lx, 0, sizeof(lx));
	lx.body = body;
	lx.len = len;
	lx.long_number = SIZE_MAX;

	if (len == 0) {
		rc = vr_fail(p, VR_E_MALFORMED, "empty_body", NULL,
		    "the request body is empty");
		goto out;
	}
	if (len > INT_MAX) {
		/* json-c takes an int length. */
		rc = vr_fail(p, VR_E_TOO_LARGE, "too_large", NULL,
		    "the body is too large");
		goto out;
	}
	if ((rc = lex_body(&lx, p)) != VR_OK)
		goto out;

	if ((tok = json_tokener_new_ex(VR_JSON_MAX_DEPTH)) == NULL) {
		rc = VR_E_INTERNAL;
		goto out;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, body, (int)len);
	/* A top-level null is NULL with success: ask the tokener. */
	jerr = json_tokener_get_error(tok);
	/* json-c stops at the first complete value and at a NUL byte. */
	if (jerr == json_tokener_success &&
	    json_tokener_get_parse_end(tok) != len) {
		rc = lex_malformed(p, "trailing data",
		    json_tokener_get_parse_end(tok));
		goto out;
	}
	if (jerr == json_tokener_continue) {
		/*
		 * All of the body was read, but a top-level scalar ("1",
		 * "null") could go on: a NUL tells json-c the input ended.
		 */
		root = json_tokener_parse_ex(tok, "", 1);
		jerr = json_tokener_get_error(tok);
		if (jerr != json_tokener_success) {
			rc = lex_malformed(p, "unexpected end of body", len);
			goto out;
		}
	}
	if (jerr != json_tokener_success) {
		rc = vr_fail(p, VR_E_MALFORMED, "malformed_json", NULL,
		    "%s near byte %zu", json_tokener_error_desc(jerr),
		    json_tokener_get_parse_end(tok));
		goto out;
	}

	if (!json_object_is_type(root, json_type_object)) {
		rc = vr_fail(p, VR_E_INVALID, "not_an_object", NULL,
		    "the body must be a JSON object");
		goto out;
	}
	if (lx.long_number != SIZE_MAX) {
		field = member_at(&lx, lx.long_number, shown, sizeof(shown));
		rc = vr_fail(p, VR_E_INVALID, "number_too_long", field,
		    "number at byte %zu has more than %d digits",
		    lx.long_number, VR_NUMBER_MAX_DIGITS);
		goto out;
	}
	if ((rc = check_duplicates(&lx, p)) != VR_OK)
		goto out;
	rc = map_members(res, &lx, root, rec, p);
out:
	if (rc == VR_E_INTERNAL)
		vr_fail(p, rc, "internal", NULL, "out of memory");
	json_object_put(root);
	if (tok != NULL)
		json_tokener_free(tok);
	free(lx.members);
	free(lx.names);
	return rc;
}

/*
 * Encoding writes straight onto the output buffer from the field table:
 * a json-c object tree per record cost a third of a GET's instructions
 * and two thirds of a list's (bench/README.md).  The bytes are exactly
 * those json_object_to_json_string_ext(PLAIN | NOSLASHESCAPE) wrote
 * (audit images and clients see no change); tests/unit/test_json.c keeps
 * json-c as the oracle for every escape.
 */

/* Appends s as a JSON string. */
static int
put_string(vr_buf_t *out, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = strlen(s);
	char			*w, *start;

	/* Room for the worst case, every byte a "\u00XX". */
	if (n > (SIZE_MAX - 2) / 6 ||
	    (start = w = vr_buf_space(out, 6 * n + 2)) == NULL)
		return -1;
	*w++ = '"';
	for (; *p != '\0'; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\') {
			*w++ = (char)*p;
			continue;
		}
		*w++ = '\\';
		switch (*p) {
		case '"':	*w++ = '"'; break;
		case '\\':	*w++ = '\\'; break;
		case '\b':	*w++ = 'b'; break;
		case '\f':	*w++ = 'f'; break;
		case '\n':	*w++ = 'n'; break;
		case '\r':	*w++ = 'r'; break;
		case '\t':	*w++ = 't'; break;
		default:
			*w++ = 'u';
			*w++ = '0';
			*w++ = '0';
			*w++ = hex[*p >> 4];
			*w++ = hex[*p & 0xf];
			break;
		}
	}
	*w++ = '"';
	vr_buf_commit(out, (size_t)(w - start));
	return 0;
}

/* Appends "name": (names are the table's plain ASCII). */
static int
put_name(vr_buf_t *out, const char *name, bool first)
{
	return (first ? 0 : vr_buf_append(out, ",", 1)) == -1 ||
	    vr_buf_append(out, "\"", 1) == -1 ||
	    vr_buf_puts(out, name) == -1 ||
	    vr_buf_append(out, "\":", 2) == -1 ? -1 : 0;
}

static int	 put_value(vr_buf_t *, const vr_field_t *, const vr_value_t *);

/* Appends the items of a list (or VARIANT list) as an array. */
static int
put_items(vr_buf_t *out, const vr_field_t *it, const vr_value_t *v)
{
	size_t	 k;

	if (vr_buf_append(out, "[", 1) == -1)
		return -1;
	for (k = 0; k < v->n; k++)
		if ((k > 0 && vr_buf_append(out, ",", 1) == -1) ||
		    put_value(out, it, &v->item[k]) == -1)
			return -1;
	return vr_buf_append(out, "]", 1);
}

/* Appends one present value of field f. */
static int
put_value(vr_buf_t *out, const vr_field_t *f, const vr_value_t *v)
{
	if (v->null)
		return vr_buf_puts(out, "null");
	switch (f->type) {
	case VR_T_INT:
		return vr_buf_put_int(out, v->i);
	case VR_T_BOOL:
		return vr_buf_puts(out, v->i ? "true" : "false");
	case VR_T_RECORD:
		return v->rec != NULL ? put_record(out, f->sub, v->rec) :
		    vr_buf_puts(out, "{}");
	case VR_T_LIST:
		return put_items(out, f->items, v);
	case VR_T_VARIANT:
		if (v->kind == VR_T_INT)
			return vr_buf_put_int(out, v->i);
		if (v->kind == VR_T_LIST)
			return put_items(out, &variant_item, v);
		break;
	default:
		break;
	}
	return put_string(out, v->s != NULL ? v->s : "");
}

/* Appends the record as an object of its present fields, in table order. */
static int
put_record(vr_buf_t *out, const vr_resource_t *res, const vr_value_t *rec)
{
	bool			 first = true;
	size_t			 k;

	if (vr_buf_append(out, "{", 1) == -1)
		return -1;
	for (k = 0; k < res->nfields; k++) {
		if (!rec[k].present || (res->fields[k].flags & VR_F_HIDDEN))
			continue;
		if (put_name(out, res->fields[k].name, first) == -1 ||
		    put_value(out, &res->fields[k], &rec[k]) == -1)
			return -1;
		first = false;
	}
	return vr_buf_append(out, "}", 1);
}

vr_err_e
vr_json_encode_record(const vr_resource_t *res, const vr_value_t *rec,
    vr_buf_t *out)
{
	size_t	 mark = out->len;

	if (put_record(out, res, rec) == -1) {
		vr_buf_truncate(out, mark);
		return VR_E_INTERNAL;
	}
	return VR_OK;
}

vr_err_e
vr_json_encode_list(const vr_resource_t *res, const vr_list_t *list,
    vr_buf_t *out)
{
	size_t	 mark = out->len, k;

	if (vr_buf_puts(out, "{\"items\":[") == -1)
		goto fail;
	for (k = 0; k < list->n; k++)
		if ((k > 0 && vr_buf_append(out, ",", 1) == -1) ||
		    put_record(out, res, list->items[k]) == -1)
			goto fail;
	if (vr_buf_puts(out, "],\"next_cursor\":") == -1 ||
	    (list->next_cursor != NULL ?
	    put_string(out, list->next_cursor) :
	    vr_buf_puts(out, "null")) == -1 ||
	    vr_buf_append(out, "}", 1) == -1)
		goto fail;
	return VR_OK;
fail:
	vr_buf_truncate(out, mark);
	return VR_E_INTERNAL;
}

/*
 * One value of field f as JSON (how the store keeps a nested value in
 * one column), and back.  The text read back is the store's own, but it
 * is parsed as strictly as a body all the same.
 */
vr_err_e
vr_json_encode_value(const vr_field_t *f, const vr_value_t *v, vr_buf_t *out)
{
	size_t	 mark = out->len;

	if (put_value(out, f, v) == -1) {
		vr_buf_truncate(out, mark);
		return VR_E_INTERNAL;
	}
	return VR_OK;
}

/*
 * What the store most often reads back, read without json-c: a plain
 * string (no escape, as the encoder writes any text without quotes,
 * backslashes or control characters), a short integer, null.  1 when
 * done, 0 to take the general way, -1 when memory ran out.
 */
static int
decode_simple(const vr_field_t *f, const char *text, size_t len,
    vr_value_t *v)
{
	size_t	 i;
	int64_t	 n = 0;

	if (len == 4 && memcmp(text, "null", 4) == 0) {
		vr_value_set_null(v);
		return 1;
	}
	if (len >= 2 && text[0] == '"' && text[len - 1] == '"' &&
	    (f->type == VR_T_TEXT || f->type == VR_T_VARIANT)) {
		for (i = 1; i < len - 1; i++)
			if (text[i] == '\\' || text[i] == '"' ||
			    (unsigned char)text[i] < 0x20)
				return 0;
		if (vr_value_set_text(v, text + 1, len - 2) == -1)
			return -1;
		v->kind = VR_T_TEXT;
		return 1;
	}
	if (len > 0 && len <= 18 && (f->type == VR_T_INT ||
	    f->type == VR_T_VARIANT)) {
		for (i = text[0] == '-'; i < len; i++) {
			if (text[i] < '0' || text[i] > '9')
				return 0;
			n = n * 10 + (text[i] - '0');
		}
		if (len == (size_t)(text[0] == '-') || (text[text[0] == '-'] ==
		    '0' && len > (size_t)(text[0] == '-') + 1))
			return 0;
		vr_value_set_int(v, text[0] == '-' ? -n : n);
		v->kind = VR_T_INT;
		return 1;
	}
	return 0;
}

vr_err_e
vr_json_decode_value(const vr_field_t *f, const char *text, size_t len,
    vr_value_t *v, vr_problem_t *p)
{
	json_tokener		*tok;
	json_object		*obj;
	enum json_tokener_error	 jerr;
	vr_err_e		 rc;

	switch (decode_simple(f, text, len, v)) {
	case 1:
		return VR_OK;
	case -1:
		return vr_fail(p, VR_E_INTERNAL, "out_of_memory", f->name,
		    "out of memory");
	default:
		break;
	}
	if (len > INT_MAX || (tok = json_tokener_new_ex(VR_JSON_MAX_DEPTH)) ==
	    NULL)
		return vr_fail(p, VR_E_INTERNAL, "internal", f->name,
		    "%s cannot be read", f->name);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	if (jerr == json_tokener_success &&
	    json_tokener_get_parse_end(tok) != len)
		jerr = json_tokener_error_parse_unexpected;	/* trailing */
	else if (jerr == json_tokener_continue) {
		/* A scalar at the very end: a NUL says the input ended. */
		obj = json_tokener_parse_ex(tok, "", 1);
		jerr = json_tokener_get_error(tok);
	}
	if (jerr != json_tokener_success)
		rc = vr_fail(p, VR_E_INTERNAL, "internal", f->name,
		    "the stored %s is not JSON", f->name);
	else
		rc = map_value(f, v, obj, text, len, f->name, p);
	json_object_put(obj);
	json_tokener_free(tok);
	return rc;
}

