/*
 * vr_case: the transition runner for any workflow resource (see
 * vr_case.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/vr_model.h"
#include "vr_case.h"
#include "vr_write.h"

/* Binds c to rec and its workflow, then the type loads what it needs. */
static vr_err_e
case_open(vr_db_t *db, const vr_case_type_t *type, const vr_actor_t *who,
    vr_value_t *rec, void *ext, size_t ext_size, vr_case_t *c,
    vr_problem_t *p)
{
	const char	*res = type->store->res->name;
	const char	*kind = type->kind_field >= 0 ?
			    rec[type->kind_field].s : NULL;

	memset(c, 0, sizeof(*c));
	if (ext != NULL)
		memset(ext, 0, ext_size);
	c->db = db;
	c->who = who;
	c->type = type;
	c->rec = rec;
	c->state = rec[type->state_field].s;
	c->ext = ext;
	if ((c->wf = vr_workflow_for(res, kind)) == NULL)
		return vr_fail(p, VR_E_INTERNAL, "no_workflow", NULL,
		    "the manifest has no workflow for %s%s%s", res,
		    kind ? " " : "", kind ? kind : "");
	return type->open != NULL ? type->open(c, p) : VR_OK;
}

static void
case_release(vr_case_t *c)
{
	if (c->type != NULL && c->type->release != NULL)
		c->type->release(c);
}

struct fire_ctx {
	const vr_case_type_t	*type;
	const vr_actor_t	*who;
	int64_t			 id;
	const char		*action;
	int64_t			 version;
	const char		*comment;
	void			*ext;
	size_t			 ext_size;
	vr_value_t		*result;
	char			 event[100];	/* "<workflow>.<transition>" */
};

static vr_err_e
fire_body(vr_db_t *db, void *arg, vr_changes_t *cs, vr_problem_t *p)
{
	struct fire_ctx		*w = arg;
	const vr_case_type_t	*type = w->type;
	const vr_store_t	*st = type->store;
	const vr_resource_t	*r = st->res;
	const vr_value_t	*t;
	vr_value_t		*rec, *before = NULL;
	vr_change_t		*ch;
	vr_case_t		 c;
	size_t			 first;
	vr_err_e		 e;

	memset(&c, 0, sizeof(c));
	/* Read afresh, locked: a body run again after a retry starts anew. */
	vr_record_free(r, w->result);
	if ((w->result = rec = vr_record_new(r)) == NULL)
		return vr_fail_oom(p);
	c.type = NULL;
	if ((e = vr_store_get(db, st, w->id, true, rec, p)) != VR_OK ||
	    (e = case_open(db, type, w->who, rec, w->ext, w->ext_size, &c,
	    p)) != VR_OK)
		goto out;
	c.comment = w->comment;
	c.changes = cs;
	snprintf(c.now, sizeof(c.now), "%.10sT%sZ", cs->at, cs->at + 11);
	if ((e = vr_workflow_check(&c, w->action, &t, p)) != VR_OK)
		goto out;
	if (w->version != 0 && rec[st->sql->version_field].i != w->version) {
		e = vr_fail(p, VR_E_CONFLICT, "stale_version", "version",
		    "someone else changed %s %" PRId64 " (version %" PRId64
		    ", not %" PRId64 "): reload it", r->name, w->id,
		    rec[st->sql->version_field].i, w->version);
		goto out;
	}
	if ((before = vr_record_dup(r, rec)) == NULL) {
		e = vr_fail_oom(p);
		goto out;
	}
	/*
	 * The case's own change comes first, whatever the effects add; it
	 * is found again by its place (the effects may move the array).
	 */
	if (vr_change_next(cs, p) == NULL) {
		e = VR_E_INTERNAL;
		goto out;
	}
	first = cs->n - 1;
	if ((e = vr_workflow_effects(&c, t, p)) != VR_OK)
		goto out;
	if (vr_value_set_str(&rec[type->state_field], t[MTF_TO].s) == -1 ||
	    (type->decided_field >= 0 &&
	    vr_workflow_state(c.wf, t[MTF_TO].s)[MSF_FINAL].i &&
	    vr_value_set_str(&rec[type->decided_field], w->who->user) == -1)) {
		e = vr_fail_oom(p);
		goto out;
	}
	if ((e = vr_write_touch(st, rec, w->who, c.now, p)) != VR_OK ||
	    (e = vr_store_update(db, st, before, rec, p)) != VR_OK)
		goto out;
	/* The event names the workflow, the transition and both states. */
	snprintf(w->event, sizeof(w->event), "%s.%s", c.wf[MWF_NAME].s,
	    t[MTF_ID].s);
	/* Every name here outlives the write: the manifest's, or w's. */
	ch = &cs->items[first];
	ch->action = w->event;
	ch->entity = r->name;
	ch->entity_id = w->id;
	ch->workflow = c.wf[MWF_NAME].s;
	ch->transition = t[MTF_ID].s;
	ch->from = vr_workflow_state(c.wf,
	    before[type->state_field].s)[MSF_ID].s;
	ch->to = t[MTF_TO].s;
	if ((e = vr_write_images(ch, r, before, rec, p)) != VR_OK)
		goto out;
	if (type->finish != NULL)
		e = type->finish(&c, p);
out:
	vr_record_free(r, before);
	/* What the caller reads of ext after (a link issued) is not freed. */
	case_release(&c);
	return e;
}

/* No ext given (NULL): one of the type's ext_size for this call, in *own. */
static int
own_ext(const vr_case_type_t *type, void **ext, size_t *ext_size,
    void **own)
{
	if (*ext != NULL || type->ext_size == 0)
		return 0;
	if ((*ext = *own = malloc(type->ext_size)) == NULL)
		return -1;
	*ext_size = type->ext_size;
	return 0;
}

vr_err_e
vr_case_fire(vr_db_t *db, const vr_case_type_t *type, const vr_actor_t *who,
    int64_t id, const char *action, int64_t version, const char *comment,
    void *ext, size_t ext_size, vr_value_t **out, vr_problem_t *p)
{
	struct fire_ctx	 w;
	void		*own = NULL;
	vr_err_e	 e;

	if (own_ext(type, &ext, &ext_size, &own) == -1)
		return vr_fail_oom(p);
	memset(&w, 0, sizeof(w));
	w.type = type;
	w.who = who;
	w.id = id;
	w.action = action;
	w.version = version;
	w.comment = comment;
	w.ext = ext;
	w.ext_size = ext_size;
	e = vr_audit_write(db, who->user, who->request_id, fire_body, &w, p);
	if (e == VR_OK)
		*out = w.result;
	else
		vr_record_free(type->store->res, w.result);
	free(own);
	return e;
}

vr_err_e
vr_case_actions(vr_db_t *db, const vr_case_type_t *type, const vr_actor_t *who,
    const vr_value_t *rec, void *ext, size_t ext_size, vr_value_t *actions,
    vr_problem_t *p)
{
	vr_case_t	 c;
	void		*own = NULL;
	vr_err_e	 e;

	if (own_ext(type, &ext, &ext_size, &own) == -1)
		return vr_fail_oom(p);
	if ((e = case_open(db, type, who, (vr_value_t *)rec, ext, ext_size, &c,
	    p)) == VR_OK)
		e = vr_workflow_actions(&c, &actions[AL_ACTIONS], p);
	case_release(&c);
	free(own);
	return e;
}

vr_err_e
vr_guard_not_requester_or_reviewer(vr_case_t *c, vr_problem_t *p)
{
	/* What the audit log says this user did on the case. */
	static const char *const acts[3] = { "%.created",
	    "%.complete_review", "%.request_changes" };
	const vr_case_type_t	*type = c->type;
	const char		*user = c->who->user;
	int64_t			 n = 0;
	vr_err_e		 e;

	if (vr_value_is(&c->rec[type->requested_field], user) ||
	    (type->reviewed_field >= 0 &&
	    vr_value_is(&c->rec[type->reviewed_field], user)))
		n = 1;
	else if ((e = vr_audit_actor_count(c->db, type->store->res->name,
	    c->rec[type->store->sql->id_field].i, user, acts, &n, p)) !=
	    VR_OK)
		return e;
	if (n > 0)
		return vr_fail(p, VR_E_INVALID, "segregation_of_duties", NULL,
		    "%s requested or reviewed this case and may not decide "
		    "it", user);
	return VR_OK;
}

vr_err_e
vr_effect_record_reviewer(vr_case_t *c, vr_problem_t *p)
{
	if (c->type->reviewed_field < 0 ||
	    vr_value_set_str(&c->rec[c->type->reviewed_field], c->who->user) == -1)
		return vr_fail_oom(p);
	return VR_OK;
}

/* A state some transition of which one of the roles (arg) may fire. */
static bool
roles_act_in(const vr_value_t *st, const void *arg)
{
	unsigned	 roles = *(const unsigned *)arg;
	size_t		 j;

	for (j = 0; j < st[MSF_TRANSITIONS].n; j++)
		if (vr_workflow_roles(st[MSF_TRANSITIONS].item[j].rec) & roles)
			return true;
	return false;
}

void
vr_case_waiting_states(const vr_case_type_t *type, const char *kind,
    unsigned roles, char *out, size_t len)
{
	vr_workflow_state_list(type->store->res->name, kind, roles_act_in,
	    &roles, out, len);
}
