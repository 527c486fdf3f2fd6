/*
 * The generic handlers of a stored resource: create, read, patch and list
 * any resource through the store its route names.  Handlers take and
 * return records; the codecs, the validator, vr_write and the store do
 * the rest.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/vr_write.h"
#include "vr_resources.h"

#define LIST_LIMIT_DEFAULT	50
#define LIST_LIMIT_MAX		200

static vr_err_e
write_record(vr_request_t *req, vr_response_t *resp, vr_mode_e mode)
{
	const vr_store_t	*st = req->route->store;
	const vr_actor_t	 who = { req->user, req->request_id };
	vr_value_t		*input, *result = NULL;
	vr_err_e		 e;

	if ((input = vr_record_new(st->res)) == NULL)
		return vr_fail_oom(&req->problem);
	if ((e = vr_http_read_record(req, st->res, input, mode)) != VR_OK)
		goto out;
	e = mode == VR_MODE_CREATE ?
	    vr_write_create(req->db, st, &who, input, &result, &req->problem) :
	    vr_write_patch(req->db, st, &who, req->id, input, &result,
	    &req->problem);
	if (e != VR_OK)
		goto out;
	if (mode == VR_MODE_CREATE &&
	    vr_buf_printf(&resp->headers, "Location: %s%s/%" PRId64 "\r\n",
	    req->cfg->base_path, st->path,
	    result[st->sql->id_field].i) == -1) {
		e = vr_fail_oom(&req->problem);
		goto out;
	}
	e = vr_http_send_record(req, resp, mode == VR_MODE_CREATE ? 201 : 200,
	    st->res, result);
out:
	vr_record_free(st->res, input);
	vr_record_free(st->res, result);
	return e;
}

vr_err_e
vr_crud_create(vr_request_t *req, vr_response_t *resp)
{
	return write_record(req, resp, VR_MODE_CREATE);
}

vr_err_e
vr_crud_patch(vr_request_t *req, vr_response_t *resp)
{
	return write_record(req, resp, VR_MODE_UPDATE);
}

vr_err_e
vr_crud_get(vr_request_t *req, vr_response_t *resp)
{
	const vr_store_t	*st = req->route->store;
	vr_value_t		*rec;
	vr_err_e		 e;

	if ((rec = vr_record_new(st->res)) == NULL)
		return vr_fail_oom(&req->problem);
	if ((e = vr_store_get(req->db, st, req->id, false, rec,
	    &req->problem)) == VR_OK)
		e = vr_http_send_record(req, resp, 200, st->res, rec);
	vr_record_free(st->res, rec);
	return e;
}

/*
 * A filter value must fit its field: an enum member, a decimal integer,
 * or UTF-8 text within the field's length.
 */
static vr_err_e
filter_param(vr_request_t *req, const vr_filter_t *flt, const vr_field_t *f,
    char **out)
{
	const char *const	*v;
	char			*end;
	long long		 n;
	size_t			 len;

	if ((*out = vr_query_get(req->query, flt->param)) == NULL)
		return VR_OK;
	len = strlen(*out);
	switch (f->type) {
	case VR_T_ENUM:
		for (v = f->enum_values; *v; v++)
			if (strcmp(*v, *out) == 0)
				return VR_OK;
		break;
	case VR_T_INT:
	case VR_T_BOOL:
		errno = 0;
		n = strtoll(*out, &end, 10);
		if (isdigit((unsigned char)(*out)[(*out)[0] == '-']) &&
		    *end == '\0' && errno == 0 && n >= f->min && n <= f->max)
			return VR_OK;
		break;
	default:
		if (vr_utf8_valid(*out, len) && (f->max_chars == 0 ||
		    vr_utf8_chars(*out, len) <= f->max_chars))
			return VR_OK;
		break;
	}
	return vr_fail(&req->problem, VR_E_MALFORMED, "invalid_parameter",
	    flt->param, "%s is not one of the allowed values", flt->param);
}

/* "sort is one of id, name, updated_at, with - for descending". */
static vr_err_e
bad_sort(vr_request_t *req, const vr_store_t *st)
{
	char	 names[160];
	size_t	 i, used = 0;
	int	 n;

	names[0] = '\0';
	for (i = 0; i < st->nsorts; i++) {
		if (st->sorts[i].name[0] == '-')
			continue;
		n = snprintf(names + used, sizeof(names) - used, "%s%s",
		    used ? ", " : "", st->sorts[i].name);
		if (n < 0 || (size_t)n >= sizeof(names) - used)
			break;
		used += (size_t)n;
	}
	return vr_fail(&req->problem, VR_E_MALFORMED, "invalid_parameter",
	    "sort", "sort is one of %s, with - for descending", names);
}

vr_err_e
vr_crud_list(vr_request_t *req, vr_response_t *resp)
{
	const vr_store_t	*st = req->route->store;
	const vr_search_t	*se = st->search;
	vr_store_query_t	 f;
	vr_list_t		 l = { 0 };
	char			*filters[VR_STORE_MAX_FILTERS] = { NULL },
				*q = NULL, *sort = NULL, *cursor = NULL;
	size_t			 i;
	vr_err_e		 e = VR_OK;

	memset(&f, 0, sizeof(f));
	for (i = 0; i < st->nfilters && e == VR_OK; i++)
		e = filter_param(req, &st->filters[i],
		    &st->res->fields[st->filters[i].field], &filters[i]);
	if (e != VR_OK || (e = vr_http_query_int(req, "limit",
	    LIST_LIMIT_DEFAULT, 1, LIST_LIMIT_MAX, &f.limit)) != VR_OK)
		goto out;
	if ((sort = vr_query_get(req->query, "sort")) != NULL &&
	    (f.sort = vr_store_sort_of(st, sort)) < 0) {
		e = bad_sort(req, st);
		goto out;
	}
	if (se != NULL && (q = vr_query_get(req->query, se->param)) != NULL &&
	    (!vr_utf8_valid(q, strlen(q)) ||
	    vr_utf8_chars(q, strlen(q)) > se->max_chars)) {
		e = vr_fail(&req->problem, VR_E_MALFORMED, "invalid_parameter",
		    se->param, "%s must be UTF-8 of at most %zu characters",
		    se->param, se->max_chars);
		goto out;
	}
	cursor = vr_query_get(req->query, "cursor");
	for (i = 0; i < st->nfilters; i++)
		f.filters[i] = filters[i];
	f.q = (q != NULL && q[0] != '\0') ? q : NULL;
	f.cursor = cursor;
	if ((e = vr_store_list(req->db, st, &f, &l, &req->problem)) == VR_OK)
		e = vr_http_send_list(req, resp, st->res, &l);
out:
	vr_list_free(st->res, &l);
	for (i = 0; i < st->nfilters; i++)
		free(filters[i]);
	free(q);
	free(sort);
	free(cursor);
	return e;
}
