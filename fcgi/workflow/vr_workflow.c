/*
 * vr_workflow: the manifest's state machines and the engine (see
 * vr_workflow.h).  Workflows, states and transitions are few: lookups
 * scan them.
 */
#include <stdio.h>
#include <string.h>

#include "../codec/vr_codec.h"
#include "../model/vr_model.h"
#include "vr_workflow.h"

static vr_value_t	*manifest;
static vr_buf_t		 manifest_xml;
static const vr_config_t *config;

static const vr_field_t action_fields[AF2__MAX] = {
	[AF2_ID] = { .name = "id", .type = VR_T_TEXT,
	    .doc = "The action to send to …/transitions." },
	[AF2_LABEL] = { .name = "label", .type = VR_T_RECORD,
	    .sub = &vr_label_resource, .doc = "The button's label." },
	[AF2_COMMENT] = { .name = "comment_required", .type = VR_T_BOOL,
	    .doc = "Send a comment with it." },
};
const vr_resource_t vr_action_resource = {
	.name = "action", .xmlns = VR_XMLNS, .fields = action_fields,
	.nfields = AF2__MAX,
};
static const vr_field_t action_item = {
	.name = "action", .type = VR_T_RECORD, .sub = &vr_action_resource };
static const vr_field_t actions_fields[AL__MAX] = {
	[AL_ACTIONS] = { .name = "actions", .type = VR_T_LIST,
	    .items = &action_item, .doc = "What you may do now." },
};
const vr_resource_t vr_actions_resource = {
	.name = "actions", .xmlns = VR_XMLNS, .fields = actions_fields,
	.nfields = AL__MAX,
};

static const vr_rule_t *
rule(const vr_rule_t *reg, const char *name)
{
	for (; reg->name != NULL; reg++)
		if (strcmp(reg->name, name) == 0)
			return reg;
	return NULL;
}

static bool
known_guard(const char *name)
{
	return rule(vr_guards, name) != NULL;
}

static bool
known_effect(const char *name)
{
	return rule(vr_effects, name) != NULL;
}

static bool
known_role(const char *name)
{
	return strcmp(name, "vendor") == 0 || vr_role_of_name(name) != 0;
}

/* The resources a workflow can run on: those with a case engine. */
static bool
known_resource(const char *name)
{
	const char *const	*r;

	for (r = vr_workflow_resources; *r != NULL; r++)
		if (strcmp(*r, name) == 0)
			return true;
	return false;
}

const vr_manifest_names_t vr_workflow_names = {
	.role = known_role, .guard = known_guard,
	.effect = known_effect, .resource = known_resource,
};

int
vr_workflow_load(const vr_config_t *cfg, char *err, size_t errlen)
{
	vr_value_t	*next = NULL;
	vr_buf_t	 next_xml = { 0 };

	if (vr_manifest_read(cfg->manifest, &vr_workflow_names, &next,
	    &next_xml, err, errlen) == -1) {
		vr_buf_free(&next_xml);
		return -1;
	}
	vr_workflow_unload();
	config = cfg;
	manifest = next;
	manifest_xml = next_xml;
	return 0;
}

void
vr_workflow_unload(void)
{
	vr_record_free(&vr_manifest_resource, manifest);
	manifest = NULL;
	vr_buf_free(&manifest_xml);
	vr_manifest_cleanup();
}

const vr_config_t *
vr_workflow_config(void)
{
	return config;
}

const vr_value_t *
vr_workflow_manifest(void)
{
	return manifest;
}

const vr_buf_t *
vr_workflow_manifest_xml(void)
{
	return &manifest_xml;
}

const vr_value_t *
vr_workflow_for(const char *resource, const char *kind)
{
	const vr_value_t	*wfs, *w;
	size_t			 k;

	if (manifest == NULL)
		return NULL;
	wfs = &manifest[MF_WORKFLOWS];
	for (k = 0; k < wfs->n; k++) {
		w = wfs->item[k].rec;
		/* A resource with one workflow names no kind. */
		if (vr_value_is(&w[MWF_RESOURCE], resource) && (kind != NULL ?
		    vr_value_is(&w[MWF_KIND], kind) : !w[MWF_KIND].present ||
		    w[MWF_KIND].null))
			return w;
	}
	return NULL;
}

/* Whether name is one of the comma-separated names of list. */
static bool
in_list(const char *list, const char *name)
{
	size_t		 n = strlen(name);
	const char	*at;

	for (at = list; *at != '\0'; at += strcspn(at, ","),
	    at += *at == ',')
		if (strncmp(at, name, n) == 0 && (at[n] == ',' ||
		    at[n] == '\0'))
			return true;
	return false;
}

void
vr_workflow_state_list(const char *resource, const char *kind,
    bool (*keep)(const vr_value_t *, const void *), const void *arg,
    char *out, size_t len)
{
	const vr_value_t	*wfs, *w, *st;
	size_t			 k, j, used = 0;
	int			 n;

	out[0] = '\0';
	if (manifest == NULL)
		return;
	wfs = &manifest[MF_WORKFLOWS];
	for (k = 0; k < wfs->n; k++) {
		w = wfs->item[k].rec;
		if (!vr_value_is(&w[MWF_RESOURCE], resource) ||
		    (kind != NULL && !vr_value_is(&w[MWF_KIND], kind)))
			continue;
		for (j = 0; j < w[MWF_STATES].n; j++) {
			st = w[MWF_STATES].item[j].rec;
			if (!keep(st, arg) || in_list(out, st[MSF_ID].s))
				continue;
			n = snprintf(out + used, len - used, "%s%s",
			    used ? "," : "", st[MSF_ID].s);
			if (n < 0 || (size_t)n >= len - used) {
				out[used] = '\0';	/* whole names only */
				return;
			}
			used += (size_t)n;
		}
	}
}

const vr_value_t *
vr_workflow_state(const vr_value_t *wf, const char *id)
{
	size_t	 k;

	for (k = 0; k < wf[MWF_STATES].n; k++)
		if (vr_value_is(&wf[MWF_STATES].item[k].rec[MSF_ID], id))
			return wf[MWF_STATES].item[k].rec;
	return NULL;
}

const vr_value_t *
vr_workflow_transition(const vr_value_t *state, const char *id)
{
	size_t	 k;

	for (k = 0; k < state[MSF_TRANSITIONS].n; k++)
		if (vr_value_is(&state[MSF_TRANSITIONS].item[k].rec[MTF_ID], id))
			return state[MSF_TRANSITIONS].item[k].rec;
	return NULL;
}

/* Role bits of a LIST of role names (the vendor's too). */
static unsigned
role_bits(const vr_value_t *names)
{
	unsigned	 bits = 0;
	size_t		 k;

	for (k = 0; k < names->n; k++)
		bits |= strcmp(names->item[k].s, "vendor") == 0 ?
		    VR_ROLE_VENDOR : vr_role_of_name(names->item[k].s);
	return bits;
}

unsigned
vr_workflow_roles(const vr_value_t *t)
{
	return role_bits(&t[MTF_ROLES]);
}

unsigned
vr_workflow_start_roles(const vr_value_t *wf)
{
	return role_bits(&wf[MWF_START]);
}

/* Whether any transition of the workflow has this id. */
static bool
in_workflow(const vr_value_t *wf, const char *action)
{
	size_t	 k;

	for (k = 0; k < wf[MWF_STATES].n; k++)
		if (vr_workflow_transition(wf[MWF_STATES].item[k].rec,
		    action) != NULL)
			return true;
	return false;
}

/* Every guard of t holds: VR_OK, or the first that fails and why. */
static vr_err_e
guards(vr_case_t *c, const vr_value_t *t, vr_problem_t *p)
{
	const vr_rule_t	*g;
	vr_problem_t	 why;
	vr_err_e	 e;
	size_t		 k;

	for (k = 0; k < t[MTF_GUARDS].n; k++) {
		if ((g = rule(vr_guards, t[MTF_GUARDS].item[k].s)) == NULL)
			return vr_fail(p, VR_E_INTERNAL, "internal", NULL,
			    "guard %s is not registered",
			    t[MTF_GUARDS].item[k].s);
		vr_problem_clear(&why);
		if ((e = g->fn(c, &why)) == VR_E_INVALID)
			return vr_fail(p, VR_E_INVALID, "guard_failed",
			    g->name, "%s: %s", g->name, why.detail);
		if (e != VR_OK) {
			if (p != NULL && p->err == VR_OK)
				*p = why;
			return e;
		}
	}
	return VR_OK;
}

vr_err_e
vr_workflow_actions(vr_case_t *c, vr_value_t *list, vr_problem_t *p)
{
	const vr_value_t	*st, *t;
	vr_value_t		*item, *a;
	vr_problem_t		 ignored;
	size_t			 k;
	vr_err_e		 e;

	list->present = true;
	if ((st = vr_workflow_state(c->wf, c->state)) == NULL)
		return VR_OK;
	for (k = 0; k < st[MSF_TRANSITIONS].n; k++) {
		t = st[MSF_TRANSITIONS].item[k].rec;
		if ((vr_workflow_roles(t) & c->who->roles) == 0)
			continue;
		vr_problem_clear(&ignored);
		if ((e = guards(c, t, &ignored)) == VR_E_INVALID)
			continue;
		if (e != VR_OK) {
			*p = ignored;
			return e;
		}
		if ((item = vr_value_push(list)) == NULL ||
		    (a = vr_value_set_record(&action_item, item)) == NULL ||
		    vr_value_copy(&action_fields[AF2_ID], &a[AF2_ID],
		    &t[MTF_ID]) == -1 ||
		    vr_value_copy(&action_fields[AF2_LABEL], &a[AF2_LABEL],
		    &t[MTF_LABEL]) == -1)
			return vr_fail_oom(p);
		vr_value_set_int(&a[AF2_COMMENT], t[MTF_COMMENT].i);
	}
	return VR_OK;
}

vr_err_e
vr_workflow_check(vr_case_t *c, const char *action,
    const vr_value_t **out, vr_problem_t *p)
{
	const vr_value_t	*st, *t;

	if (!in_workflow(c->wf, action))
		return vr_fail(p, VR_E_MALFORMED, "unknown_action", "action",
		    "%s is not an action of the %s workflow", action,
		    c->wf[MWF_NAME].s);
	if ((st = vr_workflow_state(c->wf, c->state)) == NULL ||
	    (t = vr_workflow_transition(st, action)) == NULL)
		return vr_fail(p, VR_E_CONFLICT, "not_in_this_state", "action",
		    "%s cannot be done while the case is %s: reload it",
		    action, c->state);
	if ((vr_workflow_roles(t) & c->who->roles) == 0)
		return vr_fail(p, VR_E_FORBIDDEN, "forbidden", "action",
		    "your roles do not allow %s", action);
	if (t[MTF_COMMENT].i && (c->comment == NULL ||
	    c->comment[strspn(c->comment, " \t\r\n")] == '\0'))
		return vr_fail(p, VR_E_INVALID, "comment_required", "comment",
		    "%s needs a comment", action);
	*out = t;
	return guards(c, t, p);
}

vr_err_e
vr_workflow_effects(vr_case_t *c, const vr_value_t *t, vr_problem_t *p)
{
	const vr_rule_t	*fx;
	vr_err_e	 e;
	size_t		 k;

	for (k = 0; k < t[MTF_EFFECTS].n; k++) {
		if ((fx = rule(vr_effects, t[MTF_EFFECTS].item[k].s)) == NULL)
			return vr_fail(p, VR_E_INTERNAL, "internal", NULL,
			    "effect %s is not registered",
			    t[MTF_EFFECTS].item[k].s);
		if ((e = fx->fn(c, p)) != VR_OK)
			return e;
	}
	return VR_OK;
}
