/*
 * vr_vendor: vendor record rules beyond single fields (the tier).
 */
#include <string.h>

#include "../model/vr_model.h"
#include "vr_tier.h"
#include "vr_vendor.h"

static bool
flag(const vr_value_t *rec, int f)
{
	return rec[f].present && !rec[f].null && rec[f].i != 0;
}

vr_err_e
vr_vendor_derive(vr_value_t *rec, const vr_value_t *before, vr_problem_t *p)
{
	vr_risk_profile_t	 r;
	const char		*tier;

	(void)before;
	r.personal_data = rec[VF_PERSONAL_DATA].present &&
	    !rec[VF_PERSONAL_DATA].null ? rec[VF_PERSONAL_DATA].s : "none";
	r.special_care_data = flag(rec, VF_SPECIAL_CARE_DATA);
	r.payment_data = flag(rec, VF_PAYMENT_DATA);
	r.confidential_data = flag(rec, VF_CONFIDENTIAL_DATA);
	r.system_access = flag(rec, VF_SYSTEM_ACCESS);
	r.offsite_work = flag(rec, VF_OFFSITE_WORK);
	tier = vr_tier_of(&r);
	if (vr_value_set_text(&rec[VF_TIER], tier, strlen(tier)) == -1)
		return vr_fail_oom(p);
	return VR_OK;
}
