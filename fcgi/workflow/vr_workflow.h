/*
 * vr_workflow: the state machines of the plugin manifest, and the engine
 * that runs them.  The manifest is read once at start (vr_workflow_load,
 * refusing to start on an invalid one), then only read.  A case is a
 * record of a resource a workflow runs on; the engine tells which
 * transitions a user may fire now (role, state, guards) and fires one:
 * guards, effects, the new state, and one audit row and event per entity
 * changed, in the caller's write transaction.  Guards and effects are the
 * C functions of the registry in vr_rules.c, named by the manifest.
 */
#ifndef VR_WORKFLOW_H
#define VR_WORKFLOW_H

#include "../codec/vr_codec.h"
#include "../core/vr_buf.h"
#include "../core/vr_config.h"
#include "../db/vr_audit.h"

struct vr_case;

/* A guard: VR_OK when it holds, VR_E_INVALID (why in p) when not. */
typedef vr_err_e (*vr_rule_fn)(struct vr_case *, vr_problem_t *);

typedef struct vr_rule {
	const char	*name;
	vr_rule_fn	 fn;
} vr_rule_t;

/* The registry (vr_rules.c), each ending with a NULL name. */
extern const vr_rule_t vr_guards[];
extern const vr_rule_t vr_effects[];
/* The resources a workflow may run on (each has a domain/vr_case type). */
extern const char *const vr_workflow_resources[];

/* What the manifest may name: the program's roles, rules, resources. */
extern const vr_manifest_names_t vr_workflow_names;

/*
 * Reads and checks the manifest named by the configuration and only then
 * puts it (and the configuration) in place of the one loaded before.  0,
 * or -1 with "FILE:LINE: message" in err, the old one still in place.
 * Main thread, after vr_xml_init(); SIGHUP reloads with it.
 */
int		 vr_workflow_load(const vr_config_t *, char *err, size_t);
void		 vr_workflow_unload(void);
/* The configuration the workflows were loaded with (link days, ...). */
const vr_config_t *vr_workflow_config(void);
/* The manifest as a record (vr_manifest_resource) and as its file. */
const vr_value_t *vr_workflow_manifest(void);
const vr_buf_t	*vr_workflow_manifest_xml(void);

/* The workflow (record) for a resource and kind, or NULL. */
const vr_value_t *vr_workflow_for(const char *resource, const char *kind);
/*
 * The ids of the states of the resource's workflows (of one kind, or of
 * all when kind is NULL) that keep(state, arg) accepts, comma-separated,
 * each once, into out (whole names only, as many as fit).
 */
void		 vr_workflow_state_list(const char *resource, const char *kind,
		    bool (*keep)(const vr_value_t *, const void *),
		    const void *arg, char *out, size_t len);
/* The state (record) of a workflow, or NULL. */
const vr_value_t *vr_workflow_state(const vr_value_t *wf, const char *id);
/* Role bits of a transition's roles (the vendor's too). */
unsigned	 vr_workflow_roles(const vr_value_t *transition);
/* Role bits of the roles that may open a case of the workflow. */
unsigned	 vr_workflow_start_roles(const vr_value_t *wf);
/* Whether a state has a transition with this id. */
const vr_value_t *vr_workflow_transition(const vr_value_t *state,
		    const char *id);

/*
 * The case the engine works on.  The caller fills db, who, wf, rec
 * (its record, which effects change), and comment for a firing; rules
 * keep what they load in the rest.
 */
typedef struct vr_case {
	const struct vr_case_type *type;	/* the resource (domain/vr_case.h) */
	vr_db_t			*db;
	const vr_actor_t	*who;
	const vr_value_t	*wf;
	vr_value_t		*rec;
	const char		*state;		/* the case's state */
	const char		*comment;
	char			 now[32];	/* ISO UTC of the transaction */
	vr_changes_t		*changes;	/* while firing */
	void			*ext;		/* the resource's own (vr_rules) */
} vr_case_t;

/* Appends to list (LIST of records of actions) what who may fire now. */
vr_err_e	 vr_workflow_actions(vr_case_t *, vr_value_t *list,
		    vr_problem_t *);
/*
 * Finds transition action from the case's state and checks it may be
 * fired by who: 400 unknown_action (not in the workflow), 409
 * not_in_this_state, 403 forbidden (role), 422 comment_required, 422
 * guard_failed naming the guard and why.
 */
vr_err_e	 vr_workflow_check(vr_case_t *, const char *action,
		    const vr_value_t **transition, vr_problem_t *);
/*
 * Runs the transition's effects in order; the caller then sets the new
 * state and writes the case (the effects add changes of other records).
 */
vr_err_e	 vr_workflow_effects(vr_case_t *, const vr_value_t *transition,
		    vr_problem_t *);

/* Actions: {"actions":[{"id","label":{…},"comment_required"}]}. */
enum vr_action_field { AF2_ID, AF2_LABEL, AF2_COMMENT, AF2__MAX };
enum vr_actions_field { AL_ACTIONS, AL__MAX };
extern const vr_resource_t vr_action_resource, vr_actions_resource;

#endif
