/*
 * The read-only views: health, the event outbox, the audit log (one
 * record's history, a vendor's supervision record's exports among them,
 * or all of it for auditors) and its chain check.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../core/vr_date.h"
#include "../db/vr_audit.h"
#include "../model/vr_model.h"
#include "core/vr_paths.h"
#include "vr_resources.h"

/* The query parameters of /events and /audit-log, as fields. */
#define AFTER(d)	{ .name = "after", .type = VR_T_INT, .min = 0, \
	.max = INT64_MAX, .dflt = "0", .doc = d }
#define LIMIT		{ .name = "limit", .type = VR_T_INT, .min = 1, \
	.max = 1000, .dflt = "100", .doc = "How many at most (default 100)." }

enum { EVP_AFTER, EVP_LIMIT, EVP_WAIT, EVP__MAX };
static const vr_field_t event_params[EVP__MAX + 1] = {
	[EVP_AFTER] = AFTER("The id of the last event the host handled."),
	[EVP_LIMIT] = LIMIT,
	/* Below nginx's fastcgi_read_timeout (60 s by default). */
	[EVP_WAIT] = { .name = "wait", .type = VR_T_INT, .min = 0, .max = 50,
	    .dflt = "0", .doc = "Seconds to wait for the next event when "
	    "none follows after (long poll); 0 answers at once." },
};

enum { AP_ENTITY, AP_ACTOR, AP_ACTION, AP_FROM, AP_TO, AP_AFTER, AP_LIMIT,
	AP__MAX };
static const vr_field_t audit_params[AP__MAX + 1] = {
	[AP_ENTITY] = { .name = "entity", .type = VR_T_TEXT, .max_chars = 64,
	    .flags = VR_F_NULLABLE,
	    .doc = "KIND or KIND:ID, e.g. vendor or vendor:12 (a record's "
	    "history: anyone; a kind: auditors and admins)." },
	[AP_ACTOR] = { .name = "actor", .type = VR_T_TEXT, .max_chars = 255,
	    .flags = VR_F_NULLABLE,
	    .doc = "Only the changes of this user." },
	[AP_ACTION] = { .name = "action", .type = VR_T_TEXT, .max_chars = 64,
	    .flags = VR_F_NULLABLE,
	    .doc = "Only this action, e.g. vendor.updated." },
	[AP_FROM] = { .name = "from", .type = VR_T_DATE,
	    .doc = "From this day (Asia/Tokyo) on." },
	[AP_TO] = { .name = "to", .type = VR_T_DATE,
	    .doc = "Up to this day (Asia/Tokyo), included." },
	[AP_AFTER] = AFTER("Only rows after this id (the next page)."),
	[AP_LIMIT] = LIMIT,
};

static const vr_field_t no_params[] = { { .name = NULL } };

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
	set(&rec[HF_VERSION], VR_VERSION);
	if (e == VR_OK)
		vr_value_set_int(&rec[HF_SCHEMA_VERSION],
		    vr_db_schema_version(req->db));
	e = vr_http_send_record(req, resp, e == VR_OK ? 200 : 503,
	    &vr_health_resource, rec);
	for (i = 0; i < HF__MAX; i++)
		free(rec[i].s);
	return e;
}

/*
 * wait=S (long poll): with nothing after `after`, the answer waits up to
 * S seconds for the next event.  Below nginx's fastcgi_read_timeout (60 s
 * by default), so nginx never gives up first.
 */
static vr_err_e
vr_events_get(vr_request_t *req, vr_response_t *resp)
{
	vr_list_t	 l = { 0 };
	int64_t		 after, limit, wait;
	vr_err_e	 e;

	if ((e = vr_http_query_known(req, NULL, req->route->params)) != VR_OK ||
	    (e = vr_http_query_declared(req, &event_params[EVP_AFTER],
	    &after)) != VR_OK ||
	    (e = vr_http_query_declared(req, &event_params[EVP_LIMIT],
	    &limit)) != VR_OK ||
	    (e = vr_http_query_declared(req, &event_params[EVP_WAIT],
	    &wait)) != VR_OK)
		return e;
	if ((e = vr_events_list(req->db, after, limit, &l,
	    &req->problem)) == VR_OK) {
		if (l.n == 0 && wait > 0 && req->may_wait) {
			req->wait_seconds = (unsigned)wait;
			req->wait_after = after;
		} else
			e = vr_http_send_list(req, resp, &vr_event_resource,
			    &l);
	}
	vr_list_free(&vr_event_resource, &l);
	return e;
}

/*
 * "vendor" or "vendor:12": the kind, as the rows name it (a stored
 * resource, or the supervision record: its exports are logged, nothing
 * of it is stored), and the id (0 with no id); NULL when it names
 * neither.
 */
static const char *
parse_entity(const char *s, int64_t *id)
{
	const vr_store_t *st;
	const char	*colon = strchr(s, ':');
	const char	*rec = vr_supervision_resource.name;
	char		*end;
	size_t		 n = colon != NULL ? (size_t)(colon - s) : strlen(s);

	*id = 0;
	if (colon != NULL) {
		if (colon[1] < '1' || colon[1] > '9')
			return NULL;
		errno = 0;
		*id = strtoll(colon + 1, &end, 10);
		if (*end != '\0' || errno != 0)
			return NULL;
	}
	if ((st = vr_store_by_name(s, n)) != NULL)
		return st->res->name;
	return n == strlen(rec) && memcmp(s, rec, n) == 0 ? rec : NULL;
}

/* A text filter: valid UTF-8 of at most f's characters, or absent. */
static vr_err_e
text_param(vr_request_t *req, const vr_field_t *f, char **out)
{
	if ((*out = vr_query_get(req->query, f->name)) == NULL ||
	    (vr_utf8_valid(*out, strlen(*out)) &&
	    vr_utf8_chars(*out, strlen(*out)) <= f->max_chars))
		return VR_OK;
	return vr_fail(&req->problem, VR_E_MALFORMED, "invalid_parameter",
	    f->name, "%s must be UTF-8 of at most %zu characters", f->name,
	    f->max_chars);
}

/*
 * from / to: Tokyo dates, both whole days; into the ISO UTC time the
 * first begins and the one the day after the second begins.
 */
static vr_err_e
date_param(vr_request_t *req, const vr_field_t *f, int days, char out[32],
    const char **set)
{
	const char	*name = f->name;
	char		*v, next[11];
	vr_err_e	 e = VR_OK;

	if ((v = vr_query_get(req->query, name)) == NULL)
		return VR_OK;
	if (!vr_date_valid(v))
		e = vr_fail(&req->problem, VR_E_MALFORMED, "invalid_parameter",
		    name, "%s must be a date YYYY-MM-DD (Asia/Tokyo)", name);
	else {
		vr_date_plus_days(v, days, next);
		vr_time_of_date(next, out);
		*set = out;
	}
	free(v);
	return e;
}

/*
 * GET /audit-log: one record's history (entity=KIND:ID, anyone), or the
 * whole log by kind, actor, action and period (auditors and admins).
 */
static vr_err_e
vr_audit_log_get(vr_request_t *req, vr_response_t *resp)
{
	vr_audit_filter_t f = { 0 };
	vr_list_t	 l = { 0 };
	char		*ent = NULL, *actor = NULL, *action = NULL, from[32],
			 to[32];
	int64_t		 after, limit;
	vr_err_e	 e;

	if ((e = vr_http_query_known(req, NULL, req->route->params)) != VR_OK ||
	    (e = text_param(req, &audit_params[AP_ENTITY], &ent)) != VR_OK ||
	    (e = text_param(req, &audit_params[AP_ACTOR], &actor)) != VR_OK ||
	    (e = text_param(req, &audit_params[AP_ACTION], &action)) !=
	    VR_OK ||
	    (e = date_param(req, &audit_params[AP_FROM], 0, from, &f.from)) !=
	    VR_OK ||
	    (e = date_param(req, &audit_params[AP_TO], 1, to, &f.to)) != VR_OK)
		goto out;
	if (ent != NULL && (f.entity = parse_entity(ent,
	    &f.entity_id)) == NULL) {
		e = vr_fail(&req->problem, VR_E_MALFORMED, "invalid_parameter",
		    "entity", "entity must be KIND or KIND:ID with KIND a "
		    "stored resource or supervision_record, e.g. vendor or "
		    "vendor:12");
		goto out;
	}
	if (f.entity_id == 0 &&
	    !(req->roles & (VR_ROLE_AUDITOR | VR_ROLE_ADMIN))) {
		e = vr_fail(&req->problem, VR_E_FORBIDDEN, "forbidden", NULL,
		    "the whole audit log is for auditors and admins; a "
		    "record's history is entity=KIND:ID");
		goto out;
	}
	f.actor = actor;
	f.action = action;
	if ((e = vr_http_query_declared(req, &audit_params[AP_AFTER],
	    &after)) != VR_OK ||
	    (e = vr_http_query_declared(req, &audit_params[AP_LIMIT],
	    &limit)) != VR_OK)
		goto out;
	if ((e = vr_audit_list(req->db, &f, after, limit, &l,
	    &req->problem)) == VR_OK)
		e = vr_http_send_list(req, resp, &vr_audit_resource, &l);
out:
	vr_list_free(&vr_audit_resource, &l);
	free(ent);
	free(actor);
	free(action);
	return e;
}

/* GET /audit-log/verify: the chain check of verify-audit-log, over HTTP. */
static vr_err_e
vr_audit_verify_get(vr_request_t *req, vr_response_t *resp)
{
	vr_value_t	 rec[AVF__MAX];
	char		 msg[512], line[600];
	int64_t		 bad = 0;
	int		 rc;
	vr_err_e	 e;

	memset(rec, 0, sizeof(rec));
	if ((e = vr_http_query_known(req, NULL, req->route->params)) != VR_OK)
		return e;
	if ((rc = vr_audit_verify(req->db, &bad, msg, sizeof(msg))) == -1)
		return vr_fail(&req->problem, VR_E_UNAVAILABLE, "unavailable",
		    NULL, "the audit log could not be read: %s", msg);
	vr_audit_verify_report(rc, bad, msg, line, sizeof(line));
	vr_value_set_int(&rec[AVF_INTACT], rc == 0);
	if (rc == 1)
		vr_value_set_int(&rec[AVF_BROKEN_AT], bad);
	if (vr_value_set_str(&rec[AVF_DETAIL], msg) == -1 ||
	    vr_value_set_str(&rec[AVF_REPORT], line) == -1)
		e = vr_fail_oom(&req->problem);
	else
		e = vr_http_send_record(req, resp, 200,
		    &vr_audit_verification_resource, rec);
	free(rec[AVF_DETAIL].s);
	free(rec[AVF_REPORT].s);
	return e;
}


static const vr_route_t routes[] = {
	{ .method = "GET", .pattern = "/health", .handler = vr_health_get,
	    .roles = 0, .summary = "Whether the plugin and its database answer",
	    .out = &vr_health_resource, .out_also = 503 },
	{ .method = "GET", .pattern = "/events", .handler = vr_events_get,
	    .roles = VR_ROLE_ANY, .summary = "The event outbox, in commit "
	    "order, after the event numbered after",
	    .out = &vr_event_resource, .list = true, .params = event_params },
	{ .method = "GET", .pattern = "/audit-log", .handler = vr_audit_log_get,
	    .roles = VR_ROLE_ANY, .summary = "A record's history, or the whole "
	    "audit log (auditors, admins)", .out = &vr_audit_resource,
	    .list = true, .params = audit_params },
	{ .method = "GET", .pattern = "/audit-log/verify",
	    .handler = vr_audit_verify_get,
	    .roles = VR_ROLE_AUDITOR | VR_ROLE_ADMIN,
	    .summary = "The audit hash chain checked",
	    .out = &vr_audit_verification_resource, .params = no_params,
	    .problems = (const char *const[]){ "503 unavailable", NULL } },
	{ .method = NULL }
};

static const vr_resource_t *const bodies[] = {
	&vr_event_resource, &vr_audit_resource, &vr_audit_verification_resource,
	&vr_health_resource, NULL
};

const vr_module_t vr_records_module = { NULL, routes, bodies };
