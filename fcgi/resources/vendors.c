/*
 * Vendors: register, read, change and list the companies we hand data to.
 * Handlers take and return records; the codecs, the validator and the
 * vendor store do the rest.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/vr_audit.h"
#include "../db/vr_vendor_store.h"
#include "../domain/vr_vendor.h"
#include "../model/vr_model.h"
#include "vr_resources.h"

#define LIST_LIMIT_DEFAULT	50
#define LIST_LIMIT_MAX		200
#define QUERY_MAX_CHARS		200

struct write_ctx {
	vr_request_t	*req;
	vr_value_t	*input;		/* validated client record */
	vr_value_t	*result;	/* the vendor as committed */
};

/* The transaction time as the ISO form records carry. */
static void
iso_time(const char *sql_time, char out[32])
{
	size_t	 n;

	n = (size_t)snprintf(out, 32, "%sZ", sql_time);
	if (n > 10 && out[10] == ' ')
		out[10] = 'T';
}

static vr_err_e
canonical(const vr_value_t *rec, char **out, vr_problem_t *p)
{
	vr_buf_t	 b = { 0 };

	if (vr_json_encode_record(&vr_vendor_resource, rec, &b) != VR_OK) {
		vr_buf_free(&b);
		return vr_fail(p, VR_E_INTERNAL, "out_of_memory", NULL,
		    "out of memory");
	}
	*out = vr_buf_take(&b);
	return VR_OK;
}

static vr_err_e
create_body(vr_db_t *db, void *arg, vr_change_t *c, vr_problem_t *p)
{
	struct write_ctx	*w = arg;
	char			 now[32];
	vr_err_e		 e;

	vr_record_free(&vr_vendor_resource, w->result);
	if ((w->result = vr_record_dup(&vr_vendor_resource,
	    w->input)) == NULL)
		return vr_fail(p, VR_E_INTERNAL, "out_of_memory", NULL,
		    "out of memory");
	iso_time(c->at, now);
	if (vr_vendor_prepare_new(w->result, w->req->user, now) == -1)
		return vr_fail(p, VR_E_INTERNAL, "out_of_memory", NULL,
		    "out of memory");
	if ((e = vr_vendor_insert(db, w->result, p)) != VR_OK)
		return e;
	c->entity_id = w->result[VF_ID].i;
	/* The after-image and the answer are the row as stored. */
	vr_record_free(&vr_vendor_resource, w->result);
	if ((w->result = vr_record_new(&vr_vendor_resource)) == NULL)
		return vr_fail(p, VR_E_INTERNAL, "out_of_memory", NULL,
		    "out of memory");
	if ((e = vr_vendor_get(db, c->entity_id, false, w->result,
	    p)) != VR_OK)
		return e;
	c->action = "vendor.created";
	c->entity = "vendor";
	return canonical(w->result, &c->after, p);
}

/*
 * Reads the body as a vendor in mode, runs body in a write transaction
 * (with its audit row and event), answers the vendor as committed.
 */
static vr_err_e
vendor_write(vr_request_t *req, vr_response_t *resp, vr_mode_e mode,
    vr_write_fn body)
{
	struct write_ctx	 w = { req, NULL, NULL };
	vr_err_e		 e;

	if ((w.input = vr_record_new(&vr_vendor_resource)) == NULL)
		return vr_fail(&req->problem, VR_E_INTERNAL, "out_of_memory",
		    NULL, "out of memory");
	if ((e = vr_http_read_record(req, &vr_vendor_resource, w.input,
	    mode)) != VR_OK)
		goto out;
	if ((e = vr_audit_write(req->db, req->user, req->request_id,
	    body, &w, &req->problem)) != VR_OK)
		goto out;
	if (mode == VR_MODE_CREATE)
		vr_buf_printf(&resp->headers, "Location: %s/vendors/%" PRId64
		    "\r\n", req->cfg->base_path, w.result[VF_ID].i);
	e = vr_http_send_record(req, resp, mode == VR_MODE_CREATE ? 201 : 200,
	    &vr_vendor_resource, w.result);
out:
	vr_record_free(&vr_vendor_resource, w.input);
	vr_record_free(&vr_vendor_resource, w.result);
	return e;
}

vr_err_e
vr_vendors_create(vr_request_t *req, vr_response_t *resp)
{
	return vendor_write(req, resp, VR_MODE_CREATE, create_body);
}

vr_err_e
vr_vendors_get(vr_request_t *req, vr_response_t *resp)
{
	vr_value_t	*rec;
	vr_err_e	 e;

	if ((rec = vr_record_new(&vr_vendor_resource)) == NULL)
		return vr_fail(&req->problem, VR_E_INTERNAL, "out_of_memory",
		    NULL, "out of memory");
	if ((e = vr_vendor_get(req->db, req->id, false, rec,
	    &req->problem)) == VR_OK)
		e = vr_http_send_record(req, resp, 200, &vr_vendor_resource,
		    rec);
	vr_record_free(&vr_vendor_resource, rec);
	return e;
}

static vr_err_e
patch_body(vr_db_t *db, void *arg, vr_change_t *c, vr_problem_t *p)
{
	struct write_ctx	*w = arg;
	int64_t			 seen = w->input[VF_VERSION].i;
	vr_value_t		*before = NULL;
	char			 now[32];
	vr_err_e		 e;

	vr_record_free(&vr_vendor_resource, w->result);
	if ((w->result = vr_record_new(&vr_vendor_resource)) == NULL)
		return vr_fail(p, VR_E_INTERNAL, "out_of_memory", NULL,
		    "out of memory");
	if ((e = vr_vendor_get(db, w->req->id, true, w->result, p)) != VR_OK)
		return e;
	if (w->result[VF_VERSION].i != seen)
		return vr_fail(p, VR_E_CONFLICT, "stale_version", "version",
		    "vendor %" PRId64 " is at version %" PRId64 ", not %"
		    PRId64 ": reload it and apply your change again",
		    w->req->id, w->result[VF_VERSION].i, seen);
	if ((e = canonical(w->result, &c->before, p)) != VR_OK)
		return e;
	if ((before = vr_record_dup(&vr_vendor_resource, w->result)) == NULL)
		return vr_fail(p, VR_E_INTERNAL, "out_of_memory", NULL,
		    "out of memory");
	iso_time(c->at, now);
	if (vr_vendor_apply_patch(w->result, w->input, w->req->user,
	    now) == -1)
		e = vr_fail(p, VR_E_INTERNAL, "out_of_memory", NULL,
		    "out of memory");
	else
		e = vr_vendor_update(db, before, w->result, p);
	vr_record_free(&vr_vendor_resource, before);
	if (e != VR_OK)
		return e;
	c->action = "vendor.updated";
	c->entity = "vendor";
	c->entity_id = w->req->id;
	return canonical(w->result, &c->after, p);
}

vr_err_e
vr_vendors_patch(vr_request_t *req, vr_response_t *resp)
{
	return vendor_write(req, resp, VR_MODE_UPDATE, patch_body);
}

/* A filter value must be one of the field's enum values. */
static vr_err_e
enum_param(vr_request_t *req, const char *name, int field, char **out)
{
	const char *const	*v;

	if ((*out = vr_query_get(req->query, name)) == NULL)
		return VR_OK;
	for (v = vr_vendor_resource.fields[field].enum_values; *v; v++)
		if (strcmp(*v, *out) == 0)
			return VR_OK;
	return vr_fail(&req->problem, VR_E_MALFORMED, "invalid_parameter",
	    name, "%s is not one of the allowed values", name);
}

vr_err_e
vr_vendors_list(vr_request_t *req, vr_response_t *resp)
{
	vr_vendor_filter_t	 f;
	vr_list_t		 l = { 0 };
	char			*status = NULL, *tier = NULL, *q = NULL,
				*sort = NULL, *cursor = NULL;
	int			 s = VR_SORT_ID;
	vr_err_e		 e;

	memset(&f, 0, sizeof(f));
	if ((e = enum_param(req, "status", VF_STATUS, &status)) != VR_OK ||
	    (e = enum_param(req, "tier", VF_TIER, &tier)) != VR_OK ||
	    (e = vr_http_query_int(req, "limit", LIST_LIMIT_DEFAULT, 1,
	    LIST_LIMIT_MAX, &f.limit)) != VR_OK)
		goto out;
	if ((sort = vr_query_get(req->query, "sort")) != NULL &&
	    (s = vr_vendor_sort_of(sort)) < 0) {
		e = vr_fail(&req->problem, VR_E_MALFORMED, "invalid_parameter",
		    "sort", "sort is one of id, name, updated_at, with - "
		    "for descending");
		goto out;
	}
	q = vr_query_get(req->query, "q");
	if (q != NULL && (!vr_utf8_valid(q, strlen(q)) ||
	    vr_utf8_chars(q, strlen(q)) > QUERY_MAX_CHARS)) {
		e = vr_fail(&req->problem, VR_E_MALFORMED, "invalid_parameter",
		    "q", "q must be UTF-8 of at most %d characters",
		    QUERY_MAX_CHARS);
		goto out;
	}
	cursor = vr_query_get(req->query, "cursor");
	f.status = status;
	f.tier = tier;
	f.q = (q != NULL && q[0] != '\0') ? q : NULL;
	f.sort = (vr_vendor_sort_e)s;
	f.cursor = cursor;
	if ((e = vr_vendor_list(req->db, &f, &l, &req->problem)) == VR_OK)
		e = vr_http_send_list(req, resp, &vr_vendor_resource, &l);
out:
	vr_list_free(&vr_vendor_resource, &l);
	free(status);
	free(tier);
	free(q);
	free(sort);
	free(cursor);
	return e;
}
