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
	VF_OFFSITE_WORK, VF_TIER, VF_STATUS, VF_CREATED_BY, VF_CREATED_AT,
	VF_UPDATED_BY, VF_UPDATED_AT, VF__MAX
};
extern const vr_resource_t vr_vendor_resource;

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

/* Outbox events the host reads with GET /events?after=N. */
enum vr_event_field {
	EF_ID, EF_TYPE, EF_ENTITY, EF_ENTITY_ID, EF_ACTOR, EF_AUDIT_ID,
	EF_REQUEST_ID, EF_CREATED_AT, EF__MAX
};
extern const vr_resource_t vr_event_resource;

/* The append-only, hash-chained audit log. */
enum vr_audit_field {
	AF_ID, AF_AT, AF_ACTOR, AF_ACTION, AF_ENTITY, AF_ENTITY_ID,
	AF_BEFORE, AF_AFTER, AF_REQUEST_ID, AF_PREV_HASH, AF_HASH, AF__MAX
};
extern const vr_resource_t vr_audit_resource;

/* RFC 9457 problem document. */
enum vr_problem_field {
	PF_TYPE, PF_TITLE, PF_STATUS, PF_DETAIL, PF_CODE, PF_FIELD,
	PF_REQUEST_ID, PF__MAX
};
extern const vr_resource_t vr_problem_resource;

/* GET /health. */
enum vr_health_field {
	HF_STATUS, HF_DATABASE, HF_SCHEMA_VERSION, HF_VERSION, HF__MAX
};
extern const vr_resource_t vr_health_resource;

/* The resources whose XML documents api.xsd describes. */
extern const vr_resource_t *const vr_api_resources[];

#endif
