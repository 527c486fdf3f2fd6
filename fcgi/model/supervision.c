/*
 * The field tables of the supervision record (監督記録, Act Art. 25, GL
 * 3-4-4): the vendor, the rule that gave its tier, its cases with the
 * answers as submitted, findings and how each closed, who requested,
 * reviewed and decided each case, its subcontracts and chain, and its
 * incidents with their deadlines.  record.json and record.xml of the
 * pack are this resource through the two codecs; audit-log.json is the
 * audit trail below.  Every field is set by the server.
 */
#include <stdint.h>

#include "vr_model.h"

#define INT(n, d)	{ .name = n, .type = VR_T_INT, .flags = VR_F_SERVER, \
	.max = INT64_MAX, .doc = d }
#define NINT(n, d)	{ .name = n, .type = VR_T_INT, \
	.flags = VR_F_SERVER | VR_F_NULLABLE, .max = INT64_MAX, .doc = d }
#define TEXT(n, d)	{ .name = n, .type = VR_T_TEXT, \
	.flags = VR_F_SERVER | VR_F_NULLABLE, .doc = d }
#define TIME(n, d)	{ .name = n, .type = VR_T_TIME, .flags = VR_F_SERVER, \
	.doc = d }

static const vr_field_t answer_fields[RAF__MAX] = {
	[RAF_QUESTION] = TEXT("question", "The question's code."),
	[RAF_VALUE] = { .name = "value", .type = VR_T_VARIANT,
	    .flags = VR_F_SERVER | VR_F_NULLABLE, .max_chars = 4000,
	    .max_items = 10, .doc = "The answer, as stored." },
	[RAF_NOTE] = TEXT("note", "A remark on the answer."),
	[RAF_EVIDENCE] = TEXT("evidence", "A reference to evidence."),
	[RAF_ANSWERED_BY] = TEXT("answered_by", "Who gave it (vendor:ID for "
	    "the vendor's link)."),
	[RAF_ANSWERED_AT] = TIME("answered_at", "When (UTC)."),
};

const vr_resource_t vr_record_answer_resource = {
	.name = "answer", .xmlns = VR_XMLNS, .fields = answer_fields,
	.nfields = RAF__MAX,
};

static const vr_field_t question_fields[RQF__MAX] = {
	[RQF_CODE] = TEXT("code", "Question code."),
	[RQF_TEXT] = { .name = "text", .type = VR_T_RECORD,
	    .flags = VR_F_SERVER, .sub = &vr_label_resource,
	    .doc = "The question." },
	[RQF_TYPE] = TEXT("type", "Its answer type."),
	[RQF_REQUIRED] = { .name = "required", .type = VR_T_BOOL,
	    .flags = VR_F_SERVER, .doc = "Needed to submit." },
	[RQF_MANDATORY] = { .name = "mandatory", .type = VR_T_BOOL,
	    .flags = VR_F_SERVER, .doc = "A mandatory control." },
	[RQF_BASIS] = TEXT("basis", "The guideline section it serves "
	    "(GL section 10)."),
};

const vr_resource_t vr_record_question_resource = {
	.name = "question", .xmlns = VR_XMLNS, .fields = question_fields,
	.nfields = RQF__MAX,
};

static const vr_field_t question_item = {
	.name = "question", .type = VR_T_RECORD,
	.sub = &vr_record_question_resource, .doc = "One question." };
static const vr_field_t answer_item = {
	.name = "answer", .type = VR_T_RECORD,
	.sub = &vr_record_answer_resource, .doc = "One answer." };
static const vr_field_t finding_item = {
	.name = "finding", .type = VR_T_RECORD, .sub = &vr_finding_resource,
	.doc = "One finding: status says how it closed (resolved, or "
	"risk_accepted with who, why and until when)." };
static const vr_field_t section_score_item = {
	.name = "section_score", .type = VR_T_RECORD,
	.sub = &vr_section_score_resource };

static const vr_field_t case_fields[RCF__MAX] = {
	[RCF_ID] = INT("id", "Assessment id."),
	[RCF_VERSION] = INT("version", "Its version when the record was "
	    "made."),
	[RCF_KIND] = TEXT("kind", "onboarding, periodic_audit or "
	    "subcontract."),
	[RCF_CYCLE] = TEXT("cycle", "A periodic audit's cycle."),
	[RCF_STATE] = TEXT("state", "Its state in the workflow."),
	[RCF_TEMPLATE_ID] = NINT("template_id", "The check sheet's "
	    "template."),
	[RCF_TIER] = TEXT("tier", "The vendor's tier it was assessed for."),
	[RCF_ANSWERED] = NINT("answered", "Required questions answered."),
	[RCF_REQUIRED] = NINT("required", "Required questions."),
	[RCF_SCORE] = NINT("score", "Weighted score 0-100, set on submit."),
	[RCF_SECTION_SCORES] = { .name = "section_scores", .type = VR_T_LIST,
	    .flags = VR_F_SERVER | VR_F_NULLABLE, .items = &section_score_item,
	    .doc = "Score of each section." },
	[RCF_REQUESTED_BY] = TEXT("requested_by", "Who started it."),
	[RCF_REVIEWED_BY] = TEXT("reviewed_by", "Who completed the review."),
	[RCF_DECIDED_BY] = TEXT("decided_by", "Who approved or rejected it."),
	[RCF_CREATED_AT] = TIME("created_at", "When it was started (UTC)."),
	[RCF_UPDATED_BY] = TEXT("updated_by", "Who changed it last."),
	[RCF_UPDATED_AT] = TIME("updated_at", "When (UTC)."),
	[RCF_SUBMITTED_AUDIT_ID] = NINT("submitted_audit_id", "The audit row "
	    "of its last submission (in audit-log.json): its after-image holds "
	    "the answers as submitted, under its hash; null before one."),
	[RCF_SUBMITTED_AT] = { .name = "submitted_at", .type = VR_T_TIME,
	    .flags = VR_F_SERVER | VR_F_NULLABLE,
	    .doc = "When it was last submitted (UTC)." },
	[RCF_QUESTIONS] = { .name = "questions", .type = VR_T_LIST,
	    .flags = VR_F_SERVER, .items = &question_item,
	    .doc = "Its questions (the template's for its tier), to read "
	    "the answers by." },
	[RCF_ANSWERS] = { .name = "answers", .type = VR_T_LIST,
	    .flags = VR_F_SERVER, .items = &answer_item,
	    .doc = "The answers as stored: after submission, as submitted." },
	[RCF_FINDINGS] = { .name = "findings", .type = VR_T_LIST,
	    .flags = VR_F_SERVER, .items = &finding_item,
	    .doc = "Its findings." },
};

const vr_resource_t vr_record_case_resource = {
	.name = "assessment", .xmlns = VR_XMLNS, .fields = case_fields,
	.nfields = RCF__MAX,
};

static const vr_field_t duty_fields[DTF__MAX] = {
	[DTF_ENTITY] = TEXT("entity", "assessment or subcontract."),
	[DTF_ENTITY_ID] = INT("entity_id", "Its id."),
	[DTF_STATE] = TEXT("state", "Its state."),
	[DTF_REQUESTED_BY] = TEXT("requested_by", "Who requested it."),
	[DTF_REVIEWED_BY] = TEXT("reviewed_by", "Who reviewed it."),
	[DTF_DECIDED_BY] = TEXT("decided_by", "Who approved or rejected it."),
	[DTF_INDEPENDENT] = { .name = "approver_independent",
	    .type = VR_T_BOOL, .flags = VR_F_SERVER | VR_F_NULLABLE,
	    .doc = "Whether the one who decided is neither the requester "
	    "nor the reviewer; null while it is undecided." },
};

const vr_resource_t vr_duty_resource = {
	.name = "duty", .xmlns = VR_XMLNS, .fields = duty_fields,
	.nfields = DTF__MAX,
};

static const vr_field_t case_item = {
	.name = "assessment", .type = VR_T_RECORD,
	.sub = &vr_record_case_resource };
static const vr_field_t duty_item = {
	.name = "duty", .type = VR_T_RECORD, .sub = &vr_duty_resource };
static const vr_field_t subcontract_item = {
	.name = "subcontract", .type = VR_T_RECORD,
	.sub = &vr_subcontract_resource };
static const vr_field_t incident_item = {
	.name = "incident", .type = VR_T_RECORD, .sub = &vr_incident_resource };

static const vr_field_t supervision_fields[SUP__MAX] = {
	[SUP_VENDOR_ID] = INT("vendor_id", "The vendor."),
	[SUP_GENERATED_AT] = TIME("generated_at", "When the record was made "
	    "(UTC)."),
	[SUP_GENERATED_BY] = TEXT("generated_by", "Who asked for it."),
	[SUP_AS_OF_AUDIT_ID] = INT("as_of_audit_id", "The last audit-log row "
	    "when it was made: the record shows the data as of that row, "
	    "and the export's own row follows it."),
	[SUP_AS_OF_HASH] = TEXT("as_of_hash", "That row's hash."),
	[SUP_VENDOR] = { .name = "vendor", .type = VR_T_RECORD,
	    .flags = VR_F_SERVER, .sub = &vr_vendor_resource,
	    .doc = "The vendor as it is." },
	[SUP_TIER_RULE] = { .name = "tier_rule", .type = VR_T_RECORD,
	    .flags = VR_F_SERVER, .sub = &vr_label_resource,
	    .doc = "The clause of the tier rule (docs/risk-tier.md) that "
	    "gave the vendor its tier." },
	[SUP_DUTIES] = { .name = "duties", .type = VR_T_LIST,
	    .flags = VR_F_SERVER, .items = &duty_item,
	    .doc = "Each case's requester, reviewer and approver." },
	[SUP_ASSESSMENTS] = { .name = "assessments", .type = VR_T_LIST,
	    .flags = VR_F_SERVER, .items = &case_item,
	    .doc = "Its onboarding assessments and audits, oldest first." },
	[SUP_SUBCONTRACTS] = { .name = "subcontracts", .type = VR_T_LIST,
	    .flags = VR_F_SERVER, .items = &subcontract_item,
	    .doc = "Subcontracts it passed on and those it works under." },
	[SUP_CHAIN] = { .name = "chain", .type = VR_T_RECORD,
	    .flags = VR_F_SERVER, .sub = &vr_chain_resource,
	    .doc = "Its subcontract chain: the path up and the tree below." },
	[SUP_INCIDENTS] = { .name = "incidents", .type = VR_T_LIST,
	    .flags = VR_F_SERVER, .items = &incident_item,
	    .doc = "Its leak incidents with their deadlines and reports." },
};

const vr_resource_t vr_supervision_resource = {
	.name = "supervision_record", .xmlns = VR_XMLNS,
	.fields = supervision_fields, .nfields = SUP__MAX,
};

static const vr_field_t audit_row_item = {
	.name = "audit_entry", .type = VR_T_RECORD, .sub = &vr_audit_resource };

static const vr_field_t trail_fields[ATF__MAX] = {
	[ATF_VENDOR_ID] = INT("vendor_id", "The vendor."),
	[ATF_ROWS] = { .name = "rows", .type = VR_T_LIST,
	    .flags = VR_F_SERVER, .items = &audit_row_item,
	    .max_items = 100000, .doc = "The audit rows of the vendor, of "
	    "every case, finding, subcontract and incident in the record and "
	    "of the record's earlier exports, in chain order, with their "
	    "hashes." },
};

const vr_resource_t vr_audit_trail_resource = {
	.name = "audit_trail", .xmlns = VR_XMLNS, .fields = trail_fields,
	.nfields = ATF__MAX,
};

static const vr_field_t export_fields[REF__MAX] = {
	[REF_VENDOR_ID] = INT("vendor_id", "The vendor."),
	[REF_ZIP_SHA256] = TEXT("zip_sha256", "SHA-256 of the ZIP file."),
	[REF_SUMS_SHA256] = TEXT("sha256sums_sha256", "SHA-256 of its "
	    "SHA256SUMS."),
	[REF_AS_OF_AUDIT_ID] = INT("as_of_audit_id", "The last audit row "
	    "the record shows."),
	[REF_FILES] = INT("files", "Files in the ZIP."),
};

const vr_resource_t vr_record_export_resource = {
	.name = "record_export", .xmlns = VR_XMLNS, .fields = export_fields,
	.nfields = REF__MAX,
};
