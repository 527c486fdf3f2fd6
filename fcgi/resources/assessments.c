/*
 * Assessments (評価): start a case on a vendor, read and list cases, save
 * answers, the actions a user may take and firing one; and the vendor's
 * link (below vendor_base_path, no intranet login): read the sheet,
 * save answers, submit.  The rules are in domain/vr_assessment.c and the
 * manifest's workflows.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../codec/vr_sheet_file.h"
#include "../core/vr_log.h"
#include "../domain/vr_assessment.h"
#include "../domain/vr_vendor.h"
#include "../domain/vr_write.h"
#include "../model/vr_model.h"
#include "../workflow/vr_workflow.h"
#include "../domain/vr_case.h"
#include "../domain/vr_sheet_import.h"
#include "vr_resources.h"


/*
 * Sends a case with what it shows beyond its row (its questions when
 * asked: a new case's answer, ?include=questions), and a new link.
 */
static vr_err_e
send_case(vr_request_t *req, vr_response_t *resp, int status, vr_value_t *rec,
    bool questions, const char *token)
{
	char		 link[512];
	vr_err_e	 e;

	if ((e = vr_assessment_decorate(req->db, rec, questions,
	    &req->problem)) != VR_OK)
		return e;
	if (token != NULL && token[0] != '\0') {
		snprintf(link, sizeof(link), "%s/%s",
		    req->cfg->vendor_base_path, token);
		if (vr_value_set_text(&rec[AS_VENDOR_LINK], link,
		    strlen(link)) == -1)
			return vr_fail_oom(&req->problem);
		/* In the fragment: never sent to a server, nor in a Referer. */
		snprintf(link, sizeof(link), "%s/#%s",
		    req->cfg->vendor_page_path, token);
		if (vr_value_set_text(&rec[AS_VENDOR_PAGE], link,
		    strlen(link)) == -1)
			return vr_fail_oom(&req->problem);
	}
	return vr_http_send_record(req, resp, status, &vr_assessment_resource,
	    rec);
}

static vr_err_e
cases_create(vr_request_t *req, vr_response_t *resp)
{
	const vr_actor_t	 who = vr_request_actor(req);
	vr_value_t		*in, *out = NULL;
	vr_err_e		 e;

	if ((in = vr_record_new(&vr_assessment_resource)) == NULL)
		return vr_fail_oom(&req->problem);
	if ((e = vr_http_read_record(req, &vr_assessment_resource, in,
	    VR_MODE_CREATE)) == VR_OK &&
	    (e = vr_write_create(req->db, &vr_assessment_store, &who, in, &out,
	    &req->problem)) == VR_OK) {
		if (vr_buf_printf(&resp->headers, "Location: %s/assessments/%"
		    PRId64 "\r\n", req->cfg->base_path, out[AS_ID].i) == -1)
			e = vr_fail_oom(&req->problem);
		else
			e = send_case(req, resp, 201, out, true, NULL);
	}
	vr_record_free(&vr_assessment_resource, in);
	vr_record_free(&vr_assessment_resource, out);
	return e;
}

static vr_err_e
cases_get(vr_request_t *req, vr_response_t *resp)
{
	vr_value_t	*rec;
	char		*include;
	vr_err_e	 e;

	if ((rec = vr_record_new(&vr_assessment_resource)) == NULL)
		return vr_fail_oom(&req->problem);
	if ((e = vr_store_get(req->db, &vr_assessment_store, req->id, false,
	    rec, &req->problem)) == VR_OK) {
		include = vr_query_get(req->query, "include");
		e = send_case(req, resp, 200, rec, include != NULL &&
		    strcmp(include, "questions") == 0, NULL);
		free(include);
	}
	vr_record_free(&vr_assessment_resource, rec);
	return e;
}

/* GET /assessments (waiting_for=me: vr_crud_case_list). */
static vr_err_e
cases_list(vr_request_t *req, vr_response_t *resp)
{
	return vr_crud_case_list(req, resp, &vr_assessment_case);
}

/* Saves the answers of body into case id as who; answers the case. */
static vr_err_e
save_answers(vr_request_t *req, const vr_actor_t *who, int64_t id,
    vr_value_t **out)
{
	vr_value_t	*in;
	vr_err_e	 e;

	if ((in = vr_record_new(&vr_answers_resource)) == NULL)
		return vr_fail_oom(&req->problem);
	if ((e = vr_http_read_record(req, &vr_answers_resource, in,
	    VR_MODE_CREATE)) == VR_OK)
		e = vr_assessment_save_answers(req->db, who, id,
		    &in[ASF_ANSWERS], out, &req->problem);
	vr_record_free(&vr_answers_resource, in);
	return e;
}

/* A write on case id as who that leaves the case in *out. */
typedef vr_err_e (*case_write_fn)(vr_request_t *, const vr_actor_t *,
    int64_t id, vr_value_t **out);

/* The route's case written as the intranet user; answers the case. */
static vr_err_e
cases_write(vr_request_t *req, vr_response_t *resp, case_write_fn write)
{
	const vr_actor_t	 who = vr_request_actor(req);
	vr_value_t		*out = NULL;
	vr_err_e		 e;

	if ((e = write(req, &who, req->id, &out)) == VR_OK)
		e = send_case(req, resp, 200, out, false, NULL);
	vr_record_free(&vr_assessment_resource, out);
	return e;
}

static vr_err_e
cases_answers(vr_request_t *req, vr_response_t *resp)
{
	return cases_write(req, resp, save_answers);
}

/*
 * The body as a returned check sheet: a workbook or CSV by its media
 * type, or by its first bytes when the client sent a generic one.
 */
static vr_err_e
sheet_format(vr_request_t *req, vr_sheet_format_e *fmt)
{
	const char	*t = req->content_type != NULL ? req->content_type : "";
	size_t		 n = strcspn(t, "; \t");

	if (n == strlen(VR_XLSX_MEDIA_TYPE) &&
	    strncasecmp(t, VR_XLSX_MEDIA_TYPE, n) == 0)
		*fmt = VR_SHEET_XLSX;
	else if (n == 8 && strncasecmp(t, "text/csv", n) == 0)
		*fmt = VR_SHEET_CSV;
	else if (n == 0 || (n == 24 &&
	    strncasecmp(t, "application/octet-stream", n) == 0))
		*fmt = VR_SHEET_ANY;
	else
		return vr_fail(&req->problem, VR_E_MEDIA_TYPE,
		    "unsupported_media_type", NULL, "send the check sheet as "
		    "%s or text/csv", VR_XLSX_MEDIA_TYPE);
	if (req->body_len == 0)
		return vr_fail(&req->problem, VR_E_MALFORMED, "empty_body",
		    NULL, "the request body is empty: send the file");
	return VR_OK;
}

/* Saves the answers of the returned sheet in the body into case id. */
static vr_err_e
import_answers(vr_request_t *req, const vr_actor_t *who, int64_t id,
    vr_value_t **out)
{
	vr_sheet_format_e	 fmt = VR_SHEET_ANY;
	vr_err_e		 e;

	if ((e = sheet_format(req, &fmt)) != VR_OK)
		return e;
	return vr_sheet_import_answers(req->db, req->cfg, who, id, req->body,
	    req->body_len, fmt, out, &req->problem);
}

static vr_err_e
cases_import(vr_request_t *req, vr_response_t *resp)
{
	return cases_write(req, resp, import_answers);
}

/* The previous case's answers where this one has none (no body). */
static vr_err_e
carry_forward(vr_request_t *req, const vr_actor_t *who, int64_t id,
    vr_value_t **out)
{
	return vr_assessment_save_answers(req->db, who, id, NULL, out,
	    &req->problem);
}

static vr_err_e
cases_carry(vr_request_t *req, vr_response_t *resp)
{
	return cases_write(req, resp, carry_forward);
}

/* The guards read the row (progress is kept there), not the answers. */
static vr_err_e
cases_actions(vr_request_t *req, vr_response_t *resp)
{
	return vr_crud_actions(req, resp, &vr_assessment_case);
}

static vr_err_e
cases_transition(vr_request_t *req, vr_response_t *resp)
{
	const vr_actor_t	 who = vr_request_actor(req);
	vr_value_t		*in, *out = NULL;
	char			 token[33] = "";
	vr_err_e		 e;

	if ((in = vr_record_new(&vr_transition_resource)) == NULL)
		return vr_fail_oom(&req->problem);
	if ((e = vr_http_read_record(req, &vr_transition_resource, in,
	    VR_MODE_CREATE)) == VR_OK &&
	    (e = vr_assessment_fire(req->db, &who, req->id, in[TRF_ACTION].s,
	    in[TRF_VERSION].i, in[TRF_COMMENT].present &&
	    !in[TRF_COMMENT].null ? in[TRF_COMMENT].s : NULL, &out, token,
	    &req->problem)) == VR_OK)
		e = send_case(req, resp, 200, out, false, token);
	vr_record_free(&vr_transition_resource, in);
	vr_record_free(&vr_assessment_resource, out);
	return e;
}

/* Sends case rec's check sheet as a workbook or CSV (by the path). */
static vr_err_e
send_file(vr_request_t *req, vr_response_t *resp, vr_value_t *rec)
{
	const vr_value_t	*tpl;
	char			 secret[VR_SHEET_SECRET_MAX] = "";
	size_t			 slen = 0;
	bool			 csv;
	vr_err_e		 e;

	csv = strlen(req->path) > 4 &&
	    strcmp(req->path + strlen(req->path) - 4, ".csv") == 0;
	if ((e = vr_assessment_template(req->db, rec, &tpl,
	    &req->problem)) != VR_OK)
		return e;
	/* Without a secret the workbook goes out; it cannot come back. */
	if (!csv && (e = vr_sheet_secret(req->cfg, secret, &slen,
	    &req->problem)) != VR_OK)
		return e;
	e = csv ? vr_sheet_csv(tpl, rec[AS_TIER].s, &rec[AS_ANSWERS],
	    &resp->body, &req->problem) : vr_sheet_xlsx(tpl, rec[AS_TIER].s,
	    rec[AS_ID].i, &rec[AS_ANSWERS], slen > 0 ? secret : NULL, slen,
	    &resp->body, &req->problem);
	explicit_bzero(secret, sizeof(secret));
	if (e != VR_OK)
		return e;
	resp->status = 200;
	resp->content_type = csv ? VR_CSV_MEDIA_TYPE : VR_XLSX_MEDIA_TYPE;
	if (vr_buf_printf(&resp->headers, "Content-Disposition: attachment; "
	    "filename=\"check-sheet-%" PRId64 ".%s\"\r\n", rec[AS_ID].i,
	    csv ? "csv" : "xlsx") == -1)
		return vr_fail_oom(&req->problem);
	return VR_OK;
}

/* Reads case id and answers it with send. */
typedef vr_err_e (*case_send_fn)(vr_request_t *, vr_response_t *,
    vr_value_t *);

static vr_err_e
with_case(vr_request_t *req, vr_response_t *resp, int64_t id,
    case_send_fn send)
{
	vr_value_t	*rec;
	vr_err_e	 e;

	if ((rec = vr_record_new(&vr_assessment_resource)) == NULL)
		return vr_fail_oom(&req->problem);
	if ((e = vr_store_get(req->db, &vr_assessment_store, id, false, rec,
	    &req->problem)) == VR_OK)
		e = send(req, resp, rec);
	vr_record_free(&vr_assessment_resource, rec);
	return e;
}

static vr_err_e
cases_sheet(vr_request_t *req, vr_response_t *resp)
{
	return with_case(req, resp, req->id, send_file);
}

/* ---- the vendor's link ------------------------------------------------- */

/* The case of the route's token, or 404 (logged: a probe or an old link). */
static vr_err_e
link_case(vr_request_t *req, int64_t *id)
{
	vr_err_e	 e;

	if ((e = vr_assessment_by_token(req->db, req->token, id,
	    &req->problem)) == VR_E_NOT_FOUND)
		vr_log_info("request %s: vendor link not valid (%.8s...)",
		    req->request_id, req->token);
	return e;
}

/* Sends the sheet of case rec as the vendor sees it. */
static vr_err_e
send_sheet(vr_request_t *req, vr_response_t *resp, vr_value_t *rec)
{
	vr_value_t	 view[VSF__MAX], *vendor;
	vr_err_e	 e;
	size_t		 i;

	memset(view, 0, sizeof(view));
	if ((vendor = vr_record_new(&vr_vendor_resource)) == NULL)
		return vr_fail_oom(&req->problem);
	if ((e = vr_assessment_decorate(req->db, rec, true,
	    &req->problem)) != VR_OK ||
	    (e = vr_store_get(req->db, &vr_vendor_store, rec[AS_VENDOR_ID].i,
	    false, vendor, &req->problem)) != VR_OK)
		goto out;
	/*
	 * What the vendor sees of the case (state, progress, questions and
	 * answers) is a projection; the rest is named for it.
	 */
	vr_value_set_int(&view[VSF_ASSESSMENT_ID], rec[AS_ID].i);
	if (vr_value_copy(&vr_vendor_sheet_resource.fields[VSF_VENDOR_NAME],
	    &view[VSF_VENDOR_NAME], &vendor[VF_NAME]) == -1 ||
	    vr_value_copy(&vr_vendor_sheet_resource.fields[VSF_EXPIRES_AT],
	    &view[VSF_EXPIRES_AT], &rec[AS_LINK_EXPIRES_AT]) == -1 ||
	    vr_record_project(&vr_vendor_sheet_resource, view,
	    &vr_assessment_resource, rec) == -1) {
		e = vr_fail_oom(&req->problem);
		goto out;
	}
	e = vr_http_send_record(req, resp, 200, &vr_vendor_sheet_resource,
	    view);
out:
	for (i = 0; i < VSF__MAX; i++)
		vr_value_free(&vr_vendor_sheet_resource.fields[i], &view[i]);
	vr_record_free(&vr_vendor_resource, vendor);
	return e;
}

/* The vendor acting through the link: no intranet identity. */
static vr_actor_t
vendor_actor(const vr_request_t *req, int64_t id, char user[40])
{
	snprintf(user, 40, "vendor:%" PRId64, id);
	return (vr_actor_t){ user, VR_ROLE_VENDOR, req->request_id };
}

static vr_err_e
link_get(vr_request_t *req, vr_response_t *resp)
{
	int64_t		 id;
	vr_err_e	 e;

	if ((e = link_case(req, &id)) != VR_OK)
		return e;
	return with_case(req, resp, id, send_sheet);
}

static vr_err_e
link_sheet(vr_request_t *req, vr_response_t *resp)
{
	int64_t		 id;
	vr_err_e	 e;

	if ((e = link_case(req, &id)) != VR_OK)
		return e;
	return with_case(req, resp, id, send_file);
}

/* The link's case written as its vendor; answers the vendor's view. */
static vr_err_e
link_write(vr_request_t *req, vr_response_t *resp, case_write_fn write)
{
	vr_value_t	*out = NULL;
	vr_actor_t	 who;
	char		 user[40];
	int64_t		 id;
	vr_err_e	 e;

	if ((e = link_case(req, &id)) != VR_OK)
		return e;
	who = vendor_actor(req, id, user);
	if ((e = write(req, &who, id, &out)) == VR_OK)
		e = send_sheet(req, resp, out);
	vr_record_free(&vr_assessment_resource, out);
	return e;
}

static vr_err_e
submit(vr_request_t *req, const vr_actor_t *who, int64_t id,
    vr_value_t **out)
{
	char	 token[33];

	return vr_assessment_fire(req->db, who, id, "submit", 0, NULL, out,
	    token, &req->problem);
}

static vr_err_e
link_answers(vr_request_t *req, vr_response_t *resp)
{
	return link_write(req, resp, save_answers);
}

static vr_err_e
link_import(vr_request_t *req, vr_response_t *resp)
{
	return link_write(req, resp, import_answers);
}

static vr_err_e
link_submit(vr_request_t *req, vr_response_t *resp)
{
	return link_write(req, resp, submit);
}

static vr_err_e
link_carry(vr_request_t *req, vr_response_t *resp)
{
	return link_write(req, resp, carry_forward);
}

static const char *const sheet_in[] = {
	VR_XLSX_MEDIA_TYPE, "text/csv", NULL
};
static const char *const xlsx_out[] = { VR_XLSX_MEDIA_TYPE, NULL };
static const char *const csv_out[] = { VR_CSV_MEDIA_TYPE, NULL };
static const char *const case_problems[] = {
	"409 not_answering", "409 nothing_to_carry", "409 no_previous",
	"409 vendor_not_approvable", "403 approver_only",
	"422 no_such_assessment", "422 no_such_vendor", "422 no_template",
	"422 no_workflow", "422 open_high_findings", "422 unanswered",
	"422 unknown_question", "422 invalid_answer",
	"422 vendor_not_assessable", "409 not_in_this_state",
	"422 guard_failed", NULL
};
static const char *const import_problems[] = {
	"409 not_answering", "409 other_case", "409 sheet_outdated",
	"409 no_sheet_secret", "400 bad_file", "413 too_large",
	"422 no_case", "422 no_question", "422 not_a_check_sheet",
	"422 sheet_identity", "422 unknown_question", "422 invalid_answer",
	NULL
};

static const vr_route_t routes[] = {
	{ .method = "GET", .pattern = "/assessments", .handler = cases_list,
	    .roles = VR_ROLE_ANY, .store = &vr_assessment_store,
	    .summary = "Assessments (onboarding, periodic audits, "
	    "subcontractors' sheets), filtered", .out = &vr_assessment_resource,
	    .list = true, .params = vr_crud_waiting_param },
	{ .method = "POST", .pattern = "/assessments", .handler = cases_create,
	    .roles = VR_ROLE_ANY, .store = &vr_assessment_store,
	    .summary = "Starts an assessment of a vendor on the newest "
	    "template of its kind", .in = &vr_assessment_resource,
	    .out = &vr_assessment_resource, .status = 201,
	    .problems = case_problems },
	/* A case's answer depends on nothing but the path and the data. */
	{ .method = "GET", .pattern = "/assessments/{id}", .handler = cases_get,
	    .roles = VR_ROLE_ANY, .cached = true,
	    .store = &vr_assessment_store, .summary = "One assessment; its "
	    "questions with include=questions", .out = &vr_assessment_resource,
	    .params = (const vr_field_t[]){ { .name = "include",
	    .type = VR_T_ENUM, .enum_values = (const char *const[]){
	    "questions", NULL }, .doc = "questions: the sheet's questions "
	    "too." }, { .name = NULL } } },
	/* Only its host_ref (the host's ticket), in any state. */
	{ .method = "PATCH", .pattern = "/assessments/{id}",
	    .handler = vr_crud_patch, .roles = VR_ROLE_REQUESTER |
	    VR_ROLE_ADMIN, .store = &vr_assessment_store,
	    .summary = "Sets the host's ticket (host_ref) of a case",
	    .in = &vr_assessment_resource, .out = &vr_assessment_resource,
	    .problems = case_problems },
	{ .method = "PUT", .pattern = "/assessments/{id}/answers",
	    .handler = cases_answers, .roles = VR_ROLE_ANY,
	    .store = &vr_assessment_store, .summary = "Saves some or all "
	    "answers", .in = &vr_answers_resource,
	    .out = &vr_assessment_resource, .problems = case_problems },
	{ .method = "POST", .pattern = "/assessments/{id}/answers/import",
	    .handler = cases_import, .roles = VR_ROLE_ANY,
	    .store = &vr_assessment_store, .summary = "Saves the answers of "
	    "the check sheet a vendor returned (xlsx or CSV)",
	    .in_media = sheet_in, .out = &vr_assessment_resource,
	    .problems = import_problems },
	{ .method = "POST", .pattern = "/assessments/{id}/answers/carry-forward",
	    .handler = cases_carry, .roles = VR_ROLE_ANY,
	    .store = &vr_assessment_store, .summary = "Copies the vendor's "
	    "previous answers to the questions still without one",
	    .out = &vr_assessment_resource, .problems = case_problems },
	{ .method = "GET", .pattern = "/assessments/{id}/actions",
	    .handler = cases_actions, .roles = VR_ROLE_ANY,
	    .store = &vr_assessment_store, .summary = "The transitions you "
	    "may fire now", .out = &vr_actions_resource },
	{ .method = "POST", .pattern = "/assessments/{id}/transitions",
	    .handler = cases_transition, .roles = VR_ROLE_ANY,
	    .store = &vr_assessment_store, .summary = "Fires a transition",
	    .in = &vr_transition_resource, .out = &vr_assessment_resource,
	    .problems = case_problems },
	{ .method = "GET", .pattern = "/assessments/{id}/sheet.xlsx",
	    .handler = cases_sheet, .roles = VR_ROLE_ANY, .raw = true,
	    .summary = "The check sheet as an Excel workbook",
	    .media = xlsx_out, .problems = (const char *const[]){
	    "409 no_sheet_secret", NULL } },
	{ .method = "GET", .pattern = "/assessments/{id}/sheet.csv",
	    .handler = cases_sheet, .roles = VR_ROLE_ANY, .raw = true,
	    .summary = "The check sheet as CSV with a UTF-8 BOM",
	    .media = csv_out },
	/* The vendor's link: the token is the only credential. */
	{ .method = "GET", .pattern = "/{token}", .handler = link_get,
	    .roles = 0, .vendor = true, .summary = "The vendor's sheet "
	    "through its link", .out = &vr_vendor_sheet_resource },
	{ .method = "PUT", .pattern = "/{token}/answers",
	    .handler = link_answers, .roles = 0, .vendor = true,
	    .summary = "The vendor saves answers", .in = &vr_answers_resource,
	    .out = &vr_vendor_sheet_resource, .problems = case_problems },
	{ .method = "POST", .pattern = "/{token}/answers/import",
	    .handler = link_import, .roles = 0, .vendor = true,
	    .summary = "The vendor uploads the filled-in sheet",
	    .in_media = sheet_in, .out = &vr_vendor_sheet_resource,
	    .problems = import_problems },
	{ .method = "POST", .pattern = "/{token}/submit",
	    .handler = link_submit, .roles = 0, .vendor = true,
	    .summary = "The vendor submits its answers",
	    .out = &vr_vendor_sheet_resource, .problems = case_problems },
	{ .method = "POST", .pattern = "/{token}/carry-forward",
	    .handler = link_carry, .roles = 0, .vendor = true,
	    .summary = "The vendor carries last cycle's answers forward",
	    .out = &vr_vendor_sheet_resource, .problems = case_problems },
	{ .method = "GET", .pattern = "/{token}/sheet.xlsx",
	    .handler = link_sheet, .vendor = true, .raw = true,
	    .summary = "The vendor's sheet as an Excel workbook",
	    .media = xlsx_out },
	{ .method = "GET", .pattern = "/{token}/sheet.csv",
	    .handler = link_sheet, .vendor = true, .raw = true,
	    .summary = "The vendor's sheet as CSV", .media = csv_out },
	{ .method = NULL }
};

static const vr_resource_t *const bodies[] = {
	&vr_answers_resource, &vr_transition_resource,
	&vr_vendor_sheet_resource, &vr_actions_resource, NULL
};

const vr_module_t vr_assessments_module = { &vr_assessment_store, routes,
    bodies };
