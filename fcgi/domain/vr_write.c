/*
 * vr_write: the generic create and patch of a stored resource (see
 * vr_write.h).  A resource adds its own rules through its store's derive
 * function; everything else here is driven by the field table's flags.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../codec/vr_codec.h"
#include "vr_write.h"

/* Sets the who/when stamps named by flags (creator and/or updater). */
static int
stamp(const vr_resource_t *r, vr_value_t *rec, unsigned who, unsigned when,
    const char *user, const char *now)
{
	size_t	 i;

	for (i = 0; i < r->nfields; i++)
		if (((r->fields[i].flags & who) && vr_value_set_str(&rec[i], user) == -1) ||
		    ((r->fields[i].flags & when) && vr_value_set_str(&rec[i], now) == -1))
			return -1;
	return 0;
}

vr_err_e
vr_write_prepare_new(vr_db_t *db, const vr_store_t *st, const vr_actor_t *who,
    vr_value_t *rec, const char *now, vr_problem_t *p)
{
	const char		*user = who->user;
	const vr_resource_t	*r = st->res;
	const vr_field_t	*f;
	size_t			 i;

	for (i = 0; i < r->nfields; i++) {
		f = &r->fields[i];
		if (f->dflt == NULL || (rec[i].present && !rec[i].null))
			continue;
		if (f->type == VR_T_INT || f->type == VR_T_BOOL)
			vr_value_set_int(&rec[i], strtoll(f->dflt, NULL, 10));
		else if (vr_value_set_str(&rec[i], f->dflt) == -1)
			return vr_fail_oom(p);
	}
	if (st->sql->version_field >= 0)
		vr_value_set_int(&rec[st->sql->version_field], 1);
	if (stamp(r, rec, VR_F_CREATOR | VR_F_UPDATER,
	    VR_F_CREATED | VR_F_UPDATED, user, now) == -1)
		return vr_fail_oom(p);
	return st->derive != NULL ? st->derive(db, who, rec, NULL, p) : VR_OK;
}

vr_err_e
vr_write_apply_patch(vr_db_t *db, const vr_store_t *st, const vr_actor_t *who,
    vr_value_t *cur, const vr_value_t *before, const vr_value_t *patch,
    const char *now, vr_problem_t *p)
{
	const char		*user = who->user;
	const vr_resource_t	*r = st->res;
	int			 ver = st->sql->version_field;
	size_t			 i;

	for (i = 0; i < r->nfields; i++) {
		if (!patch[i].present || (r->fields[i].flags & (VR_F_SERVER |
		    VR_F_VERSION | VR_F_ID)))
			continue;
		if (vr_type_nested(r->fields[i].type)) {
			/* A nested value is given whole: it replaces. */
			if (vr_value_copy(&r->fields[i], &cur[i],
			    &patch[i]) == -1)
				return vr_fail_oom(p);
		} else if (patch[i].null)
			vr_value_set_null(&cur[i]);
		else if (patch[i].s != NULL) {
			if (vr_value_set_str(&cur[i], patch[i].s) == -1)
				return vr_fail_oom(p);
		} else
			vr_value_set_int(&cur[i], patch[i].i);
	}
	vr_value_set_int(&cur[ver], cur[ver].i + 1);
	if (stamp(r, cur, VR_F_UPDATER, VR_F_UPDATED, user, now) == -1)
		return vr_fail_oom(p);
	return st->derive != NULL ? st->derive(db, who, cur, before, p) :
	    VR_OK;
}

vr_err_e
vr_write_canonical(const vr_resource_t *r, const vr_value_t *rec, char **out,
    vr_problem_t *p)
{
	vr_buf_t	 b = { 0 };

	if (vr_json_encode_record(r, rec, &b) != VR_OK) {
		vr_buf_free(&b);
		return vr_fail_oom(p);
	}
	*out = vr_buf_take(&b);
	return VR_OK;
}

vr_err_e
vr_write_touch(const vr_store_t *st, vr_value_t *rec, const vr_actor_t *who,
    const char *now, vr_problem_t *p)
{
	vr_value_set_int(&rec[st->sql->version_field],
	    rec[st->sql->version_field].i + 1);
	if (stamp(st->res, rec, VR_F_UPDATER, VR_F_UPDATED, who->user,
	    now) == -1)
		return vr_fail_oom(p);
	return VR_OK;
}

/* Whether an update set field f to a new value (what every update moves,
 * the version and the update stamps, does not count). */
static bool
field_changed(const vr_field_t *f, const vr_value_t *before,
    const vr_value_t *after)
{
	const unsigned	 moved = VR_F_VERSION | VR_F_UPDATER | VR_F_UPDATED |
			    VR_F_DB;

	return !(f->flags & moved) &&
	    (vr_value_given(before) || vr_value_given(after)) &&
	    !vr_value_same(f, before, after);
}

/* The names of the fields an update changed that a reader can see, as a
 * JSON array. */
static vr_err_e
changed_fields(const vr_resource_t *r, const vr_value_t *before,
    const vr_value_t *after, char **out, vr_problem_t *p)
{
	vr_buf_t	 b = { 0 };
	size_t		 i;
	int		 rc;

	rc = vr_buf_append(&b, "[", 1);
	for (i = 0; i < r->nfields && rc == 0; i++)
		if (!(r->fields[i].flags & VR_F_HIDDEN) &&
		    field_changed(&r->fields[i], &before[i], &after[i]))
			rc = vr_buf_printf(&b, "%s\"%s\"", b.len > 1 ? "," : "",
			    r->fields[i].name);
	if (rc == 0)
		rc = vr_buf_append(&b, "]", 1);
	if (rc != 0) {
		vr_buf_free(&b);
		return vr_fail_oom(p);
	}
	*out = vr_buf_take(&b);
	return VR_OK;
}

vr_err_e
vr_write_images(vr_change_t *c, const vr_resource_t *r,
    const vr_value_t *before, const vr_value_t *after, vr_problem_t *p)
{
	vr_err_e	 e;

	if ((before != NULL && ((e = vr_write_canonical(r, before,
	    &c->before, p)) != VR_OK || (e = changed_fields(r, before, after,
	    &c->changed, p)) != VR_OK)) ||
	    (e = vr_write_canonical(r, after, &c->after, p)) != VR_OK)
		return e;
	return VR_OK;
}

vr_err_e
vr_write_describe(vr_changes_t *cs, const vr_store_t *st, const char *action,
    const vr_value_t *before, const vr_value_t *after, vr_problem_t *p)
{
	vr_change_t	*c;

	if ((c = vr_change_next(cs, p)) == NULL)
		return VR_E_INTERNAL;
	c->action = action;
	c->entity = st->res->name;
	c->entity_id = after[st->sql->id_field].i;
	return vr_write_images(c, st->res, before, after, p);
}

void
vr_write_iso_time(const char *sql_time, char out[32])
{
	size_t	 n;

	n = (size_t)snprintf(out, 32, "%sZ", sql_time);
	if (n > 10 && out[10] == ' ')
		out[10] = 'T';
}

struct write_ctx {
	const vr_store_t	*st;
	const vr_actor_t	*who;
	int64_t			 id;		/* patch: the record */
	const vr_value_t	*input;		/* validated client record */
	vr_value_t		*result;	/* the record as committed */
};

/* Replaces w->result with a fresh record; runs again on a retry. */
static vr_err_e
fresh_result(struct write_ctx *w, vr_problem_t *p)
{
	vr_record_free(w->st->res, w->result);
	if ((w->result = vr_record_new(w->st->res)) == NULL)
		return vr_fail_oom(p);
	return VR_OK;
}

static vr_err_e
create_body(vr_db_t *db, void *arg, vr_changes_t *cs, vr_problem_t *p)
{
	struct write_ctx	*w = arg;
	const vr_store_t	*st = w->st;
	vr_change_t		*c;
	char			 now[32];
	vr_err_e		 e;

	if ((c = vr_change_next(cs, p)) == NULL)
		return VR_E_INTERNAL;
	vr_record_free(st->res, w->result);
	if ((w->result = vr_record_dup(st->res, w->input)) == NULL)
		return vr_fail_oom(p);
	vr_write_iso_time(cs->at, now);
	if ((e = vr_write_prepare_new(db, st, w->who, w->result, now,
	    p)) != VR_OK ||
	    (e = vr_store_insert(db, st, w->result, p)) != VR_OK)
		return e;
	c->entity_id = w->result[st->sql->id_field].i;
	/* The after-image and the answer are the row as stored. */
	if ((e = fresh_result(w, p)) != VR_OK ||
	    (e = vr_store_get(db, st, c->entity_id, false, w->result,
	    p)) != VR_OK)
		return e;
	c->action = st->sql->created;
	c->entity = st->res->name;
	if ((e = vr_write_canonical(st->res, w->result, &c->after, p)) !=
	    VR_OK || st->after_write == NULL)
		return e;
	return st->after_write(db, w->who, w->result, NULL, cs, now, p);
}

bool
vr_write_changes_only(const vr_resource_t *r, const vr_value_t *before,
    const vr_value_t *after, int field)
{
	size_t		 i;

	for (i = 0; i < r->nfields; i++)
		if ((int)i != field &&
		    field_changed(&r->fields[i], &before[i], &after[i]))
			return false;
	return true;
}

static vr_err_e
patch_body(vr_db_t *db, void *arg, vr_changes_t *cs, vr_problem_t *p)
{
	struct write_ctx	*w = arg;
	const vr_store_t	*st = w->st;
	int64_t			 seen = w->input[st->sql->version_field].i, at;
	vr_value_t		*before = NULL;
	vr_change_t		*c;
	char			 now[32];
	bool			 raised;
	vr_err_e		 e;

	if ((e = fresh_result(w, p)) != VR_OK ||
	    (e = vr_store_get(db, st, w->id, true, w->result, p)) != VR_OK)
		return e;
	if ((at = w->result[st->sql->version_field].i) != seen)
		return vr_fail(p, VR_E_CONFLICT, "stale_version", "version",
		    "%s %" PRId64 " is at version %" PRId64 ", not %" PRId64
		    ": reload it and apply your change again", st->res->name,
		    w->id, at, seen);
	if ((before = vr_record_dup(st->res, w->result)) == NULL)
		return vr_fail_oom(p);
	vr_write_iso_time(cs->at, now);
	if ((e = vr_write_apply_patch(db, st, w->who, w->result, before,
	    w->input, now, p)) != VR_OK)
		goto out;
	/* Nothing to write: the record as it is, no version, audit, event. */
	if (vr_write_changes_only(st->res, before, w->result, -1)) {
		vr_record_free(st->res, w->result);
		w->result = before;
		before = NULL;
		goto out;
	}
	if ((e = vr_store_update(db, st, before, w->result, p)) != VR_OK ||
	    (e = vr_write_describe(cs, st, st->sql->updated, before, w->result,
	    p)) != VR_OK)
		goto out;
	raised = st->flag_event != NULL &&
	    !before[st->flag_event->field].i &&
	    w->result[st->flag_event->field].i;
	/* The flag's own event, so a host can act on it alone. */
	if (raised) {
		if ((c = vr_change_next(cs, p)) == NULL) {
			e = VR_E_INTERNAL;
			goto out;
		}
		c->action = st->flag_event->type;
		c->entity = st->res->name;
		c->entity_id = w->id;
		if ((e = vr_write_canonical(st->res, w->result, &c->after,
		    p)) != VR_OK)
			goto out;
	}
	if (st->after_write != NULL)
		e = st->after_write(db, w->who, w->result, before, cs, now, p);
out:
	vr_record_free(st->res, before);
	return e;
}

static vr_err_e
run(vr_db_t *db, struct write_ctx *w, vr_write_fn body, vr_value_t **out,
    vr_problem_t *p)
{
	vr_err_e	 e;

	e = vr_audit_write(db, w->who->user, w->who->request_id, body, w, p);
	if (e == VR_OK)
		*out = w->result;
	else
		vr_record_free(w->st->res, w->result);
	return e;
}

vr_err_e
vr_write_create(vr_db_t *db, const vr_store_t *st, const vr_actor_t *who,
    const vr_value_t *input, vr_value_t **out, vr_problem_t *p)
{
	struct write_ctx	 w = { st, who, 0, input, NULL };

	return run(db, &w, create_body, out, p);
}

vr_err_e
vr_write_patch(vr_db_t *db, const vr_store_t *st, const vr_actor_t *who,
    int64_t id, const vr_value_t *patch, vr_value_t **out, vr_problem_t *p)
{
	struct write_ctx	 w = { st, who, id, patch, NULL };

	return run(db, &w, patch_body, out, p);
}
