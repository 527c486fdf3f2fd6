/*
 * vr_tier: the risk-tier rule (docs/risk-tier.md).  It follows the cases
 * APPI treats as grave (Rule Art. 7, GL 3-5-3-1): special-care and
 * payment data count from one person, and more than 1,000 people makes a
 * leak reportable; supervision scales with that risk (GL 3-4-4).
 *   high:   special-care data, payment data, personal data of more than
 *           100,000 people, or of more than 1,000 people together with
 *           access to our systems or work off our premises.
 *   medium: any other personal data, confidential business data, or
 *           access to our systems.
 *   low:    everything else.
 */
#include <string.h>

#include "vr_tier.h"

const char *const vr_personal_data_bands[] = {
	"none", "le_1000", "le_100000", "gt_100000", NULL
};

const char *const vr_tiers[] = { "high", "medium", "low", NULL };

const char *
vr_tier_of(const vr_risk_profile_t *r)
{
	const char	*pd = r->personal_data ? r->personal_data : "none";
	bool		 any_pd = strcmp(pd, "none") != 0;
	bool		 over_1000 = any_pd && strcmp(pd, "le_1000") != 0;

	if (r->special_care_data || r->payment_data ||
	    strcmp(pd, "gt_100000") == 0 ||
	    (over_1000 && (r->system_access || r->offsite_work)))
		return "high";
	if (any_pd || r->confidential_data || r->system_access)
		return "medium";
	return "low";
}
