/*
 * vr_vendor: vendor record rules (defaults, tier, patching).
 */
#include <string.h>

#include "../model/vr_model.h"
#include "vr_tier.h"
#include "vr_vendor.h"

static int
set_text(vr_value_t *v, const char *s)
{
	return vr_value_set_text(v, s, strlen(s));
}

static bool
flag(const vr_value_t *rec, int f)
{
	return rec[f].present && !rec[f].null && rec[f].i != 0;
}

int
vr_vendor_set_tier(vr_value_t *rec)
{
	vr_risk_profile_t	 r;

	r.personal_data = rec[VF_PERSONAL_DATA].present &&
	    !rec[VF_PERSONAL_DATA].null ? rec[VF_PERSONAL_DATA].s : "none";
	r.special_care_data = flag(rec, VF_SPECIAL_CARE_DATA);
	r.payment_data = flag(rec, VF_PAYMENT_DATA);
	r.confidential_data = flag(rec, VF_CONFIDENTIAL_DATA);
	r.system_access = flag(rec, VF_SYSTEM_ACCESS);
	r.offsite_work = flag(rec, VF_OFFSITE_WORK);
	return set_text(&rec[VF_TIER], vr_tier_of(&r));
}

int
vr_vendor_prepare_new(vr_value_t *rec, const char *user, const char *now)
{
	static const int	 flags[] = { VF_SPECIAL_CARE_DATA,
	    VF_PAYMENT_DATA, VF_CONFIDENTIAL_DATA, VF_SYSTEM_ACCESS,
	    VF_OFFSITE_WORK };
	size_t			 i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (!rec[flags[i]].present || rec[flags[i]].null)
			vr_value_set_int(&rec[flags[i]], 0);
	if ((!rec[VF_PERSONAL_DATA].present || rec[VF_PERSONAL_DATA].null) &&
	    set_text(&rec[VF_PERSONAL_DATA], "none") == -1)
		return -1;
	if ((!rec[VF_STATUS].present || rec[VF_STATUS].null) &&
	    set_text(&rec[VF_STATUS], "candidate") == -1)
		return -1;
	vr_value_set_int(&rec[VF_VERSION], 1);
	if (set_text(&rec[VF_CREATED_BY], user) == -1 ||
	    set_text(&rec[VF_UPDATED_BY], user) == -1 ||
	    set_text(&rec[VF_CREATED_AT], now) == -1 ||
	    set_text(&rec[VF_UPDATED_AT], now) == -1)
		return -1;
	return vr_vendor_set_tier(rec);
}

int
vr_vendor_apply_patch(vr_value_t *cur, const vr_value_t *patch,
    const char *user, const char *now)
{
	const vr_field_t	*f;
	size_t			 i;

	for (i = 0; i < VF__MAX; i++) {
		f = &vr_vendor_resource.fields[i];
		if (!patch[i].present || (f->flags & (VR_F_SERVER |
		    VR_F_VERSION | VR_F_ID)))
			continue;
		if (patch[i].null)
			vr_value_set_null(&cur[i]);
		else if (patch[i].s != NULL) {
			if (set_text(&cur[i], patch[i].s) == -1)
				return -1;
		} else
			vr_value_set_int(&cur[i], patch[i].i);
	}
	vr_value_set_int(&cur[VF_VERSION], cur[VF_VERSION].i + 1);
	if (set_text(&cur[VF_UPDATED_BY], user) == -1 ||
	    set_text(&cur[VF_UPDATED_AT], now) == -1)
		return -1;
	return vr_vendor_set_tier(cur);
}
