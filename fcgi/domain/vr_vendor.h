/*
 * vr_vendor: the rules of a vendor record beyond single fields (the
 * derive hook of its store): the tier computed from the profile.
 */
#ifndef VR_VENDOR_H
#define VR_VENDOR_H

#include "../core/vr_field.h"
#include "../db/vr_store.h"
#include "vr_tier.h"

/* How vendors are kept and listed. */
extern const vr_store_t vr_vendor_store;

struct vr_db;
struct vr_actor;

/*
 * The store's derive hook: recomputes the tier from the profile; refuses
 * "approved" (only the onboarding workflow approves); refuses a second
 * vendor with the same 法人番号 (409 naming the first) unless an admin
 * states why (duplicate_of, duplicate_reason); marks an approved
 * vendor as needing review when its tier rises or it gets a data class
 * or a larger personal-data band than it was assessed for.
 */
vr_err_e	 vr_vendor_derive(struct vr_db *, const struct vr_actor *,
		    vr_value_t *rec, const vr_value_t *before, vr_problem_t *);
/* The inherent-risk profile of a vendor record (its texts borrowed). */
void		 vr_vendor_profile(const vr_value_t *rec, vr_risk_profile_t *);
/* Whether the change from before to after needs a new assessment. */
bool		 vr_vendor_widened(const vr_value_t *before,
		    const vr_value_t *after);

#endif
