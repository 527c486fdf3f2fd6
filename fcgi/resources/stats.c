/*
 * GET /stats (?as_of=YYYY-MM-DD): the counts the dashboard pages draw,
 * and GET /me: who the plugin takes the caller to be (from the front
 * server's params) and the roles that gives, so that pages show the
 * buttons that apply.  Both read only; rules in domain/vr_stats.c.
 */
#include <stdlib.h>

#include "../domain/vr_stats.h"
#include "../model/vr_model.h"
#include "vr_resources.h"

static vr_err_e
stats_get(vr_request_t *req, vr_response_t *resp)
{
	vr_value_t	*stats;
	char		*as_of = vr_query_get(req->query, "as_of");
	vr_err_e	 e;

	if ((stats = vr_record_new(&vr_stats_resource)) == NULL)
		e = vr_fail_oom(&req->problem);
	else if ((e = vr_stats_get(req->db, as_of, stats, &req->problem)) ==
	    VR_OK)
		e = vr_http_send_record(req, resp, 200, &vr_stats_resource,
		    stats);
	vr_record_free(&vr_stats_resource, stats);
	free(as_of);
	return e;
}

static vr_err_e
me_get(vr_request_t *req, vr_response_t *resp)
{
	const vr_actor_t	 who = vr_request_actor(req);
	vr_value_t		*me;
	vr_err_e		 e;

	if ((me = vr_record_new(&vr_me_resource)) == NULL)
		e = vr_fail_oom(&req->problem);
	else if ((e = vr_me_get(&who, me, &req->problem)) == VR_OK)
		e = vr_http_send_record(req, resp, 200, &vr_me_resource, me);
	vr_record_free(&vr_me_resource, me);
	return e;
}

/* Neither is cached: today moves, and /me depends on who asks. */
static const vr_route_t routes[] = {
	{ .method = "GET", .pattern = "/stats", .handler = stats_get,
	    .roles = VR_ROLE_ANY, .summary = "Counts for the dashboard",
	    .out = &vr_stats_resource,
	    .params = (const vr_field_t[]){ { .name = "as_of",
	    .type = VR_T_DATE, .doc = "The day the figures are for "
	    "(default: today, Asia/Tokyo)." }, { .name = NULL } },
	    .problems = (const char *const[]){ "400 invalid_parameter",
	    NULL } },
	{ .method = "GET", .pattern = "/me", .handler = me_get,
	    .roles = VR_ROLE_ANY, .summary = "Who the plugin takes you to be",
	    .out = &vr_me_resource },
	{ .method = NULL }
};

static const vr_resource_t *const bodies[] = {
	&vr_stats_resource, &vr_me_resource, NULL
};

const vr_module_t vr_stats_module = { NULL, routes, bodies };
