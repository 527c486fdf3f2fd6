/*
 * The incident (漏えい等) field table: a leak, or a suspected one, at a
 * vendor.  The plugin says whether it must be reported to the PPC (Rule
 * Art. 7) and by when (Rule Art. 8), which of the nine report items are
 * still unknown, and records when each report and the notice to the
 * people were made.
 */
#include <stdint.h>

#include "vr_model.h"

static const char *const causes[] = {
	"malware", "unauthorised_access", "insider_take_out", "lost_media",
	"misdirected_mail", "misconfiguration", "theft", "other", NULL
};

/* The cases of Rule Art. 7 that make a leak reportable. */
static const char *const report_cases[] = {
	"special_care_data", "financial_loss", "improper_purpose",
	"over_1000_people", NULL
};

const char *const vr_report_items[] = {
	"overview", "personal_data_items", "people_count", "cause",
	"secondary_harm", "actions_for_people", "publication", "prevention",
	"other", NULL
};

static const vr_field_t data_class = {
	.name = "data_class", .type = VR_T_ENUM, .enum_values = vr_data_classes,
	.doc = "personal_data, special_care_data, payment_data or "
	"confidential_data." };
static const vr_field_t report_item = {
	.name = "item", .type = VR_T_ENUM, .enum_values = vr_report_items,
	.doc = "overview, personal_data_items, people_count, cause, "
	"secondary_harm, actions_for_people, publication, prevention, "
	"other." };
static const vr_field_t report_case = {
	.name = "case", .type = VR_T_ENUM, .enum_values = report_cases,
	.doc = "special_care_data, financial_loss, improper_purpose, "
	"over_1000_people." };

#define FLAG(n, d) { .name = n, .column = n, .type = VR_T_BOOL, .max = 1, \
	.dflt = "0", .doc = d }
#define DATE(n, fl, d) { .name = n, .column = n, .type = VR_T_DATE, \
	.flags = (fl), .doc = d }
#define ITEMS(n, it, fl, d) { .name = n, .column = n, .type = VR_T_LIST, \
	.flags = (fl), .items = &it, .max_items = 9, .doc = d }
#define SERVER(n, t, d) { .name = n, .column = n, .type = t, \
	.flags = VR_F_SERVER | VR_F_NULLABLE, .max = INT64_MAX, .doc = d }
#define STAMP(n, t, fl, d) { .name = n, .column = n, .type = t, \
	.flags = VR_F_SERVER | (fl), .doc = d }

static const vr_field_t incident_fields[INF__MAX] = {
	[INF_ID] = { .name = "id", .column = "id", .type = VR_T_INT,
	    .flags = VR_F_ID | VR_F_SERVER, .min = 1, .max = INT64_MAX,
	    .doc = "Incident id." },
	[INF_VERSION] = { .name = "version", .column = "version",
	    .type = VR_T_INT, .flags = VR_F_VERSION, .min = 1,
	    .max = INT32_MAX, .doc = "Optimistic-lock version: send the one "
	    "you read." },
	[INF_VENDOR_ID] = { .name = "vendor_id", .column = "vendor_id",
	    .type = VR_T_INT, .flags = VR_F_REQUIRED, .min = 1,
	    .max = INT64_MAX, .doc = "The vendor where it happened." },
	[INF_HOST_REF] = { .name = "host_ref", .column = "host_ref",
	    .type = VR_T_TEXT, .flags = VR_F_NULLABLE, .max_chars = 64,
	    .doc = "The host's ticket." },
	[INF_DETECTED_AT] = DATE("detected_at", VR_F_NULLABLE,
	    "The day it was detected (at the vendor or here)."),
	[INF_AWARE_ON] = DATE("aware_on", VR_F_REQUIRED, "The day any "
	    "department of the company learned of it: day 1 of the "
	    "deadlines (at the latest the day the vendor's notice came)."),
	[INF_DATA_CLASSES] = ITEMS("data_classes", data_class, VR_F_REQUIRED,
	    "The data leaked or that may have leaked."),
	[INF_PEOPLE_AFFECTED] = { .name = "people_affected",
	    .column = "people_affected", .type = VR_T_INT,
	    .flags = VR_F_REQUIRED, .max = INT32_MAX,
	    .doc = "How many people: the largest possible count when it is "
	    "not known." },
	[INF_PEOPLE_ESTIMATE] = FLAG("people_affected_is_estimate",
	    "people_affected is an estimate."),
	[INF_CAUSE] = { .name = "cause", .column = "cause", .type = VR_T_ENUM,
	    .flags = VR_F_REQUIRED, .enum_values = causes,
	    .doc = "malware, unauthorised_access, insider_take_out, "
	    "lost_media, misdirected_mail, misconfiguration, theft, other." },
	[INF_MALICIOUS] = FLAG("malicious", "An act that may have had an "
	    "improper purpose (不正の目的): an attack, theft, taking data "
	    "out."),
	[INF_ENCRYPTED] = FLAG("encrypted", "The data was strongly encrypted "
	    "(高度な暗号化): then it is not reportable."),
	[INF_DESCRIPTION] = { .name = "description", .column = "description",
	    .type = VR_T_TEXT, .flags = VR_F_NULLABLE, .max_chars = 8000,
	    .doc = "What happened, as known." },
	[INF_VENDOR_NOTIFIED_ON] = DATE("vendor_notified_on", VR_F_NULLABLE,
	    "The day the vendor's notice to us came."),
	[INF_VENDOR_NOTICE_ITEMS] = ITEMS("vendor_notice_items", report_item,
	    VR_F_NULLABLE, "The report items the vendor's notice covered."),
	[INF_KNOWN_ITEMS] = ITEMS("known_items", report_item, VR_F_NULLABLE,
	    "The report items known so far (with the vendor's)."),
	[INF_REQUIRE_AUDIT] = FLAG("require_audit", "Closing opens an extra "
	    "audit of the vendor."),
	[INF_REPORTABLE] = { .name = "reportable", .column = "reportable",
	    .type = VR_T_BOOL, .flags = VR_F_SERVER, .max = 1,
	    .doc = "It must be reported to the PPC (Rule Art. 7)." },
	[INF_REPORTABLE_CASES] = ITEMS("reportable_cases", report_case,
	    VR_F_SERVER, "Which cases of Rule Art. 7 apply."),
	[INF_PRELIMINARY_DUE] = DATE("preliminary_due", VR_F_SERVER |
	    VR_F_NULLABLE, "The preliminary report's target (速報, "
	    "preliminary_report_days from aware_on; practice)."),
	[INF_FINAL_DUE] = DATE("final_due", VR_F_SERVER | VR_F_NULLABLE,
	    "The final report's deadline (確報: day 30, or 60 for an improper "
	    "purpose, moved past weekends, national holidays and 29 Dec-3 "
	    "Jan)."),
	[INF_DEADLINE_NOTE] = SERVER("deadline_note", VR_T_TEXT,
	    "Why a deadline may be off (a year whose holidays are not "
	    "loaded)."),
	[INF_UNKNOWN_ITEMS] = ITEMS("unknown_items", report_item, VR_F_SERVER,
	    "The report items still unknown."),
	[INF_PRELIMINARY_REPORTED_ON] = DATE("preliminary_reported_on",
	    VR_F_SERVER | VR_F_NULLABLE, "When the preliminary report was "
	    "made."),
	[INF_FINAL_REPORTED_ON] = DATE("final_reported_on", VR_F_SERVER |
	    VR_F_NULLABLE, "When the final report was made."),
	[INF_PEOPLE_NOTIFIED_ON] = DATE("people_notified_on", VR_F_SERVER |
	    VR_F_NULLABLE, "When the people affected were notified (Art. "
	    "26(2))."),
	[INF_AUDIT_ID] = SERVER("audit_id", VR_T_INT, "The extra audit "
	    "closing opened."),
	[INF_STATE] = { .name = "state", .column = "state", .type = VR_T_TEXT,
	    .flags = VR_F_SERVER, .doc = "Its state in the workflow." },
	[INF_REPORTED_BY] = STAMP("reported_by", VR_T_TEXT, 0,
	    "Who recorded it."),
	[INF_CLOSED_BY] = SERVER("closed_by", VR_T_TEXT, "Who closed it."),
	[INF_CREATED_BY] = STAMP("created_by", VR_T_TEXT, VR_F_CREATOR,
	    "Who created it."),
	[INF_CREATED_AT] = STAMP("created_at", VR_T_TIME, VR_F_CREATED,
	    "When (UTC)."),
	[INF_UPDATED_BY] = STAMP("updated_by", VR_T_TEXT, VR_F_UPDATER,
	    "Who changed it last."),
	[INF_UPDATED_AT] = STAMP("updated_at", VR_T_TIME, VR_F_UPDATED,
	    "When (UTC)."),
};

const vr_resource_t vr_incident_resource = {
	.name = "incident", .plural = "incidents", .table = "vr_incidents",
	.xmlns = VR_XMLNS, .fields = incident_fields, .nfields = INF__MAX,
};
