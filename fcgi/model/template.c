/*
 * The check-sheet template (チェックシート) field tables: a template holds
 * sections, a section questions, a choice question its options; texts
 * are ja/en labels.  How answers are scored from these fields is in
 * docs/scoring.md.
 */
#include <stdint.h>

#include "../domain/vr_tier.h"
#include "vr_model.h"

static const char *const kinds[] = {
	"onboarding", "periodic_audit", "subcontract", NULL
};
const char *const vr_severities[] = { "high", "medium", "low", NULL };

/* Codes are what people type in sheets and URLs: letters, digits, _ -. */
static const char *
check_code(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return "must be letters, digits, _ or -";
	return NULL;
}

static const vr_field_t label_fields[LF__MAX] = {
	[LF_JA] = { .name = "ja", .type = VR_T_TEXT, .flags = VR_F_REQUIRED,
	    .max_chars = 2000, .doc = "Japanese (the default)." },
	[LF_EN] = { .name = "en", .type = VR_T_TEXT, .flags = VR_F_NULLABLE,
	    .max_chars = 2000, .doc = "English." },
};

const vr_resource_t vr_label_resource = {
	.name = "label", .xmlns = VR_XMLNS, .fields = label_fields,
	.nfields = LF__MAX,
};

#define LABEL(n, fl, d) { .name = n, .type = VR_T_RECORD, .flags = (fl), \
	.sub = &vr_label_resource, .doc = d }
#define CODE(n, max, d) { .name = n, .type = VR_T_TEXT, \
	.flags = VR_F_REQUIRED, .max_chars = max, .check = check_code, \
	.doc = d }
#define FLAG(n, d) { .name = n, .type = VR_T_BOOL, .max = 1, .doc = d }

static const vr_field_t option_fields[TOF__MAX] = {
	[TOF_CODE] = CODE("code", 32, "Option code, unique in its question."),
	[TOF_LABEL] = LABEL("label", VR_F_REQUIRED, "What the vendor sees."),
	[TOF_SCORE] = { .name = "score", .type = VR_T_INT,
	    .flags = VR_F_REQUIRED, .max = 100,
	    .doc = "Score 0-100 of this answer (docs/scoring.md)." },
};

const vr_resource_t vr_template_option_resource = {
	.name = "option", .xmlns = VR_XMLNS, .fields = option_fields,
	.nfields = TOF__MAX,
};

static const vr_field_t option_item = {
	.name = "option", .type = VR_T_RECORD,
	.sub = &vr_template_option_resource, .doc = "One option." };
static const vr_field_t tier_item = {
	.name = "tier", .type = VR_T_ENUM, .enum_values = vr_tiers,
	.doc = "A risk tier: high, medium or low." };

static const vr_field_t question_fields[TQF__MAX] = {
	[TQF_CODE] = CODE("code", 16, "Question code, unique in the "
	    "template, e.g. CT-01."),
	[TQF_TEXT] = LABEL("text", VR_F_REQUIRED, "The question."),
	[TQF_HELP] = LABEL("help", VR_F_NULLABLE, "What is expected, "
	    "what evidence helps."),
	[TQF_TYPE] = { .name = "type", .type = VR_T_ENUM,
	    .flags = VR_F_REQUIRED, .enum_values = vr_answer_types,
	    .doc = "yes_no, single_choice, multiple_choice, number, date "
	    "or text." },
	[TQF_REQUIRED] = FLAG("required", "Must be answered to submit."),
	[TQF_NA_ALLOWED] = FLAG("na_allowed", "yes_no: na (not applicable) "
	    "is allowed."),
	[TQF_WEIGHT] = { .name = "weight", .type = VR_T_INT, .max = 10,
	    .doc = "Weight 0-10 in the score; 0 for number, date, text." },
	[TQF_MANDATORY] = FLAG("mandatory", "A mandatory control: an answer "
	    "scoring 0 is a finding of its severity."),
	[TQF_SEVERITY] = { .name = "severity", .type = VR_T_ENUM,
	    .flags = VR_F_REQUIRED, .enum_values = vr_severities,
	    .doc = "Severity of a finding on it: high, medium, low." },
	[TQF_OPTIONS] = { .name = "options", .type = VR_T_LIST,
	    .items = &option_item, .max_items = 10,
	    .doc = "Choice questions: 2-10 options." },
	[TQF_TIERS] = { .name = "tiers", .type = VR_T_LIST,
	    .flags = VR_F_REQUIRED, .items = &tier_item, .max_items = 3,
	    .doc = "The tiers whose vendors are asked it." },
	[TQF_BASIS] = { .name = "basis", .type = VR_T_TEXT,
	    .flags = VR_F_REQUIRED, .max_chars = 64,
	    .doc = "The guideline it serves, e.g. GL 3-4-4." },
};

const vr_resource_t vr_template_question_resource = {
	.name = "question", .xmlns = VR_XMLNS, .fields = question_fields,
	.nfields = TQF__MAX,
};

static const vr_field_t question_item = {
	.name = "question", .type = VR_T_RECORD,
	.sub = &vr_template_question_resource, .doc = "One question." };

static const vr_field_t section_fields[TSF__MAX] = {
	[TSF_CODE] = CODE("code", 8, "Section code, e.g. CT."),
	[TSF_TITLE] = LABEL("title", VR_F_REQUIRED, "Section title."),
	[TSF_QUESTIONS] = { .name = "questions", .type = VR_T_LIST,
	    .flags = VR_F_REQUIRED, .items = &question_item,
	    .max_items = 200, .doc = "Its questions, in order." },
};

const vr_resource_t vr_template_section_resource = {
	.name = "section", .xmlns = VR_XMLNS, .fields = section_fields,
	.nfields = TSF__MAX,
};

static const vr_field_t section_item = {
	.name = "section", .type = VR_T_RECORD,
	.sub = &vr_template_section_resource, .doc = "One section." };

static const vr_field_t template_fields[TF__MAX] = {
	[TF_ID] = { .name = "id", .column = "id", .type = VR_T_INT,
	    .flags = VR_F_ID | VR_F_SERVER, .min = 1, .max = INT64_MAX,
	    .doc = "Template id, assigned by the server." },
	[TF_CODE] = { .name = "code", .column = "code", .type = VR_T_TEXT,
	    .flags = VR_F_REQUIRED, .max_chars = 64, .check = check_code,
	    .doc = "Template code, e.g. onboarding." },
	[TF_VERSION] = { .name = "version", .column = "version",
	    .type = VR_T_INT, .flags = VR_F_REQUIRED, .min = 1,
	    .max = 1000000, .doc = "Its version: a published version never "
	    "changes, a new one is a new template with the same code." },
	[TF_KIND] = { .name = "kind", .column = "kind", .type = VR_T_ENUM,
	    .flags = VR_F_REQUIRED, .enum_values = kinds,
	    .doc = "onboarding, periodic_audit or subcontract." },
	[TF_TITLE] = { .name = "title", .column = "title",
	    .type = VR_T_RECORD, .flags = VR_F_REQUIRED,
	    .sub = &vr_label_resource, .doc = "Title." },
	[TF_SECTIONS] = { .name = "sections", .column = "sections",
	    .type = VR_T_LIST, .flags = VR_F_REQUIRED, .items = &section_item,
	    .max_items = 30, .doc = "Its sections, in order." },
	[TF_QUESTIONS] = { .name = "questions", .column = "questions",
	    .type = VR_T_INT, .flags = VR_F_SERVER, .max = INT32_MAX,
	    .doc = "How many questions it has." },
	[TF_CREATED_BY] = { .name = "created_by", .column = "created_by",
	    .type = VR_T_TEXT, .flags = VR_F_SERVER | VR_F_CREATOR,
	    .doc = "Who imported it." },
	[TF_CREATED_AT] = { .name = "created_at", .column = "created_at",
	    .type = VR_T_TIME, .flags = VR_F_SERVER | VR_F_CREATED,
	    .doc = "When (UTC)." },
};

const vr_resource_t vr_template_resource = {
	.name = "template", .plural = "templates", .table = "vr_templates",
	.xmlns = VR_XMLNS, .fields = template_fields, .nfields = TF__MAX
};
