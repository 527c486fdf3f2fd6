/*
 * vr_subcontract: subcontracts (再委託) as a gate: the rules a request
 * must meet (the data classes the parent holds, the depth of the chain),
 * the workflow's guards, flagging everything below a vendor that is
 * suspended or terminated, and the chain below and above a vendor.
 */
#ifndef VR_SUBCONTRACT_H
#define VR_SUBCONTRACT_H

#include "../db/vr_audit.h"
#include "../db/vr_store.h"

struct vr_case;

extern const vr_store_t vr_subcontract_store;

vr_err_e	 vr_subcontract_derive(vr_db_t *, const vr_actor_t *,
		    vr_value_t *rec, const vr_value_t *before, vr_problem_t *);
/* The subcontract workflow's case (domain/vr_case.h). */
extern const struct vr_case_type vr_subcontract_case;

/*
 * Flags, in the caller's write, every live subcontract of vendor_id (as
 * the subcontractor) and everything below it (its subcontracts, theirs,
 * ...), each with its audit row and event "subcontract.flagged".
 */
vr_err_e	 vr_subcontract_flag_below(vr_db_t *, const vr_actor_t *,
		    int64_t vendor_id, const char *reason, vr_changes_t *,
		    const char *now, vr_problem_t *);
/* The vendor store's after-write: a suspension or termination flags. */
vr_err_e	 vr_subcontract_vendor_written(vr_db_t *, const vr_actor_t *,
		    const vr_value_t *vendor, const vr_value_t *before,
		    vr_changes_t *, const char *now, vr_problem_t *);

/* GET /vendors/{id}/chain into a record of vr_chain_resource. */
vr_err_e	 vr_subcontract_chain(vr_db_t *, int64_t vendor_id,
		    vr_value_t *chain, vr_problem_t *);

vr_err_e	 vr_guard_flow_down_confirmed(struct vr_case *, vr_problem_t *);
vr_err_e	 vr_guard_parent_approved(struct vr_case *, vr_problem_t *);
vr_err_e	 vr_guard_subcontract_sheet_submitted(struct vr_case *,
		    vr_problem_t *);
vr_err_e	 vr_guard_depth_within_limit(struct vr_case *, vr_problem_t *);
vr_err_e	 vr_guard_not_flagged(struct vr_case *, vr_problem_t *);

#endif
