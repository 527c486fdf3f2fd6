/*
 * vr_http: the one request pipeline.  Order: route (404/405 with Allow,
 * before any identity so unknown URLs never leak whether they exist to
 * whom), output format (406, except for routes that answer files), identity from the configured
 * FastCGI params only (401), role (403), body size (413), handler; every
 * error becomes an RFC 9457 problem document in the negotiated format.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/vr_log.h"
#include "../db/vr_audit.h"
#include "../model/vr_model.h"
#include "../resources/vr_resources.h"
#include "vr_cache.h"
#include "vr_http.h"
#include "vr_identity.h"

/* A {…id} segment: digits only, no sign, no leading zero, no overflow. */
static int
match_id(const char *s, size_t len, int64_t *out)
{
	int64_t	 v = 0;
	size_t	 i;

	if (len == 0 || s[0] < '1' || s[0] > '9')
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (INT64_MAX - (s[i] - '0')) / 10)
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

/* A {token} segment: 1-VR_TOKEN_MAX of [A-Za-z0-9_-]. */
static int
match_token(const char *s, size_t len, char *out)
{
	size_t	 i;

	if (len == 0 || len > VR_TOKEN_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return 0;
	memcpy(out, s, len);
	out[len] = '\0';
	return 1;
}

int
vr_route_match(const char *pattern, const char *path, vr_request_t *req)
{
	const char	*close;
	int64_t		 ids[VR_PATH_MAX_IDS];
	char		 token[VR_TOKEN_MAX + 1];
	size_t		 nids = 0, seg;
	bool		 is_token;

	token[0] = '\0';
	while (*pattern != '\0') {
		if (*pattern != '{') {
			if (*pattern++ != *path++)
				return 0;
			continue;
		}
		if ((close = strchr(pattern, '}')) == NULL)
			return 0;
		seg = strcspn(path, "/");
		is_token = (size_t)(close - pattern) == 6 &&
		    strncmp(pattern, "{token", 6) == 0;
		if (is_token ? !match_token(path, seg, token) :
		    (nids == VR_PATH_MAX_IDS || !match_id(path, seg,
		    &ids[nids++])))
			return 0;
		pattern = close + 1;
		path += seg;
	}
	if (*path != '\0')
		return 0;
	memset(req->ids, 0, sizeof(req->ids));
	memcpy(req->ids, ids, nids * sizeof(ids[0]));
	req->id = req->ids[0];
	memcpy(req->token, token, strlen(token) + 1);
	return 1;
}

/*
 * A detail may quote client input: keep it encodable in both formats
 * (valid UTF-8, no control characters) whatever the input was.
 */
static void
make_printable(char *s)
{
	bool	 ascii_only = !vr_utf8_valid(s, strlen(s));

	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f ||
		    (ascii_only && (unsigned char)*s >= 0x80))
			*s = '?';
}

/*
 * The problem's errors as the list member: what a check collected, or
 * for any 422 without a list its own field, code and detail, so a host
 * reads every 422 the same way.  -1 when memory ran out.
 */
static int
problem_errors(vr_problem_t *p, int status, vr_value_t *list)
{
	const vr_field_t	*item = vr_problem_resource.fields[PF_ERRORS].items;
	vr_problem_error_t	 own;
	const vr_problem_error_t *e;
	vr_value_t		*v, *rec;
	size_t			 k, n = p->nerrors;

	if (n == 0 && status != 422)
		return 0;
	if (n == 0) {
		own.code = p->code;
		memcpy(own.field, p->field, sizeof(own.field));
		memcpy(own.detail, p->detail, sizeof(own.detail));
		n = 1;
	}
	for (k = 0; k < n; k++) {
		e = p->nerrors > 0 ? &p->errors[k] : &own;
		if ((v = vr_value_push(list)) == NULL ||
		    (rec = vr_value_set_record(item, v)) == NULL)
			return -1;
		if (p->nerrors > 0) {
			make_printable(p->errors[k].field);
			make_printable(p->errors[k].detail);
		}
		if ((e->field[0] != '\0' && vr_value_set_str(&rec[PEF_FIELD],
		    e->field) == -1) ||
		    vr_value_set_str(&rec[PEF_CODE], e->code != NULL ? e->code :
		    "error") == -1 ||
		    vr_value_set_str(&rec[PEF_DETAIL], e->detail) == -1)
			return -1;
	}
	return 0;
}

static void
problem_response(vr_request_t *req, vr_response_t *resp)
{
	vr_value_t	 rec[PF__MAX];
	vr_problem_t	*p = &req->problem;
	char		 type[128];
	int		 status = vr_err_status(p->err), oom;
	size_t		 i;

	memset(rec, 0, sizeof(rec));
	if (p->code == NULL)
		p->code = "error";
	make_printable(p->detail);
	make_printable(p->field);
	snprintf(type, sizeof(type), "urn:vendor-review:problem:%s", p->code);
	vr_value_set_text(&rec[PF_TYPE], type, strlen(type));
	vr_value_set_text(&rec[PF_TITLE], vr_err_title(p->err),
	    strlen(vr_err_title(p->err)));
	vr_value_set_int(&rec[PF_STATUS], status);
	vr_value_set_text(&rec[PF_DETAIL], p->detail, strlen(p->detail));
	vr_value_set_text(&rec[PF_CODE], p->code, strlen(p->code));
	if (p->field[0] != '\0')
		vr_value_set_text(&rec[PF_FIELD], p->field, strlen(p->field));
	vr_value_set_text(&rec[PF_REQUEST_ID], req->request_id,
	    strlen(req->request_id));
	if (p->existing_id > 0)
		vr_value_set_int(&rec[PF_EXISTING_ID], p->existing_id);
	oom = problem_errors(p, status, &rec[PF_ERRORS]);
	if (p->errors_cut)
		vr_value_set_int(&rec[PF_ERRORS_TRUNCATED], 1);
	vr_buf_reset(&resp->body);
	resp->status = status;
	resp->content_type = vr_media_type(req->out_format, 1);
	if (oom == -1 || vr_encode_record(req->out_format,
	    &vr_problem_resource, rec, &resp->body) != VR_OK) {
		vr_buf_reset(&resp->body);
		resp->status = 500;
		resp->content_type = "text/plain; charset=utf-8";
		vr_buf_puts(&resp->body, "out of memory\n");
	}
	for (i = 0; i < PF__MAX; i++)
		vr_value_free(&vr_problem_resource.fields[i], &rec[i]);
	if (status >= 500)
		vr_log_error("request %s: %d %s: %s", req->request_id, status,
		    p->code, p->detail);
}

/* Finds the route; fills Allow when the path exists for other methods. */
static const vr_route_t *
route_find(vr_request_t *req, vr_response_t *resp)
{
	const vr_route_t	*r, *found = NULL;
	vr_buf_t		 allow = { 0 };
	size_t			 m;

	for (m = 0; found == NULL && vr_modules[m] != NULL; m++)
		for (r = vr_modules[m]->routes; r->method != NULL; r++) {
			if (r->vendor != req->vendor_area ||
			    !vr_route_match(r->pattern, req->path, req))
				continue;
			if (strcmp(r->method, req->method) == 0) {
				found = r;
				break;
			}
			vr_buf_printf(&allow, "%s%s", allow.len ? ", " : "",
			    r->method);
		}
	/* A match writes req's ids: the last one written is found's. */
	req->route = found;
	if (found == NULL && allow.len > 0) {
		vr_buf_printf(&resp->headers, "Allow: %s\r\n", allow.data);
		vr_fail(&req->problem, VR_E_METHOD, "method_not_allowed", NULL,
		    "this method is not allowed here; allowed: %s",
		    allow.data);
	} else if (found == NULL)
		vr_fail(&req->problem, VR_E_NOT_FOUND, "no_such_route", NULL,
		    "no resource at this path");
	vr_buf_free(&allow);
	return found;
}

/*
 * Runs a cached route's handler, or answers from vr_cache when no write
 * has committed since the same answer was made.  The version is read
 * before the handler's query, so a kept answer is never older than its
 * tag (a write committing in between makes it newer, which is harmless).
 * "X-Cache: hit|miss" tells clients and tests which it was.  A request
 * with "Cache-Control: no-cache" is answered fresh (and kept), as HTTP
 * has a client ask for it (the bench's list without the cache).
 */
static vr_err_e
run_cached(vr_request_t *req, vr_response_t *resp, vr_handler_fn handler)
{
	vr_buf_t	 key = { 0 };
	vr_data_version_t version;
	const char	*cc;
	vr_err_e	 e;
	bool		 hit;

	if (!vr_cache_enabled())
		return handler(req, resp);
	if ((e = vr_audit_version(req->db, &version, &req->problem)) != VR_OK)
		return e;
	if (vr_buf_puts(&key, vr_media_type(req->out_format, 0)) == -1 ||
	    vr_buf_append(&key, " ", 1) == -1 ||
	    vr_buf_puts(&key, req->path) == -1 ||
	    vr_buf_append(&key, "?", 1) == -1 ||
	    vr_buf_puts(&key, req->query) == -1) {
		vr_buf_free(&key);
		return handler(req, resp);
	}
	cc = req->param(req->param_ctx, "HTTP_CACHE_CONTROL");
	hit = (cc == NULL || strstr(cc, "no-cache") == NULL) &&
	    vr_cache_get(key.data, key.len, &version, resp);
	if (!hit && (e = handler(req, resp)) == VR_OK && resp->status == 200)
		vr_cache_put(key.data, key.len, &version, resp);
	if (e == VR_OK && vr_buf_puts(&resp->headers, hit ?
	    "X-Cache: hit\r\n" : "X-Cache: miss\r\n") == -1)
		e = vr_fail(&req->problem, VR_E_INTERNAL, "out_of_memory",
		    NULL, "out of memory");
	vr_buf_free(&key);
	return e;
}

static vr_err_e
run(vr_request_t *req, vr_response_t *resp, int body_too_large)
{
	const vr_route_t	*route;
	const char		*accept;
	int			 fmt;
	vr_err_e		 e;

	accept = req->param(req->param_ctx, "HTTP_ACCEPT");
	fmt = vr_format_of_accept(accept);
	req->out_format = fmt < 0 ? VR_FMT_JSON : (vr_format_e)fmt;
	if ((route = route_find(req, resp)) == NULL)
		return req->problem.err;
	if (fmt < 0 && !route->raw)
		return vr_fail(&req->problem, VR_E_NOT_ACCEPTABLE,
		    "not_acceptable", NULL, "this API answers in "
		    "application/json or application/xml");
	if (route->roles != 0) {
		if ((e = vr_identity_of(req->cfg, req->param, req->param_ctx,
		    &req->user, &req->roles, &req->problem)) != VR_OK)
			return e;
		if ((req->roles & route->roles) == 0)
			return vr_fail(&req->problem, VR_E_FORBIDDEN,
			    "forbidden", NULL, "your roles do not allow %s "
			    "on this resource", req->method);
	}
	if (body_too_large)
		return vr_fail(&req->problem, VR_E_TOO_LARGE, "body_too_large",
		    NULL, "the request body is larger than %zu bytes",
		    req->cfg->max_body);
	if (route->cached)
		return run_cached(req, resp, route->handler);
	return route->handler(req, resp);
}

void
vr_http_handle(vr_request_t *req, vr_response_t *resp, int body_too_large)
{
	vr_problem_clear(&req->problem);
	req->out_format = VR_FMT_JSON;
	resp->status = 200;
	if (run(req, resp, body_too_large) != VR_OK) {
		if (req->problem.err == VR_OK)
			vr_fail(&req->problem, VR_E_INTERNAL, "internal", NULL,
			    "internal error");
		problem_response(req, resp);
	}
}

void
vr_response_free(vr_response_t *resp)
{
	vr_buf_free(&resp->headers);
	vr_buf_free(&resp->body);
}

vr_err_e
vr_http_read_record(vr_request_t *req, const vr_resource_t *res,
    vr_value_t *rec, vr_mode_e mode)
{
	int		 fmt;
	vr_err_e	 e;

	if (req->content_type == NULL ||
	    (fmt = vr_format_of_content_type(req->content_type)) < 0)
		return vr_fail(&req->problem, VR_E_MEDIA_TYPE,
		    "unsupported_media_type", NULL, "send the body as "
		    "application/json or application/xml (UTF-8)");
	if ((e = vr_decode((vr_format_e)fmt, res, req->body, req->body_len,
	    rec, &req->problem)) != VR_OK)
		return e;
	return vr_record_validate(res, rec, mode,
	    (req->roles & VR_ROLE_ADMIN) != 0, &req->problem);
}

vr_err_e
vr_http_send_record(vr_request_t *req, vr_response_t *resp, int status,
    const vr_resource_t *res, const vr_value_t *rec)
{
	resp->status = status;
	resp->content_type = vr_media_type(req->out_format, 0);
	if (vr_encode_record(req->out_format, res, rec, &resp->body) != VR_OK)
		return vr_fail(&req->problem, VR_E_INTERNAL, "out_of_memory",
		    NULL, "out of memory");
	return VR_OK;
}

vr_err_e
vr_http_send_list(vr_request_t *req, vr_response_t *resp,
    const vr_resource_t *res, const vr_list_t *l)
{
	resp->status = 200;
	resp->content_type = vr_media_type(req->out_format, 0);
	if (vr_encode_list(req->out_format, res, l, &resp->body) != VR_OK)
		return vr_fail(&req->problem, VR_E_INTERNAL, "out_of_memory",
		    NULL, "out of memory");
	return VR_OK;
}

vr_err_e
vr_http_query_int(vr_request_t *req, const char *name, int64_t def,
    int64_t min, int64_t max, int64_t *out)
{
	char		*v, *end;
	long long	 n;
	vr_err_e	 e = VR_OK;

	if ((v = vr_query_get(req->query, name)) == NULL) {
		*out = def;
		return VR_OK;
	}
	errno = 0;
	n = strtoll(v, &end, 10);
	if (v[0] == '\0' || !isdigit((unsigned char)v[v[0] == '-']) ||
	    *end != '\0' || errno != 0 || n < min || n > max)
		e = vr_fail(&req->problem, VR_E_MALFORMED, "invalid_parameter",
		    name, "%s must be an integer from %" PRId64 " to %" PRId64,
		    name, min, max);
	else
		*out = n;
	free(v);
	return e;
}

const vr_field_t vr_http_list_limit = {
	.name = "limit", .type = VR_T_INT, .min = 1, .max = 200, .dflt = "50",
	.doc = "Records per page (default 50).",
};

vr_err_e
vr_http_query_declared(vr_request_t *req, const vr_field_t *f, int64_t *out)
{
	return vr_http_query_int(req, f->name, f->dflt != NULL ?
	    strtoll(f->dflt, NULL, 10) : 0, f->min, f->max, out);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/*
 * Percent-decodes s[0..len) ('+' is a space).  A malformed escape, or
 * one for NUL, is kept as it is; the value's own validation refuses it.
 */
static char *
url_decode(const char *s, size_t len)
{
	char	*out, *o;
	size_t	 i;
	int	 h, l;

	if ((o = out = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (s[i] == '+')
			*o++ = ' ';
		else if (s[i] == '%' && i + 2 < len &&
		    (h = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (l = hexval((unsigned char)s[i + 2])) >= 0 &&
		    h * 16 + l != 0) {
			*o++ = (char)(h * 16 + l);
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/* Whether name is in own or declared. */
static bool
known_param(const char *const *own, const vr_field_t *declared,
    const char *name)
{
	const char *const	*n;
	const vr_field_t	*f;

	for (n = own; n != NULL && *n != NULL; n++)
		if (strcmp(*n, name) == 0)
			return true;
	for (f = declared; f != NULL && f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return true;
	return false;
}

vr_err_e
vr_http_query_known(vr_request_t *req, const char *const *own,
    const vr_field_t *declared)
{
	const char *const	*n;
	const vr_field_t	*f;
	const char		*p = req->query, *amp, *eq;
	char			*name;
	vr_buf_t		 names = { 0 };
	size_t			 len;
	vr_err_e		 e = VR_OK;

	for (; p != NULL && *p != '\0' && e == VR_OK; p = amp ? amp + 1 : NULL) {
		amp = strchr(p, '&');
		len = amp ? (size_t)(amp - p) : strlen(p);
		eq = memchr(p, '=', len);
		if ((eq ? (size_t)(eq - p) : len) == 0)
			continue;
		if ((name = url_decode(p, eq ? (size_t)(eq - p) : len)) == NULL) {
			e = vr_fail_oom(&req->problem);
			break;
		}
		if (!known_param(own, declared, name)) {
			for (n = own; n != NULL && *n != NULL; n++)
				vr_buf_printf(&names, "%s%s", names.len ? ", " :
				    "", *n);
			for (f = declared; f != NULL && f->name != NULL; f++)
				vr_buf_printf(&names, "%s%s", names.len ? ", " :
				    "", f->name);
			e = vr_fail(&req->problem, VR_E_MALFORMED,
			    "unknown_parameter", name, "unknown query parameter "
			    "%s: this takes %s", name, names.len ? names.data :
			    "none");
		}
		free(name);
	}
	vr_buf_free(&names);
	return e;
}

char *
vr_query_get(const char *query, const char *name)
{
	const char	*p = query, *amp, *eq;
	size_t		 nlen = strlen(name);

	while (p != NULL && *p != '\0') {
		amp = strchr(p, '&');
		eq = memchr(p, '=', amp ? (size_t)(amp - p) : strlen(p));
		if (eq != NULL && (size_t)(eq - p) == nlen &&
		    strncmp(p, name, nlen) == 0)
			return url_decode(eq + 1, amp ? (size_t)(amp - eq - 1) :
			    strlen(eq + 1));
		p = amp ? amp + 1 : NULL;
	}
	return NULL;
}
