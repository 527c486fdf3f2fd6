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

#include "../domain/vr_case.h"
#include "../domain/vr_write.h"
#include "../model/vr_model.h"
#include "../workflow/vr_workflow.h"
#include "vr_resources.h"


static vr_err_e
write_record(vr_request_t *req, vr_response_t *resp, vr_mode_e mode)
{
	const vr_store_t	*st = req->route->store;
	const vr_actor_t	 who = vr_request_actor(req);
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

/* Whether s fits field f: an enum member, a decimal integer, a text. */
static bool
filter_value_ok(const vr_field_t *f, const char *s)
{
	const char *const	*v;
	char			*end;
	long long		 n;
	size_t			 len = strlen(s);

	switch (f->type) {
	case VR_T_ENUM:
		for (v = f->enum_values; *v; v++)
			if (strcmp(*v, s) == 0)
				return true;
		return false;
	case VR_T_INT:
	case VR_T_BOOL:
		errno = 0;
		n = strtoll(s, &end, 10);
		return isdigit((unsigned char)s[s[0] == '-']) && *end == '\0' &&
		    errno == 0 && n >= f->min && n <= f->max;
	default:
		return vr_utf8_valid(s, len) && (f->max_chars == 0 ||
		    vr_utf8_chars(s, len) <= f->max_chars);
	}
}

/*
 * A filter's value must fit its field; a multi filter's value is a
 * comma-separated list of such values.
 */
static vr_err_e
filter_param(vr_request_t *req, const vr_filter_t *flt, const vr_field_t *f,
    char **out)
{
	char	*copy, *part, *save = NULL, names[160];
	bool	 ok = true;

	if ((*out = vr_query_get(req->query, flt->param)) == NULL)
		return VR_OK;
	if (flt->condition != NULL) {
		/* true selects; false is the same as leaving it out. */
		if (strcmp(*out, "true") == 0)
			return VR_OK;
		if (strcmp(*out, "false") == 0) {
			free(*out);
			*out = NULL;
			return VR_OK;
		}
		ok = false;
	} else if (f->type == VR_T_BOOL && (strcmp(*out, "true") == 0 ||
	    strcmp(*out, "false") == 0)) {
		/* As the JSON spells it; the column holds 1 or 0. */
		(*out)[0] = (*out)[0] == 't' ? '1' : '0';
		(*out)[1] = '\0';
	} else if (!flt->multi)
		ok = filter_value_ok(f, *out);
	else if ((copy = strdup(*out)) == NULL)
		return vr_fail_oom(&req->problem);
	else {
		for (part = strtok_r(copy, ",", &save); part != NULL && ok;
		    part = strtok_r(NULL, ",", &save))
			ok = filter_value_ok(f, part);
		free(copy);
	}
	if (ok)
		return VR_OK;
	if (f->type == VR_T_ENUM && flt->condition == NULL) {
		vr_enum_names(f->enum_values, names, sizeof(names));
		return vr_fail(&req->problem, VR_E_MALFORMED,
		    "invalid_parameter", flt->param, "%s is one of %s%s",
		    flt->param, names, flt->multi ? " (a comma list)" : "");
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

void
vr_crud_query_free(vr_crud_query_t *cq)
{
	size_t	 i;

	for (i = 0; i < VR_STORE_MAX_FILTERS; i++)
		free(cq->filters[i]);
	free(cq->q);
	free(cq->sort);
	free(cq->cursor);
	memset(cq, 0, sizeof(*cq));
}

/* limit, sort, cursor, the search and the filters: a list's own. */
static vr_err_e
list_params_known(vr_request_t *req, const vr_store_t *st,
    const vr_field_t *extra)
{
	const char		*own[VR_STORE_MAX_FILTERS + 5] = {
				    "limit", "sort", "cursor" };
	size_t			 n = 3, i;

	if (st->search != NULL)
		own[n++] = st->search->param;
	for (i = 0; i < st->nfilters; i++)
		own[n++] = st->filters[i].param;
	own[n] = NULL;
	return vr_http_query_known(req, own, extra);
}

vr_err_e
vr_crud_query(vr_request_t *req, const vr_store_t *st,
    const vr_field_t *extra, vr_crud_query_t *cq)
{
	const vr_search_t	*se = st->search;
	vr_store_query_t	*f = &cq->q_;
	size_t			 i;
	vr_err_e		 e;

	memset(cq, 0, sizeof(*cq));
	if ((e = list_params_known(req, st, extra)) != VR_OK)
		return e;
	for (i = 0; i < st->nfilters && e == VR_OK; i++)
		e = filter_param(req, &st->filters[i],
		    &st->res->fields[st->filters[i].field], &cq->filters[i]);
	if (e != VR_OK || (e = vr_http_query_declared(req,
	    &vr_http_list_limit, &f->limit)) != VR_OK)
		return e;
	if ((cq->sort = vr_query_get(req->query, "sort")) != NULL &&
	    (f->sort = vr_store_sort_of(st, cq->sort)) < 0)
		return bad_sort(req, st);
	if (se != NULL && (cq->q = vr_query_get(req->query,
	    se->param)) != NULL && (!vr_utf8_valid(cq->q, strlen(cq->q)) ||
	    vr_utf8_chars(cq->q, strlen(cq->q)) > se->max_chars))
		return vr_fail(&req->problem, VR_E_MALFORMED,
		    "invalid_parameter", se->param, "%s must be UTF-8 of at "
		    "most %zu characters", se->param, se->max_chars);
	if (cq->q != NULL && se->fold != NULL)
		se->fold(cq->q);
	cq->cursor = vr_query_get(req->query, "cursor");
	for (i = 0; i < st->nfilters; i++)
		f->filters[i] = cq->filters[i];
	f->q = (cq->q != NULL && cq->q[0] != '\0') ? cq->q : NULL;
	f->cursor = cq->cursor;
	return VR_OK;
}

vr_err_e
vr_crud_list(vr_request_t *req, vr_response_t *resp)
{
	const vr_store_t	*st = req->route->store;
	vr_crud_query_t		 cq;
	vr_list_t		 l = { 0 };
	vr_err_e		 e;

	if ((e = vr_crud_query(req, st, req->route->params, &cq)) == VR_OK &&
	    (e = vr_store_list(req->db, st, &cq.q_, &l,
	    &req->problem)) == VR_OK)
		e = vr_http_send_list(req, resp, st->res, &l);
	vr_list_free(st->res, &l);
	vr_crud_query_free(&cq);
	return e;
}

/* The index of the store's filter on field, or -1. */
static int
filter_on(const vr_store_t *st, int field)
{
	size_t	 i;

	for (i = 0; i < st->nfilters; i++)
		if (st->filters[i].condition == NULL &&
		    st->filters[i].field == field)
			return (int)i;
	return -1;
}

/* Keeps only the records of l in which who may fire something now. */
static vr_err_e
keep_waiting(vr_request_t *req, const vr_case_type_t *type, vr_list_t *l)
{
	const vr_actor_t	 who = vr_request_actor(req);
	vr_value_t		 actions[AL__MAX];
	size_t			 k, kept = 0;
	vr_err_e		 e = VR_OK;

	for (k = 0; k < l->n; k++) {
		memset(actions, 0, sizeof(actions));
		if (e == VR_OK)
			e = vr_case_actions(req->db, type, &who, l->items[k],
			    NULL, 0, actions, &req->problem);
		if (e == VR_OK && actions[AL_ACTIONS].n > 0)
			l->items[kept++] = l->items[k];
		else
			vr_record_free(type->store->res, l->items[k]);
		vr_value_free(&vr_actions_resource.fields[AL_ACTIONS],
		    &actions[AL_ACTIONS]);
	}
	l->n = kept;
	return e;
}

const vr_field_t vr_crud_waiting_param[] = {
	{ .name = "waiting_for", .type = VR_T_ENUM,
	    .enum_values = (const char *const[]){ "me", NULL },
	    .doc = "me: only the cases where you may fire a transition now." },
	{ .name = NULL }
};

const char *const vr_crud_transition_problems[] = {
	"400 unknown_action", "409 not_in_this_state", "422 guard_failed",
	"422 comment_required", "422 segregation_of_duties", NULL
};

vr_err_e
vr_crud_case_list(vr_request_t *req, vr_response_t *resp,
    const vr_case_type_t *type)
{
	const vr_store_t	*st = type->store;
	vr_crud_query_t		 cq;
	vr_list_t		 l = { 0 };
	char			*waiting, states[512];
	int			 kf, sf;
	vr_err_e		 e;

	waiting = vr_query_get(req->query, "waiting_for");
	if (waiting != NULL && strcmp(waiting, "me") != 0) {
		free(waiting);
		return vr_fail(&req->problem, VR_E_MALFORMED,
		    "invalid_parameter", "waiting_for", "waiting_for takes "
		    "only me");
	}
	if ((e = vr_crud_query(req, st, req->route->params, &cq)) != VR_OK)
		goto out;
	if (waiting != NULL) {
		kf = type->kind_field >= 0 ? filter_on(st, type->kind_field) : -1;
		if ((sf = filter_on(st, type->state_field)) < 0) {
			e = vr_fail(&req->problem, VR_E_INTERNAL, "internal",
			    NULL, "%s has no state filter", st->res->name);
			goto out;
		}
		vr_case_waiting_states(type, kf >= 0 ? cq.q_.filters[kf] :
		    NULL, req->roles, states, sizeof(states));
		if (cq.q_.filters[sf] == NULL)
			cq.q_.filters[sf] = states[0] != '\0' ? states : "-";
	}
	if ((e = vr_store_list(req->db, st, &cq.q_, &l,
	    &req->problem)) == VR_OK && (waiting == NULL ||
	    (e = keep_waiting(req, type, &l)) == VR_OK))
		e = vr_http_send_list(req, resp, st->res, &l);
out:
	vr_list_free(st->res, &l);
	vr_crud_query_free(&cq);
	free(waiting);
	return e;
}

vr_err_e
vr_crud_actions(vr_request_t *req, vr_response_t *resp,
    const vr_case_type_t *type)
{
	const vr_store_t	*st = req->route->store;
	const vr_actor_t	 who = vr_request_actor(req);
	vr_value_t		*rec, actions[AL__MAX];
	vr_err_e		 e;

	memset(actions, 0, sizeof(actions));
	if ((rec = vr_record_new(st->res)) == NULL)
		return vr_fail_oom(&req->problem);
	if ((e = vr_store_get_row(req->db, st, req->id, false, rec,
	    &req->problem)) == VR_OK &&
	    (e = vr_case_actions(req->db, type, &who, rec, NULL, 0, actions,
	    &req->problem)) == VR_OK)
		e = vr_http_send_record(req, resp, 200, &vr_actions_resource,
		    actions);
	vr_value_free(&vr_actions_resource.fields[AL_ACTIONS],
	    &actions[AL_ACTIONS]);
	vr_record_free(st->res, rec);
	return e;
}

vr_err_e
vr_crud_transition(vr_request_t *req, vr_response_t *resp,
    const vr_case_type_t *type)
{
	const vr_resource_t	*r = req->route->store->res;
	const vr_actor_t	 who = vr_request_actor(req);
	vr_value_t		*in, *out = NULL;
	vr_err_e		 e;

	if ((in = vr_record_new(&vr_transition_resource)) == NULL)
		return vr_fail_oom(&req->problem);
	if ((e = vr_http_read_record(req, &vr_transition_resource, in,
	    VR_MODE_CREATE)) == VR_OK &&
	    (e = vr_case_fire(req->db, type, &who, req->id, in[TRF_ACTION].s,
	    in[TRF_VERSION].i, in[TRF_COMMENT].present &&
	    !in[TRF_COMMENT].null ? in[TRF_COMMENT].s : NULL, NULL, 0, &out,
	    &req->problem)) == VR_OK)
		e = vr_http_send_record(req, resp, 200, r, out);
	vr_record_free(&vr_transition_resource, in);
	vr_record_free(r, out);
	return e;
}
