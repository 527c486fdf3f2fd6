/*
 * vr_vendor: the rules of a vendor record beyond single fields (the
 * derive hook of its store): the tier computed from the profile.
 */
#ifndef VR_VENDOR_H
#define VR_VENDOR_H

#include "../core/vr_field.h"

/* Recomputes the tier from the profile fields of rec (store derive). */
vr_err_e	 vr_vendor_derive(vr_value_t *rec, const vr_value_t *before,
		    vr_problem_t *);

#endif
