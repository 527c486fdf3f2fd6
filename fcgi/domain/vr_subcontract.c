/*
 * vr_subcontract: subcontracts and their chains (see vr_subcontract.h).
 * A chain is a graph of vendors (a vendor may work under several
 * parents, and a careless register could close a loop), so every walk
 * keeps the vendors it has seen and stops at a bounded depth.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/vr_model.h"
#include "../workflow/vr_workflow.h"
#include "vr_assessment.h"
#include "vr_case.h"
#include "vr_subcontract.h"
#include "vr_vendor.h"
#include "vr_write.h"

/* Far beyond any real chain: a bound for walks, not a rule. */
#define WALK_MAX_DEPTH	16
#define WALK_MAX_NODES	1000

static const vr_sort_t sorts[] = {
	{ .name = "id", .field = SCF_ID },
	{ .name = "-id", .field = SCF_ID, .desc = true },
	{ .name = "updated_at", .field = SCF_UPDATED_AT },
	{ .name = "-updated_at", .field = SCF_UPDATED_AT, .desc = true },
};

/* The order matters: the walks below fill them by position. */
enum { F_PARENT, F_VENDOR, F_STATE, F_FLAGGED, F_HOST_REF };
static const vr_filter_t filters[] = {
	[F_PARENT] = { .param = "parent_vendor_id",
	    .field = SCF_PARENT_VENDOR_ID },
	[F_VENDOR] = { .param = "vendor_id", .field = SCF_VENDOR_ID },
	[F_STATE] = { .param = "state", .field = SCF_STATE, .multi = true },
	[F_FLAGGED] = { .param = "flagged", .field = SCF_FLAGGED },
	[F_HOST_REF] = { .param = "host_ref", .field = SCF_HOST_REF },
};

static vr_store_sql_t sql;

const vr_store_t vr_subcontract_store = {
	.res = &vr_subcontract_resource, .path = "/subcontracts",
	.sorts = sorts, .nsorts = sizeof(sorts) / sizeof(sorts[0]),
	.filters = filters, .nfilters = sizeof(filters) / sizeof(filters[0]),
	.derive = vr_subcontract_derive, .sql = &sql,
};

/*
 * A record of st by id, locked in a write: the rules read the vendors,
 * case and parent subcontract they judge by, so a write changing one of
 * those waits for this one, or this for it.  422 naming field when there
 * is none.
 */
static vr_err_e
load(vr_db_t *db, const vr_store_t *st, int64_t id, const char *field,
    vr_value_t **out, vr_problem_t *p)
{
	vr_err_e	 e;

	if ((*out = vr_record_new(st->res)) == NULL)
		return vr_fail_oom(p);
	e = vr_store_get(db, st, id, true, *out, p);
	if (e == VR_E_NOT_FOUND) {
		vr_problem_clear(p);
		e = vr_fail(p, VR_E_INVALID, "no_such_record", field,
		    "%s %" PRId64 " does not exist", st->res->name, id);
	}
	return e;
}

/* Whether a vendor holds a data class (its own fields say). */
static bool
vendor_holds(const vr_value_t *v, const char *cls)
{
	if (strcmp(cls, "personal_data") == 0)
		return vr_value_given(&v[VF_PERSONAL_DATA]) &&
		    !vr_value_is(&v[VF_PERSONAL_DATA], "none");
	if (strcmp(cls, "special_care_data") == 0)
		return v[VF_SPECIAL_CARE_DATA].i != 0;
	if (strcmp(cls, "payment_data") == 0)
		return v[VF_PAYMENT_DATA].i != 0;
	return strcmp(cls, "confidential_data") == 0 &&
	    v[VF_CONFIDENTIAL_DATA].i != 0;
}

static bool
list_has(const vr_value_t *list, const char *s)
{
	size_t	 k;

	for (k = 0; k < list->n; k++)
		if (vr_value_is(&list->item[k], s))
			return true;
	return false;
}

/*
 * Only what the parent holds is passed on: a direct subcontract the
 * classes of the parent vendor, a 再々委託 those passed to its parent.
 */
static vr_err_e
check_classes(const vr_value_t *rec, const vr_value_t *parent_vendor,
    const vr_value_t *parent_sc, vr_problem_t *p)
{
	const vr_value_t	*want = &rec[SCF_DATA_CLASSES];
	char			 missing[200];
	size_t			 k, used = 0;
	const char		*c;

	missing[0] = '\0';
	if (want->n == 0)
		return vr_fail(p, VR_E_INVALID, "required", "data_classes",
		    "name the data classes passed on");
	for (k = 0; k < want->n; k++) {
		c = want->item[k].s;
		if (parent_sc != NULL ? list_has(&parent_sc[SCF_DATA_CLASSES],
		    c) : vendor_holds(parent_vendor, c))
			continue;
		used += (size_t)snprintf(missing + used, sizeof(missing) - used,
		    "%s%s", used ? ", " : "", c);
		if (used >= sizeof(missing))
			break;
	}
	if (missing[0] != '\0')
		return vr_fail(p, VR_E_INVALID, "data_class_not_held",
		    "data_classes", "%s does not hold %s: it cannot pass %s on",
		    parent_sc != NULL ? "the parent subcontract" :
		    "the parent vendor", missing, strchr(missing, ',') ?
		    "them" : "it");
	return VR_OK;
}

/* The sheet named is the subcontractor's subcontract check sheet. */
static vr_err_e
check_sheet(vr_db_t *db, const vr_value_t *rec, vr_problem_t *p)
{
	vr_value_t	*a = NULL;
	vr_err_e	 e;

	if (!vr_value_given(&rec[SCF_ASSESSMENT_ID]))
		return VR_OK;
	if ((e = load(db, &vr_assessment_store, rec[SCF_ASSESSMENT_ID].i,
	    "assessment_id", &a, p)) == VR_OK &&
	    (!vr_value_is(&a[AS_KIND], "subcontract") ||
	    a[AS_VENDOR_ID].i != rec[SCF_VENDOR_ID].i))
		e = vr_fail(p, VR_E_INVALID, "wrong_sheet", "assessment_id",
		    "assessment %" PRId64 " is not the subcontract check sheet "
		    "of vendor %" PRId64, rec[SCF_ASSESSMENT_ID].i,
		    rec[SCF_VENDOR_ID].i);
	vr_record_free(&vr_assessment_resource, a);
	return e;
}

static unsigned
max_depth(void)
{
	const vr_config_t	*cfg = vr_workflow_config();

	return cfg != NULL ? cfg->max_subcontract_depth : 3;
}

vr_err_e
vr_subcontract_derive(vr_db_t *db, const vr_actor_t *who, vr_value_t *rec,
    const vr_value_t *before, vr_problem_t *p)
{
	static const int	 fixed[] = { SCF_PARENT_VENDOR_ID,
	    SCF_PARENT_SUBCONTRACT_ID, SCF_VENDOR_ID };
	const vr_value_t	*wf = vr_workflow_for("subcontract", NULL);
	vr_value_t		*psc = NULL, *pv = NULL, *sub = NULL;
	size_t			 i;
	vr_err_e		 e = VR_OK;

	if (wf == NULL)
		return vr_fail(p, VR_E_INVALID, "no_workflow", NULL,
		    "the manifest has no subcontract workflow");
	if (before == NULL) {
		if (!(who->roles & vr_workflow_start_roles(wf)))
			return vr_fail(p, VR_E_FORBIDDEN, "forbidden", NULL,
			    "your roles may not ask for a subcontract");
		vr_value_set_int(&rec[SCF_DEPTH], 1);
		if (vr_value_set_str(&rec[SCF_STATE], wf[MWF_INITIAL].s) == -1 ||
		    vr_value_set_str(&rec[SCF_REQUESTED_BY], who->user) == -1)
			return vr_fail_oom(p);
	} else {
		/* A request changes only while it is drafted, its host_ref always. */
		if (!vr_value_is(&before[SCF_STATE], wf[MWF_INITIAL].s)) {
			if (vr_write_changes_only(&vr_subcontract_resource,
			    before, rec, SCF_HOST_REF))
				return VR_OK;
			return vr_fail(p, VR_E_CONFLICT, "not_editable", NULL,
			    "subcontract %" PRId64 " is %s: it changes only "
			    "through its actions now", before[SCF_ID].i,
			    before[SCF_STATE].s);
		}
		for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
			if (!vr_value_same(&vr_subcontract_resource.fields[
			    fixed[i]], &rec[fixed[i]], &before[fixed[i]]))
				return vr_fail(p, VR_E_INVALID, "read_only",
				    vr_subcontract_resource.fields[fixed[i]].name,
				    "who passes work to whom is fixed: ask "
				    "for a new subcontract");
	}
	/* 再々委託: the parent is the subcontractor of its parent. */
	if (vr_value_given(&rec[SCF_PARENT_SUBCONTRACT_ID])) {
		if ((e = load(db, &vr_subcontract_store,
		    rec[SCF_PARENT_SUBCONTRACT_ID].i, "parent_subcontract_id",
		    &psc, p)) != VR_OK)
			goto out;
		if (vr_value_given(&rec[SCF_PARENT_VENDOR_ID]) &&
		    rec[SCF_PARENT_VENDOR_ID].i != psc[SCF_VENDOR_ID].i) {
			e = vr_fail(p, VR_E_INVALID, "parent_mismatch",
			    "parent_vendor_id", "subcontract %" PRId64 " is "
			    "vendor %" PRId64 "'s, not vendor %" PRId64 "'s",
			    psc[SCF_ID].i, psc[SCF_VENDOR_ID].i,
			    rec[SCF_PARENT_VENDOR_ID].i);
			goto out;
		}
		vr_value_set_int(&rec[SCF_PARENT_VENDOR_ID], psc[SCF_VENDOR_ID].i);
		vr_value_set_int(&rec[SCF_DEPTH], psc[SCF_DEPTH].i + 1);
	} else if (!vr_value_given(&rec[SCF_PARENT_VENDOR_ID])) {
		e = vr_fail(p, VR_E_INVALID, "required", "parent_vendor_id",
		    "name the vendor passing the work on (parent_vendor_id or "
		    "parent_subcontract_id)");
		goto out;
	}
	if ((uint64_t)rec[SCF_DEPTH].i > max_depth()) {
		e = vr_fail(p, VR_E_INVALID, "depth_exceeded",
		    "parent_subcontract_id", "the chain would be %" PRId64
		    " deep; at most %u levels are allowed",
		    rec[SCF_DEPTH].i, max_depth());
		goto out;
	}
	if (rec[SCF_VENDOR_ID].i == rec[SCF_PARENT_VENDOR_ID].i) {
		e = vr_fail(p, VR_E_INVALID, "same_vendor", "vendor_id",
		    "a vendor does not subcontract to itself");
		goto out;
	}
	if ((e = load(db, &vr_vendor_store, rec[SCF_PARENT_VENDOR_ID].i,
	    "parent_vendor_id", &pv, p)) != VR_OK ||
	    (e = load(db, &vr_vendor_store, rec[SCF_VENDOR_ID].i, "vendor_id",
	    &sub, p)) != VR_OK ||
	    (e = check_classes(rec, pv, psc, p)) != VR_OK)
		goto out;
	e = check_sheet(db, rec, p);
out:
	vr_record_free(&vr_subcontract_resource, psc);
	vr_record_free(&vr_vendor_resource, pv);
	vr_record_free(&vr_vendor_resource, sub);
	return e;
}

/* ---- the workflow ------------------------------------------------------ */

const vr_case_type_t vr_subcontract_case = {
	.store = &vr_subcontract_store, .kind_field = -1,
	.state_field = SCF_STATE, .requested_field = SCF_REQUESTED_BY,
	.reviewed_field = SCF_REVIEWED_BY, .decided_field = SCF_DECIDED_BY,
};

vr_err_e
vr_guard_flow_down_confirmed(vr_case_t *c, vr_problem_t *p)
{
	const vr_value_t	*fd = &c->rec[SCF_FLOW_DOWN];
	char			 open[200];
	size_t			 i, used = 0;

	open[0] = '\0';
	for (i = 0; i < FDF__MAX; i++)
		if (fd->rec == NULL || !fd->rec[i].present || fd->rec[i].null ||
		    !fd->rec[i].i)
			used += (size_t)snprintf(open + used, sizeof(open) - used,
			    "%s%s", used ? ", " : "",
			    vr_flow_down_resource.fields[i].name);
	if (open[0] != '\0')
		return vr_fail(p, VR_E_INVALID, "flow_down_unconfirmed",
		    "flow_down", "not confirmed yet: %s", open);
	return VR_OK;
}

vr_err_e
vr_guard_parent_approved(vr_case_t *c, vr_problem_t *p)
{
	vr_value_t	*pv = NULL, *psc = NULL;
	vr_err_e	 e;

	if ((e = load(c->db, &vr_vendor_store,
	    c->rec[SCF_PARENT_VENDOR_ID].i, "parent_vendor_id", &pv, p)) !=
	    VR_OK)
		goto out;
	if (!vr_value_given(&c->rec[SCF_PARENT_SUBCONTRACT_ID])) {
		/* A direct subcontract: the vendor we approved. */
		if (!vr_value_is(&pv[VF_STATUS], "approved"))
			e = vr_fail(p, VR_E_INVALID, "parent_not_approved",
			    "parent_vendor_id", "vendor %" PRId64 " is %s, not "
			    "approved", pv[VF_ID].i, pv[VF_STATUS].s);
		goto out;
	}
	/* 再々委託: the subcontract above is approved and standing. */
	if (vr_value_is(&pv[VF_STATUS], "suspended") ||
	    vr_value_is(&pv[VF_STATUS], "terminated")) {
		e = vr_fail(p, VR_E_INVALID, "parent_not_approved",
		    "parent_vendor_id", "vendor %" PRId64 " is %s", pv[VF_ID].i,
		    pv[VF_STATUS].s);
		goto out;
	}
	if ((e = load(c->db, &vr_subcontract_store,
	    c->rec[SCF_PARENT_SUBCONTRACT_ID].i, "parent_subcontract_id", &psc,
	    p)) == VR_OK && (!vr_value_is(&psc[SCF_STATE], "approved") ||
	    psc[SCF_FLAGGED].i))
		e = vr_fail(p, VR_E_INVALID, "parent_not_approved",
		    "parent_subcontract_id", "subcontract %" PRId64 " above "
		    "is %s%s", psc[SCF_ID].i, psc[SCF_STATE].s,
		    psc[SCF_FLAGGED].i ? " and flagged" : "");
out:
	vr_record_free(&vr_vendor_resource, pv);
	vr_record_free(&vr_subcontract_resource, psc);
	return e;
}

vr_err_e
vr_guard_subcontract_sheet_submitted(vr_case_t *c, vr_problem_t *p)
{
	vr_value_t	*a = NULL;
	vr_err_e	 e;

	if (!vr_value_given(&c->rec[SCF_ASSESSMENT_ID]))
		return vr_fail(p, VR_E_INVALID, "no_sheet", "assessment_id",
		    "the subcontractor's check sheet is not attached: open an "
		    "assessment of kind subcontract for vendor %" PRId64,
		    c->rec[SCF_VENDOR_ID].i);
	if ((e = check_sheet(c->db, c->rec, p)) == VR_OK &&
	    (e = load(c->db, &vr_assessment_store, c->rec[SCF_ASSESSMENT_ID].i,
	    "assessment_id", &a, p)) == VR_OK &&
	    !vr_value_is(&a[AS_STATE], "submitted"))
		e = vr_fail(p, VR_E_INVALID, "sheet_not_submitted",
		    "assessment_id", "the subcontractor's check sheet "
		    "(assessment %" PRId64 ") is %s, not submitted", a[AS_ID].i,
		    a[AS_STATE].s);
	vr_record_free(&vr_assessment_resource, a);
	return e;
}

vr_err_e
vr_guard_depth_within_limit(vr_case_t *c, vr_problem_t *p)
{
	if ((uint64_t)c->rec[SCF_DEPTH].i > max_depth())
		return vr_fail(p, VR_E_INVALID, "depth_exceeded", NULL,
		    "the chain is %" PRId64 " deep; at most %u levels are "
		    "allowed", c->rec[SCF_DEPTH].i, max_depth());
	return VR_OK;
}

vr_err_e
vr_guard_not_flagged(vr_case_t *c, vr_problem_t *p)
{
	if (c->rec[SCF_FLAGGED].i)
		return vr_fail(p, VR_E_INVALID, "flagged", NULL, "flagged: %s",
		    vr_value_given(&c->rec[SCF_FLAG_REASON]) ?
		    c->rec[SCF_FLAG_REASON].s : "review it first");
	return VR_OK;
}

/* ---- walking the chain ------------------------------------------------- */

/* Live subcontracts: every state but the two that ended it unused. */
static bool
live(const vr_value_t *st, const void *arg)
{
	(void)arg;
	return strcmp(st[MSF_ID].s, "rejected") != 0 &&
	    strcmp(st[MSF_ID].s, "withdrawn") != 0;
}

/* The live subcontracts whose field (F_PARENT or F_VENDOR) is id. */
static vr_err_e
live_by(vr_db_t *db, int filter, int64_t id, vr_list_t *l, vr_problem_t *p)
{
	vr_store_query_t q;
	char		 v[VR_INT_TEXT_MAX], states[256];

	vr_workflow_state_list("subcontract", NULL, live, NULL, states,
	    sizeof(states));
	memset(&q, 0, sizeof(q));
	q.filters[filter] = vr_int_text(v, id);
	q.filters[F_STATE] = states[0] != '\0' ? states : "-";
	q.limit = WALK_MAX_NODES;
	return vr_store_list(db, &vr_subcontract_store, &q, l, p);
}

/* A set of vendor ids seen by a walk. */
typedef struct seen {
	int64_t		 ids[WALK_MAX_NODES];
	size_t		 n;
} seen_t;

static bool
seen_add(seen_t *s, int64_t id)
{
	size_t	 k;

	for (k = 0; k < s->n; k++)
		if (s->ids[k] == id)
			return false;
	if (s->n == WALK_MAX_NODES)
		return false;
	s->ids[s->n++] = id;
	return true;
}

/* Flags one subcontract (read locked) with its audit row and event. */
static vr_err_e
flag_one(vr_db_t *db, const vr_actor_t *who, int64_t id, const char *reason,
    vr_changes_t *cs, const char *now, vr_problem_t *p)
{
	vr_value_t	*rec = NULL, *before = NULL;
	vr_err_e	 e;

	if ((rec = vr_record_new(&vr_subcontract_resource)) == NULL)
		return vr_fail_oom(p);
	if ((e = vr_store_get(db, &vr_subcontract_store, id, true, rec, p)) !=
	    VR_OK || rec[SCF_FLAGGED].i)
		goto out;
	if ((before = vr_record_dup(&vr_subcontract_resource, rec)) == NULL) {
		e = vr_fail_oom(p);
		goto out;
	}
	vr_value_set_int(&rec[SCF_FLAGGED], 1);
	if ((e = vr_write_touch(&vr_subcontract_store, rec, who, now, p)) !=
	    VR_OK)
		goto out;
	if (vr_value_set_str(&rec[SCF_FLAG_REASON], reason) == -1) {
		e = vr_fail_oom(p);
		goto out;
	}
	if ((e = vr_store_update(db, &vr_subcontract_store, before, rec, p)) ==
	    VR_OK)
		e = vr_write_describe(cs, &vr_subcontract_store,
		    "subcontract.flagged", before, rec, p);
out:
	vr_record_free(&vr_subcontract_resource, rec);
	vr_record_free(&vr_subcontract_resource, before);
	return e;
}

vr_err_e
vr_subcontract_flag_below(vr_db_t *db, const vr_actor_t *who,
    int64_t vendor_id, const char *reason, vr_changes_t *cs, const char *now,
    vr_problem_t *p)
{
	seen_t		*seen;
	vr_list_t	 l = { 0 };
	size_t		 next = 0, k;
	vr_err_e	 e;

	if ((seen = calloc(1, sizeof(*seen))) == NULL)
		return vr_fail_oom(p);
	/* The subcontracts it works under: their subcontractor is gone. */
	if ((e = live_by(db, F_VENDOR, vendor_id, &l, p)) != VR_OK)
		goto out;
	for (k = 0; k < l.n && e == VR_OK; k++)
		e = flag_one(db, who, l.items[k][SCF_ID].i, reason, cs, now, p);
	vr_list_free(&vr_subcontract_resource, &l);
	/* And everything below it, breadth first. */
	seen_add(seen, vendor_id);
	while (e == VR_OK && next < seen->n) {
		memset(&l, 0, sizeof(l));
		if ((e = live_by(db, F_PARENT, seen->ids[next++], &l, p)) !=
		    VR_OK)
			break;
		for (k = 0; k < l.n && e == VR_OK; k++) {
			e = flag_one(db, who, l.items[k][SCF_ID].i, reason, cs,
			    now, p);
			seen_add(seen, l.items[k][SCF_VENDOR_ID].i);
		}
		vr_list_free(&vr_subcontract_resource, &l);
	}
out:
	vr_list_free(&vr_subcontract_resource, &l);
	free(seen);
	return e;
}

vr_err_e
vr_subcontract_vendor_written(vr_db_t *db, const vr_actor_t *who,
    const vr_value_t *v, const vr_value_t *before, vr_changes_t *cs,
    const char *now, vr_problem_t *p)
{
	char	 reason[120];

	if (before == NULL || vr_value_is(&before[VF_STATUS], v[VF_STATUS].s) ||
	    (!vr_value_is(&v[VF_STATUS], "suspended") &&
	    !vr_value_is(&v[VF_STATUS], "terminated")))
		return VR_OK;
	snprintf(reason, sizeof(reason), "vendor %" PRId64 " was %s",
	    v[VF_ID].i, v[VF_STATUS].s);
	return vr_subcontract_flag_below(db, who, v[VF_ID].i, reason, cs, now,
	    p);
}

/* Fills LIST out with the nodes below vendor id, depth levels at most. */
static vr_err_e
tree_below(vr_db_t *db, int64_t id, int depth, seen_t *seen, vr_value_t *out,
    vr_problem_t *p)
{
	const vr_field_t	*item = vr_chain_node_resource.fields[
				    CNF_SUBCONTRACTS].items;
	vr_list_t		 l = { 0 };
	vr_value_t		*node, *slot;
	size_t			 k;
	vr_err_e		 e;

	out->present = true;
	if (depth > WALK_MAX_DEPTH || (e = live_by(db, F_PARENT, id, &l, p)) !=
	    VR_OK)
		return depth > WALK_MAX_DEPTH ? VR_OK : e;
	for (k = 0; k < l.n && e == VR_OK; k++) {
		const vr_value_t *sc = l.items[k];

		if ((slot = vr_value_push(out)) == NULL ||
		    (node = vr_value_set_record(item, slot)) == NULL) {
			e = vr_fail_oom(p);
			break;
		}
		vr_value_set_int(&node[CNF_SUBCONTRACT_ID], sc[SCF_ID].i);
		vr_value_set_int(&node[CNF_FLAGGED], sc[SCF_FLAGGED].i);
		if (vr_value_set_str(&node[CNF_STATE], sc[SCF_STATE].s) == -1 ||
		    vr_value_copy(&vr_chain_node_resource.fields[
		    CNF_DATA_CLASSES], &node[CNF_DATA_CLASSES],
		    &sc[SCF_DATA_CLASSES]) == -1 ||
		    vr_value_set_record(&vr_chain_node_resource.fields[
		    CNF_VENDOR], &node[CNF_VENDOR]) == NULL) {
			e = vr_fail_oom(p);
			break;
		}
		if ((e = vr_store_get(db, &vr_vendor_store, sc[SCF_VENDOR_ID].i,
		    false, node[CNF_VENDOR].rec, p)) != VR_OK)
			break;
		/* A vendor met twice on one walk is shown, not entered. */
		node[CNF_SUBCONTRACTS].present = true;
		if (seen_add(seen, sc[SCF_VENDOR_ID].i))
			e = tree_below(db, sc[SCF_VENDOR_ID].i, depth + 1, seen,
			    &node[CNF_SUBCONTRACTS], p);
	}
	vr_list_free(&vr_subcontract_resource, &l);
	return e;
}

vr_err_e
vr_subcontract_chain(vr_db_t *db, int64_t vendor_id, vr_value_t *chain,
    vr_problem_t *p)
{
	const vr_field_t	*vf = &vr_chain_resource.fields[CHF_VENDOR];
	const vr_field_t	*up = &vr_chain_resource.fields[CHF_PATH_UP];
	vr_value_t		*v, path = { 0 }, *slot;
	vr_list_t		 l = { 0 };
	seen_t			*seen;
	int64_t			 cur = vendor_id, parent;
	size_t			 k;
	int			 depth;
	vr_err_e		 e;

	if ((seen = calloc(1, sizeof(*seen))) == NULL ||
	    (v = vr_value_set_record(vf, &chain[CHF_VENDOR])) == NULL) {
		free(seen);
		return vr_fail_oom(p);
	}
	if ((e = vr_store_get(db, &vr_vendor_store, vendor_id, false, v, p)) !=
	    VR_OK)
		goto out;
	/* Up: through the oldest live subcontract each vendor works under. */
	path.present = true;
	seen_add(seen, vendor_id);
	for (depth = 0; depth < WALK_MAX_DEPTH && e == VR_OK; depth++) {
		memset(&l, 0, sizeof(l));
		if ((e = live_by(db, F_VENDOR, cur, &l, p)) != VR_OK ||
		    l.n == 0)
			break;
		parent = l.items[0][SCF_PARENT_VENDOR_ID].i;
		vr_list_free(&vr_subcontract_resource, &l);
		if (!seen_add(seen, parent))
			break;
		if ((slot = vr_value_push(&path)) == NULL ||
		    vr_value_set_record(up->items, slot) == NULL) {
			e = vr_fail_oom(p);
			break;
		}
		e = vr_store_get(db, &vr_vendor_store, parent, false, slot->rec,
		    p);
		cur = parent;
	}
	vr_list_free(&vr_subcontract_resource, &l);
	if (e != VR_OK)
		goto out;
	/* Found from the bottom up, shown from the top down. */
	chain[CHF_PATH_UP].present = true;
	for (k = path.n; k > 0; k--)
		if ((slot = vr_value_push(&chain[CHF_PATH_UP])) == NULL) {
			e = vr_fail_oom(p);
			goto out;
		} else {
			*slot = path.item[k - 1];
			path.item[k - 1].rec = NULL;
		}
	seen->n = 0;
	seen_add(seen, vendor_id);
	e = tree_below(db, vendor_id, 1, seen, &chain[CHF_SUBCONTRACTS], p);
out:
	vr_value_free(up, &path);
	free(seen);
	return e;
}
