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

/* The clauses of the rule, in the order vr_tier_rule() tries them. */
static const struct {
	const char	*ja, *en;
} clauses[] = {
	{ "高: 要配慮個人情報を取り扱う（施行規則7条1号）",
	    "high: special-care personal data (Rule Art. 7(1))" },
	{ "高: 財産的被害が生じるおそれのあるデータを取り扱う"
	    "（施行規則7条2号）",
	    "high: data whose misuse can cause financial loss "
	    "(Rule Art. 7(2))" },
	{ "高: 10万人を超える個人データを取り扱う",
	    "high: personal data of more than 100,000 people" },
	{ "高: 1,000人を超える個人データを取り扱い、当社システムへの"
	    "アクセスまたは社外での作業がある（施行規則7条4号）",
	    "high: personal data of more than 1,000 people with access to our "
	    "systems or work off our premises (Rule Art. 7(4))" },
	{ "中: 個人データを取り扱う", "medium: personal data" },
	{ "中: 機密の業務データを取り扱う",
	    "medium: confidential business data" },
	{ "中: 当社システムへのアクセスがある",
	    "medium: access to our systems" },
	{ "低: 個人データ・機密データ・システムアクセスのいずれもない",
	    "low: no personal data, confidential data or system access" },
};

void
vr_tier_rule(const vr_risk_profile_t *r, const char **ja, const char **en)
{
	const char	*pd = r->personal_data ? r->personal_data : "none";
	bool		 any_pd = strcmp(pd, "none") != 0;
	bool		 over_1000 = any_pd && strcmp(pd, "le_1000") != 0;
	size_t		 k;

	if (r->special_care_data)
		k = 0;
	else if (r->payment_data)
		k = 1;
	else if (strcmp(pd, "gt_100000") == 0)
		k = 2;
	else if (over_1000 && (r->system_access || r->offsite_work))
		k = 3;
	else if (any_pd)
		k = 4;
	else if (r->confidential_data)
		k = 5;
	else if (r->system_access)
		k = 6;
	else
		k = 7;
	*ja = clauses[k].ja;
	*en = clauses[k].en;
}

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
