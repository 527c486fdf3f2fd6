/*
 * POST /schedule/run {"as_of":"2030-01-01","dry_run":false} (admins; an
 * empty body runs for today): the scheduler, as `vendor-review schedule`
 * runs it from a timer, answering what it opened and raised.
 */
#include "../domain/vr_schedule.h"
#include "../model/vr_model.h"
#include "vr_resources.h"

static vr_err_e
schedule_run(vr_request_t *req, vr_response_t *resp)
{
	const vr_actor_t	 who = vr_request_actor(req);
	vr_value_t		*in, *report = NULL;
	vr_err_e		 e;

	if ((in = vr_record_new(&vr_schedule_request_resource)) == NULL ||
	    (report = vr_record_new(&vr_schedule_report_resource)) == NULL) {
		e = vr_fail_oom(&req->problem);
		goto out;
	}
	if ((req->body_len > 0 && (e = vr_http_read_record(req,
	    &vr_schedule_request_resource, in, VR_MODE_CREATE)) != VR_OK) ||
	    (e = vr_schedule_run(req->db, req->cfg, &who,
	    in[SRF_AS_OF].present && !in[SRF_AS_OF].null ? in[SRF_AS_OF].s :
	    NULL, in[SRF_DRY_RUN].present && in[SRF_DRY_RUN].i, report,
	    &req->problem)) != VR_OK)
		goto out;
	e = vr_http_send_record(req, resp, 200, &vr_schedule_report_resource,
	    report);
out:
	vr_record_free(&vr_schedule_request_resource, in);
	vr_record_free(&vr_schedule_report_resource, report);
	return e;
}

static const vr_route_t routes[] = {
	{ .method = "POST", .pattern = "/schedule/run", .handler = schedule_run,
	    .roles = VR_ROLE_ADMIN, .summary = "Runs the scheduler as of a "
	    "day: the audits it opened, the notices it raised",
	    .in = &vr_schedule_request_resource, .in_optional = true,
	    .out = &vr_schedule_report_resource },
	{ .method = NULL }
};

static const vr_resource_t *const bodies[] = {
	&vr_schedule_request_resource, &vr_schedule_report_resource, NULL
};

const vr_module_t vr_schedule_module = { NULL, routes, bodies };
