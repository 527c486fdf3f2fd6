/*
 * vr_tier: the inherent-risk tier of a vendor from its profile.
 */
#ifndef VR_TIER_H
#define VR_TIER_H

#include <stdbool.h>

typedef struct vr_risk_profile {
	const char	*personal_data;	/* a member of vr_personal_data_bands */
	bool		 special_care_data;
	bool		 payment_data;
	bool		 confidential_data;
	bool		 system_access;
	bool		 offsite_work;
} vr_risk_profile_t;

extern const char *const vr_personal_data_bands[];	/* NULL-terminated */
extern const char *const vr_tiers[];			/* NULL-terminated */

/* "high", "medium" or "low"; the rule is in docs/risk-tier.md. */
const char	*vr_tier_of(const vr_risk_profile_t *);

/*
 * The clause of the rule that gives r its tier, in Japanese and English
 * (static texts): what the supervision record shows as the tier's reason.
 */
void		 vr_tier_rule(const vr_risk_profile_t *, const char **ja,
		    const char **en);

#endif
