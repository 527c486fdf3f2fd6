/*
 * The assessment (評価) field tables: a case of one workflow on one
 * vendor, its answers (one per question, kept as child rows) and its
 * findings (指摘事項, their own resource).  What a case shows that is not
 * stored (its questions, findings, actions) is filled when it is read.
 */
#include <stdint.h>

#include "../domain/vr_tier.h"
#include "vr_model.h"

static const char *const kinds[] = {
	"onboarding", "periodic_audit", "subcontract", NULL
};
static const char *const finding_statuses[] = {
	"open", "in_progress", "resolved", "risk_accepted", NULL
};
static const char *const finding_sources[] = {
	"mandatory_control", "reviewer", NULL
};

static const char *
check_no_controls(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return "must not contain control characters";
	return NULL;
}

#define ID(d) { .name = "id", .column = "id", .type = VR_T_INT, \
	.flags = VR_F_ID | VR_F_SERVER, .min = 1, .max = INT64_MAX, .doc = d }
#define LOCK_VERSION { .name = "version", .column = "version", .type = VR_T_INT, \
	.flags = VR_F_VERSION, .min = 1, .max = INT32_MAX, \
	.doc = "Optimistic-lock version: send the one you read." }
#define SERVER(n, t, d) { .name = n, .column = n, .type = t, \
	.flags = VR_F_SERVER | VR_F_NULLABLE, .max = INT32_MAX, .doc = d }
#define STAMP(n, t, fl, d) { .name = n, .column = n, .type = t, \
	.flags = VR_F_SERVER | (fl), .doc = d }
#define VIEW(n, t, d) { .name = n, .type = t, .flags = VR_F_SERVER, .doc = d }

/* The questions of a case: the template's, for the vendor's tier. */
static const vr_field_t question_item = {
	.name = "question", .type = VR_T_RECORD,
	.sub = &vr_template_question_resource, .doc = "One question." };

/* A section of the sheet as a heading: its code and title. */
static const vr_field_t heading_fields[] = {
	{ .name = "code", .type = VR_T_TEXT, .flags = VR_F_SERVER,
	    .doc = "Section code, the part of a question code before '-'." },
	{ .name = "title", .type = VR_T_RECORD, .flags = VR_F_SERVER,
	    .sub = &vr_label_resource, .doc = "Section title." },
};
const vr_resource_t vr_section_heading_resource = {
	.name = "section", .xmlns = VR_XMLNS, .fields = heading_fields,
	.nfields = sizeof(heading_fields) / sizeof(heading_fields[0]),
};
static const vr_field_t heading_item = {
	.name = "section", .type = VR_T_RECORD,
	.sub = &vr_section_heading_resource, .doc = "One section." };

static const vr_field_t answer_fields[ANF__MAX] = {
	[ANF_QUESTION] = { .name = "question", .column = "question",
	    .type = VR_T_TEXT, .flags = VR_F_REQUIRED, .max_chars = 16,
	    .doc = "The question's code." },
	[ANF_VALUE] = { .name = "value", .column = "value",
	    .type = VR_T_VARIANT, .flags = VR_F_NULLABLE, .max_chars = 4000,
	    .max_items = 10, .doc = "By the question's type: yes, no or na; "
	    "an option code; a list of option codes; an integer; a date "
	    "YYYY-MM-DD; a text.  null clears it." },
	[ANF_NOTE] = { .name = "note", .column = "note", .type = VR_T_TEXT,
	    .flags = VR_F_NULLABLE, .max_chars = 4000,
	    .doc = "A remark on the answer." },
	[ANF_EVIDENCE] = { .name = "evidence", .column = "evidence",
	    .type = VR_T_TEXT, .flags = VR_F_NULLABLE, .max_chars = 500,
	    .check = check_no_controls, .doc = "A reference to evidence in "
	    "the host's store: a document id or a URL." },
	[ANF_ANSWERED_BY] = STAMP("answered_by", VR_T_TEXT, 0,
	    "Who gave it (vendor:ID for the vendor's link)."),
	[ANF_ANSWERED_AT] = STAMP("answered_at", VR_T_TIME, 0, "When (UTC)."),
	/* Shown, not stored: what the case before this one held. */
	[ANF_PREVIOUS] = { .name = "previous", .type = VR_T_VARIANT,
	    .flags = VR_F_SERVER | VR_F_NULLABLE, .max_chars = 4000,
	    .max_items = 10, .doc = "The answer to this question in the "
	    "vendor's previous case (previous_id), when it had one." },
	[ANF_CHANGED] = { .name = "changed", .type = VR_T_BOOL,
	    .flags = VR_F_SERVER, .doc = "Whether the value differs from "
	    "previous (shown with it)." },
};

const vr_resource_t vr_answer_resource = {
	.name = "answer", .xmlns = VR_XMLNS, .fields = answer_fields,
	.nfields = ANF__MAX,
};

static const vr_field_t answer_item = {
	.name = "answer", .type = VR_T_RECORD, .sub = &vr_answer_resource,
	.doc = "One answer." };

/* PUT …/answers: {"answers":[…]}. */
static const vr_field_t answers_fields[ASF__MAX] = {
	[ASF_ANSWERS] = { .name = "answers", .type = VR_T_LIST,
	    .flags = VR_F_REQUIRED, .items = &answer_item, .max_items = 500,
	    .doc = "Answers to save; others stay as they are." },
};

const vr_resource_t vr_answers_resource = {
	.name = "answers", .xmlns = VR_XMLNS, .fields = answers_fields,
	.nfields = ASF__MAX,
};

static const vr_field_t section_score_fields[SSF__MAX] = {
	[SSF_SECTION] = { .name = "section", .type = VR_T_TEXT,
	    .doc = "Section code." },
	[SSF_SCORE] = { .name = "score", .type = VR_T_INT,
	    .flags = VR_F_NULLABLE, .max = 100,
	    .doc = "0-100; null when nothing in it is scored." },
};

const vr_resource_t vr_section_score_resource = {
	.name = "section_score", .xmlns = VR_XMLNS,
	.fields = section_score_fields, .nfields = SSF__MAX,
};

static const vr_field_t section_score_item = {
	.name = "section_score", .type = VR_T_RECORD,
	.sub = &vr_section_score_resource };

static const vr_field_t finding_fields[FF__MAX] = {
	[FF_ID] = ID("Finding id."),
	[FF_VERSION] = LOCK_VERSION,
	[FF_ASSESSMENT_ID] = { .name = "assessment_id",
	    .column = "assessment_id", .type = VR_T_INT,
	    .flags = VR_F_REQUIRED, .min = 1, .max = INT64_MAX,
	    .doc = "The case it was found in." },
	[FF_VENDOR_ID] = { .name = "vendor_id", .column = "vendor_id",
	    .type = VR_T_INT, .flags = VR_F_SERVER, .max = INT64_MAX,
	    .doc = "The vendor (the case's)." },
	[FF_QUESTION] = { .name = "question", .column = "question",
	    .type = VR_T_TEXT, .flags = VR_F_NULLABLE, .max_chars = 16,
	    .doc = "The question it is about, if one." },
	[FF_ANSWER] = SERVER("answer", VR_T_TEXT,
	    "The answer given, for a failed mandatory control."),
	[FF_SOURCE] = { .name = "source", .column = "source",
	    .type = VR_T_ENUM, .flags = VR_F_SERVER,
	    .enum_values = finding_sources,
	    .doc = "mandatory_control (raised on submit) or reviewer." },
	[FF_SEVERITY] = { .name = "severity", .column = "severity",
	    .type = VR_T_ENUM, .flags = VR_F_REQUIRED,
	    .enum_values = vr_severities, .doc = "high, medium or low." },
	[FF_DESCRIPTION] = { .name = "description", .column = "description",
	    .type = VR_T_TEXT, .flags = VR_F_REQUIRED, .max_chars = 4000,
	    .doc = "What is wrong." },
	[FF_REMEDIATION] = { .name = "remediation", .column = "remediation",
	    .type = VR_T_TEXT, .flags = VR_F_NULLABLE, .max_chars = 4000,
	    .doc = "What must be done." },
	[FF_OWNER] = { .name = "owner", .column = "owner", .type = VR_T_TEXT,
	    .flags = VR_F_NULLABLE, .max_chars = 255,
	    .check = check_no_controls, .doc = "Who sees to it." },
	[FF_DUE_DATE] = { .name = "due_date", .column = "due_date",
	    .type = VR_T_DATE, .flags = VR_F_NULLABLE,
	    .doc = "By when (a date in Asia/Tokyo)." },
	[FF_STATUS] = { .name = "status", .column = "status",
	    .type = VR_T_ENUM, .enum_values = finding_statuses,
	    .dflt = "open", .doc = "open, in_progress, resolved or "
	    "risk_accepted (approver only, with risk_reason and "
	    "risk_accepted_until)." },
	[FF_RISK_REASON] = { .name = "risk_reason", .column = "risk_reason",
	    .type = VR_T_TEXT, .flags = VR_F_NULLABLE, .max_chars = 4000,
	    .doc = "Why the risk is accepted." },
	[FF_RISK_ACCEPTED_BY] = SERVER("risk_accepted_by", VR_T_TEXT,
	    "The approver who accepted it."),
	[FF_RISK_ACCEPTED_UNTIL] = { .name = "risk_accepted_until",
	    .column = "risk_accepted_until", .type = VR_T_DATE,
	    .flags = VR_F_NULLABLE, .doc = "Until when the acceptance holds." },
	[FF_CREATED_BY] = STAMP("created_by", VR_T_TEXT, VR_F_CREATOR,
	    "Who raised it."),
	[FF_CREATED_AT] = STAMP("created_at", VR_T_TIME, VR_F_CREATED,
	    "When (UTC)."),
	[FF_UPDATED_BY] = STAMP("updated_by", VR_T_TEXT, VR_F_UPDATER,
	    "Who changed it last."),
	[FF_UPDATED_AT] = STAMP("updated_at", VR_T_TIME, VR_F_UPDATED,
	    "When (UTC)."),
};

const vr_resource_t vr_finding_resource = {
	.name = "finding", .plural = "findings", .table = "vr_findings",
	.xmlns = VR_XMLNS, .fields = finding_fields, .nfields = FF__MAX,
};

static const vr_field_t finding_item = {
	.name = "finding", .type = VR_T_RECORD, .sub = &vr_finding_resource };

static const vr_field_t assessment_fields[AS__MAX] = {
	[AS_ID] = ID("Assessment id."),
	[AS_VERSION] = LOCK_VERSION,
	[AS_KIND] = { .name = "kind", .column = "kind", .type = VR_T_ENUM,
	    .flags = VR_F_REQUIRED | VR_F_FIXED, .enum_values = kinds,
	    .doc = "onboarding, periodic_audit or subcontract (the "
	    "subcontractor's sheet): a workflow of the manifest." },
	[AS_VENDOR_ID] = { .name = "vendor_id", .column = "vendor_id",
	    .type = VR_T_INT, .flags = VR_F_REQUIRED | VR_F_FIXED, .min = 1,
	    .max = INT64_MAX, .doc = "The vendor assessed." },
	[AS_HOST_REF] = { .name = "host_ref", .column = "host_ref",
	    .type = VR_T_TEXT, .flags = VR_F_NULLABLE, .max_chars = 64,
	    .check = check_no_controls,
	    .doc = "The host's ticket, e.g. T-123." },
	[AS_CYCLE] = SERVER("cycle", VR_T_DATE, "A scheduled periodic audit: "
	    "the next_audit_due it was opened for (one case per vendor and "
	    "cycle)."),
	[AS_PREVIOUS_ID] = { .name = "previous_id", .column = "previous_id",
	    .type = VR_T_INT, .flags = VR_F_SERVER | VR_F_NULLABLE,
	    .max = INT64_MAX, .doc = "The vendor's latest case closed before "
	    "this one opened (not withdrawn): its answers are shown beside "
	    "these and may be carried forward." },
	[AS_STATE] = { .name = "state", .column = "state", .type = VR_T_TEXT,
	    .flags = VR_F_SERVER, .doc = "Its state in the workflow." },
	[AS_TEMPLATE_ID] = { .name = "template_id", .column = "template_id",
	    .type = VR_T_INT, .flags = VR_F_SERVER, .max = INT64_MAX,
	    .doc = "The template version it pins." },
	[AS_TIER] = { .name = "tier", .column = "tier", .type = VR_T_ENUM,
	    .flags = VR_F_SERVER, .enum_values = vr_tiers,
	    .doc = "The vendor's tier when it started: picks the questions." },
	[AS_ANSWERED] = { .name = "answered", .column = "answered",
	    .type = VR_T_INT, .flags = VR_F_SERVER, .max = INT32_MAX,
	    .doc = "Required questions answered." },
	[AS_REQUIRED] = { .name = "required", .column = "required",
	    .type = VR_T_INT, .flags = VR_F_SERVER, .max = INT32_MAX,
	    .doc = "Required questions in all." },
	[AS_SCORE] = SERVER("score", VR_T_INT,
	    "Weighted score 0-100, set on submit (docs/scoring.md)."),
	[AS_SECTION_SCORES] = { .name = "section_scores",
	    .column = "section_scores", .type = VR_T_LIST,
	    .flags = VR_F_SERVER | VR_F_NULLABLE, .items = &section_score_item,
	    .doc = "Score of each section." },
	[AS_REQUESTED_BY] = STAMP("requested_by", VR_T_TEXT, 0,
	    "Who started it."),
	[AS_REVIEWED_BY] = SERVER("reviewed_by", VR_T_TEXT,
	    "Who completed the review."),
	[AS_DECIDED_BY] = SERVER("decided_by", VR_T_TEXT,
	    "Who approved or rejected it."),
	[AS_LINK_HASH] = { .name = "link_hash", .column = "link_hash",
	    .type = VR_T_TEXT, .flags = VR_F_SERVER | VR_F_NULLABLE |
	    VR_F_HIDDEN, .doc = "SHA-256 of the vendor link's token." },
	[AS_LINK_EXPIRES_AT] = SERVER("link_expires_at", VR_T_TIME,
	    "When the vendor link stops working."),
	[AS_CREATED_BY] = STAMP("created_by", VR_T_TEXT, VR_F_CREATOR,
	    "Who created it."),
	[AS_CREATED_AT] = STAMP("created_at", VR_T_TIME, VR_F_CREATED,
	    "When (UTC)."),
	[AS_UPDATED_BY] = STAMP("updated_by", VR_T_TEXT, VR_F_UPDATER,
	    "Who changed it last."),
	[AS_UPDATED_AT] = STAMP("updated_at", VR_T_TIME, VR_F_UPDATED,
	    "When (UTC)."),
	[AS_ANSWERS] = { .name = "answers", .type = VR_T_LIST,
	    .flags = VR_F_SERVER, .items = &answer_item,
	    .child_table = "vr_answers", .child_key = "assessment_id",
	    .doc = "The answers so far (PUT …/answers changes them)." },
	[AS_PREVIOUS_ANSWERS] = { .name = "previous_answers",
	    .type = VR_T_LIST, .flags = VR_F_SERVER, .items = &answer_item,
	    .doc = "The previous case's answers to this sheet's questions." },
	[AS_QUESTIONS] = { .name = "questions", .type = VR_T_LIST,
	    .flags = VR_F_SERVER, .items = &question_item,
	    .doc = "Its questions: the template's for its tier." },
	[AS_SECTIONS] = { .name = "sections", .type = VR_T_LIST,
	    .flags = VR_F_SERVER, .items = &heading_item,
	    .doc = "With its questions: the sheet's section headings." },
	[AS_FINDINGS] = { .name = "findings", .type = VR_T_LIST,
	    .flags = VR_F_SERVER, .items = &finding_item,
	    .doc = "Its findings." },
	[AS_FOLLOW_UP] = { .name = "follow_up", .type = VR_T_LIST,
	    .flags = VR_F_SERVER, .items = &finding_item,
	    .doc = "Findings of the vendor's earlier cases still open or in "
	    "progress, to follow up." },
	[AS_VENDOR_LINK] = VIEW("vendor_link", VR_T_TEXT, "The vendor's "
	    "link (API path), only in the answer that issued it."),
	[AS_VENDOR_PAGE] = VIEW("vendor_page", VR_T_TEXT, "The page of "
	    "that link, to mail to the vendor."),
};

const vr_resource_t vr_assessment_resource = {
	.name = "assessment", .plural = "assessments",
	.table = "vr_assessments", .xmlns = VR_XMLNS,
	.fields = assessment_fields, .nfields = AS__MAX,
};

/* POST …/transitions: {"action":"approve","version":5,"comment":"…"}. */
static const vr_field_t transition_fields[TRF__MAX] = {
	[TRF_ACTION] = { .name = "action", .type = VR_T_TEXT,
	    .flags = VR_F_REQUIRED, .max_chars = 64,
	    .doc = "The action, one of GET …/actions." },
	[TRF_VERSION] = { .name = "version", .type = VR_T_INT,
	    .flags = VR_F_REQUIRED, .min = 1, .max = INT32_MAX,
	    .doc = "The case's version you saw; a stale one is 409." },
	[TRF_COMMENT] = { .name = "comment", .type = VR_T_TEXT,
	    .flags = VR_F_NULLABLE, .max_chars = 4000,
	    .doc = "Why; required where the action says so." },
};

const vr_resource_t vr_transition_resource = {
	.name = "transition", .xmlns = VR_XMLNS, .fields = transition_fields,
	.nfields = TRF__MAX,
};

/*
 * The sheet as the vendor's link shows it: the questions without their
 * scoring (option scores, weights, mandatory controls, severities) and
 * the answers without who in the company gave them.
 */
static const vr_field_t voption_fields[] = {
	{ .name = "code", .type = VR_T_TEXT, .doc = "Option code." },
	{ .name = "label", .type = VR_T_RECORD, .sub = &vr_label_resource,
	    .doc = "What it says." },
};
static const vr_resource_t voption_resource = {
	.name = "option", .xmlns = VR_XMLNS, .fields = voption_fields,
	.nfields = sizeof(voption_fields) / sizeof(voption_fields[0]),
};
static const vr_field_t voption_item = {
	.name = "option", .type = VR_T_RECORD, .sub = &voption_resource };
static const vr_field_t vquestion_fields[] = {
	{ .name = "code", .type = VR_T_TEXT, .doc = "Question code." },
	{ .name = "text", .type = VR_T_RECORD, .sub = &vr_label_resource,
	    .doc = "The question." },
	{ .name = "help", .type = VR_T_RECORD, .sub = &vr_label_resource,
	    .flags = VR_F_NULLABLE, .doc = "What is expected." },
	{ .name = "type", .type = VR_T_TEXT, .doc = "Its answer type." },
	{ .name = "required", .type = VR_T_BOOL, .doc = "Needed to submit." },
	{ .name = "na_allowed", .type = VR_T_BOOL,
	    .doc = "yes_no: na is allowed." },
	{ .name = "options", .type = VR_T_LIST, .items = &voption_item,
	    .doc = "Choice questions: the options." },
	{ .name = "basis", .type = VR_T_TEXT, .doc = "The guideline." },
};
static const vr_resource_t vquestion_resource = {
	.name = "question", .xmlns = VR_XMLNS, .fields = vquestion_fields,
	.nfields = sizeof(vquestion_fields) / sizeof(vquestion_fields[0]),
};
static const vr_field_t vquestion_item = {
	.name = "question", .type = VR_T_RECORD, .sub = &vquestion_resource };
static const vr_field_t vanswer_fields[] = {
	{ .name = "question", .type = VR_T_TEXT, .doc = "The question." },
	{ .name = "value", .type = VR_T_VARIANT, .flags = VR_F_NULLABLE,
	    .doc = "The answer." },
	{ .name = "note", .type = VR_T_TEXT, .flags = VR_F_NULLABLE,
	    .doc = "A remark." },
	{ .name = "evidence", .type = VR_T_TEXT, .flags = VR_F_NULLABLE,
	    .doc = "A reference to evidence." },
	{ .name = "answered_at", .type = VR_T_TIME, .doc = "When (UTC)." },
	{ .name = "previous", .type = VR_T_VARIANT, .flags = VR_F_NULLABLE,
	    .doc = "Your answer last time." },
	{ .name = "changed", .type = VR_T_BOOL,
	    .doc = "Whether it differs from last time." },
};
static const vr_resource_t vanswer_resource = {
	.name = "answer", .xmlns = VR_XMLNS, .fields = vanswer_fields,
	.nfields = sizeof(vanswer_fields) / sizeof(vanswer_fields[0]),
};
static const vr_field_t vanswer_item = {
	.name = "answer", .type = VR_T_RECORD, .sub = &vanswer_resource };

/* A finding to follow up, as the vendor sees it: what, not who. */
static const vr_field_t vfinding_fields[] = {
	{ .name = "id", .type = VR_T_INT, .doc = "Finding id." },
	{ .name = "severity", .type = VR_T_TEXT, .doc = "high, medium, low." },
	{ .name = "description", .type = VR_T_TEXT, .doc = "What is wrong." },
	{ .name = "remediation", .type = VR_T_TEXT, .flags = VR_F_NULLABLE,
	    .doc = "What must be done." },
	{ .name = "due_date", .type = VR_T_DATE, .flags = VR_F_NULLABLE,
	    .doc = "By when." },
	{ .name = "status", .type = VR_T_TEXT, .doc = "open or in_progress." },
};
static const vr_resource_t vfinding_resource = {
	.name = "finding", .xmlns = VR_XMLNS, .fields = vfinding_fields,
	.nfields = sizeof(vfinding_fields) / sizeof(vfinding_fields[0]),
};
static const vr_field_t vfinding_item = {
	.name = "finding", .type = VR_T_RECORD, .sub = &vfinding_resource };

/* What the vendor's link shows: the sheet, nothing of the intranet. */
static const vr_field_t sheet_fields[VSF__MAX] = {
	[VSF_ASSESSMENT_ID] = VIEW("assessment_id", VR_T_INT,
	    "The case (quote it when you call us)."),
	[VSF_VENDOR_NAME] = VIEW("vendor_name", VR_T_TEXT,
	    "Whose answers these are."),
	[VSF_STATE] = VIEW("state", VR_T_TEXT, "with_vendor while it takes "
	    "answers."),
	[VSF_EXPIRES_AT] = { .name = "expires_at", .type = VR_T_TIME,
	    .flags = VR_F_SERVER | VR_F_NULLABLE, .doc = "When this link "
	    "stops working; null once the answers are submitted." },
	[VSF_ANSWERED] = VIEW("answered", VR_T_INT,
	    "Required questions answered."),
	[VSF_REQUIRED] = VIEW("required", VR_T_INT, "Required questions."),
	[VSF_QUESTIONS] = { .name = "questions", .type = VR_T_LIST,
	    .flags = VR_F_SERVER, .items = &vquestion_item,
	    .doc = "The questions to answer." },
	[VSF_SECTIONS] = { .name = "sections", .type = VR_T_LIST,
	    .flags = VR_F_SERVER, .items = &heading_item,
	    .doc = "The sheet's section headings." },
	[VSF_ANSWERS] = { .name = "answers", .type = VR_T_LIST,
	    .flags = VR_F_SERVER, .items = &vanswer_item,
	    .doc = "The answers so far." },
	[VSF_PREVIOUS_ANSWERS] = { .name = "previous_answers",
	    .type = VR_T_LIST, .flags = VR_F_SERVER, .items = &vanswer_item,
	    .doc = "Your answers last time (carry-forward copies them)." },
	[VSF_FOLLOW_UP] = { .name = "follow_up", .type = VR_T_LIST,
	    .flags = VR_F_SERVER, .items = &vfinding_item,
	    .doc = "Findings of earlier assessments still open." },
};

const vr_resource_t vr_vendor_sheet_resource = {
	.name = "vendor_sheet", .xmlns = VR_XMLNS, .fields = sheet_fields,
	.nfields = VSF__MAX,
};
