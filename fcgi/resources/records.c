/*
 * The read-only views: health, the event outbox and the audit log of any
 * stored resource (and of a vendor's supervision record: its exports).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../db/vr_audit.h"
#include "../model/vr_model.h"
#include "vr_resources.h"

#define EVENTS_LIMIT_DEFAULT	100
#define EVENTS_LIMIT_MAX	1000
#define AUDIT_LIMIT_DEFAULT	100
#define AUDIT_LIMIT_MAX		1000

static void
set(vr_value_t *v, const char *s)
{
	vr_value_set_text(v, s, strlen(s));
}

static vr_err_e
vr_health_get(vr_request_t *req, vr_response_t *resp)
{
	vr_value_t	 rec[HF__MAX];
	vr_problem_t	 dbp;
	vr_err_e	 e;
	size_t		 i;

	memset(rec, 0, sizeof(rec));
	vr_problem_clear(&dbp);
	e = vr_db_ping(req->db, &dbp);
	set(&rec[HF_STATUS], e == VR_OK ? "ok" : "unavailable");
	set(&rec[HF_DATABASE], e == VR_OK ? "ok" : dbp.detail);
	set(&rec[HF_VERSION], PACKAGE_VERSION);
	if (e == VR_OK)
		vr_value_set_int(&rec[HF_SCHEMA_VERSION],
		    vr_db_schema_version(req->db));
	e = vr_http_send_record(req, resp, e == VR_OK ? 200 : 503,
	    &vr_health_resource, rec);
	for (i = 0; i < HF__MAX; i++)
		free(rec[i].s);
	return e;
}

static vr_err_e
vr_events_get(vr_request_t *req, vr_response_t *resp)
{
	vr_list_t	 l = { 0 };
	int64_t		 after, limit;
	vr_err_e	 e;

	if ((e = vr_http_query_int(req, "after", 0, 0, INT64_MAX,
	    &after)) != VR_OK ||
	    (e = vr_http_query_int(req, "limit", EVENTS_LIMIT_DEFAULT, 1,
	    EVENTS_LIMIT_MAX, &limit)) != VR_OK)
		return e;
	if ((e = vr_events_list(req->db, after, limit, &l,
	    &req->problem)) == VR_OK)
		e = vr_http_send_list(req, resp, &vr_event_resource, &l);
	vr_list_free(&vr_event_resource, &l);
	return e;
}

/*
 * "vendor:12" into the entity and the id: a stored resource, or the
 * supervision record (its exports are logged, nothing of it is stored).
 */
static const char *
parse_entity(const char *s, int64_t *id)
{
	const vr_store_t *st;
	const char	*colon = strchr(s, ':');
	const char	*rec = vr_supervision_resource.name;
	char		*end;
	size_t		 n;

	if (colon == NULL || colon[1] < '1' || colon[1] > '9')
		return NULL;
	errno = 0;
	*id = strtoll(colon + 1, &end, 10);
	if (*end != '\0' || errno != 0)
		return NULL;
	n = (size_t)(colon - s);
	if ((st = vr_store_by_name(s, n)) != NULL)
		return st->res->name;
	return n == strlen(rec) && memcmp(s, rec, n) == 0 ? rec : NULL;
}

static vr_err_e
vr_audit_log_get(vr_request_t *req, vr_response_t *resp)
{
	const char	*entity = NULL;
	vr_list_t	 l = { 0 };
	char		*ent;
	int64_t		 id, after, limit;
	vr_err_e	 e;

	if ((ent = vr_query_get(req->query, "entity")) != NULL)
		entity = parse_entity(ent, &id);
	free(ent);
	if (entity == NULL)
		return vr_fail(&req->problem, VR_E_MALFORMED,
		    "invalid_parameter", "entity", "entity must be KIND:ID "
		    "with KIND a stored resource or supervision_record, e.g. "
		    "vendor:12");
	if ((e = vr_http_query_int(req, "after", 0, 0, INT64_MAX,
	    &after)) != VR_OK ||
	    (e = vr_http_query_int(req, "limit", AUDIT_LIMIT_DEFAULT, 1,
	    AUDIT_LIMIT_MAX, &limit)) != VR_OK)
		return e;
	if ((e = vr_audit_list(req->db, entity, id, after, limit, &l,
	    &req->problem)) == VR_OK)
		e = vr_http_send_list(req, resp, &vr_audit_resource, &l);
	vr_list_free(&vr_audit_resource, &l);
	return e;
}

static const vr_route_t routes[] = {
	{ .method = "GET", .pattern = "/health", .handler = vr_health_get,
	    .roles = 0 },
	{ .method = "GET", .pattern = "/events", .handler = vr_events_get,
	    .roles = VR_ROLE_ANY },
	{ .method = "GET", .pattern = "/audit-log", .handler = vr_audit_log_get,
	    .roles = VR_ROLE_ANY },
	{ .method = NULL }
};

static const vr_resource_t *const bodies[] = {
	&vr_event_resource, &vr_audit_resource, &vr_health_resource, NULL
};

const vr_module_t vr_records_module = { NULL, routes, bodies };
