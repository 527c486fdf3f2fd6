/*
 * vr_model: the field table of every resource the API speaks.  The codecs,
 * the validator, the db layer and the schema generator all read these
 * tables; a field is declared here once.
 */
#ifndef VR_MODEL_H
#define VR_MODEL_H

#include "../core/vr_field.h"

/* Vendors (委託先). */
enum vr_vendor_field {
	VF_ID, VF_VERSION, VF_NAME, VF_NAME_KANA, VF_CORPORATE_NUMBER,
	VF_ADDRESS, VF_CONTACT_NAME, VF_CONTACT_EMAIL, VF_CONTRACT_TYPE,
	VF_OWNER_DEPARTMENT, VF_PERSONAL_DATA, VF_SPECIAL_CARE_DATA,
	VF_PAYMENT_DATA, VF_CONFIDENTIAL_DATA, VF_SYSTEM_ACCESS,
	VF_OFFSITE_WORK, VF_TIER, VF_STATUS, VF_NEXT_AUDIT_DUE,
	VF_NEEDS_REVIEW, VF_DUPLICATE_OF, VF_DUPLICATE_REASON,
	VF_CONTRACT_START, VF_CONTRACT_END, VF_RENEWAL_DATE, VF_CERTIFICATIONS,
	VF_CREATED_BY,
	VF_CREATED_AT, VF_UPDATED_BY, VF_UPDATED_AT, VF_SEARCH_TEXT,
	VF_KANA_KEY, VF__MAX
};
extern const vr_resource_t vr_vendor_resource;
/* One certification of a vendor (Pマーク, ISMS / ISO 27001, other). */
enum vr_certification_field {
	CERF_KIND, CERF_NAME, CERF_NUMBER, CERF_EXPIRES_ON, CERF__MAX
};

/* A text in Japanese (required) and English. */
enum vr_label_field { LF_JA, LF_EN, LF__MAX };
extern const vr_resource_t vr_label_resource;

/* Check-sheet templates (model/template.c). */
enum vr_template_field {
	TF_ID, TF_CODE, TF_VERSION, TF_KIND, TF_TITLE, TF_SECTIONS,
	TF_QUESTIONS, TF_CREATED_BY, TF_CREATED_AT, TF__MAX
};
enum vr_template_section_field {
	TSF_CODE, TSF_TITLE, TSF_QUESTIONS, TSF__MAX
};
enum vr_template_question_field {
	TQF_CODE, TQF_TEXT, TQF_HELP, TQF_TYPE, TQF_REQUIRED, TQF_NA_ALLOWED,
	TQF_WEIGHT, TQF_MANDATORY, TQF_SEVERITY, TQF_OPTIONS, TQF_TIERS,
	TQF_BASIS, TQF__MAX
};
enum vr_template_option_field { TOF_CODE, TOF_LABEL, TOF_SCORE, TOF__MAX };
extern const vr_resource_t vr_template_resource;
extern const vr_resource_t vr_template_section_resource;
extern const vr_resource_t vr_template_question_resource;
extern const vr_resource_t vr_template_option_resource;
/* Answer types of a question, by their API names. */
extern const char *const vr_answer_types[];

/* The plugin manifest (model/manifest.c). */
enum vr_manifest_field {
	MF_ID, MF_VERSION, MF_API_BASE, MF_VENDOR_BASE, MF_ROLES, MF_MENU,
	MF_PAGES, MF_WORKFLOWS, MF__MAX
};
enum vr_mrole_field { MRF_ID, MRF_LABEL, MRF_DESCRIPTION, MRF__MAX };
enum vr_mentry_field { MEF_ID, MEF_PAGE, MEF_ROLES, MEF_LABEL, MEF__MAX };
enum vr_mpage_field { MPF_ID, MPF_PATH, MPF_LABEL, MPF__MAX };
enum vr_mworkflow_field {
	MWF_NAME, MWF_RESOURCE, MWF_KIND, MWF_START, MWF_INITIAL, MWF_LABEL,
	MWF_STATES,
	MWF__MAX
};
enum vr_mstate_field { MSF_ID, MSF_FINAL, MSF_LABEL, MSF_TRANSITIONS,
	MSF__MAX };
enum vr_mtransition_field {
	MTF_ID, MTF_TO, MTF_ROLES, MTF_COMMENT, MTF_GUARDS, MTF_EFFECTS,
	MTF_LABEL, MTF__MAX
};
extern const vr_resource_t vr_manifest_resource;
extern const vr_resource_t vr_mrole_resource, vr_mentry_resource,
    vr_mpage_resource, vr_mworkflow_resource, vr_mstate_resource,
    vr_mtransition_resource;

/* Assessments (model/assessment.c). */
enum vr_assessment_field {
	AS_ID, AS_VERSION, AS_KIND, AS_VENDOR_ID, AS_HOST_REF, AS_CYCLE,
	AS_PREVIOUS_ID, AS_STATE,
	AS_TEMPLATE_ID, AS_TIER, AS_ANSWERED, AS_REQUIRED, AS_SCORE,
	AS_SECTION_SCORES, AS_REQUESTED_BY, AS_REVIEWED_BY, AS_DECIDED_BY,
	AS_LINK_HASH, AS_LINK_EXPIRES_AT, AS_CREATED_BY, AS_CREATED_AT,
	AS_UPDATED_BY, AS_UPDATED_AT, AS_ANSWERS, AS_PREVIOUS_ANSWERS,
	AS_QUESTIONS, AS_SECTIONS, AS_FINDINGS, AS_FOLLOW_UP, AS_VENDOR_LINK, AS_VENDOR_PAGE,
	AS__MAX
};
enum vr_answer_field {
	ANF_QUESTION, ANF_VALUE, ANF_NOTE, ANF_EVIDENCE, ANF_ANSWERED_BY,
	ANF_ANSWERED_AT, ANF_PREVIOUS, ANF_CHANGED, ANF__MAX
};
enum vr_answers_field { ASF_ANSWERS, ASF__MAX };
enum vr_section_score_field { SSF_SECTION, SSF_SCORE, SSF__MAX };
enum vr_finding_field {
	FF_ID, FF_VERSION, FF_ASSESSMENT_ID, FF_VENDOR_ID, FF_QUESTION,
	FF_ANSWER, FF_SOURCE, FF_SEVERITY, FF_DESCRIPTION, FF_REMEDIATION,
	FF_OWNER, FF_DUE_DATE, FF_STATUS, FF_RISK_REASON, FF_RISK_ACCEPTED_BY,
	FF_RISK_ACCEPTED_UNTIL, FF_CREATED_BY, FF_CREATED_AT, FF_UPDATED_BY,
	FF_UPDATED_AT, FF__MAX
};
enum vr_transition_field { TRF_ACTION, TRF_VERSION, TRF_COMMENT, TRF__MAX };
enum vr_vendor_sheet_field {
	VSF_ASSESSMENT_ID, VSF_VENDOR_NAME, VSF_STATE, VSF_EXPIRES_AT,
	VSF_ANSWERED, VSF_REQUIRED, VSF_QUESTIONS, VSF_SECTIONS, VSF_ANSWERS,
	VSF_PREVIOUS_ANSWERS, VSF_FOLLOW_UP, VSF__MAX
};
extern const vr_resource_t vr_assessment_resource;
extern const vr_resource_t vr_transition_resource;
extern const vr_resource_t vr_vendor_sheet_resource;
extern const vr_resource_t vr_section_heading_resource;
extern const vr_resource_t vr_answer_resource;
extern const vr_resource_t vr_answers_resource;
extern const vr_resource_t vr_section_score_resource;
extern const vr_resource_t vr_finding_resource;

/* Subcontracts (再委託, model/subcontract.c): a vendor passing work on. */
enum vr_subcontract_field {
	SCF_ID, SCF_VERSION, SCF_PARENT_VENDOR_ID, SCF_PARENT_SUBCONTRACT_ID,
	SCF_VENDOR_ID, SCF_SCOPE, SCF_DATA_CLASSES, SCF_PERIOD_END,
	SCF_HOST_REF, SCF_FLOW_DOWN, SCF_ASSESSMENT_ID, SCF_DEPTH, SCF_STATE,
	SCF_FLAGGED, SCF_FLAG_REASON, SCF_REQUESTED_BY, SCF_REVIEWED_BY,
	SCF_DECIDED_BY, SCF_CREATED_BY, SCF_CREATED_AT, SCF_UPDATED_BY,
	SCF_UPDATED_AT, SCF__MAX
};
/* The flow-down checklist: what the subcontractor takes on. */
enum vr_flow_down_field {
	FDF_EQUAL_OBLIGATIONS, FDF_NDA_SIGNED, FDF_AUDIT_RIGHTS,
	FDF_PARENT_RESPONSIBLE, FDF__MAX
};
/* GET /vendors/{id}/chain: the tree below a vendor and the path up. */
enum vr_chain_field { CHF_VENDOR, CHF_PATH_UP, CHF_SUBCONTRACTS, CHF__MAX };
enum vr_chain_node_field {
	CNF_SUBCONTRACT_ID, CNF_VENDOR, CNF_STATE, CNF_DATA_CLASSES,
	CNF_FLAGGED, CNF_SUBCONTRACTS, CNF__MAX
};
extern const vr_resource_t vr_subcontract_resource;
extern const vr_resource_t vr_flow_down_resource;
extern const vr_resource_t vr_chain_resource, vr_chain_node_resource;
/* The data classes a vendor holds, by their API names (vendor fields). */
extern const char *const vr_data_classes[];

/* Leak incidents at a vendor (漏えい等, model/incident.c). */
enum vr_incident_field {
	INF_ID, INF_VERSION, INF_VENDOR_ID, INF_HOST_REF, INF_DETECTED_AT,
	INF_AWARE_ON, INF_DATA_CLASSES, INF_PEOPLE_AFFECTED,
	INF_PEOPLE_ESTIMATE, INF_CAUSE, INF_MALICIOUS, INF_ENCRYPTED,
	INF_DESCRIPTION, INF_VENDOR_NOTIFIED_ON, INF_VENDOR_NOTICE_ITEMS,
	INF_KNOWN_ITEMS, INF_REQUIRE_AUDIT, INF_REPORTABLE,
	INF_REPORTABLE_CASES, INF_PRELIMINARY_DUE, INF_FINAL_DUE,
	INF_DEADLINE_NOTE, INF_UNKNOWN_ITEMS, INF_PRELIMINARY_REPORTED_ON,
	INF_FINAL_REPORTED_ON, INF_PEOPLE_NOTIFIED_ON, INF_AUDIT_ID,
	INF_STATE, INF_REPORTED_BY, INF_CLOSED_BY, INF_CREATED_BY,
	INF_CREATED_AT, INF_UPDATED_BY, INF_UPDATED_AT, INF__MAX
};
extern const vr_resource_t vr_incident_resource;
/* The nine items of a report (Rule Art. 8(1)), by their API names. */
extern const char *const vr_report_items[];

/* A run of the scheduler (model/schedule.c): what it is asked, what it did. */
enum vr_schedule_request_field { SRF_AS_OF, SRF_DRY_RUN, SRF__MAX };
enum vr_schedule_report_field {
	SPF_AS_OF, SPF_DRY_RUN, SPF_OPENED, SPF_ALREADY_OPEN, SPF_NOTICES,
	SPF__MAX
};
enum vr_schedule_opened_field {
	SOF_VENDOR_ID, SOF_CYCLE, SOF_ASSESSMENT_ID, SOF__MAX
};
enum vr_schedule_notice_field {
	SNF_TYPE, SNF_ENTITY, SNF_ENTITY_ID, SNF_DUE, SNF__MAX
};
extern const vr_resource_t vr_schedule_request_resource;
extern const vr_resource_t vr_schedule_report_resource;
extern const vr_resource_t vr_schedule_opened_resource;
extern const vr_resource_t vr_schedule_notice_resource;

/*
 * The supervision record (監督記録, model/supervision.c): everything that
 * shows a vendor was supervised, as GET /vendors/{id}/record packs it.
 */
enum vr_supervision_field {
	SUP_VENDOR_ID, SUP_GENERATED_AT, SUP_GENERATED_BY, SUP_AS_OF_AUDIT_ID,
	SUP_AS_OF_HASH, SUP_VENDOR, SUP_TIER_RULE, SUP_DUTIES,
	SUP_ASSESSMENTS, SUP_SUBCONTRACTS, SUP_CHAIN, SUP_INCIDENTS, SUP__MAX
};
/* A case of the record: an assessment as submitted and decided. */
enum vr_record_case_field {
	RCF_ID, RCF_VERSION, RCF_KIND, RCF_CYCLE, RCF_STATE, RCF_TEMPLATE_ID,
	RCF_TIER, RCF_ANSWERED, RCF_REQUIRED, RCF_SCORE, RCF_SECTION_SCORES,
	RCF_REQUESTED_BY, RCF_REVIEWED_BY, RCF_DECIDED_BY, RCF_CREATED_AT,
	RCF_UPDATED_BY, RCF_UPDATED_AT, RCF_SUBMITTED_AUDIT_ID,
	RCF_SUBMITTED_AT, RCF_QUESTIONS, RCF_ANSWERS, RCF_FINDINGS, RCF__MAX
};
/* What the record says of a question: enough to read an answer by. */
enum vr_record_question_field {
	RQF_CODE, RQF_TEXT, RQF_TYPE, RQF_REQUIRED, RQF_MANDATORY, RQF_BASIS,
	RQF__MAX
};
enum vr_record_answer_field {
	RAF_QUESTION, RAF_VALUE, RAF_NOTE, RAF_EVIDENCE, RAF_ANSWERED_BY,
	RAF_ANSWERED_AT, RAF__MAX
};
/* Who requested, reviewed and decided one case (segregation of duties). */
enum vr_duty_field {
	DTF_ENTITY, DTF_ENTITY_ID, DTF_STATE, DTF_REQUESTED_BY,
	DTF_REVIEWED_BY, DTF_DECIDED_BY, DTF_INDEPENDENT, DTF__MAX
};
/* audit-log.json of the pack: the audit rows behind the record. */
enum vr_audit_trail_field { ATF_VENDOR_ID, ATF_ROWS, ATF__MAX };
/* The after-image of the audit row an export writes. */
enum vr_record_export_field {
	REF_VENDOR_ID, REF_ZIP_SHA256, REF_SUMS_SHA256, REF_AS_OF_AUDIT_ID,
	REF_FILES, REF__MAX
};
extern const vr_resource_t vr_supervision_resource;
extern const vr_resource_t vr_record_case_resource;
extern const vr_resource_t vr_record_answer_resource;
extern const vr_resource_t vr_record_question_resource;
extern const vr_resource_t vr_duty_resource;
extern const vr_resource_t vr_audit_trail_resource;
extern const vr_resource_t vr_record_export_resource;

/* Outbox events the host reads with GET /events?after=N. */
enum vr_event_field {
	EF_ID, EF_TYPE, EF_ENTITY, EF_ENTITY_ID, EF_ACTOR, EF_AUDIT_ID,
	EF_REQUEST_ID, EF_CREATED_AT, EF_WORKFLOW, EF_TRANSITION, EF_FROM,
	EF_TO, EF_CHANGED, EF__MAX
};
extern const vr_resource_t vr_event_resource;

/* The append-only, hash-chained audit log. */
enum vr_audit_field {
	AF_ID, AF_AT, AF_ACTOR, AF_ACTION, AF_ENTITY, AF_ENTITY_ID,
	AF_BEFORE, AF_AFTER, AF_REQUEST_ID, AF_PREV_HASH, AF_HASH, AF__MAX
};
extern const vr_resource_t vr_audit_resource;

/* GET /audit-log/verify: the chain check, as verify-audit-log says it. */
enum vr_audit_verification_field {
	AVF_INTACT, AVF_BROKEN_AT, AVF_DETAIL, AVF_REPORT, AVF__MAX
};
extern const vr_resource_t vr_audit_verification_resource;

/* RFC 9457 problem document. */
enum vr_problem_field {
	PF_TYPE, PF_TITLE, PF_STATUS, PF_DETAIL, PF_CODE, PF_FIELD,
	PF_REQUEST_ID, PF_EXISTING_ID, PF_ERRORS, PF_ERRORS_TRUNCATED, PF__MAX
};
/* One entry of a problem's errors: every invalid field of a body. */
enum vr_problem_error_field { PEF_FIELD, PEF_CODE, PEF_DETAIL, PEF__MAX };
extern const vr_resource_t vr_problem_resource;

/* GET /health. */
enum vr_health_field {
	HF_STATUS, HF_DATABASE, HF_SCHEMA_VERSION, HF_VERSION, HF__MAX
};
extern const vr_resource_t vr_health_resource;

/* GET …/actions (workflow/vr_workflow.c). */
extern const vr_resource_t vr_actions_resource;

/* GET /stats and GET /me (model/stats.c): read-only views for the pages. */
enum vr_stats_field {
	STATS_AS_OF, STATS_VENDORS, STATS_AUDITS, STATS_FINDINGS, STATS__MAX
};
enum vr_stats_vendors_field {
	STATS_V_TIER, STATS_V_STATUS, STATS_V_COUNT, STATS_V__MAX
};
enum vr_stats_audits_field {
	STATS_A_MONTH, STATS_A_DUE, STATS_A_OVERDUE, STATS_A__MAX
};
enum vr_stats_findings_field {
	STATS_F_SEVERITY, STATS_F_AGE, STATS_F_COUNT, STATS_F__MAX
};
enum vr_me_field { ME_USER, ME_ROLES, ME__MAX };
extern const vr_resource_t vr_stats_resource;
extern const vr_resource_t vr_stats_vendors_resource,
    vr_stats_audits_resource, vr_stats_findings_resource;
extern const vr_resource_t vr_me_resource;
/* The age buckets of an open finding, by their API names (NULL-ended). */
extern const char *const vr_finding_ages[];
/* NULL-terminated value lists fields share. */
extern const char *const vr_severities[];	/* of questions, findings */
extern const char *const vr_vendor_statuses[];


#endif
