/*
 * vr_write: creating and changing a record of any stored resource, the
 * one way every resource writes: field defaults, version, who/when
 * stamps, the resource's derive rule, the row, and its audit row and
 * event, all in one transaction (vr_audit_write).
 */
#ifndef VR_WRITE_H
#define VR_WRITE_H

#include "../db/vr_audit.h"
#include "../db/vr_store.h"

/*
 * Completes a validated create request in place: defaults of absent
 * fields, version 1, the creator/updater stamps at now (ISO UTC), then
 * the resource's derive rule.  VR_OK or an error in p.
 */
vr_err_e	 vr_write_prepare_new(vr_db_t *, const vr_store_t *,
		    const vr_actor_t *, vr_value_t *rec, const char *now,
		    vr_problem_t *);
/*
 * Applies the present client fields of a validated patch to cur, bumps
 * the version, stamps the updater, runs derive (with before).
 */
vr_err_e	 vr_write_apply_patch(vr_db_t *, const vr_store_t *,
		    const vr_actor_t *, vr_value_t *cur, const vr_value_t *before,
		    const vr_value_t *patch, const char *now, vr_problem_t *);
/*
 * The canonical JSON of a record for the audit log (the codec's bytes:
 * fields in table order).  *out is the caller's to free.
 */
vr_err_e	 vr_write_canonical(const vr_resource_t *, const vr_value_t *,
		    char **out, vr_problem_t *);

/* A transaction's time (vr_changes_t.at) in the ISO form records carry. */
void		 vr_write_iso_time(const char *sql_time, char out[32]);

/*
 * Whether after holds what before held in every field but field (-1:
 * none), leaving aside what every patch moves (version, updater stamps)
 * and what the database computes.
 */
bool		 vr_write_changes_only(const vr_resource_t *,
		    const vr_value_t *before, const vr_value_t *after,
		    int field);

/* Version + 1 and the updater stamps of a record of st changed at now. */
vr_err_e	 vr_write_touch(const vr_store_t *, vr_value_t *rec,
		    const vr_actor_t *, const char *now, vr_problem_t *);

/*
 * Sets the images of change c of a record of r (before NULL for a new
 * one) and, for an update, the names of the fields it changed.
 */
vr_err_e	 vr_write_images(vr_change_t *, const vr_resource_t *,
		    const vr_value_t *, const vr_value_t *, vr_problem_t *);

/*
 * Describes one more change of a write: action (also the event type;
 * it must outlive the write), the entity of st, and its images (before
 * NULL for a new record).
 */
vr_err_e	 vr_write_describe(vr_changes_t *, const vr_store_t *,
		    const char *action, const vr_value_t *before,
		    const vr_value_t *after, vr_problem_t *);

/*
 * Creates a record from validated input; *out (the caller frees it) is
 * the record as stored, with its id.  Event "<name>.created".
 */
vr_err_e	 vr_write_create(vr_db_t *, const vr_store_t *,
		    const vr_actor_t *, const vr_value_t *input,
		    vr_value_t **out, vr_problem_t *);
/*
 * Applies a validated patch (holding the version the client read) to
 * record id: 404 when there is none, 409 when its version moved on.
 * Event "<name>.updated".  A patch that changes nothing (once the
 * resource's derive rule has run) writes nothing: *out is the record as
 * it is, with its version, and no audit row or event is added.
 */
vr_err_e	 vr_write_patch(vr_db_t *, const vr_store_t *,
		    const vr_actor_t *, int64_t id, const vr_value_t *patch,
		    vr_value_t **out, vr_problem_t *);

#endif
