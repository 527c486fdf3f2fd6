/*
 * vr_openapi: the API's contract written from the code, so that what a
 * host codes against cannot drift from what the server does.  The route
 * rows give the paths, methods, roles, parameters (a list's own from its
 * store), bodies, success statuses and the problems beyond those of the
 * route's kind; the field tables give the schemas.  vr_openapi_write()
 * makes docs/openapi.yaml (OpenAPI 3.1), vr_json_schema_write()
 * plugin-manifests/schemas/api.schema.json (JSON Schema 2020-12, the
 * same schemas as the OpenAPI file's components).  Both are only text,
 * built as a small tree first and written as YAML or JSON: this file
 * includes neither json-c nor libxml2.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vr_paths.h"
#include "../model/vr_model.h"
#include "../resources/vr_resources.h"
#include "vr_openapi.h"

typedef enum node_kind { N_MAP, N_LIST, N_STR, N_RAW } node_kind_e;

/* A node of the document: a map, a list, a string or a number/boolean. */
typedef struct node {
	node_kind_e	 kind;
	char		*key;		/* in a map; NULL in a list */
	char		*s;		/* N_STR, N_RAW */
	struct node	*first, *last, *next;
} node_t;

/* Schemas made so far: a resource in a mode has one component name. */
#define MAX_COMPONENTS	192
enum schema_mode { M_OUT, M_CREATE, M_UPDATE };

typedef struct gen {
	bool		 oom;
	const char	*ref;		/* "#/components/schemas/" or "#/$defs/" */
	node_t		*schemas;	/* the map the components go into */
	struct {
		const vr_resource_t *res;
		enum schema_mode mode;
		char		 name[64];
	}		 comp[MAX_COMPONENTS];
	size_t		 ncomp;
	char		 lists[MAX_COMPONENTS][80];	/* NAME_list made */
	size_t		 nlists;
} gen_t;

static const char *const mode_suffix[] = { "", "_create", "_update" };

/* ---- the tree ------------------------------------------------------ */

static node_t *
add(gen_t *g, node_t *parent, node_kind_e kind, const char *key,
    const char *s)
{
	node_t	*n;

	if (parent == NULL)
		return NULL;
	if ((n = calloc(1, sizeof(*n))) == NULL ||
	    (key != NULL && (n->key = strdup(key)) == NULL) ||
	    (s != NULL && (n->s = strdup(s)) == NULL)) {
		if (n != NULL) {
			free(n->key);
			free(n);
		}
		g->oom = true;
		return NULL;
	}
	n->kind = kind;
	if (parent->last != NULL)
		parent->last->next = n;
	else
		parent->first = n;
	parent->last = n;
	return n;
}

static node_t *
map(gen_t *g, node_t *parent, const char *key)
{
	return add(g, parent, N_MAP, key, NULL);
}

static node_t *
list(gen_t *g, node_t *parent, const char *key)
{
	return add(g, parent, N_LIST, key, NULL);
}

static void
str(gen_t *g, node_t *parent, const char *key, const char *s)
{
	add(g, parent, N_STR, key, s);
}

static void
strf(gen_t *g, node_t *parent, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
strf(gen_t *g, node_t *parent, const char *key, const char *fmt, ...)
{
	char	 buf[1024];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	str(g, parent, key, buf);
}

static void
num(gen_t *g, node_t *parent, const char *key, int64_t v)
{
	char	 buf[32];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	add(g, parent, N_RAW, key, buf);
}

static void
boolean(gen_t *g, node_t *parent, const char *key, bool v)
{
	add(g, parent, N_RAW, key, v ? "true" : "false");
}

/* The child of a map named key, made when there is none. */
static node_t *
child_map(gen_t *g, node_t *parent, const char *key)
{
	node_t	*n;

	for (n = parent != NULL ? parent->first : NULL; n != NULL; n = n->next)
		if (n->key != NULL && strcmp(n->key, key) == 0)
			return n;
	return map(g, parent, key);
}

static void	 node_free(node_t *);

/* Drops the empty lists named key below n (no parameters, no roles). */
static void
prune(node_t *n, const char *key)
{
	node_t	*c, *prev = NULL, *next;

	for (c = n->first; c != NULL; c = next) {
		next = c->next;
		if (c->kind == N_LIST && c->first == NULL && c->key != NULL &&
		    strcmp(c->key, key) == 0) {
			if (prev != NULL)
				prev->next = next;
			else
				n->first = next;
			if (n->last == c)
				n->last = prev;
			node_free(c);
			continue;
		}
		prune(c, key);
		prev = c;
	}
}

static void
node_free(node_t *n)
{
	node_t	*c, *next;

	if (n == NULL)
		return;
	for (c = n->first; c != NULL; c = next) {
		next = c->next;
		node_free(c);
	}
	free(n->key);
	free(n->s);
	free(n);
}

/* ---- writing: JSON, and YAML with every string in JSON's quotes ---- */

static int
put_quoted(vr_buf_t *out, const char *s)
{
	const unsigned char	*p;

	if (vr_buf_append(out, "\"", 1) == -1)
		return -1;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			if (vr_buf_printf(out, "\\%c", *p) == -1)
				return -1;
		} else if (*p < 0x20) {
			if (vr_buf_printf(out, "\\u%04x", *p) == -1)
				return -1;
		} else if (vr_buf_append(out, (const char *)p, 1) == -1)
			return -1;
	}
	return vr_buf_append(out, "\"", 1);
}

static int
put_indent(vr_buf_t *out, int n)
{
	for (; n > 0; n--)
		if (vr_buf_append(out, " ", 1) == -1)
			return -1;
	return 0;
}

static int
put_json(vr_buf_t *out, const node_t *n, int depth)
{
	const node_t	*c;

	if (n->kind == N_STR)
		return put_quoted(out, n->s);
	if (n->kind == N_RAW)
		return vr_buf_puts(out, n->s);
	if (n->first == NULL)
		return vr_buf_puts(out, n->kind == N_MAP ? "{}" : "[]");
	if (vr_buf_puts(out, n->kind == N_MAP ? "{\n" : "[\n") == -1)
		return -1;
	for (c = n->first; c != NULL; c = c->next) {
		if (put_indent(out, 2 * (depth + 1)) == -1 ||
		    (n->kind == N_MAP && (put_quoted(out, c->key) == -1 ||
		    vr_buf_puts(out, ": ") == -1)) ||
		    put_json(out, c, depth + 1) == -1 ||
		    vr_buf_puts(out, c->next != NULL ? ",\n" : "\n") == -1)
			return -1;
	}
	if (put_indent(out, 2 * depth) == -1)
		return -1;
	return vr_buf_puts(out, n->kind == N_MAP ? "}" : "]");
}

/*
 * The children of container n at indent; the first line's indent is
 * already written when inline (after a list's "- ").
 */
static int
put_yaml(vr_buf_t *out, const node_t *n, int indent, bool inline_first)
{
	const node_t	*c;

	for (c = n->first; c != NULL; c = c->next) {
		if ((c != n->first || !inline_first) &&
		    put_indent(out, indent) == -1)
			return -1;
		if (n->kind == N_MAP) {
			if (put_quoted(out, c->key) == -1 ||
			    vr_buf_append(out, ":", 1) == -1)
				return -1;
		} else if (vr_buf_append(out, "-", 1) == -1)
			return -1;
		if (c->kind == N_STR || c->kind == N_RAW) {
			if (vr_buf_append(out, " ", 1) == -1 ||
			    (c->kind == N_STR ? put_quoted(out, c->s) :
			    vr_buf_puts(out, c->s)) == -1 ||
			    vr_buf_append(out, "\n", 1) == -1)
				return -1;
		} else if (c->first == NULL) {
			if (vr_buf_puts(out, c->kind == N_MAP ? " {}\n" :
			    " []\n") == -1)
				return -1;
		} else if (n->kind == N_LIST) {
			if (vr_buf_append(out, " ", 1) == -1 ||
			    put_yaml(out, c, indent + 2, true) == -1)
				return -1;
		} else if (vr_buf_append(out, "\n", 1) == -1 ||
		    put_yaml(out, c, indent + 2, false) == -1)
			return -1;
	}
	return 0;
}

/* ---- schemas from the field tables --------------------------------- */

static const char *component(gen_t *, const vr_resource_t *,
		    enum schema_mode);

/* {"$ref": ...} to the component of res in mode, into parent. */
static void
ref_to(gen_t *g, node_t *parent, const vr_resource_t *res,
    enum schema_mode mode)
{
	const char	*name = component(g, res, mode);

	if (name != NULL)
		strf(g, parent, "$ref", "%s%s", g->ref, name);
}

/* type: t, or [t, "null"] when the value may be null. */
static void
type_of(gen_t *g, node_t *s, const char *t, bool nullable)
{
	node_t	*l;

	if (!nullable) {
		str(g, s, "type", t);
		return;
	}
	l = list(g, s, "type");
	str(g, l, NULL, t);
	str(g, l, NULL, "null");
}

/* The schema of one value of field f (no description) into s. */
static void
value_schema(gen_t *g, node_t *s, const vr_field_t *f, enum schema_mode mode,
    bool nullable)
{
	const char *const	*v;
	node_t			*l, *alt;
	enum schema_mode	 sub = mode == M_OUT ? M_OUT : M_CREATE;
	size_t			 max;

	switch (f->type) {
	case VR_T_INT:
		type_of(g, s, "integer", nullable);
		/* A view's count or id declares no range (both 0). */
		if (f->min != 0 || f->max != 0) {
			num(g, s, "minimum", f->min);
			num(g, s, "maximum", f->max);
		}
		break;
	case VR_T_BOOL:
		type_of(g, s, "boolean", nullable);
		break;
	case VR_T_TEXT:
		type_of(g, s, "string", nullable);
		max = mode != M_OUT && f->normalize != NULL && f->max_input > 0 ?
		    f->max_input : f->max_chars;
		if (max > 0)
			num(g, s, "maxLength", (int64_t)max);
		/* An empty optional text is null; a required one is refused. */
		if (mode != M_OUT && !(f->flags & VR_F_NULLABLE))
			num(g, s, "minLength", 1);
		break;
	case VR_T_ENUM:
		type_of(g, s, "string", nullable);
		l = list(g, s, "enum");
		for (v = f->enum_values; v != NULL && *v != NULL; v++)
			str(g, l, NULL, *v);
		if (nullable)
			add(g, l, N_RAW, NULL, "null");
		/* Input: "" is null for an optional one. */
		if (nullable && mode != M_OUT)
			str(g, l, NULL, "");
		break;
	case VR_T_TIME:
	case VR_T_DATE:
		type_of(g, s, "string", nullable);
		str(g, s, "format", f->type == VR_T_TIME ? "date-time" : "date");
		break;
	case VR_T_RECORD:
		if (!nullable) {
			ref_to(g, s, f->sub, sub);
			break;
		}
		l = list(g, s, "anyOf");
		ref_to(g, map(g, l, NULL), f->sub, sub);
		str(g, map(g, l, NULL), "type", "null");
		break;
	case VR_T_LIST:
		type_of(g, s, "array", nullable);
		num(g, s, "maxItems", (int64_t)(f->max_items ? f->max_items :
		    VR_LIST_MAX_ITEMS));
		value_schema(g, map(g, s, "items"), f->items, mode, false);
		break;
	case VR_T_VARIANT:
		l = list(g, s, "anyOf");
		str(g, map(g, l, NULL), "type", "string");
		str(g, map(g, l, NULL), "type", "integer");
		alt = map(g, l, NULL);
		str(g, alt, "type", "array");
		str(g, map(g, alt, "items"), "type", "string");
		if (nullable)
			str(g, map(g, l, NULL), "type", "null");
		break;
	}
}

/* Whether a client may send field f in a body of this mode. */
static bool
writable(const vr_field_t *f, enum schema_mode mode)
{
	if (f->flags & VR_F_HIDDEN)
		return false;
	if (mode == M_OUT)
		return true;
	if ((f->flags & VR_F_VERSION) && mode == M_UPDATE)
		return true;
	if ((f->flags & VR_F_FIXED) && mode == M_UPDATE)
		return false;
	return !(f->flags & (VR_F_SERVER | VR_F_VERSION | VR_F_ID));
}

static void
record_schema(gen_t *g, node_t *s, const vr_resource_t *res,
    enum schema_mode mode)
{
	const vr_field_t	*f;
	node_t			*props, *p, *req = NULL;
	size_t			 i;

	str(g, s, "type", "object");
	strf(g, s, "description", "%s %s%s (XML: <%s> in %s).",
	    mode == M_OUT ? "A" : mode == M_CREATE ? "The body that creates "
	    "(or gives whole) a" : "The body that changes a", res->name,
	    mode == M_UPDATE ? ": only the fields it changes, and the "
	    "version read" : "", res->name,
	    res->xmlns != NULL ? res->xmlns : VR_XMLNS);
	props = map(g, s, "properties");
	for (i = 0; i < res->nfields; i++) {
		f = &res->fields[i];
		if (!writable(f, mode))
			continue;
		p = map(g, props, f->name);
		value_schema(g, p, f, mode, (f->flags & VR_F_NULLABLE) != 0);
		if (f->doc != NULL)
			str(g, p, "description", f->doc);
		if (mode == M_OUT && (f->flags & (VR_F_SERVER | VR_F_ID)))
			boolean(g, p, "readOnly", true);
		if ((mode == M_CREATE && (f->flags & VR_F_REQUIRED)) ||
		    (mode == M_UPDATE && (f->flags & VR_F_VERSION))) {
			if (req == NULL)
				req = list(g, s, "required");
			str(g, req, NULL, f->name);
		}
	}
	boolean(g, s, "additionalProperties", false);
}

/*
 * The component name of res in mode, its schema made on first use (the
 * name is taken first: records may hold themselves).  Names are the
 * resources' own; two tables of one name get a number.
 */
static const char *
component(gen_t *g, const vr_resource_t *res, enum schema_mode mode)
{
	size_t	 i, same = 0;
	char	 name[64];

	for (i = 0; i < g->ncomp; i++) {
		if (g->comp[i].res == res && g->comp[i].mode == mode)
			return g->comp[i].name;
		if (g->comp[i].mode == mode && g->comp[i].res != res &&
		    strcmp(g->comp[i].res->name, res->name) == 0)
			same++;
	}
	if (g->ncomp == MAX_COMPONENTS) {
		g->oom = true;	/* a programming error: make it larger */
		return NULL;
	}
	if (same > 0)
		snprintf(name, sizeof(name), "%s_%zu%s", res->name, same + 1,
		    mode_suffix[mode]);
	else
		snprintf(name, sizeof(name), "%s%s", res->name,
		    mode_suffix[mode]);
	i = g->ncomp++;
	g->comp[i].res = res;
	g->comp[i].mode = mode;
	memcpy(g->comp[i].name, name, sizeof(name));
	record_schema(g, map(g, g->schemas, name), res, mode);
	return g->comp[i].name;
}

/* The page of a list: {"items": [...], "next_cursor": ...}. */
static const char *
list_component(gen_t *g, const vr_resource_t *res)
{
	const char	*item = component(g, res, M_OUT);
	char		 name[80];
	node_t		*s, *props, *p, *l;
	size_t		 i;

	if (item == NULL)
		return NULL;
	snprintf(name, sizeof(name), "%s_list", item);
	for (i = 0; i < g->nlists; i++)
		if (strcmp(g->lists[i], name) == 0)
			return g->lists[i];
	if (g->nlists == MAX_COMPONENTS) {
		g->oom = true;
		return NULL;
	}
	memcpy(g->lists[g->nlists], name, sizeof(name));
	s = map(g, g->schemas, name);
	str(g, s, "type", "object");
	strf(g, s, "description", "A page of %s (XML: <%s>), then the "
	    "cursor of the next.", res->plural, res->plural);
	props = map(g, s, "properties");
	p = map(g, props, "items");
	str(g, p, "type", "array");
	strf(g, map(g, p, "items"), "$ref", "%s%s", g->ref, item);
	p = map(g, props, "next_cursor");
	type_of(g, p, "string", true);
	str(g, p, "description", "Pass it back as cursor (or after) for the "
	    "next page; null on the last page.");
	l = list(g, s, "required");
	str(g, l, NULL, "items");
	boolean(g, s, "additionalProperties", false);
	return g->lists[g->nlists++];
}

/* ---- operations from the route rows -------------------------------- */

/* Problem codes every route of a kind may answer: "STATUS code". */
static const char *const any_route[] = {
	"500 internal", "500 out_of_memory", "500 database_error",
	"503 database_unavailable", "503 commit_unknown",
	"503 database_error", NULL
};
static const char *const negotiated[] = { "406 not_acceptable", NULL };
static const char *const identified[] = {
	"401 unauthenticated", "403 forbidden", NULL
};
static const char *const by_id[] = { "404 not_found", NULL };
static const char *const by_token[] = { "404 no_such_link", NULL };
static const char *const with_body[] = {
	"400 malformed_json", "400 malformed_xml", "400 doctype_forbidden",
	"400 empty_body", "400 invalid_utf8", "413 body_too_large", "415 unsupported_media_type",
	"403 admin_only", "409 deadlock", "409 duplicate",
	"422 read_only", "422 required", "422 too_long", "422 invalid_value",
	"422 invalid_utf8", "422 out_of_range", "422 null_not_allowed",
	"422 wrong_type", "422 unknown_field", "422 duplicate_field",
	"422 not_an_object", "422 too_many_items", "422 number_too_long",
	"422 wrong_root", "422 schema_violation", NULL
};
static const char *const versioned[] = { "409 stale_version", NULL };
static const char *const with_query[] = {
	"400 unknown_parameter", "400 invalid_parameter", NULL
};
static const char *const paged[] = { "400 invalid_cursor", NULL };

/* The problems of one route, grouped by status. */
#define MAX_PROBLEMS	128
typedef struct problems {
	int		 status[MAX_PROBLEMS];
	const char	*code[MAX_PROBLEMS];
	size_t		 n;
} problems_t;

static void
problems_add(problems_t *ps, const char *const *set)
{
	const char	*sp;
	size_t		 i;
	int		 st;

	for (; set != NULL && *set != NULL; set++) {
		st = atoi(*set);
		if ((sp = strchr(*set, ' ')) == NULL || ps->n == MAX_PROBLEMS)
			continue;
		for (i = 0; i < ps->n; i++)
			if (ps->status[i] == st && strcmp(ps->code[i], sp + 1) == 0)
				break;
		if (i == ps->n) {
			ps->status[ps->n] = st;
			ps->code[ps->n++] = sp + 1;
		}
	}
}

static void
route_problems(const vr_route_t *r, problems_t *ps)
{
	bool	 writes = strcmp(r->method, "GET") != 0;

	memset(ps, 0, sizeof(*ps));
	problems_add(ps, any_route);
	if (!r->raw)
		problems_add(ps, negotiated);
	if (r->roles != 0)
		problems_add(ps, identified);
	if (strstr(r->pattern, "{id}") != NULL)
		problems_add(ps, by_id);
	if (strstr(r->pattern, "{token}") != NULL)
		problems_add(ps, by_token);
	if (r->in != NULL || r->in_media != NULL || writes)
		problems_add(ps, with_body);
	if (strcmp(r->method, "PATCH") == 0 || r->in == &vr_transition_resource)
		problems_add(ps, versioned);
	if (r->in == &vr_transition_resource)
		problems_add(ps, vr_crud_transition_problems);
	if (r->params != NULL || r->list)
		problems_add(ps, with_query);
	if (r->list && r->store != NULL)
		problems_add(ps, paged);
	problems_add(ps, r->problems);
}

/* The path of a route as OpenAPI names it, below the server's base. */
static void
route_path(const vr_route_t *r, char *out, size_t len)
{
	snprintf(out, len, "%s%s", r->vendor ? "/vendor" : "/api", r->pattern);
}

/* "get_api_vendors_id_chain": the method and the path's words. */
static void
operation_id(const vr_route_t *r, const char *path, char *out, size_t len)
{
	const char	*p;
	size_t		 n = 0;

	for (p = r->method; *p != '\0' && n + 1 < len; p++)
		out[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	for (p = path; *p != '\0' && n + 1 < len; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			out[n++] = *p;
		else if (out[n - 1] != '_')
			out[n++] = '_';
	while (n > 0 && out[n - 1] == '_')
		n--;
	out[n] = '\0';
}

static void
param(gen_t *g, node_t *params, const char *name, const char *in,
    const char *type, const char *doc)
{
	node_t	*p = map(g, params, NULL);

	str(g, p, "name", name);
	str(g, p, "in", in);
	if (strcmp(in, "path") == 0)
		boolean(g, p, "required", true);
	if (doc != NULL)
		str(g, p, "description", doc);
	p = map(g, p, "schema");
	str(g, p, "type", type);
	if (strcmp(name, "id") == 0)
		num(g, p, "minimum", 1);
	if (strcmp(name, "token") == 0)
		str(g, p, "pattern", "^[A-Za-z0-9_-]{1,128}$");
}

/* A query parameter a route declares as a field. */
static void
declared_param(gen_t *g, node_t *params, const vr_field_t *f)
{
	node_t	*p = map(g, params, NULL), *s;

	str(g, p, "name", f->name);
	str(g, p, "in", "query");
	if (f->doc != NULL)
		str(g, p, "description", f->doc);
	s = map(g, p, "schema");
	value_schema(g, s, f, M_CREATE, false);
	if (f->type == VR_T_INT && f->dflt != NULL)
		num(g, s, "default", strtoll(f->dflt, NULL, 10));
}

/* A list's own query parameters, from its store's declaration. */
static void
store_params(gen_t *g, node_t *params, const vr_store_t *st)
{
	const vr_field_t	*f;
	node_t			*p, *s, *l;
	size_t			 i;
	char			 doc[160];

	declared_param(g, params, &vr_http_list_limit);
	param(g, params, "cursor", "query", "string", "The next_cursor of "
	    "the page before.");
	p = map(g, params, NULL);
	str(g, p, "name", "sort");
	str(g, p, "in", "query");
	str(g, p, "description", "Order; - for descending.");
	s = map(g, p, "schema");
	str(g, s, "type", "string");
	l = list(g, s, "enum");
	for (i = 0; i < st->nsorts; i++)
		str(g, l, NULL, st->sorts[i].name);
	if (st->search != NULL) {
		snprintf(doc, sizeof(doc), "A part of the searched fields, at "
		    "most %zu characters.", st->search->max_chars);
		param(g, params, st->search->param, "query", "string", doc);
	}
	for (i = 0; i < st->nfilters; i++) {
		f = &st->res->fields[st->filters[i].field];
		p = map(g, params, NULL);
		str(g, p, "name", st->filters[i].param);
		str(g, p, "in", "query");
		s = map(g, p, "schema");
		str(g, s, "type", f->type == VR_T_INT &&
		    st->filters[i].condition == NULL &&
		    !st->filters[i].multi ? "integer" : "string");
		if (st->filters[i].condition != NULL) {
			str(g, p, "description", "true: only the records this "
			    "condition holds for.");
			str(g, list(g, s, "enum"), NULL, "true");
		} else if (st->filters[i].multi)
			strf(g, p, "description", "%s equal to one of a comma "
			    "list.", f->name);
		else
			strf(g, p, "description", "%s equal to this.", f->name);
	}
}

/* Where an XML body's schema is: its root element and namespace. */
static void
xml_content(gen_t *g, node_t *content, const vr_resource_t *res, bool is_list,
    const char *media)
{
	node_t	*x = map(g, content, media), *s = map(g, x, "schema");
	bool	 manifest = res == &vr_manifest_resource;

	str(g, s, "type", "string");
	strf(g, s, "description", "XML: <%s> in %s, described by %s.",
	    manifest ? "scxml-bearing manifest" : is_list ? res->plural :
	    res->name, manifest ? "the manifest's namespace" :
	    res->xmlns != NULL ? res->xmlns : VR_XMLNS, manifest ?
	    "plugin-manifests/schemas/manifest.xsd" :
	    res == &vr_problem_resource ? "plugin-manifests/schemas/problem.xsd" :
	    "plugin-manifests/schemas/api.xsd");
	x = map(g, x, "x-xsd");
	str(g, x, "schema", manifest ? "plugin-manifests/schemas/manifest.xsd" :
	    res == &vr_problem_resource ? "plugin-manifests/schemas/problem.xsd" :
	    "plugin-manifests/schemas/api.xsd");
	if (!manifest)
		str(g, x, "element", is_list ? res->plural : res->name);
}

static void
body_content(gen_t *g, node_t *content, const vr_resource_t *res,
    bool is_list, enum schema_mode mode)
{
	node_t		*s = map(g, map(g, content, "application/json"),
			    "schema");
	const char	*name;

	if (is_list) {
		if ((name = list_component(g, res)) != NULL)
			strf(g, s, "$ref", "%s%s", g->ref, name);
	} else
		ref_to(g, s, res, mode);
	xml_content(g, content, res, is_list, "application/xml");
	/* The server reads XML under either name (vr_codec.h). */
	if (mode != M_OUT)
		xml_content(g, content, res, is_list, "text/xml");
}

static void
file_content(gen_t *g, node_t *content, const char *const *media)
{
	node_t	*s;

	for (; media != NULL && *media != NULL; media++) {
		s = map(g, map(g, content, *media), "schema");
		str(g, s, "type", "string");
		str(g, s, "format", "binary");
	}
}

static void
problem_responses(gen_t *g, node_t *responses, const vr_route_t *r)
{
	problems_t	 ps;
	node_t		*resp, *content, *s, *all, *props, *codes;
	char		 key[8], desc[2048];
	size_t		 i, j, used;
	int		 st;
	bool		 done[MAX_PROBLEMS] = { false };

	route_problems(r, &ps);
	for (i = 0; i < ps.n; i++) {
		if (done[i])
			continue;
		st = ps.status[i];
		used = (size_t)snprintf(desc, sizeof(desc), "%s: a problem "
		    "document whose code is one of:", vr_status_title(st));
		for (j = i; j < ps.n; j++)
			if (ps.status[j] == st && used < sizeof(desc))
				used += (size_t)snprintf(desc + used,
				    sizeof(desc) - used, " %s", ps.code[j]);
		snprintf(key, sizeof(key), "%d", st);
		/* A status that also answers the route's own document. */
		if ((resp = child_map(g, responses, key)) != NULL &&
		    resp->first == NULL)
			str(g, resp, "description", desc);
		content = child_map(g, resp, "content");
		s = map(g, map(g, content, "application/problem+json"),
		    "schema");
		all = list(g, s, "allOf");
		ref_to(g, map(g, all, NULL), &vr_problem_resource, M_OUT);
		props = map(g, map(g, all, NULL), "properties");
		num(g, map(g, props, "status"), "const", st);
		codes = list(g, map(g, props, "code"), "enum");
		for (j = i; j < ps.n; j++)
			if (ps.status[j] == st) {
				done[j] = true;
				str(g, codes, NULL, ps.code[j]);
			}
		xml_content(g, content, &vr_problem_resource, false,
		    "application/problem+xml");
		/* The intranet's login in nginx may refuse before the plugin. */
		if (st == 401)
			str(g, map(g, map(g, content, "text/html"), "schema"),
			    "type", "string");
	}
}

static void
operation(gen_t *g, node_t *paths, const vr_route_t *r)
{
	node_t			*op, *params, *rb, *responses, *resp, *roles;
	const vr_field_t	*f;
	char			 path[256], id[128], method[8], key[8];
	const char		*at;
	unsigned		 bit;
	size_t			 i;

	route_path(r, path, sizeof(path));
	for (i = 0; r->method[i] != '\0' && i + 1 < sizeof(method); i++)
		method[i] = (char)(r->method[i] + 32);
	method[i] = '\0';
	op = map(g, child_map(g, paths, path), method);
	operation_id(r, path, id, sizeof(id));
	str(g, op, "operationId", id);
	str(g, op, "summary", r->summary != NULL ? r->summary : path);
	roles = list(g, op, "x-roles");
	for (bit = 1; bit <= VR_ROLE_ANY && r->roles != 0; bit <<= 1)
		if (r->roles & bit)
			str(g, roles, NULL, vr_role_name((vr_role_e)bit));
	if (r->roles == 0) {
		str(g, op, "description", "No intranet login: the link's token "
		    "(or nothing, for /health) is the only credential.");
		list(g, op, "security");
	}
	params = list(g, op, "parameters");
	for (at = r->pattern; (at = strchr(at, '{')) != NULL; at++)
		param(g, params, strncmp(at, "{token}", 7) == 0 ? "token" :
		    "id", "path", strncmp(at, "{token}", 7) == 0 ? "string" :
		    "integer", NULL);
	if (r->list && r->store != NULL)
		store_params(g, params, r->store);
	for (f = r->params; f != NULL && f->name != NULL; f++)
		declared_param(g, params, f);
	if (r->in != NULL || r->in_media != NULL) {
		rb = map(g, op, "requestBody");
		boolean(g, rb, "required", !r->in_optional);
		if (r->in != NULL)
			body_content(g, map(g, rb, "content"), r->in,
			    false, strcmp(r->method, "PATCH") == 0 ? M_UPDATE :
			    M_CREATE);
		else
			file_content(g, map(g, rb, "content"), r->in_media);
	}
	responses = map(g, op, "responses");
	snprintf(key, sizeof(key), "%d", r->status ? r->status : 200);
	resp = map(g, responses, key);
	str(g, resp, "description", r->summary != NULL ? r->summary : "OK");
	if (r->out != NULL || r->media != NULL) {
		node_t *content = map(g, resp, "content");

		if (r->out != NULL)
			body_content(g, content, r->out, r->list, M_OUT);
		file_content(g, content, r->media);
	}
	if (r->out_also != 0) {
		snprintf(key, sizeof(key), "%d", r->out_also);
		resp = map(g, responses, key);
		str(g, resp, "description", "The same document, saying what "
		    "is not well.");
		body_content(g, map(g, resp, "content"), r->out, false, M_OUT);
	}
	problem_responses(g, responses, r);
}

static const char openapi_intro[] =
    "The HTTP API of vendor-review (委託先管理), generated from the "
    "program's route rows and field tables by `vendor-review openapi`: "
    "edit the code, not this file (a test fails on any difference).  "
    "Every endpoint speaks JSON (default) and XML, chosen by "
    "Content-Type and Accept; XML bodies are described by the XSDs "
    "named in each operation (x-xsd).  Errors are RFC 9457 problem "
    "documents in the same format; a 422 lists every invalid field of "
    "the body in errors (at most 50, then errors_truncated).  The API "
    "lives below api_base_path (default /vendor-review/api), the "
    "vendor's links below vendor_base_path (default "
    "/vendor-review/vendor): both are configuration "
    "(vendor-review.conf(5)).  x-roles names the plugin roles that may "
    "call an operation (the host's groups map to them); workflow "
    "transitions are further ruled by the manifest (GET /api/manifest).";

int
vr_openapi_write(vr_buf_t *out)
{
	gen_t		 g = { .ref = "#/components/schemas/" };
	node_t		 root = { .kind = N_MAP }, *info, *paths, *servers,
			*other, *resp;
	const vr_route_t *r;
	size_t		 m;
	int		 rc = -1;

	str(&g, &root, "openapi", "3.1.0");
	info = map(&g, &root, "info");
	str(&g, info, "title", "vendor-review API");
	str(&g, info, "version", VR_VERSION);
	str(&g, info, "description", openapi_intro);
	other = map(&g, info, "license");
	str(&g, other, "name", "ISC");
	str(&g, other, "identifier", "ISC");
	servers = map(&g, list(&g, &root, "servers"), NULL);
	str(&g, servers, "url", "/vendor-review");
	str(&g, servers, "description", "The default base paths");
	other = map(&g, list(&g, &root, "security"), NULL);
	list(&g, other, "intranet");
	paths = map(&g, &root, "paths");
	other = map(&g, &root, "components");
	g.schemas = map(&g, other, "schemas");
	other = map(&g, map(&g, other, "securitySchemes"), "intranet");
	str(&g, other, "type", "http");
	str(&g, other, "scheme", "basic");
	str(&g, other, "description", "The intranet's own login, applied "
	    "by its nginx (auth_request or the like), which passes the user "
	    "and groups to the plugin as FastCGI params: the plugin never "
	    "reads identity from a client's header.  The demo and the tests "
	    "use HTTP Basic; a host uses whatever its login is.");
	for (m = 0; vr_modules[m] != NULL; m++)
		for (r = vr_modules[m]->routes; r->method != NULL; r++)
			operation(&g, paths, r);
	/* What any other path or method answers (the router, not a route). */
	other = map(&g, &root, "x-unrouted");
	resp = map(&g, other, "404");
	str(&g, resp, "description", "No resource at this path: code "
	    "no_such_route.");
	ref_to(&g, map(&g, map(&g, map(&g, resp, "content"),
	    "application/problem+json"), "schema"), &vr_problem_resource, M_OUT);
	resp = map(&g, other, "405");
	str(&g, resp, "description", "The path exists, not for this method "
	    "(Allow names those it takes): code method_not_allowed.");
	ref_to(&g, map(&g, map(&g, map(&g, resp, "content"),
	    "application/problem+json"), "schema"), &vr_problem_resource, M_OUT);
	prune(paths, "parameters");
	prune(paths, "x-roles");
	if (!g.oom && vr_buf_puts(out, "# Generated by `vendor-review openapi` "
	    "from the route rows (fcgi/resources/*.c) and field tables\n"
	    "# (fcgi/model/*.c): do not edit; see docs/contracts.md.\n") == 0 &&
	    put_yaml(out, &root, 0, false) == 0)
		rc = 0;
	while ((other = root.first) != NULL) {
		root.first = other->next;
		node_free(other);
	}
	return rc;
}

int
vr_json_schema_write(vr_buf_t *out)
{
	gen_t			 g = { .ref = "#/$defs/" };
	node_t			 root = { .kind = N_MAP }, *n;
	const vr_resource_t *const *res;
	const vr_route_t	*r;
	size_t			 m;
	int			 rc = -1;

	str(&g, &root, "$schema", "https://json-schema.org/draft/2020-12/schema");
	str(&g, &root, "$id", "urn:vendor-review:api:1:json-schema");
	str(&g, &root, "title", "vendor-review JSON bodies");
	str(&g, &root, "description", "Every JSON body of the vendor-review "
	    "API, generated from the field tables by `vendor-review "
	    "json-schema` (the same schemas as docs/openapi.yaml's "
	    "components): NAME is a document the server sends, NAME_create "
	    "the body that creates one (POST, PUT), NAME_update the body "
	    "of a PATCH, NAME_list a page of a list.  Refer to one as "
	    "api.schema.json#/$defs/NAME.");
	g.schemas = map(&g, &root, "$defs");
	/* The same components, in the same order, as the OpenAPI file. */
	for (m = 0; vr_modules[m] != NULL; m++)
		for (r = vr_modules[m]->routes; r->method != NULL; r++) {
			if (r->in != NULL)
				component(&g, r->in, strcmp(r->method,
				    "PATCH") == 0 ? M_UPDATE : M_CREATE);
			if (r->out != NULL && r->list)
				list_component(&g, r->out);
			else if (r->out != NULL)
				component(&g, r->out, M_OUT);
		}
	component(&g, &vr_problem_resource, M_OUT);
	for (res = vr_api_resources(); *res != NULL; res++)
		component(&g, *res, M_OUT);
	if (!g.oom && put_json(out, &root, 0) == 0 &&
	    vr_buf_puts(out, "\n") == 0)
		rc = 0;
	while ((n = root.first) != NULL) {
		root.first = n->next;
		node_free(n);
	}
	return rc;
}
