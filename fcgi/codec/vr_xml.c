/*
 * vr_xml: the XML wire format.  Decodes a request body into a record of
 * a resource and encodes records and lists, all from the field table.
 * Only this file and vr_xsd.c know the XML vocabulary; only this file
 * includes libxml2.
 *
 * Decoding trusts nothing (see shared/dependencies.md, libxml2):
 *  - the raw bytes must be UTF-8 without NUL before libxml2 sees them;
 *    a declared encoding other than UTF-8 is refused, even when the body
 *    is plain ASCII, so there is one charset on the wire (no conversion);
 *  - any DOCTYPE stops the parser at once (no entity, external subset or
 *    billion laughs is ever read); no NOENT/DTDLOAD/XINCLUDE/HUGE;
 *  - depth is capped by xmlParserMaxDepth, lowered once in vr_xml_init();
 *  - the document is validated against the schema compiled once from
 *    vr_xsd_generate(), then each field element is mapped to the table.
 * Comments and processing instructions are well-formed XML that generic
 * tools emit: they are accepted and ignored everywhere (nothing in them
 * is ever acted on).  XML_PARSE_NOBLANKS is not used: its heuristic can
 * drop whitespace inside a value next to a comment; blank text between
 * field elements is skipped here instead.  BOOL and DATE values may be
 * padded with XML whitespace (their XSD types collapse it) and are
 * trimmed; libxml2 refuses a padded xs:long, INT is trimmed all the
 * same.  Strings are taken as written.
 *
 * libxml2 never prints: each parser and validation context gets its own
 * structured error handler, and the process-wide generic handler is
 * silenced in vr_xml_init() for anything that bypasses them.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "codec/vr_codec.h"
#include "codec/vr_xml_private.h"

#define XSI_NS		"http://www.w3.org/2001/XMLSchema-instance"
#define XML_OPTIONS	(XML_PARSE_NONET | XML_PARSE_NOERROR | \
			    XML_PARSE_NOWARNING)
#define XML_MSG_MAX	1024	/* libxml2 message kept before trimming */

/* What the callbacks of one decode learn; reached through _private. */
typedef struct xml_state {
	bool		 doctype;	/* a DOCTYPE was seen: parser stopped */
	bool		 have_err;	/* msg and line hold the first error */
	int		 line;
	int		 code;		/* libxml2's code of the first error */
	const xmlNode	*node;		/* schema error: the offending node */
	char		 msg[XML_MSG_MAX];
	/*
	 * Schema validation lists every error in p (vr_fail_more), one per
	 * element (libxml2 says a bad enum twice: the facet, the type),
	 * with its path below root in the field tables of res.
	 */
	vr_problem_t	*p;
	const vr_resource_t *res;
	const xmlNode	*root, *last;
} xml_state_t;


static void	 xml_silent(void *, const char *, ...);
static void	 xml_init_error(void *, xmlErrorPtr);
static void	 xml_on_doctype(void *, const xmlChar *, const xmlChar *,
		    const xmlChar *);
static void	 xml_on_parse_error(void *, xmlErrorPtr);
static void	 xml_on_schema_error(void *, xmlErrorPtr);
static void	 xml_keep_error(xml_state_t *, const xmlError *);
static size_t	 xml_utf8_cut(const char *, size_t);
static void	 xml_clean_msg(char *, const char *);
static void	 xml_strip_ns(char *, const char *);
static void	 xml_list_schema_error(xml_state_t *, const xmlError *);
static const char *xml_schema_code(int);
static int	 xml_error_path(const vr_resource_t *, const xmlNode *,
		    const xmlNode *, char [VR_PROBLEM_FIELD_MAX]);
static vr_err_e	 xml_fail(vr_problem_t *, vr_err_e, const char *,
		    const char *, const char *, ...)
		    __attribute__((format(printf, 5, 6)));
static vr_err_e	 xml_check_bytes(const char *, size_t, vr_problem_t *);
static vr_err_e	 xml_check_root(const vr_resource_t *, xmlDocPtr,
		    vr_problem_t *);
static vr_err_e	 xml_validate(const vr_resource_t *, xmlDocPtr,
		    vr_problem_t *);
static vr_err_e	 xml_set_value(const vr_field_t *, vr_value_t *, char *,
		    const char *, vr_problem_t *);
static int	 xml_is_nil(const xmlNode *, bool *);
static bool	 xml_blank(const xmlChar *);
static char	*xml_trim(char *);

/* Compiled once in the main thread, then only read by workers. */
static xmlSchemaPtr	 xml_schema;

/* ---- set-up ---------------------------------------------------------- */

static void
xml_silent(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

/* Schema compile errors are our bug: say the first one at start-up. */
static void
xml_init_error(void *ctx, xmlErrorPtr e)
{
	bool	*said = ctx;

	if (*said || e == NULL || e->level < XML_ERR_ERROR)
		return;
	*said = true;
	fprintf(stderr, "vr_xml_init: generated XSD line %d: %s", e->line,
	    e->message != NULL ? e->message : "invalid\n");
}

/*
 * Initialises libxml2, lowers its depth limit and compiles the schema of
 * the NULL-terminated inputs (see vr_xsd_generate: those sharing the
 * first one's namespace).  Main thread only, before workers start.
 * Returns 0, or -1 (first schema error on stderr) when the schema cannot
 * be made or is already made.
 */
int
vr_xml_init(const vr_resource_t *const *inputs)
{
	vr_buf_t		 xsd = { 0 };
	xmlSchemaParserCtxtPtr	 pctxt = NULL;
	bool			 said = false;
	int			 rc = -1;

	if (xml_schema != NULL)
		return -1;
	xmlInitParser();
	/* Records are 2 levels deep and lists 3: 32 is plenty. */
	xmlParserMaxDepth = VR_XML_MAX_DEPTH;
	/* This thread and every thread started from now on. */
	xmlSetGenericErrorFunc(NULL, xml_silent);
	xmlThrDefSetGenericErrorFunc(NULL, xml_silent);

	if (vr_xsd_generate(inputs, &xsd) != VR_OK || xsd.len > INT_MAX)
		goto out;
	if ((pctxt = xmlSchemaNewMemParserCtxt(xsd.data, (int)xsd.len)) ==
	    NULL)
		goto out;
	xmlSchemaSetParserStructuredErrors(pctxt, xml_init_error, &said);
	if ((xml_schema = xmlSchemaParse(pctxt)) == NULL)
		goto out;
	rc = 0;
out:
	xmlSchemaFreeParserCtxt(pctxt);
	vr_buf_free(&xsd);
	return rc;
}

/* Frees the schema and libxml2's globals; after all workers ended. */
void
vr_xml_cleanup(void)
{
	if (xml_schema != NULL)
		xmlSchemaFree(xml_schema);
	xml_schema = NULL;
	xmlCleanupParser();
}

/* ---- error text ------------------------------------------------------ */

/* Length of the longest prefix of s[0..n) that ends on a whole char. */
static size_t
xml_utf8_cut(const char *s, size_t n)
{
	size_t		 i, need;
	unsigned char	 c;

	i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80 && n - i < 3)
		i--;
	if (i == 0)
		return 0;
	c = (unsigned char)s[i - 1];
	if (c < 0x80)
		return n;
	need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	return (n - (i - 1) >= need) ? n : i - 1;
}

/*
 * Copies a libxml2 message into dst (XML_MSG_MAX): control characters
 * become spaces, "{our namespace}" prefixes go, ends are trimmed.
 */
static void
xml_clean_msg(char *dst, const char *src)
{
	size_t	 n, i;

	snprintf(dst, XML_MSG_MAX, "%s", src != NULL ? src : "");
	n = xml_utf8_cut(dst, strlen(dst));
	dst[n] = '\0';
	for (i = 0; i < n; i++)
		if ((unsigned char)dst[i] < 0x20)
			dst[i] = ' ';
	while (n > 0 && dst[n - 1] == ' ')
		dst[--n] = '\0';
}

/* vr_fail() with the detail cut on a character boundary, not inside. */
static vr_err_e
xml_fail(vr_problem_t *p, vr_err_e err, const char *code, const char *field,
    const char *fmt, ...)
{
	char	 detail[VR_PROBLEM_DETAIL_MAX];
	char	 name[VR_PROBLEM_FIELD_MAX];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	detail[xml_utf8_cut(detail, strlen(detail))] = '\0';
	if (field != NULL) {
		snprintf(name, sizeof(name), "%s", field);
		name[xml_utf8_cut(name, strlen(name))] = '\0';
	}
	return vr_fail(p, err, code, field != NULL ? name : NULL, "%s",
	    detail);
}

/*
 * Lists one schema error in st->p: its code, its element's path (none
 * for the root or a node outside it) and libxml2's message.
 */
static void
xml_list_schema_error(xml_state_t *st, const xmlError *e)
{
	const xmlNode	*n = e->node;
	char		 path[VR_PROBLEM_FIELD_MAX], msg[XML_MSG_MAX];
	bool		 named;

	if (n != NULL && n->type == XML_ATTRIBUTE_NODE)
		n = n->parent;
	if (n != NULL && n == st->last)
		return;
	st->last = n;
	named = n != NULL && n->type == XML_ELEMENT_NODE && n != st->root &&
	    xml_error_path(st->res, st->root, n, path) == 0;
	if (named)	/* a long name is cut by bytes */
		path[xml_utf8_cut(path, strlen(path))] = '\0';
	xml_clean_msg(msg, e->message);
	xml_strip_ns(msg, st->res->xmlns);
	if (strlen(msg) >= VR_PROBLEM_DETAIL_MAX)
		msg[xml_utf8_cut(msg, VR_PROBLEM_DETAIL_MAX - 1)] = '\0';
	vr_fail_more(st->p, VR_E_INVALID, xml_schema_code(e->code),
	    named ? path : NULL, "%s", msg);
}

/* Drops every "{ns}" from msg: the namespace is implied. */
static void
xml_strip_ns(char *msg, const char *ns)
{
	size_t	 len = strlen(ns);
	char	*at = msg;

	while ((at = strstr(at, ns)) != NULL) {
		if (at > msg && at[-1] == '{' && at[len] == '}') {
			memmove(at - 1, at + len + 1, strlen(at + len + 1) + 1);
			at--;
		} else
			at++;
	}
}

/* ---- libxml2 callbacks ----------------------------------------------- */

/*
 * SAX internalSubset: called for every DOCTYPE, before its internal
 * subset is read; stopping here means no declaration is ever processed.
 */
static void
xml_on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext,
    const xmlChar *sys)
{
	xmlParserCtxtPtr	 ctxt = ctx;
	xml_state_t		*st = ctxt->_private;

	(void)name;
	(void)ext;
	(void)sys;
	if (st != NULL)
		st->doctype = true;
	xmlStopParser(ctxt);
}

static void
xml_keep_error(xml_state_t *st, const xmlError *e)
{
	if (st == NULL || st->have_err || e == NULL ||
	    e->level < XML_ERR_ERROR)
		return;
	st->have_err = true;
	st->line = e->line;
	st->code = e->code;
	st->node = e->node;
	xml_clean_msg(st->msg, e->message);
}

/* Structured handler of the parser context: data is the context. */
static void
xml_on_parse_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr	 ctxt = ctx;

	if (ctxt != NULL)
		xml_keep_error(ctxt->_private, e);
}

static void
xml_on_schema_error(void *ctx, xmlErrorPtr e)
{
	xml_state_t	*st = ctx;

	xml_keep_error(st, e);
	if (st != NULL && st->p != NULL && e != NULL &&
	    e->level >= XML_ERR_ERROR)
		xml_list_schema_error(st, e);
}

/* ---- decoding -------------------------------------------------------- */

/*
 * Every line must be strict UTF-8 without NUL.  Checking line by line
 * gives the line number and is exact: 0x0A never occurs inside a
 * multi-byte sequence.
 */
static vr_err_e
xml_check_bytes(const char *body, size_t len, vr_problem_t *p)
{
	const char	*line = body, *end = body + len, *nl;
	unsigned long	 lineno = 1;

	while (line < end) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!vr_utf8_valid(line, (size_t)((nl ? nl : end) - line)))
			return xml_fail(p, VR_E_MALFORMED, "malformed_xml",
			    NULL, "line %lu: invalid UTF-8 or NUL byte",
			    lineno);
		if (nl == NULL)
			break;
		line = nl + 1;
		lineno++;
	}
	return VR_OK;
}

static vr_err_e
xml_check_root(const vr_resource_t *res, xmlDocPtr doc, vr_problem_t *p)
{
	const xmlNode	*root = xmlDocGetRootElement(doc);

	if (root == NULL || root->ns == NULL || root->ns->href == NULL ||
	    strcmp((const char *)root->ns->href, res->xmlns) != 0 ||
	    strcmp((const char *)root->name, res->name) != 0)
		return xml_fail(p, VR_E_INVALID, "wrong_root", NULL,
		    "the root element must be <%s> in namespace %s",
		    res->name, res->xmlns);
	return VR_OK;
}

/*
 * The problem code of a schema error: the codes the JSON side gives for
 * the same mistake where libxml2 tells which facet failed, so a client
 * sees one code whichever format it sent.
 */
static const char *
xml_schema_code(int code)
{
	switch (code) {
	case XML_SCHEMAV_CVC_MAXLENGTH_VALID:
		return "too_long";
	case XML_SCHEMAV_CVC_ENUMERATION_VALID:
		return "invalid_value";
	case XML_SCHEMAV_CVC_MININCLUSIVE_VALID:
	case XML_SCHEMAV_CVC_MAXINCLUSIVE_VALID:
		return "out_of_range";
	case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1:
		return "wrong_type";
	default:
		return "schema_violation";
	}
}

/* Position of element n among the element children of its parent. */
static size_t
xml_element_index(const xmlNode *n)
{
	const xmlNode	*c;
	size_t		 k = 0;

	for (c = n->parent->children; c != NULL && c != n; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			k++;
	return k;
}

/*
 * The path of element n below root, as the field tables name it
 * ("sections[1].questions[0].weight"): field elements by name, list
 * items by their position.  -1 when n is not below root.
 */
static int
xml_error_path(const vr_resource_t *res, const xmlNode *root,
    const xmlNode *n, char out[VR_PROBLEM_FIELD_MAX])
{
	const xmlNode		*chain[VR_XML_MAX_DEPTH + 2];
	const vr_field_t	*f, *list = NULL;
	char			 prev[VR_PROBLEM_FIELD_MAX];
	size_t			 depth = 0, k;
	int			 idx;

	for (; n != NULL && n != root; n = n->parent) {
		if (n->type != XML_ELEMENT_NODE || depth == VR_XML_MAX_DEPTH + 2)
			return -1;
		chain[depth++] = n;
	}
	if (n == NULL)
		return -1;
	out[0] = '\0';
	for (k = depth; k-- > 0;) {
		memcpy(prev, out, sizeof(prev));
		if (list != NULL) {
			vr_path_index(out, prev, xml_element_index(chain[k]));
			f = list->type == VR_T_LIST ? list->items : NULL;
			res = f != NULL && f->type == VR_T_RECORD ? f->sub : NULL;
			list = NULL;
			continue;
		}
		vr_path_member(out, prev, (const char *)chain[k]->name);
		if (res == NULL || (idx = vr_field_index(res,
		    (const char *)chain[k]->name,
		    strlen((const char *)chain[k]->name))) < 0)
			break;
		f = &res->fields[idx];
		res = f->type == VR_T_RECORD ? f->sub : NULL;
		if (f->type == VR_T_LIST || f->type == VR_T_VARIANT)
			list = f;
	}
	return 0;
}

/*
 * Validates doc against the shared schema with a context of its own
 * (contexts are not shared between threads).  The problem names the
 * field element that holds the offending node, when there is one.
 */
static vr_err_e
xml_validate(const vr_resource_t *res, xmlDocPtr doc, vr_problem_t *p)
{
	xmlSchemaValidCtxtPtr	 vctxt;
	xml_state_t		 st;
	const xmlNode		*root, *n;
	const char		*field = NULL;
	char			 path[VR_PROBLEM_FIELD_MAX];
	vr_err_e		 err;
	int			 rc;

	memset(&st, 0, sizeof(st));
	st.p = p;
	st.res = res;
	st.root = xmlDocGetRootElement(doc);
	if ((vctxt = xmlSchemaNewValidCtxt(xml_schema)) == NULL)
		return vr_fail(p, VR_E_INTERNAL, "out_of_memory", NULL,
		    "no memory to validate the body");
	xmlSchemaSetValidStructuredErrors(vctxt, xml_on_schema_error, &st);
	rc = xmlSchemaValidateDoc(vctxt, doc);
	if (rc == 0) {
		err = VR_OK;
		goto out;
	}
	if (rc < 0) {
		err = vr_fail(p, VR_E_INTERNAL, "schema_internal", NULL,
		    "the body could not be validated");
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	n = st.node;
	if (n != NULL && n->type == XML_ATTRIBUTE_NODE)
		n = n->parent;
	if (n != NULL && n->type == XML_ELEMENT_NODE && n != root &&
	    xml_error_path(res, root, n, path) == 0)
		field = path;
	xml_strip_ns(st.msg, res->xmlns);
	err = xml_fail(p, VR_E_INVALID, xml_schema_code(st.code), field, "%s",
	    st.have_err ? st.msg : "the body does not match the schema");
out:
	xmlSchemaFreeValidCtxt(vctxt);
	return err;
}

static bool
xml_blank(const xmlChar *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* Trims XML whitespace in place; returns the new start. */
static char *
xml_trim(char *s)
{
	size_t	 n;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* Sets *nil from xsi:nil ("true" or "1"); -1 when memory ran out. */
static int
xml_is_nil(const xmlNode *n, bool *nil)
{
	const xmlAttr	*a;
	xmlChar		*v;
	char		*t;

	*nil = false;
	for (a = n->properties; a != NULL; a = a->next) {
		if (a->ns == NULL || a->ns->href == NULL ||
		    strcmp((const char *)a->ns->href, XSI_NS) != 0 ||
		    strcmp((const char *)a->name, "nil") != 0)
			continue;
		if ((v = xmlNodeGetContent((const xmlNode *)a)) == NULL)
			return -1;
		t = xml_trim((char *)v);
		*nil = strcmp(t, "true") == 0 || strcmp(t, "1") == 0;
		xmlFree(v);
		break;
	}
	return 0;
}

/* Converts the text of one element to the field's type; s is ours. */
static vr_err_e
xml_set_value(const vr_field_t *f, vr_value_t *v, char *s, const char *path,
    vr_problem_t *p)
{
	long long	 ll;
	char		*end;

	switch (f->type) {
	case VR_T_INT:
		s = xml_trim(s);
		errno = 0;
		ll = strtoll(s, &end, 10);
		/* strtoll skips leading space: the trim already did. */
		if (*s == '\0' || isspace((unsigned char)*s) || *end != '\0' ||
		    errno != 0)
			return xml_fail(p, VR_E_INVALID, "wrong_type",
			    path, "%s must be an integer", path);
		vr_value_set_int(v, (int64_t)ll);
		return VR_OK;
	case VR_T_BOOL:
		s = xml_trim(s);
		if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
			vr_value_set_int(v, 1);
		else if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
			vr_value_set_int(v, 0);
		else
			return xml_fail(p, VR_E_INVALID, "wrong_type",
			    path, "%s must be true or false", path);
		return VR_OK;
	case VR_T_DATE:
		s = xml_trim(s);
		break;
	case VR_T_VARIANT:
		v->kind = VR_T_TEXT;
		break;
	case VR_T_TEXT:
	case VR_T_ENUM:
	case VR_T_TIME:
	case VR_T_RECORD:
	case VR_T_LIST:
		break;
	}
	if (vr_value_set_text(v, s, strlen(s)) == -1)
		return vr_fail(p, VR_E_INTERNAL, "out_of_memory", path,
		    "no memory for the value");
	return VR_OK;
}

/* What a VARIANT list holds. */
static const vr_field_t xml_variant_item = {
	.name = "item", .type = VR_T_TEXT,
};

static vr_err_e	 xml_map_children(const vr_resource_t *, const xmlNode *,
		    vr_value_t *, const char *, const char *, vr_problem_t *);
static vr_err_e	 xml_map_value(const vr_field_t *, const xmlNode *,
		    vr_value_t *, const char *, const char *, vr_problem_t *);

/* The item elements of a list element into the list v. */
static vr_err_e
xml_map_items(const vr_field_t *it, const xmlNode *n, vr_value_t *v,
    const char *ns, const char *path, vr_problem_t *p)
{
	const xmlNode	*c;
	vr_value_t	*item;
	char		 ip[VR_PROBLEM_FIELD_MAX];
	size_t		 k = 0;
	vr_err_e	 err;

	v->present = true;
	v->null = false;
	for (c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE) {
			if ((c->type == XML_TEXT_NODE ||
			    c->type == XML_CDATA_SECTION_NODE) &&
			    !xml_blank(c->content))
				return xml_fail(p, VR_E_INVALID,
				    "schema_violation", path, "%s holds text "
				    "outside its item elements", path);
			continue;
		}
		vr_path_index(ip, path, k++);
		if (c->ns == NULL || c->ns->href == NULL ||
		    strcmp((const char *)c->ns->href, ns) != 0 ||
		    strcmp((const char *)c->name, it->name) != 0)
			return xml_fail(p, VR_E_INVALID, "unknown_field", ip,
			    "%s must be a <%s>", ip, it->name);
		if ((item = vr_value_push(v)) == NULL)
			return vr_fail(p, VR_E_INTERNAL, "out_of_memory", ip,
			    "no memory for the value");
		if ((err = xml_map_value(it, c, item, ns, ip, p)) != VR_OK)
			return err;
	}
	return VR_OK;
}

/* Whether n has an element child. */
static bool
xml_has_element(const xmlNode *n)
{
	const xmlNode	*c;

	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return true;
	return false;
}

/* The element n as a value of field f. */
static vr_err_e
xml_map_value(const vr_field_t *f, const xmlNode *n, vr_value_t *v,
    const char *ns, const char *path, vr_problem_t *p)
{
	xmlChar		*text;
	vr_err_e	 err;
	bool		 nil;

	if (xml_is_nil(n, &nil) == -1)
		return vr_fail(p, VR_E_INTERNAL, "out_of_memory", path,
		    "no memory for the value");
	if (nil) {
		vr_value_free(f, v);
		vr_value_set_null(v);
		return VR_OK;
	}
	if (f->type == VR_T_RECORD) {
		if (vr_value_set_record(f, v) == NULL)
			return vr_fail(p, VR_E_INTERNAL, "out_of_memory", path,
			    "no memory for the value");
		return xml_map_children(f->sub, n, v->rec, ns, path, p);
	}
	if (f->type == VR_T_LIST)
		return xml_map_items(f->items, n, v, ns, path, p);
	if (f->type == VR_T_VARIANT && xml_has_element(n)) {
		v->kind = VR_T_LIST;
		return xml_map_items(&xml_variant_item, n, v, ns, path, p);
	}
	if (xml_has_element(n))
		return xml_fail(p, VR_E_INVALID, "wrong_type", path,
		    "%s must hold a value, not elements", path);
	/* The text and CDATA below n, comments and PIs left out. */
	if ((text = xmlNodeGetContent(n)) == NULL)
		return vr_fail(p, VR_E_INTERNAL, "out_of_memory", path,
		    "no memory for the value");
	err = xml_set_value(f, v, (char *)text, path, p);
	xmlFree(text);
	return err;
}

/* The field elements below parent into rec, a record of res. */
static vr_err_e
xml_map_children(const vr_resource_t *res, const xmlNode *parent,
    vr_value_t *rec, const char *ns, const char *prefix, vr_problem_t *p)
{
	const xmlNode	*n;
	const char	*name;
	char		 path[VR_PROBLEM_FIELD_MAX];
	int		 idx;
	vr_err_e	 err;

	for (n = parent->children; n != NULL; n = n->next) {
		switch (n->type) {
		case XML_ELEMENT_NODE:
			name = (const char *)n->name;
			vr_path_member(path, prefix, name);
			if (n->ns == NULL || n->ns->href == NULL ||
			    strcmp((const char *)n->ns->href, ns) != 0 ||
			    (idx = vr_field_index(res, name,
			    strlen(name))) < 0)
				return xml_fail(p, VR_E_INVALID,
				    "unknown_field", path, "%s has no field "
				    "%s", res->name, name);
			if (rec[idx].present)
				return xml_fail(p, VR_E_INVALID,
				    "duplicate_field", path, "%s is given "
				    "twice", path);
			if ((err = xml_map_value(&res->fields[idx], n,
			    &rec[idx], ns, path, p)) != VR_OK)
				return err;
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (!xml_blank(n->content))
				return xml_fail(p, VR_E_INVALID,
				    "schema_violation", NULL, "<%s> holds "
				    "text outside its field elements",
				    res->name);
			break;
		case XML_COMMENT_NODE:
		case XML_PI_NODE:
			break;	/* accepted and ignored: see the top */
		default:
			return xml_fail(p, VR_E_INVALID, "schema_violation",
			    NULL, "<%s> holds an unexpected node",
			    res->name);
		}
	}
	return VR_OK;
}

/*
 * Parses untrusted XML as every body is parsed (see the top): UTF-8
 * bytes only, no DOCTYPE, no network, depth limited, UTF-8 declared if
 * anything.  *doc is the caller's to free with xmlFreeDoc() on VR_OK.
 * MALFORMED ("doctype_forbidden", "malformed_xml" with the line).
 */
vr_err_e
vr_xml_parse_untrusted(const char *body, size_t len, xmlDocPtr *docp,
    vr_problem_t *p)
{
	xmlParserCtxtPtr	 ctxt = NULL;
	xmlDocPtr		 doc = NULL;
	xml_state_t		 st;
	vr_err_e		 err;

	memset(&st, 0, sizeof(st));
	*docp = NULL;
	if (body == NULL || len == 0)
		return vr_fail(p, VR_E_MALFORMED, "empty_body", NULL,
		    "the request body is empty");
	if (len > INT_MAX)	/* the caller caps bodies far below */
		return vr_fail(p, VR_E_TOO_LARGE, "too_large", NULL,
		    "the body is too large");
	if ((err = xml_check_bytes(body, len, p)) != VR_OK)
		return err;
	if ((ctxt = xmlNewParserCtxt()) == NULL)
		return vr_fail(p, VR_E_INTERNAL, "out_of_memory", NULL,
		    "no memory to parse the body");
	ctxt->_private = &st;
	ctxt->sax->internalSubset = xml_on_doctype;
	ctxt->sax->serror = xml_on_parse_error;

	/* No encoding forced: a declared one is seen, then refused below. */
	doc = xmlCtxtReadMemory(ctxt, body, (int)len, NULL, NULL,
	    XML_OPTIONS);
	/* Stopping leaves wellFormed at 1: only the flag tells. */
	if (st.doctype || ctxt->errNo == XML_ERR_USER_STOP) {
		err = vr_fail(p, VR_E_MALFORMED, "doctype_forbidden", NULL,
		    "a DOCTYPE is not allowed");
		goto out;
	}
	/* An unbound prefix only clears nsWellFormed: refuse it too. */
	if (doc == NULL || !ctxt->wellFormed || !ctxt->nsWellFormed) {
		if (st.have_err && strncmp(st.msg, "Excessive depth", 15) == 0)
			err = xml_fail(p, VR_E_MALFORMED, "malformed_xml",
			    NULL, "line %d: elements nested deeper than %d",
			    st.line, VR_XML_MAX_DEPTH);
		else if (st.have_err)
			err = xml_fail(p, VR_E_MALFORMED, "malformed_xml",
			    NULL, "line %d: %s", st.line, st.msg);
		else
			err = vr_fail(p, VR_E_MALFORMED, "malformed_xml",
			    NULL, "the body is not well-formed XML");
		goto out;
	}
	if (doc->encoding != NULL &&
	    strcasecmp((const char *)doc->encoding, "UTF-8") != 0) {
		err = vr_fail(p, VR_E_MALFORMED, "malformed_xml", NULL,
		    "line 1: only UTF-8 is accepted");
		goto out;
	}
	*docp = doc;
	doc = NULL;
	err = VR_OK;
out:
	xmlFreeDoc(doc);
	ctxt->_private = NULL;
	xmlFreeParserCtxt(ctxt);
	return err;
}

/*
 * Decodes an XML body into rec; see vr_codec.h.  MALFORMED as
 * vr_xml_parse_untrusted(); INVALID for the wrong root, schema
 * violations and elements that do not map to the table; INTERNAL when
 * memory ran out or vr_xml_init() was not called.
 */
vr_err_e
vr_xml_decode(const vr_resource_t *res, const char *body, size_t len,
    vr_value_t *rec, vr_problem_t *p)
{
	xmlDocPtr	 doc = NULL;
	vr_err_e	 err;

	if (xml_schema == NULL)
		return vr_fail(p, VR_E_INTERNAL, "xml_not_initialised", NULL,
		    "vr_xml_init() was not called");
	if ((err = vr_xml_parse_untrusted(body, len, &doc, p)) != VR_OK)
		return err;
	if ((err = xml_check_root(res, doc, p)) == VR_OK &&
	    (err = xml_validate(res, doc, p)) == VR_OK)
		err = xml_map_children(res, xmlDocGetRootElement(doc), rec,
		    res->xmlns, "", p);
	xmlFreeDoc(doc);
	return err;
}

/* ---- encoding -------------------------------------------------------- */

/*
 * Encoding writes the document straight onto the output buffer from the
 * field table, as the JSON codec does (where the json-c tree was a third
 * of a GET's instructions; bench/README.md).  The bytes are exactly
 * what xmlDocDumpMemoryEnc(UTF-8) wrote for the same tree, escapes
 * included; tests/unit/test_xml.c keeps libxml2 as the oracle.
 */

/*
 * Appends <name>text</name>, text escaped as libxml2's serialiser does.
 * Returns -1, writing nothing, when memory ran out or text is not UTF-8
 * made of XML 1.0 characters: never a document nobody can parse.
 */
static int
xml_put_element(vr_buf_t *out, const char *name, const char *text)
{
	const unsigned char	*p = (const unsigned char *)text;
	size_t			 nl = strlen(name), tl = strlen(text);
	char			*w, *start;

	if (!vr_utf8_valid(text, tl) || tl > (SIZE_MAX - 2 * nl - 5) / 5)
		return -1;
	/* Room for the worst case, every byte an "&amp;". */
	if ((start = w = vr_buf_space(out, 2 * nl + 5 + 5 * tl)) == NULL)
		return -1;
	*w++ = '<';
	memcpy(w, name, nl);
	w += nl;
	*w++ = '>';
	for (; *p != '\0'; p++) {
		if (*p >= 0x20 && *p != '&' && *p != '<' && *p != '>' &&
		    *p != 0xEF) {
			*w++ = (char)*p;
			continue;
		}
		switch (*p) {
		case '&':
			memcpy(w, "&amp;", 5);
			w += 5;
			break;
		case '<':
			memcpy(w, "&lt;", 4);
			w += 4;
			break;
		case '>':
			memcpy(w, "&gt;", 4);
			w += 4;
			break;
		case '\r':
			memcpy(w, "&#13;", 5);
			w += 5;
			break;
		case '\t':
		case '\n':
			*w++ = (char)*p;
			break;
		case 0xEF:
			/* U+FFFE and U+FFFF are not XML characters. */
			if (p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))
				goto refuse;
			*w++ = (char)*p;
			break;
		default:	/* the other control characters */
			goto refuse;
		}
	}
	*w++ = '<';
	*w++ = '/';
	memcpy(w, name, nl);
	w += nl;
	*w++ = '>';
	vr_buf_commit(out, (size_t)(w - start));
	return 0;
refuse:
	vr_buf_commit(out, 0);
	return -1;
}

static bool	 xml_has_fields(const vr_resource_t *, const vr_value_t *,
		    bool *);

/* Whether a nested value holds a null anywhere below it. */
static void
xml_nested_nil(const vr_field_t *f, const vr_value_t *v, bool *nil)
{
	size_t	 k;

	if (v->rec != NULL)
		(void)xml_has_fields(f->sub, v->rec, nil);
	if (f->type == VR_T_LIST)
		for (k = 0; k < v->n && !*nil; k++) {
			*nil |= v->item[k].null;
			xml_nested_nil(f->items, &v->item[k], nil);
		}
}

/*
 * Whether rec has a field to write, and whether one of them, at any
 * depth, is null (the root then declares the xsi prefix).
 */
static bool
xml_has_fields(const vr_resource_t *res, const vr_value_t *rec, bool *nil)
{
	bool	 any = false;
	size_t	 i;

	for (i = 0; i < res->nfields; i++)
		if (rec[i].present && !(res->fields[i].flags & VR_F_HIDDEN)) {
			any = true;
			*nil |= rec[i].null;
			xml_nested_nil(&res->fields[i], &rec[i], nil);
		}
	return any;
}

/*
 * Appends the declaration and the root's start tag: the resource's
 * namespace, then the xsi prefix when a nil follows.  A root without
 * children is closed at once ("/>").
 */
static int
xml_put_root(vr_buf_t *out, const vr_resource_t *res, const char *name,
    bool children, bool nil)
{
	if (vr_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<")
	    == -1 || vr_buf_puts(out, name) == -1)
		return -1;
	if (res->xmlns != NULL && (vr_buf_puts(out, " xmlns=\"") == -1 ||
	    vr_buf_puts(out, res->xmlns) == -1 ||
	    vr_buf_append(out, "\"", 1) == -1))
		return -1;
	if (nil && vr_buf_puts(out, " xmlns:xsi=\"" XSI_NS "\"") == -1)
		return -1;
	return vr_buf_puts(out, children ? ">" : "/>\n");
}

static int	 xml_put_fields(vr_buf_t *, const vr_resource_t *,
		    const vr_value_t *);
static int	 xml_put_close(vr_buf_t *, const char *);

/* Appends <name/> or <name xsi:nil="true"/>. */
static int
xml_put_empty(vr_buf_t *out, const char *name, bool nil)
{
	return vr_buf_append(out, "<", 1) == -1 ||
	    vr_buf_puts(out, name) == -1 ||
	    vr_buf_puts(out, nil ? " xsi:nil=\"true\"/>" : "/>") == -1 ?
	    -1 : 0;
}

static int	 xml_put_value(vr_buf_t *, const vr_field_t *, const char *,
		    const vr_value_t *);

/* Appends <name> with one <item name> per item, </name>. */
static int
xml_put_items(vr_buf_t *out, const char *name, const vr_field_t *it,
    const char *item_name, const vr_value_t *v)
{
	size_t	 k;

	if (v->n == 0)
		return xml_put_empty(out, name, false);
	if (vr_buf_append(out, "<", 1) == -1 || vr_buf_puts(out, name) == -1 ||
	    vr_buf_append(out, ">", 1) == -1)
		return -1;
	for (k = 0; k < v->n; k++)
		if (xml_put_value(out, it, item_name, &v->item[k]) == -1)
			return -1;
	return xml_put_close(out, name);
}

/* Appends the element name holding value v of field f. */
static int
xml_put_value(vr_buf_t *out, const vr_field_t *f, const char *name,
    const vr_value_t *v)
{
	char	 digits[VR_INT_TEXT_MAX];
	bool	 nil = false;

	if (v->null)
		return xml_put_empty(out, name, true);
	switch (f->type) {
	case VR_T_INT:
		return xml_put_element(out, name, vr_int_text(digits, v->i));
	case VR_T_BOOL:
		return xml_put_element(out, name, v->i ? "true" : "false");
	case VR_T_RECORD:
		if (v->rec == NULL || !xml_has_fields(f->sub, v->rec, &nil))
			return xml_put_empty(out, name, false);
		return vr_buf_append(out, "<", 1) == -1 ||
		    vr_buf_puts(out, name) == -1 ||
		    vr_buf_append(out, ">", 1) == -1 ||
		    xml_put_fields(out, f->sub, v->rec) == -1 ||
		    xml_put_close(out, name) == -1 ? -1 : 0;
	case VR_T_LIST:
		return xml_put_items(out, name, f->items, f->items->name, v);
	case VR_T_VARIANT:
		if (v->kind == VR_T_INT)
			return xml_put_element(out, name,
			    vr_int_text(digits, v->i));
		if (v->kind == VR_T_LIST)
			return xml_put_items(out, name, &xml_variant_item,
			    "item", v);
		break;
	default:
		break;
	}
	return xml_put_element(out, name, v->s != NULL ? v->s : "");
}

/* Appends one element per present field of rec, in table order. */
static int
xml_put_fields(vr_buf_t *out, const vr_resource_t *res,
    const vr_value_t *rec)
{
	size_t	 i;

	for (i = 0; i < res->nfields; i++)
		if (rec[i].present && !(res->fields[i].flags & VR_F_HIDDEN) &&
		    xml_put_value(out, &res->fields[i],
		    res->fields[i].name, &rec[i]) == -1)
			return -1;
	return 0;
}

/* Appends </name>. */
static int
xml_put_close(vr_buf_t *out, const char *name)
{
	return vr_buf_append(out, "</", 2) == -1 ||
	    vr_buf_puts(out, name) == -1 ||
	    vr_buf_append(out, ">", 1) == -1 ? -1 : 0;
}

/* Appends a list item: <name>fields</name>, or <name/> without any. */
static int
xml_put_item(vr_buf_t *out, const vr_resource_t *res, const vr_value_t *rec)
{
	bool	 nil = false;

	if (vr_buf_append(out, "<", 1) == -1 ||
	    vr_buf_puts(out, res->name) == -1)
		return -1;
	if (!xml_has_fields(res, rec, &nil))
		return vr_buf_puts(out, "/>");
	return vr_buf_append(out, ">", 1) == -1 ||
	    xml_put_fields(out, res, rec) == -1 ||
	    xml_put_close(out, res->name) == -1 ? -1 : 0;
}

/*
 * Appends <res->name xmlns=res->xmlns> with the present fields of rec.
 * VR_E_INTERNAL when memory ran out or a value holds a character XML
 * cannot carry (input validation keeps those out); out is then unchanged.
 */
vr_err_e
vr_xml_encode_record(const vr_resource_t *res, const vr_value_t *rec,
    vr_buf_t *out)
{
	size_t	 mark = out->len;
	bool	 nil = false, any;

	any = xml_has_fields(res, rec, &nil);
	if (xml_put_root(out, res, res->name, any, nil) == -1 ||
	    (any && (xml_put_fields(out, res, rec) == -1 ||
	    xml_put_close(out, res->name) == -1 ||
	    vr_buf_append(out, "\n", 1) == -1))) {
		vr_buf_truncate(out, mark);
		return VR_E_INTERNAL;
	}
	return VR_OK;
}

/*
 * Appends <res->plural> holding one <res->name> per item, then
 * <next_cursor> when there is one.  Errors as vr_xml_encode_record();
 * a resource without a plural is VR_E_INTERNAL.
 */
vr_err_e
vr_xml_encode_list(const vr_resource_t *res, const vr_list_t *list,
    vr_buf_t *out)
{
	size_t	 mark = out->len, i;
	bool	 nil = false;

	if (res->plural == NULL)
		return VR_E_INTERNAL;
	for (i = 0; i < list->n; i++)
		(void)xml_has_fields(res, list->items[i], &nil);
	if (xml_put_root(out, res, res->plural,
	    list->n > 0 || list->next_cursor != NULL, nil) == -1)
		goto fail;
	for (i = 0; i < list->n; i++)
		if (xml_put_item(out, res, list->items[i]) == -1)
			goto fail;
	if (list->next_cursor != NULL && xml_put_element(out, "next_cursor",
	    list->next_cursor) == -1)
		goto fail;
	if ((list->n > 0 || list->next_cursor != NULL) &&
	    (xml_put_close(out, res->plural) == -1 ||
	    vr_buf_append(out, "\n", 1) == -1))
		goto fail;
	return VR_OK;
fail:
	vr_buf_truncate(out, mark);
	return VR_E_INTERNAL;
}
