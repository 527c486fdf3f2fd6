/*
 * The vendor (委託先) field table.  The inherent-risk profile is flat
 * fields (personal_data band and five flags); the tier is computed from
 * it by vr_tier_of() and never taken from the client.
 */
#include <stdint.h>
#include <string.h>

#include "../domain/vr_corpnum.h"
#include "../domain/vr_tier.h"
#include "vr_model.h"

static const char *const contract_types[] = { "ukeoi", "jun_inin", NULL };
const char *const vr_vendor_statuses[] = {
	"candidate", "approved", "suspended", "terminated", NULL
};

static const char *
check_email(const char *s)
{
	const char	*at = NULL, *p;

	for (p = s; *p != '\0'; p++) {
		if (*p == '@') {
			if (at != NULL)
				return "must hold exactly one @";
			at = p;
		} else if ((unsigned char)*p <= ' ')
			return "must not contain spaces or control characters";
	}
	if (at == NULL || at == s || at[1] == '\0')
		return "must look like local@domain";
	return NULL;
}

static const char *
check_no_controls(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return "must not contain control characters";
	return NULL;
}

/* A name must hold more than spaces (ASCII or U+3000 full-width). */
static const char *
check_name(const char *s)
{
	const char	*p;

	for (p = s; *p == ' ' || strncmp(p, "\xe3\x80\x80", 3) == 0;
	    p += *p == ' ' ? 1 : 3)
		;
	if (*p == '\0')
		return "must not be only spaces";
	return check_no_controls(s);
}

/* Pマーク (JIPDEC), ISMS / ISO/IEC 27001, or another one it names. */
static const char *const cert_kinds[] = { "pmark", "isms", "other", NULL };

static const vr_field_t cert_fields[CERF__MAX] = {
	[CERF_KIND] = { .name = "kind", .type = VR_T_ENUM,
	    .flags = VR_F_REQUIRED, .enum_values = cert_kinds,
	    .doc = "pmark (プライバシーマーク), isms (ISMS / ISO/IEC 27001) "
	    "or other." },
	[CERF_NAME] = { .name = "name", .type = VR_T_TEXT,
	    .flags = VR_F_NULLABLE, .max_chars = 100, .check = check_no_controls,
	    .doc = "What it is; required for other (e.g. ISO/IEC 27701)." },
	[CERF_NUMBER] = { .name = "number", .type = VR_T_TEXT,
	    .flags = VR_F_NULLABLE, .max_chars = 64, .check = check_no_controls,
	    .doc = "Its registration number (登録番号)." },
	[CERF_EXPIRES_ON] = { .name = "expires_on", .type = VR_T_DATE,
	    .flags = VR_F_REQUIRED, .doc = "The last day it is valid; the "
	    "scheduler raises vendor.certification_expiring ahead of it." },
};

static const vr_resource_t cert_resource = {
	.name = "certification", .xmlns = VR_XMLNS, .fields = cert_fields,
	.nfields = CERF__MAX
};

static const vr_field_t cert_item = {
	.name = "certification", .type = VR_T_RECORD, .sub = &cert_resource,
};

#define TEXT(n, max, fl, chk, d) { .name = n, .column = n, \
	.type = VR_T_TEXT, .flags = fl, .max_chars = max, .check = chk, \
	.doc = d }
#define FLAG(n, d) { .name = n, .column = n, .type = VR_T_BOOL, .max = 1, \
	.dflt = "0", .doc = d }
#define STAMP(n, t, fl, d) { .name = n, .column = n, .type = t, \
	.flags = VR_F_SERVER | (fl), .doc = d }

static const vr_field_t vendor_fields[VF__MAX] = {
	[VF_ID] = { .name = "id", .column = "id", .type = VR_T_INT,
	    .flags = VR_F_ID | VR_F_SERVER, .min = 1, .max = INT64_MAX,
	    .doc = "Vendor id, assigned by the server." },
	[VF_VERSION] = { .name = "version", .column = "version",
	    .type = VR_T_INT, .flags = VR_F_VERSION, .min = 1,
	    .max = INT32_MAX, .doc = "Optimistic-lock version: send the one "
	    "you read with every PATCH; a stale one is 409." },
	[VF_NAME] = TEXT("name", 200, VR_F_REQUIRED, check_name,
	    "Legal name (商号), at most 200 characters."),
	[VF_NAME_KANA] = TEXT("name_kana", 200, VR_F_NULLABLE,
	    check_no_controls, "Name in kana (フリガナ)."),
	[VF_CORPORATE_NUMBER] = { .name = "corporate_number",
	    .column = "corporate_number", .type = VR_T_TEXT,
	    .flags = VR_F_NULLABLE, .max_chars = 13, .max_input = 40,
	    .check = vr_corpnum_check, .normalize = vr_corpnum_normalize,
	    .doc = "法人番号: 13 digits, check digit verified; hyphens, "
	    "spaces and full-width digits are folded first." },
	[VF_ADDRESS] = TEXT("address", 400, VR_F_NULLABLE, check_no_controls,
	    "Registered address."),
	[VF_CONTACT_NAME] = TEXT("contact_name", 200, VR_F_NULLABLE,
	    check_no_controls, "Person to contact at the vendor."),
	[VF_CONTACT_EMAIL] = TEXT("contact_email", 254, VR_F_NULLABLE,
	    check_email, "E-mail of the contact."),
	[VF_CONTRACT_TYPE] = { .name = "contract_type",
	    .column = "contract_type", .type = VR_T_ENUM,
	    .flags = VR_F_NULLABLE, .enum_values = contract_types,
	    .doc = "Contract type: ukeoi (請負) or jun_inin (準委任)." },
	[VF_OWNER_DEPARTMENT] = TEXT("owner_department", 200, VR_F_NULLABLE,
	    check_no_controls, "Our department that owns the relationship."),
	[VF_PERSONAL_DATA] = { .name = "personal_data",
	    .column = "personal_data", .type = VR_T_ENUM,
	    .enum_values = vr_personal_data_bands, .dflt = "none",
	    .doc = "Personal data handed over, by number of people: none, "
	    "le_1000, le_100000, gt_100000." },
	[VF_SPECIAL_CARE_DATA] = FLAG("special_care_data",
	    "Special-care personal data (要配慮個人情報)."),
	[VF_PAYMENT_DATA] = FLAG("payment_data",
	    "Data whose misuse can cause financial loss (card numbers, ...)."),
	[VF_CONFIDENTIAL_DATA] = FLAG("confidential_data",
	    "Confidential business data."),
	[VF_SYSTEM_ACCESS] = FLAG("system_access",
	    "The vendor gets access to our systems."),
	[VF_OFFSITE_WORK] = FLAG("offsite_work",
	    "Work or data leaves our premises."),
	[VF_TIER] = { .name = "tier", .column = "tier", .type = VR_T_ENUM,
	    .flags = VR_F_SERVER, .enum_values = vr_tiers,
	    .doc = "Risk tier computed from the profile "
	    "(docs/risk-tier.md): high, medium, low." },
	[VF_STATUS] = { .name = "status", .column = "status",
	    .type = VR_T_ENUM, .flags = VR_F_ADMIN, .enum_values = vr_vendor_statuses,
	    .dflt = "candidate", .doc = "candidate, approved, suspended, "
	    "terminated; approved only by the onboarding workflow, the "
	    "others also by an admin." },
	[VF_NEXT_AUDIT_DUE] = { .name = "next_audit_due",
	    .column = "next_audit_due", .type = VR_T_DATE,
	    .flags = VR_F_ADMIN | VR_F_NULLABLE, .doc = "When its next "
	    "periodic audit is due: set by approval and by a passed audit "
	    "(by tier); an admin may move it." },
	[VF_NEEDS_REVIEW] = { .name = "needs_review", .column = "needs_review",
	    .type = VR_T_BOOL, .flags = VR_F_SERVER, .max = 1, .dflt = "0",
	    .doc = "An approved vendor's tier went up or it got a data "
	    "class it was not assessed for: start a new assessment." },
	[VF_DUPLICATE_OF] = { .name = "duplicate_of", .column = "duplicate_of",
	    .type = VR_T_INT, .flags = VR_F_ADMIN | VR_F_NULLABLE, .min = 1,
	    .max = INT64_MAX, .doc = "A deliberate second vendor with the "
	    "same 法人番号 (e.g. a second contract): the id of a vendor "
	    "holding it; an admin's, with duplicate_reason." },
	[VF_DUPLICATE_REASON] = TEXT("duplicate_reason", 400,
	    VR_F_ADMIN | VR_F_NULLABLE, check_no_controls, "Why this vendor "
	    "shares its 法人番号 with duplicate_of; an admin's."),
	[VF_CONTRACT_START] = { .name = "contract_start",
	    .column = "contract_start", .type = VR_T_DATE,
	    .flags = VR_F_NULLABLE, .doc = "First day of the contract." },
	[VF_CONTRACT_END] = { .name = "contract_end", .column = "contract_end",
	    .type = VR_T_DATE, .flags = VR_F_NULLABLE, .doc = "Last day of "
	    "the contract; not before contract_start." },
	[VF_RENEWAL_DATE] = { .name = "renewal_date", .column = "renewal_date",
	    .type = VR_T_DATE, .flags = VR_F_NULLABLE, .doc = "When the "
	    "contract is next renewed (契約更新日)." },
	[VF_CERTIFICATIONS] = { .name = "certifications",
	    .column = "certifications", .type = VR_T_LIST,
	    .flags = VR_F_NULLABLE, .items = &cert_item, .max_items = 20,
	    .doc = "Its certifications, each with kind, number and expiry; "
	    "a PATCH gives the whole list." },
	[VF_CREATED_BY] = STAMP("created_by", VR_T_TEXT, VR_F_CREATOR,
	    "Who registered it."),
	[VF_CREATED_AT] = STAMP("created_at", VR_T_TIME, VR_F_CREATED,
	    "When (UTC)."),
	[VF_UPDATED_BY] = STAMP("updated_by", VR_T_TEXT, VR_F_UPDATER,
	    "Who changed it last."),
	[VF_UPDATED_AT] = STAMP("updated_at", VR_T_TIME, VR_F_UPDATED,
	    "When (UTC)."),
	/* Kept by the database (sql/008_vendor_register.sql), never shown. */
	[VF_SEARCH_TEXT] = { .name = "search_text", .column = "search_text",
	    .type = VR_T_TEXT, .flags = VR_F_SERVER | VR_F_HIDDEN | VR_F_DB,
	    .doc = "Name, kana, number and address as q is matched." },
	[VF_KANA_KEY] = { .name = "kana_key", .column = "kana_key",
	    .type = VR_T_TEXT, .flags = VR_F_SERVER | VR_F_HIDDEN | VR_F_DB,
	    .doc = "Sort key of the kana, or the name, in 五十音 order "
	    "(sort=kana)." },
};

const vr_resource_t vr_vendor_resource = {
	.name = "vendor", .plural = "vendors", .table = "vr_vendors",
	.xmlns = VR_XMLNS, .fields = vendor_fields, .nfields = VF__MAX
};
