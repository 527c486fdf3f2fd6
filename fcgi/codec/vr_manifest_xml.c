/*
 * vr_manifest_xml: reads the plugin manifest (plugin-manifests/
 * vendor-review.xml: our vocabulary, with each workflow a state machine
 * in a subset of W3C SCXML) into a record of vr_manifest_resource.
 *
 * The file is parsed like any untrusted body, validated against
 * schemas/manifest.xsd beside it (which also checks that every target
 * and initial state exists), and then checked for what a schema cannot
 * know: that every role it names is one of its roles and one the program
 * has, and that every guard, effect and workflow resource it names is in
 * the program's registry.  Every error names the file and line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "codec/vr_codec.h"
#include "codec/vr_xml_private.h"
#include "model/vr_model.h"

#define MF_NS		"urn:vendor-review:manifest:1"
#define SCXML_NS	"http://www.w3.org/2005/07/scxml"
#define XML_NS		"http://www.w3.org/XML/1998/namespace"
#define MANIFEST_MAX	(4 * 1024 * 1024)

typedef struct reader {
	const char		*path;
	const vr_manifest_names_t *known;
	const vr_value_t	*roles;		/* the manifest's roles, once read */
	char			*err;
	size_t			 errlen;
} reader_t;

static int
fail(reader_t *r, const xmlNode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes "FILE:LINE: message" into r->err; returns -1. */
static int
fail(reader_t *r, const xmlNode *n, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(r->err, r->errlen, "%s:%ld: %s", r->path,
	    n != NULL ? xmlGetLineNo(n) : 0L, msg);
	return -1;
}

static bool
is(const xmlNode *n, const char *ns, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    strcmp((const char *)n->ns->href, ns) == 0 &&
	    strcmp((const char *)n->name, name) == 0;
}

/* Sets v to the attribute (in namespace ns, or none); -1 on no memory. */
static int
attr(reader_t *r, const xmlNode *n, const char *ns, const char *name,
    vr_value_t *v)
{
	xmlChar	*s = ns != NULL ? xmlGetNsProp(n, (const xmlChar *)name,
		    (const xmlChar *)ns) : xmlGetNoNsProp(n,
		    (const xmlChar *)name);
	int	 rc = 0;

	if (s != NULL)
		rc = vr_value_set_text(v, (const char *)s,
		    strlen((const char *)s));
	xmlFree(s);
	return rc == 0 ? 0 : fail(r, n, "out of memory");
}

/* Appends each space-separated name of an attribute to the list v. */
static int
names(reader_t *r, const xmlNode *n, const char *ns, const char *name,
    vr_value_t *v)
{
	xmlChar		*s = ns != NULL ? xmlGetNsProp(n, (const xmlChar *)name,
			    (const xmlChar *)ns) : xmlGetNoNsProp(n,
			    (const xmlChar *)name);
	const char	*p = (const char *)s;
	vr_value_t	*item;
	size_t		 len;
	int		 rc = 0;

	v->present = true;
	while (p != NULL && *p != '\0' && rc == 0) {
		p += strspn(p, " \t\r\n");
		if ((len = strcspn(p, " \t\r\n")) == 0)
			break;
		if ((item = vr_value_push(v)) == NULL ||
		    vr_value_set_text(item, p, len) == -1)
			rc = fail(r, n, "out of memory");
		p += len;
	}
	xmlFree(s);
	return rc;
}

/* The child <label xml:lang="ja|en"> elements (of namespace ns) into v. */
static int
labels(reader_t *r, const xmlNode *n, const char *ns, const char *name,
    vr_value_t *v)
{
	const xmlNode	*c;
	xmlChar		*lang, *text;
	vr_value_t	*rec;
	int		 f, rc = 0;

	if ((rec = vr_value_set_record(&(vr_field_t){ .type = VR_T_RECORD,
	    .sub = &vr_label_resource }, v)) == NULL)
		return fail(r, n, "out of memory");
	for (c = n->children; c != NULL && rc == 0; c = c->next) {
		if (!is(c, ns, name))
			continue;
		lang = xmlGetNsProp(c, (const xmlChar *)"lang",
		    (const xmlChar *)XML_NS);
		f = lang == NULL ? -1 : strcmp((char *)lang, "ja") == 0 ?
		    LF_JA : strcmp((char *)lang, "en") == 0 ? LF_EN : -1;
		text = xmlNodeGetContent(c);
		if (f < 0)
			rc = fail(r, c, "<%s> must have xml:lang ja or en",
			    name);
		else if (text == NULL || vr_value_set_text(&rec[f],
		    (char *)text, strlen((char *)text)) == -1)
			rc = fail(r, c, "out of memory");
		xmlFree(lang);
		xmlFree(text);
	}
	if (rc == 0 && (!rec[LF_JA].present || !rec[LF_EN].present))
		rc = fail(r, n, "<%s> needs a Japanese and an English %s",
		    (const char *)n->name, name);
	return rc;
}

/* Whether every name in the list v is a role of the manifest. */
static int
check_roles(reader_t *r, const xmlNode *n, const vr_value_t *v)
{
	size_t	 i, k;

	for (i = 0; i < v->n; i++) {
		for (k = 0; k < r->roles->n; k++)
			if (strcmp(r->roles->item[k].rec[MRF_ID].s,
			    v->item[i].s) == 0)
				break;
		if (k == r->roles->n)
			return fail(r, n, "role \"%s\" is not one of the "
			    "manifest's roles", v->item[i].s);
	}
	return 0;
}

/* Whether every name in the list v passes exists(); what names it. */
static int
check_names(reader_t *r, const xmlNode *n, const vr_value_t *v,
    bool (*exists)(const char *), const char *what)
{
	size_t	 i;

	for (i = 0; i < v->n; i++)
		if (!exists(v->item[i].s))
			return fail(r, n, "%s \"%s\" does not exist in this "
			    "program", what, v->item[i].s);
	return 0;
}

/* Appends a sub-record of the list field f to the list v. */
static vr_value_t *
push_record(reader_t *r, const xmlNode *n, const vr_resource_t *parent,
    int f, vr_value_t *v)
{
	vr_value_t	*item, *rec = NULL;

	if ((item = vr_value_push(v)) == NULL ||
	    (rec = vr_value_set_record(parent->fields[f].items, item)) == NULL)
		fail(r, n, "out of memory");
	return rec;
}

static int
read_transition(reader_t *r, const xmlNode *n, vr_value_t *t)
{
	xmlChar	*comment;
	int	 rc;

	if (attr(r, n, NULL, "event", &t[MTF_ID]) == -1 ||
	    attr(r, n, NULL, "target", &t[MTF_TO]) == -1 ||
	    names(r, n, MF_NS, "roles", &t[MTF_ROLES]) == -1 ||
	    names(r, n, NULL, "cond", &t[MTF_GUARDS]) == -1 ||
	    names(r, n, MF_NS, "effects", &t[MTF_EFFECTS]) == -1 ||
	    labels(r, n, MF_NS, "label", &t[MTF_LABEL]) == -1)
		return -1;
	comment = xmlGetNsProp(n, (const xmlChar *)"comment",
	    (const xmlChar *)MF_NS);
	vr_value_set_int(&t[MTF_COMMENT], comment != NULL &&
	    strcmp((char *)comment, "required") == 0);
	xmlFree(comment);
	if ((rc = check_roles(r, n, &t[MTF_ROLES])) == 0 &&
	    (rc = check_names(r, n, &t[MTF_GUARDS], r->known->guard,
	    "guard")) == 0)
		rc = check_names(r, n, &t[MTF_EFFECTS], r->known->effect,
		    "effect");
	return rc;
}

static int
read_state(reader_t *r, const xmlNode *n, vr_value_t *s)
{
	const xmlNode	*c;
	vr_value_t	*t;

	vr_value_set_int(&s[MSF_FINAL], is(n, SCXML_NS, "final"));
	s[MSF_TRANSITIONS].present = true;
	if (attr(r, n, NULL, "id", &s[MSF_ID]) == -1 ||
	    labels(r, n, MF_NS, "label", &s[MSF_LABEL]) == -1)
		return -1;
	for (c = n->children; c != NULL; c = c->next)
		if (is(c, SCXML_NS, "transition") &&
		    ((t = push_record(r, c, &vr_mstate_resource,
		    MSF_TRANSITIONS, &s[MSF_TRANSITIONS])) == NULL ||
		    read_transition(r, c, t) == -1))
			return -1;
	return 0;
}

static int
read_workflow(reader_t *r, const xmlNode *n, vr_value_t *w)
{
	const xmlNode	*c;
	vr_value_t	*s;

	w[MWF_STATES].present = true;
	if (attr(r, n, NULL, "name", &w[MWF_NAME]) == -1 ||
	    attr(r, n, MF_NS, "resource", &w[MWF_RESOURCE]) == -1 ||
	    attr(r, n, MF_NS, "kind", &w[MWF_KIND]) == -1 ||
	    names(r, n, MF_NS, "start", &w[MWF_START]) == -1 ||
	    attr(r, n, NULL, "initial", &w[MWF_INITIAL]) == -1 ||
	    labels(r, n, MF_NS, "label", &w[MWF_LABEL]) == -1 ||
	    check_roles(r, n, &w[MWF_START]) == -1)
		return -1;
	if (!r->known->resource(w[MWF_RESOURCE].s))
		return fail(r, n, "workflow %s runs on \"%s\", which this "
		    "program does not have", w[MWF_NAME].s,
		    w[MWF_RESOURCE].s);
	for (c = n->children; c != NULL; c = c->next)
		if ((is(c, SCXML_NS, "state") || is(c, SCXML_NS, "final")) &&
		    ((s = push_record(r, c, &vr_mworkflow_resource,
		    MWF_STATES, &w[MWF_STATES])) == NULL ||
		    read_state(r, c, s) == -1))
			return -1;
	return 0;
}

/* The manifest's sections, in the order the schema fixes. */
static int
read_manifest(reader_t *r, const xmlNode *root, vr_value_t *m)
{
	const xmlNode	*sec, *c;
	vr_value_t	*e;

	if (attr(r, root, NULL, "id", &m[MF_ID]) == -1 ||
	    attr(r, root, NULL, "version", &m[MF_VERSION]) == -1 ||
	    attr(r, root, NULL, "api_base", &m[MF_API_BASE]) == -1 ||
	    attr(r, root, NULL, "vendor_base", &m[MF_VENDOR_BASE]) == -1)
		return -1;
	m[MF_ROLES].present = m[MF_MENU].present = m[MF_PAGES].present =
	    m[MF_WORKFLOWS].present = true;
	r->roles = &m[MF_ROLES];
	for (sec = root->children; sec != NULL; sec = sec->next)
		for (c = sec->children; c != NULL; c = c->next) {
			if (is(c, MF_NS, "role")) {
				if ((e = push_record(r, c, &vr_manifest_resource,
				    MF_ROLES, &m[MF_ROLES])) == NULL ||
				    attr(r, c, NULL, "id", &e[MRF_ID]) == -1 ||
				    labels(r, c, MF_NS, "label",
				    &e[MRF_LABEL]) == -1 ||
				    labels(r, c, MF_NS, "description",
				    &e[MRF_DESCRIPTION]) == -1)
					return -1;
				if (!r->known->role(e[MRF_ID].s))
					return fail(r, c, "role \"%s\" is not "
					    "one this program has",
					    e[MRF_ID].s);
			} else if (is(c, MF_NS, "entry")) {
				if ((e = push_record(r, c, &vr_manifest_resource,
				    MF_MENU, &m[MF_MENU])) == NULL ||
				    attr(r, c, NULL, "id", &e[MEF_ID]) == -1 ||
				    attr(r, c, NULL, "page", &e[MEF_PAGE]) == -1 ||
				    names(r, c, NULL, "roles",
				    &e[MEF_ROLES]) == -1 ||
				    labels(r, c, MF_NS, "label",
				    &e[MEF_LABEL]) == -1 ||
				    check_roles(r, c, &e[MEF_ROLES]) == -1)
					return -1;
			} else if (is(c, MF_NS, "page")) {
				if ((e = push_record(r, c, &vr_manifest_resource,
				    MF_PAGES, &m[MF_PAGES])) == NULL ||
				    attr(r, c, NULL, "id", &e[MPF_ID]) == -1 ||
				    attr(r, c, NULL, "path", &e[MPF_PATH]) == -1 ||
				    labels(r, c, MF_NS, "label",
				    &e[MPF_LABEL]) == -1)
					return -1;
			} else if (is(c, SCXML_NS, "scxml")) {
				if ((e = push_record(r, c, &vr_manifest_resource,
				    MF_WORKFLOWS, &m[MF_WORKFLOWS])) == NULL ||
				    read_workflow(r, c, e) == -1)
					return -1;
			}
		}
	return 0;
}

/* Keeps the first schema error with its line. */
static void
schema_error(void *ctx, xmlErrorPtr e)
{
	reader_t	*r = ctx;
	char		 msg[512];
	size_t		 n;

	if (r->err[0] != '\0' || e == NULL || e->level < XML_ERR_ERROR)
		return;
	snprintf(msg, sizeof(msg), "%s", e->message != NULL ? e->message :
	    "invalid");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	snprintf(r->err, r->errlen, "%s:%d: %s", r->path, e->line, msg);
}

/* The compiled schema, kept for the next manifest beside the same one. */
static xmlSchemaPtr	 cached_schema;
static char		 cached_xsd[4096];

/* Validates doc against schemas/manifest.xsd beside the manifest. */
static int
validate(reader_t *r, xmlDocPtr doc)
{
	xmlSchemaParserCtxtPtr	 pc = NULL;
	xmlSchemaValidCtxtPtr	 vc = NULL;
	char			 xsd[4096];
	const char		*slash = strrchr(r->path, '/');
	int			 rc = -1;

	snprintf(xsd, sizeof(xsd), "%.*sschemas/manifest.xsd",
	    slash != NULL ? (int)(slash - r->path + 1) : 0, r->path);
	if (cached_schema == NULL || strcmp(cached_xsd, xsd) != 0) {
		vr_manifest_cleanup();
		if ((pc = xmlSchemaNewParserCtxt(xsd)) == NULL)
			goto out;
		xmlSchemaSetParserStructuredErrors(pc, schema_error, r);
		if ((cached_schema = xmlSchemaParse(pc)) == NULL) {
			if (r->err[0] == '\0')
				snprintf(r->err, r->errlen, "%s: cannot read "
				    "the schema %s", r->path, xsd);
			goto out;
		}
		snprintf(cached_xsd, sizeof(cached_xsd), "%s", xsd);
	}
	if ((vc = xmlSchemaNewValidCtxt(cached_schema)) == NULL)
		goto out;
	r->err[0] = '\0';
	xmlSchemaSetValidStructuredErrors(vc, schema_error, r);
	if (xmlSchemaValidateDoc(vc, doc) == 0)
		rc = 0;
	else if (r->err[0] == '\0')
		snprintf(r->err, r->errlen, "%s: does not match %s", r->path,
		    xsd);
out:
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFreeParserCtxt(pc);
	return rc;
}

int
vr_manifest_parse(const char *path, const char *data, size_t len,
    const vr_manifest_names_t *known, vr_value_t **out, char *err,
    size_t errlen)
{
	reader_t	 r = { path, known, NULL, err, errlen };
	vr_problem_t	 p;
	xmlDocPtr	 doc = NULL;
	vr_value_t	*m = NULL;
	long		 line = 0;
	int		 rc = -1, skip = 0;

	err[0] = '\0';
	*out = NULL;
	vr_problem_clear(&p);
	if (vr_xml_parse_untrusted(data, len, &doc, &p) != VR_OK) {
		/* "line N: why" from the parser becomes "FILE:N: why". */
		if (sscanf(p.detail, "line %ld:%n", &line, &skip) == 1)
			snprintf(err, errlen, "%s:%ld:%s", path, line,
			    p.detail + skip);
		else
			snprintf(err, errlen, "%s:0: %s", path, p.detail);
		return -1;
	}
	if (!is(xmlDocGetRootElement(doc), MF_NS, "manifest"))
		fail(&r, xmlDocGetRootElement(doc), "the root element must be "
		    "<manifest> in namespace %s", MF_NS);
	else if (validate(&r, doc) == 0 &&
	    (m = vr_record_new(&vr_manifest_resource)) != NULL &&
	    read_manifest(&r, xmlDocGetRootElement(doc), m) == 0) {
		*out = m;
		m = NULL;
		rc = 0;
	}
	vr_record_free(&vr_manifest_resource, m);
	xmlFreeDoc(doc);
	return rc;
}

int
vr_manifest_read(const char *path, const vr_manifest_names_t *known,
    vr_value_t **out, vr_buf_t *raw, char *err, size_t errlen)
{
	char		 chunk[8192];
	FILE		*fp;
	size_t		 n;

	*out = NULL;
	if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: cannot open: %s", path,
		    strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 &&
	    raw->len <= MANIFEST_MAX)
		if (vr_buf_append(raw, chunk, n) == -1)
			break;
	fclose(fp);
	if (raw->len > MANIFEST_MAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", path,
		    MANIFEST_MAX);
		return -1;
	}
	return vr_manifest_parse(path, raw->data, raw->len, known, out, err,
	    errlen);
}

void
vr_manifest_cleanup(void)
{
	xmlSchemaFree(cached_schema);
	cached_schema = NULL;
	cached_xsd[0] = '\0';
}
