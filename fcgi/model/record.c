/*
 * The field tables of the server-made documents: events, audit rows and
 * their verification, problems and health.  Every field is server-set.
 */
#include <stdint.h>

#include "vr_model.h"

/* Stored (S_) and view-only (V_) server fields. */
#define S_INT(n, d)	{ .name = n, .column = n, .type = VR_T_INT, \
	.flags = VR_F_SERVER, .max = INT64_MAX, .doc = d }
#define S_TEXT(n, d)	{ .name = n, .column = n, .type = VR_T_TEXT, \
	.flags = VR_F_SERVER | VR_F_NULLABLE, .doc = d }
#define S_TIME(n, d)	{ .name = n, .column = n, .type = VR_T_TIME, \
	.flags = VR_F_SERVER, .doc = d }
#define V_TEXT(n, d)	{ .name = n, .type = VR_T_TEXT, \
	.flags = VR_F_SERVER | VR_F_NULLABLE, .doc = d }
#define V_INT(n, d)	{ .name = n, .type = VR_T_INT, .flags = VR_F_SERVER, \
	.max = INT64_MAX, .doc = d }

static const vr_field_t changed_item = {
	.name = "field", .type = VR_T_TEXT, .doc = "A field's name.",
};

static const vr_field_t event_fields[EF__MAX] = {
	[EF_ID] = S_INT("id", "Event number, gap-free and in commit order."),
	[EF_TYPE] = S_TEXT("type", "What happened, e.g. vendor.created."),
	[EF_ENTITY] = S_TEXT("entity", "Kind of record, e.g. vendor."),
	[EF_ENTITY_ID] = S_INT("entity_id", "Id of the record."),
	[EF_ACTOR] = S_TEXT("actor", "User who caused it."),
	[EF_AUDIT_ID] = S_INT("audit_id", "The audit-log row of the change."),
	[EF_REQUEST_ID] = S_TEXT("request_id", "Request that caused it."),
	[EF_CREATED_AT] = S_TIME("created_at", "When it was committed (UTC)."),
	[EF_WORKFLOW] = S_TEXT("workflow", "A transition's workflow, e.g. "
	    "onboarding; null for other changes."),
	[EF_TRANSITION] = S_TEXT("transition", "The transition, e.g. approve."),
	[EF_FROM] = { .name = "from", .column = "from_state",
	    .type = VR_T_TEXT, .flags = VR_F_SERVER | VR_F_NULLABLE,
	    .doc = "The state it left." },
	[EF_TO] = { .name = "to", .column = "to_state", .type = VR_T_TEXT,
	    .flags = VR_F_SERVER | VR_F_NULLABLE,
	    .doc = "The state it entered." },
	[EF_CHANGED] = { .name = "changed", .column = "changed",
	    .type = VR_T_LIST, .flags = VR_F_SERVER | VR_F_NULLABLE,
	    .items = &changed_item, .doc = "The fields of the record the "
	    "change set to new values (not its version and update stamps); "
	    "null when the record was created, [] for a notice." },
};

const vr_resource_t vr_event_resource = {
	.name = "event", .plural = "events", .table = "vr_events",
	.xmlns = VR_XMLNS, .fields = event_fields, .nfields = EF__MAX
};

static const vr_field_t audit_fields[AF__MAX] = {
	[AF_ID] = S_INT("id", "Row number in the chain."),
	[AF_AT] = S_TIME("at", "When (UTC)."),
	[AF_ACTOR] = S_TEXT("actor", "User who made the change."),
	[AF_ACTION] = S_TEXT("action", "What was done, e.g. vendor.updated."),
	[AF_ENTITY] = S_TEXT("entity", "Kind of record."),
	[AF_ENTITY_ID] = S_INT("entity_id", "Id of the record."),
	[AF_BEFORE] = { .name = "before", .column = "before_json",
	    .type = VR_T_TEXT, .flags = VR_F_SERVER | VR_F_NULLABLE,
	    .doc = "The record before, canonical JSON." },
	[AF_AFTER] = { .name = "after", .column = "after_json",
	    .type = VR_T_TEXT, .flags = VR_F_SERVER | VR_F_NULLABLE,
	    .doc = "The record after, canonical JSON." },
	[AF_REQUEST_ID] = S_TEXT("request_id", "Request that made it."),
	[AF_PREV_HASH] = S_TEXT("prev_hash", "Hash of the previous row."),
	[AF_HASH] = S_TEXT("hash", "SHA-256 over this row and prev_hash."),
};

const vr_resource_t vr_audit_resource = {
	.name = "audit_entry", .plural = "audit_log", .table = "vr_audit_log",
	.xmlns = VR_XMLNS, .fields = audit_fields, .nfields = AF__MAX
};

static const vr_field_t audit_verification_fields[AVF__MAX] = {
	[AVF_INTACT] = { .name = "intact", .type = VR_T_BOOL,
	    .flags = VR_F_SERVER, .max = 1, .doc = "Whether every row's hash "
	    "and link to the row before holds, up to the chain head." },
	[AVF_BROKEN_AT] = { .name = "broken_at", .type = VR_T_INT,
	    .flags = VR_F_SERVER | VR_F_NULLABLE, .max = INT64_MAX,
	    .doc = "The first row that does not hold; absent when intact." },
	[AVF_DETAIL] = V_TEXT("detail", "What was found: how many rows, or "
	    "what is wrong with the first bad one."),
	[AVF_REPORT] = V_TEXT("report", "The line `vendor-review "
	    "verify-audit-log` prints."),
};

const vr_resource_t vr_audit_verification_resource = {
	.name = "audit_verification", .plural = "audit_verifications",
	.table = NULL, .xmlns = VR_XMLNS, .fields = audit_verification_fields,
	.nfields = AVF__MAX
};

static const vr_field_t problem_error_fields[PEF__MAX] = {
	[PEF_FIELD] = V_TEXT("field", "The field at fault by its path, e.g. "
	    "answers[3].value; absent when the error names none."),
	[PEF_CODE] = V_TEXT("code", "Stable machine-readable code."),
	[PEF_DETAIL] = V_TEXT("detail", "What is wrong with it, for a person "
	    "(an enum's allowed values)."),
};

static const vr_resource_t problem_error_resource = {
	.name = "error", .plural = "errors", .table = NULL,
	.xmlns = "urn:ietf:rfc:7807", .fields = problem_error_fields,
	.nfields = PEF__MAX
};

static const vr_field_t problem_error_item = {
	.name = "error", .type = VR_T_RECORD, .sub = &problem_error_resource,
	.flags = VR_F_SERVER, .doc = "One invalid field.",
};

static const vr_field_t problem_fields[PF__MAX] = {
	[PF_TYPE] = V_TEXT("type", "URI naming the kind of problem."),
	[PF_TITLE] = V_TEXT("title", "Short summary of the status."),
	[PF_STATUS] = V_INT("status", "HTTP status code."),
	[PF_DETAIL] = V_TEXT("detail", "What went wrong, for a person."),
	[PF_CODE] = V_TEXT("code", "Stable machine-readable code."),
	[PF_FIELD] = V_TEXT("field", "The field at fault, when one is."),
	[PF_REQUEST_ID] = V_TEXT("request_id", "Quote it to the admin."),
	[PF_EXISTING_ID] = V_INT("existing_id", "The record a conflict is "
	    "with, when one is (a vendor already holding a 法人番号)."),
	[PF_ERRORS] = { .name = "errors", .type = VR_T_LIST,
	    .flags = VR_F_SERVER | VR_F_NULLABLE, .items = &problem_error_item,
	    .max_items = VR_PROBLEM_ERRORS_MAX,
	    .doc = "Every invalid field of the body (a 422), the first "
	    "being the problem's own field, code and detail; at most 50." },
	[PF_ERRORS_TRUNCATED] = { .name = "errors_truncated",
	    .type = VR_T_BOOL, .flags = VR_F_SERVER, .max = 1,
	    .doc = "true when the body had more invalid fields than errors "
	    "lists; absent otherwise." },
};

const vr_resource_t vr_problem_resource = {
	.name = "problem", .plural = "problems", .table = NULL,
	.xmlns = "urn:ietf:rfc:7807", .fields = problem_fields,
	    .nfields = PF__MAX
};

static const vr_field_t health_fields[HF__MAX] = {
	[HF_STATUS] = V_TEXT("status", "ok or unavailable."),
	[HF_DATABASE] = V_TEXT("database", "ok, or why it is not."),
	[HF_SCHEMA_VERSION] = V_INT("schema_version",
	    "Highest migration applied."),
	[HF_VERSION] = V_TEXT("version", "Plugin version."),
};

const vr_resource_t vr_health_resource = {
	.name = "health", .plural = "health_reports", .table = NULL,
	.xmlns = VR_XMLNS, .fields = health_fields, .nfields = HF__MAX
};
