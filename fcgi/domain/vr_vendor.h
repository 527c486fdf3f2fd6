/*
 * vr_vendor: the rules of a vendor record beyond single fields: defaults
 * of a new vendor, the computed tier, and applying a PATCH.
 */
#ifndef VR_VENDOR_H
#define VR_VENDOR_H

#include "../core/vr_field.h"

/*
 * Completes a validated create request: defaults for the profile and
 * status, version 1, created/updated by and at, the tier.  0 or -1 (no
 * memory).
 */
int	 vr_vendor_prepare_new(vr_value_t *rec, const char *user,
	    const char *now_iso);
/*
 * Applies the present fields of a validated patch to cur, bumps the
 * version, sets updated by/at and recomputes the tier.  0 or -1.
 */
int	 vr_vendor_apply_patch(vr_value_t *cur, const vr_value_t *patch,
	    const char *user, const char *now_iso);
/* Recomputes the tier from the profile fields of rec.  0 or -1. */
int	 vr_vendor_set_tier(vr_value_t *rec);

#endif
