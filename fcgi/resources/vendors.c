/*
 * Vendors (委託先): the companies we hand data to, served by the generic
 * handlers.  Fields in model/vendor.c; rules, listing and search index
 * in domain/vr_vendor.c.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../codec/vr_table_file.h"
#include "../domain/vr_register.h"
#include "../domain/vr_vendor.h"
#include "../model/vr_model.h"
#include "vr_resources.h"

#define ROLE_WRITE_VENDOR	(VR_ROLE_REQUESTER | VR_ROLE_ADMIN)
#define REGISTER_PAGE		200
#define REGISTER_MAX_PAGES	500	/* 100000 vendors */

/* Every page of the list cq asks for, into pages (the caller frees). */
static vr_err_e
all_pages(vr_request_t *req, vr_crud_query_t *cq, vr_list_t *pages,
    size_t *npages)
{
	const vr_store_t	*st = req->route->store;
	vr_err_e		 e = VR_OK;

	cq->q_.limit = REGISTER_PAGE;
	cq->q_.cursor = NULL;
	for (*npages = 0; e == VR_OK && *npages < REGISTER_MAX_PAGES;) {
		memset(&pages[*npages], 0, sizeof(pages[*npages]));
		e = vr_store_list(req->db, st, &cq->q_, &pages[*npages],
		    &req->problem);
		cq->q_.cursor = pages[(*npages)++].next_cursor;
		if (cq->q_.cursor == NULL)
			break;
	}
	if (e == VR_OK && cq->q_.cursor != NULL)
		e = vr_fail(&req->problem, VR_E_TOO_LARGE, "too_large", NULL,
		    "the register holds more than %d vendors: narrow it with "
		    "the list's filters", REGISTER_PAGE * REGISTER_MAX_PAGES);
	return e;
}

static const vr_field_t format_param[] = {
	{ .name = "format", .type = VR_T_ENUM,
	    .enum_values = (const char *const[]){ "xlsx", "csv", NULL },
	    .doc = "The register as a file instead of a page." },
	{ .name = NULL }
};

/*
 * GET /vendors?format=xlsx|csv: the whole register (委託先一覧) as a
 * file, the vendors the list would give (its filters, search and order),
 * every page of them.
 */
static vr_err_e
register_file(vr_request_t *req, vr_response_t *resp, const char *format)
{
	vr_crud_query_t	 cq;
	vr_list_t	*pages = NULL;
	vr_value_t	**rows = NULL;
	size_t		 npages = 0, n = 0, i, k;
	bool		 xlsx = strcmp(format, "xlsx") == 0;
	char		 day[16];
	time_t		 now = time(NULL);
	struct tm	 tm;
	vr_err_e	 e;

	if (!xlsx && strcmp(format, "csv") != 0)
		return vr_fail(&req->problem, VR_E_MALFORMED,
		    "invalid_parameter", "format", "format is xlsx or csv "
		    "(or none, for JSON or XML by Accept)");
	if ((e = vr_crud_query(req, req->route->store, req->route->params,
	    &cq)) != VR_OK)
		goto out;
	if ((pages = calloc(REGISTER_MAX_PAGES, sizeof(*pages))) == NULL) {
		e = vr_fail_oom(&req->problem);
		goto out;
	}
	if ((e = all_pages(req, &cq, pages, &npages)) != VR_OK)
		goto out;
	for (i = 0; i < npages; i++)
		n += pages[i].n;
	if ((rows = calloc(n + 1, sizeof(*rows))) == NULL) {
		e = vr_fail_oom(&req->problem);
		goto out;
	}
	for (i = 0, n = 0; i < npages; i++)
		for (k = 0; k < pages[i].n; k++)
			rows[n++] = pages[i].items[k];
	if ((e = vr_register_file(req->db, rows, n, xlsx, &resp->body,
	    &req->problem)) != VR_OK)
		goto out;
	gmtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	resp->status = 200;
	resp->content_type = xlsx ? VR_XLSX_MEDIA_TYPE : VR_CSV_MEDIA_TYPE;
	if (vr_buf_printf(&resp->headers, "Content-Disposition: attachment; "
	    "filename=\"vendors-%s.%s\"\r\n", day, format) == -1)
		e = vr_fail_oom(&req->problem);
out:
	free(rows);
	for (i = 0; pages != NULL && i < npages; i++)
		vr_list_free(&vr_vendor_resource, &pages[i]);
	free(pages);
	vr_crud_query_free(&cq);
	return e;
}

/* GET /vendors: the list (JSON or XML), or the register as a file. */
static vr_err_e
vendors_list(vr_request_t *req, vr_response_t *resp)
{
	char		*format = vr_query_get(req->query, "format");
	vr_err_e	 e;

	if (format == NULL)
		return vr_crud_list(req, resp);
	e = register_file(req, resp, format);
	free(format);
	return e;
}

static const char *const vendor_problems[] = {
	"409 duplicate_corporate_number", "422 approval_by_workflow", NULL
};

static const vr_route_t routes[] = {
	{ .method = "GET", .pattern = "/vendors", .handler = vendors_list,
	    .roles = VR_ROLE_ANY, .cached = true, .store = &vr_vendor_store,
	    .summary = "The vendors (委託先), filtered and searched; with "
	    "format=xlsx or csv the register as a file",
	    .out = &vr_vendor_resource, .list = true, .params = format_param,
	    .media = (const char *const[]){ VR_XLSX_MEDIA_TYPE, VR_CSV_MEDIA_TYPE, NULL },
	    .problems = (const char *const[]){ "413 too_large", NULL } },
	{ .method = "POST", .pattern = "/vendors", .handler = vr_crud_create,
	    .roles = ROLE_WRITE_VENDOR, .store = &vr_vendor_store,
	    .summary = "Registers a vendor", .in = &vr_vendor_resource,
	    .out = &vr_vendor_resource, .status = 201,
	    .problems = vendor_problems },
	{ .method = "GET", .pattern = "/vendors/{id}", .handler = vr_crud_get,
	    .roles = VR_ROLE_ANY, .store = &vr_vendor_store,
	    .summary = "One vendor", .out = &vr_vendor_resource },
	{ .method = "PATCH", .pattern = "/vendors/{id}",
	    .handler = vr_crud_patch, .roles = ROLE_WRITE_VENDOR,
	    .store = &vr_vendor_store, .summary = "Changes a vendor (send the "
	    "version you read)", .in = &vr_vendor_resource,
	    .out = &vr_vendor_resource, .problems = vendor_problems },
	{ .method = NULL }
};

const vr_module_t vr_vendors_module = { &vr_vendor_store, routes, NULL };
