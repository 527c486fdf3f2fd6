/*
 * The vendor (委託先) field table.  The inherent-risk profile is flat
 * fields (personal_data band and five flags); the tier is computed from
 * it by vr_tier_of() and never taken from the client.
 */
#include <stdint.h>

#include "../domain/vr_corpnum.h"
#include "../domain/vr_tier.h"
#include "vr_model.h"

static const char *const contract_types[] = { "ukeoi", "jun_inin", NULL };
static const char *const statuses[] = {
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

#define TEXT(n, max, fl, chk, d) \
	{ n, n, VR_T_TEXT, fl, max, 0, 0, NULL, chk, d }
#define FLAG(n, d) \
	{ n, n, VR_T_BOOL, 0, 0, 0, 1, NULL, NULL, d }
#define SERVER_TEXT(n, d) \
	{ n, n, VR_T_TEXT, VR_F_SERVER, 0, 0, 0, NULL, NULL, d }
#define SERVER_TIME(n, d) \
	{ n, n, VR_T_TIME, VR_F_SERVER, 0, 0, 0, NULL, NULL, d }

static const vr_field_t vendor_fields[VF__MAX] = {
	[VF_ID] = { "id", "id", VR_T_INT, VR_F_ID | VR_F_SERVER, 0, 1,
	    INT64_MAX, NULL, NULL, "Vendor id, assigned by the server." },
	[VF_VERSION] = { "version", "version", VR_T_INT, VR_F_VERSION, 0, 1,
	    INT32_MAX, NULL, NULL, "Optimistic-lock version: send the one "
	    "you read with every PATCH; a stale one is 409." },
	[VF_NAME] = TEXT("name", 200, VR_F_REQUIRED, check_no_controls,
	    "Legal name (商号), at most 200 characters."),
	[VF_NAME_KANA] = TEXT("name_kana", 200, VR_F_NULLABLE,
	    check_no_controls, "Name in kana (フリガナ)."),
	[VF_CORPORATE_NUMBER] = TEXT("corporate_number", 13, VR_F_NULLABLE,
	    vr_corpnum_check, "法人番号: 13 digits, check digit verified."),
	[VF_ADDRESS] = TEXT("address", 400, VR_F_NULLABLE, check_no_controls,
	    "Registered address."),
	[VF_CONTACT_NAME] = TEXT("contact_name", 200, VR_F_NULLABLE,
	    check_no_controls, "Person to contact at the vendor."),
	[VF_CONTACT_EMAIL] = TEXT("contact_email", 254, VR_F_NULLABLE,
	    check_email, "E-mail of the contact."),
	[VF_CONTRACT_TYPE] = { "contract_type", "contract_type", VR_T_ENUM,
	    VR_F_NULLABLE, 0, 0, 0, contract_types, NULL,
	    "Contract type: ukeoi (請負) or jun_inin (準委任)." },
	[VF_OWNER_DEPARTMENT] = TEXT("owner_department", 200, VR_F_NULLABLE,
	    check_no_controls, "Our department that owns the relationship."),
	[VF_PERSONAL_DATA] = { "personal_data", "personal_data", VR_T_ENUM,
	    0, 0, 0, 0, vr_personal_data_bands, NULL,
	    "Personal data handed over, by number of people: none, "
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
	[VF_TIER] = { "tier", "tier", VR_T_ENUM, VR_F_SERVER, 0, 0, 0,
	    vr_tiers, NULL, "Risk tier computed from the profile "
	    "(docs/risk-tier.md): high, medium, low." },
	[VF_STATUS] = { "status", "status", VR_T_ENUM, VR_F_ADMIN, 0, 0, 0,
	    statuses, NULL, "candidate, approved, suspended, terminated; "
	    "set by workflows, or by an admin." },
	[VF_CREATED_BY] = SERVER_TEXT("created_by", "Who registered it."),
	[VF_CREATED_AT] = SERVER_TIME("created_at", "When (UTC)."),
	[VF_UPDATED_BY] = SERVER_TEXT("updated_by", "Who changed it last."),
	[VF_UPDATED_AT] = SERVER_TIME("updated_at", "When (UTC)."),
};

const vr_resource_t vr_vendor_resource = {
	"vendor", "vendors", "vr_vendors", VR_XMLNS, vendor_fields, VF__MAX
};
