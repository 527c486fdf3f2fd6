/*
 * vr_case: firing a workflow transition on a record of any resource a
 * workflow of the manifest runs on (assessments, subcontracts, ...), and
 * the actions a user may fire on one.  A resource describes itself once
 * (vr_case_type_t: its store, which fields hold kind, state and who did
 * what, and hooks that load what its rules decide on and write what its
 * effects changed elsewhere); the engine (workflow/) does the rest, so a
 * new workflow resource writes rules, not a second engine.
 */
#ifndef VR_CASE_H
#define VR_CASE_H

#include "../db/vr_store.h"
#include "../workflow/vr_workflow.h"

typedef struct vr_case_type {
	const vr_store_t	*store;
	int			 kind_field;	/* picks the workflow; -1: one */
	int			 state_field;
	int			 requested_field; /* who opened it */
	int			 reviewed_field; /* record_reviewer sets it */
	int			 decided_field;	/* set on a final state */
	size_t			 ext_size;	/* what open keeps (c->ext) */
	/* Loads into c->ext what the rules decide on (ext zeroed); or NULL. */
	vr_err_e		(*open)(vr_case_t *, vr_problem_t *);
	/* After the case is written: writes what effects changed elsewhere. */
	vr_err_e		(*finish)(vr_case_t *, vr_problem_t *);
	/* Frees what open and the effects kept in c->ext; or NULL. */
	void			(*release)(vr_case_t *);
} vr_case_type_t;

/*
 * Fires action on record id as who, in one write: the record is read
 * locked, the transition checked (vr_workflow_check), version compared
 * (0: not checked; else 409 stale_version), effects run, the new state
 * set (and the decider on a final one), the record written with its
 * audit row and an event naming workflow, transition and both states,
 * then type->finish.  ext is the resource's (c->ext; zeroed before each
 * try, released after; NULL: one of type->ext_size for this call).
 * *out is the record as committed.
 */
vr_err_e	 vr_case_fire(vr_db_t *, const vr_case_type_t *,
		    const vr_actor_t *, int64_t id, const char *action,
		    int64_t version, const char *comment, void *ext,
		    size_t ext_size, vr_value_t **out, vr_problem_t *);
/* Appends to actions[AL_ACTIONS] what who may fire on rec now. */
vr_err_e	 vr_case_actions(vr_db_t *, const vr_case_type_t *,
		    const vr_actor_t *, const vr_value_t *rec, void *ext,
		    size_t ext_size, vr_value_t *actions, vr_problem_t *);

/*
 * The states of the type's workflows (of kind, or all when kind is NULL)
 * in which one of roles may fire some transition, "a,b" into out.
 */
void		 vr_case_waiting_states(const vr_case_type_t *,
		    const char *kind, unsigned roles, char *out, size_t len);

/* Rules every case type has (its fields named by the type). */
vr_err_e	 vr_guard_not_requester_or_reviewer(vr_case_t *, vr_problem_t *);
vr_err_e	 vr_effect_record_reviewer(vr_case_t *, vr_problem_t *);

#endif
