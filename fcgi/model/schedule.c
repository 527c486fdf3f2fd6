/*
 * The scheduler's run (POST /schedule/run, vendor-review schedule): what
 * it is asked and what it reports, the audits it opened and the
 * reminders and escalations it raised.
 */
#include <stdint.h>

#include "vr_model.h"

static const vr_field_t request_fields[SRF__MAX] = {
	[SRF_AS_OF] = { .name = "as_of", .type = VR_T_DATE,
	    .flags = VR_F_NULLABLE, .doc = "The day to run for (Asia/Tokyo); "
	    "today when absent." },
	[SRF_DRY_RUN] = { .name = "dry_run", .type = VR_T_BOOL,
	    .doc = "Report what would be done, write nothing." },
};

const vr_resource_t vr_schedule_request_resource = {
	.name = "schedule_run", .xmlns = VR_XMLNS, .fields = request_fields,
	.nfields = SRF__MAX,
};

static const vr_field_t opened_fields[SOF__MAX] = {
	[SOF_VENDOR_ID] = { .name = "vendor_id", .type = VR_T_INT,
	    .max = INT64_MAX, .doc = "The vendor audited." },
	[SOF_CYCLE] = { .name = "cycle", .type = VR_T_DATE,
	    .doc = "The next_audit_due it is for." },
	[SOF_ASSESSMENT_ID] = { .name = "assessment_id", .type = VR_T_INT,
	    .flags = VR_F_NULLABLE, .max = INT64_MAX, .doc = "The audit opened (null in a dry "
	    "run)." },
};

const vr_resource_t vr_schedule_opened_resource = {
	.name = "opened", .xmlns = VR_XMLNS, .fields = opened_fields,
	.nfields = SOF__MAX,
};

static const vr_field_t notice_fields[SNF__MAX] = {
	[SNF_TYPE] = { .name = "type", .type = VR_T_TEXT,
	    .doc = "The event type raised, e.g. periodic_audit.overdue." },
	[SNF_ENTITY] = { .name = "entity", .type = VR_T_TEXT,
	    .doc = "assessment or finding." },
	[SNF_ENTITY_ID] = { .name = "entity_id", .type = VR_T_INT,
	    .max = INT64_MAX, .doc = "Its id." },
	[SNF_DUE] = { .name = "due", .type = VR_T_TEXT,
	    .doc = "The date or time it is about: a link's expiry, an "
	    "audit's or a remediation's due date." },
};

const vr_resource_t vr_schedule_notice_resource = {
	.name = "notice", .xmlns = VR_XMLNS, .fields = notice_fields,
	.nfields = SNF__MAX,
};

static const vr_field_t opened_item = {
	.name = "opened", .type = VR_T_RECORD,
	.sub = &vr_schedule_opened_resource };
static const vr_field_t notice_item = {
	.name = "notice", .type = VR_T_RECORD,
	.sub = &vr_schedule_notice_resource };

static const vr_field_t report_fields[SPF__MAX] = {
	[SPF_AS_OF] = { .name = "as_of", .type = VR_T_DATE,
	    .doc = "The day it ran for." },
	[SPF_DRY_RUN] = { .name = "dry_run", .type = VR_T_BOOL,
	    .doc = "Nothing was written." },
	[SPF_OPENED] = { .name = "opened", .type = VR_T_LIST,
	    .items = &opened_item, .doc = "Audits opened (or to open)." },
	[SPF_ALREADY_OPEN] = { .name = "already_open", .type = VR_T_INT,
	    .max = INT64_MAX, .doc = "Due audits another run opened meanwhile." },
	[SPF_NOTICES] = { .name = "notices", .type = VR_T_LIST,
	    .items = &notice_item, .doc = "Reminders and escalations raised "
	    "(each once: a later run does not raise it again)." },
};

const vr_resource_t vr_schedule_report_resource = {
	.name = "schedule_report", .xmlns = VR_XMLNS, .fields = report_fields,
	.nfields = SPF__MAX,
};
