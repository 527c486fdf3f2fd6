/*
 * The subcontract (再委託) field tables: an approved vendor asks to pass
 * work on to another company, itself a vendor record, with the data
 * classes it passes on, until when, and the flow-down checklist; and the
 * chain (GET /vendors/{id}/chain): the tree below a vendor and the path
 * up to the top.
 */
#include <stdint.h>

#include "vr_model.h"

const char *const vr_data_classes[] = {
	"personal_data", "special_care_data", "payment_data",
	"confidential_data", NULL
};

static const vr_field_t data_class = {
	.name = "data_class", .type = VR_T_ENUM, .enum_values = vr_data_classes,
	.doc = "personal_data, special_care_data, payment_data or "
	"confidential_data." };

#define CONFIRM(n, d) { .name = n, .type = VR_T_BOOL, .doc = d }

static const vr_field_t flow_down_fields[FDF__MAX] = {
	[FDF_EQUAL_OBLIGATIONS] = CONFIRM("equal_obligations", "The "
	    "subcontractor takes the same confidentiality, security and "
	    "audit obligations as the vendor."),
	[FDF_NDA_SIGNED] = CONFIRM("nda_signed", "A non-disclosure agreement "
	    "is signed."),
	[FDF_AUDIT_RIGHTS] = CONFIRM("audit_rights", "We and the vendor may "
	    "audit the subcontractor."),
	[FDF_PARENT_RESPONSIBLE] = CONFIRM("parent_responsible", "The vendor "
	    "stays responsible to us for the subcontractor's work."),
};

const vr_resource_t vr_flow_down_resource = {
	.name = "flow_down", .xmlns = VR_XMLNS, .fields = flow_down_fields,
	.nfields = FDF__MAX,
};

#define SERVER(n, t, d) { .name = n, .column = n, .type = t, \
	.flags = VR_F_SERVER | VR_F_NULLABLE, .max = INT32_MAX, .doc = d }
#define STAMP(n, t, fl, d) { .name = n, .column = n, .type = t, \
	.flags = VR_F_SERVER | (fl), .doc = d }
#define REF(n, fl, d) { .name = n, .column = n, .type = VR_T_INT, \
	.flags = (fl), .min = 1, .max = INT64_MAX, .doc = d }

static const vr_field_t subcontract_fields[SCF__MAX] = {
	[SCF_ID] = { .name = "id", .column = "id", .type = VR_T_INT,
	    .flags = VR_F_ID | VR_F_SERVER, .min = 1, .max = INT64_MAX,
	    .doc = "Subcontract id." },
	[SCF_VERSION] = { .name = "version", .column = "version",
	    .type = VR_T_INT, .flags = VR_F_VERSION, .min = 1,
	    .max = INT32_MAX, .doc = "Optimistic-lock version: send the one "
	    "you read." },
	[SCF_PARENT_VENDOR_ID] = REF("parent_vendor_id", VR_F_NULLABLE,
	    "The vendor passing the work on (taken from "
	    "parent_subcontract_id when that is given)."),
	[SCF_PARENT_SUBCONTRACT_ID] = REF("parent_subcontract_id",
	    VR_F_NULLABLE, "再々委託: the subcontract under which the parent "
	    "vendor itself works."),
	[SCF_VENDOR_ID] = REF("vendor_id", VR_F_REQUIRED,
	    "The subcontractor (a vendor record)."),
	[SCF_SCOPE] = { .name = "scope", .column = "scope", .type = VR_T_TEXT,
	    .flags = VR_F_REQUIRED, .max_chars = 4000,
	    .doc = "The work passed on." },
	[SCF_DATA_CLASSES] = { .name = "data_classes",
	    .column = "data_classes", .type = VR_T_LIST,
	    .flags = VR_F_REQUIRED, .items = &data_class, .max_items = 4,
	    .doc = "The data classes passed on: only ones the parent "
	    "holds." },
	[SCF_PERIOD_END] = { .name = "period_end", .column = "period_end",
	    .type = VR_T_DATE, .flags = VR_F_REQUIRED,
	    .doc = "Until when (a date in Asia/Tokyo)." },
	[SCF_HOST_REF] = { .name = "host_ref", .column = "host_ref",
	    .type = VR_T_TEXT, .flags = VR_F_NULLABLE, .max_chars = 64,
	    .doc = "The host's ticket, e.g. T-9." },
	[SCF_FLOW_DOWN] = { .name = "flow_down", .column = "flow_down",
	    .type = VR_T_RECORD, .sub = &vr_flow_down_resource,
	    .doc = "The flow-down checklist: every item confirmed before "
	    "approval." },
	[SCF_ASSESSMENT_ID] = REF("assessment_id", VR_F_NULLABLE,
	    "The subcontractor's check sheet (an assessment of kind "
	    "subcontract): submitted before approval."),
	[SCF_DEPTH] = SERVER("depth", VR_T_INT, "1 for 再委託, 2 for 再々委託, "
	    "..."),
	[SCF_STATE] = { .name = "state", .column = "state", .type = VR_T_TEXT,
	    .flags = VR_F_SERVER, .doc = "Its state in the workflow." },
	[SCF_FLAGGED] = { .name = "flagged", .column = "flagged",
	    .type = VR_T_BOOL, .flags = VR_F_SERVER, .max = 1, .dflt = "0",
	    .doc = "A vendor above it, or the subcontractor, was suspended "
	    "or terminated: review it." },
	[SCF_FLAG_REASON] = SERVER("flag_reason", VR_T_TEXT, "Why it is "
	    "flagged."),
	[SCF_REQUESTED_BY] = STAMP("requested_by", VR_T_TEXT, 0,
	    "Who asked for it."),
	[SCF_REVIEWED_BY] = SERVER("reviewed_by", VR_T_TEXT,
	    "Who completed the review."),
	[SCF_DECIDED_BY] = SERVER("decided_by", VR_T_TEXT,
	    "Who approved or rejected it."),
	[SCF_CREATED_BY] = STAMP("created_by", VR_T_TEXT, VR_F_CREATOR,
	    "Who created it."),
	[SCF_CREATED_AT] = STAMP("created_at", VR_T_TIME, VR_F_CREATED,
	    "When (UTC)."),
	[SCF_UPDATED_BY] = STAMP("updated_by", VR_T_TEXT, VR_F_UPDATER,
	    "Who changed it last."),
	[SCF_UPDATED_AT] = STAMP("updated_at", VR_T_TIME, VR_F_UPDATED,
	    "When (UTC)."),
};

const vr_resource_t vr_subcontract_resource = {
	.name = "subcontract", .plural = "subcontracts",
	.table = "vr_subcontracts", .xmlns = VR_XMLNS,
	.fields = subcontract_fields, .nfields = SCF__MAX,
};

/* The chain: nodes hold nodes, so the tables refer to each other. */
static const vr_field_t vendor_item = {
	.name = "vendor", .type = VR_T_RECORD, .sub = &vr_vendor_resource };
static const vr_field_t node_item;

static const vr_field_t node_fields[CNF__MAX] = {
	[CNF_SUBCONTRACT_ID] = { .name = "subcontract_id", .type = VR_T_INT,
	    .max = INT64_MAX, .doc = "The subcontract." },
	[CNF_VENDOR] = { .name = "vendor", .type = VR_T_RECORD,
	    .sub = &vr_vendor_resource, .doc = "The subcontractor." },
	[CNF_STATE] = { .name = "state", .type = VR_T_TEXT,
	    .doc = "The subcontract's state." },
	[CNF_DATA_CLASSES] = { .name = "data_classes", .type = VR_T_LIST,
	    .items = &data_class, .doc = "What is passed on." },
	[CNF_FLAGGED] = { .name = "flagged", .type = VR_T_BOOL,
	    .doc = "Flagged for review." },
	[CNF_SUBCONTRACTS] = { .name = "subcontracts", .type = VR_T_LIST,
	    .items = &node_item, .doc = "Its own subcontracts." },
};

const vr_resource_t vr_chain_node_resource = {
	.name = "subcontract_node", .xmlns = VR_XMLNS, .fields = node_fields,
	.nfields = CNF__MAX,
};

static const vr_field_t node_item = {
	.name = "subcontract", .type = VR_T_RECORD,
	.sub = &vr_chain_node_resource };

static const vr_field_t chain_fields[CHF__MAX] = {
	[CHF_VENDOR] = { .name = "vendor", .type = VR_T_RECORD,
	    .sub = &vr_vendor_resource, .doc = "The vendor asked about." },
	[CHF_PATH_UP] = { .name = "path_up", .type = VR_T_LIST,
	    .items = &vendor_item, .doc = "The vendors above it, from the "
	    "one we contract with down to its direct parent." },
	[CHF_SUBCONTRACTS] = { .name = "subcontracts", .type = VR_T_LIST,
	    .items = &node_item, .doc = "The tree below it (not rejected or "
	    "withdrawn)." },
};

const vr_resource_t vr_chain_resource = {
	.name = "chain", .xmlns = VR_XMLNS, .fields = chain_fields,
	.nfields = CHF__MAX,
};
