/*
 * vr_register_db: the register's counts per vendor (see vr_register_db.h),
 * one statement: correlated counts on the indexed vendor columns of
 * findings and subcontracts, and the chain below each vendor walked by
 * a recursive CTE over approved subcontracts, from each one its parent
 * gave (so a subcontractor's own chain counts too), at most 10 levels
 * (the configured limit is lower).
 */
#include <stdlib.h>
#include <string.h>

#include "vr_register_db.h"

static const char sql_extras[] =
    "WITH RECURSIVE chain (root, id, lvl) AS ("
    " SELECT parent_vendor_id, id, 1 FROM vr_subcontracts"
    "  WHERE state = 'approved'"
    " UNION ALL"
    " SELECT c.root, s.id, c.lvl + 1 FROM vr_subcontracts s"
    "  JOIN chain c ON s.parent_subcontract_id = c.id"
    "  WHERE s.state = 'approved' AND c.lvl < 10),"
    " below AS (SELECT root, MAX(lvl) AS depth FROM chain GROUP BY root)"
    " SELECT v.id,"
    " (SELECT COUNT(*) FROM vr_findings f WHERE f.vendor_id = v.id"
    "  AND f.status IN ('open', 'in_progress')),"
    " (SELECT COALESCE(MIN(s.depth), 0) FROM vr_subcontracts s"
    "  WHERE s.vendor_id = v.id AND s.state = 'approved'),"
    " (SELECT COUNT(*) FROM vr_subcontracts s"
    "  WHERE s.parent_vendor_id = v.id AND s.state = 'approved'),"
    " COALESCE(b.depth, 0)"
    " FROM vr_vendors v LEFT JOIN below b ON b.root = v.id"
    " ORDER BY v.id";

static int
extra_row(void *arg, const char *const *c, const unsigned long *len,
    unsigned n)
{
	vr_register_extras_t	*l = arg;
	vr_register_extra_t	*grown, *x;
	size_t			 cap;
	unsigned		 k;

	(void)len;
	if (n != 5)
		return -1;
	for (k = 0; k < n; k++)
		if (c[k] == NULL)
			return -1;
	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 256;
		if ((grown = realloc(l->items, cap * sizeof(*grown))) == NULL)
			return -1;
		l->items = grown;
		l->cap = cap;
	}
	x = &l->items[l->n++];
	x->vendor_id = strtoll(c[0], NULL, 10);
	x->open_findings = strtoll(c[1], NULL, 10);
	x->level = strtoll(c[2], NULL, 10);
	x->subcontractors = strtoll(c[3], NULL, 10);
	x->depth_below = strtoll(c[4], NULL, 10);
	return 0;
}

vr_err_e
vr_register_extras(vr_db_t *db, vr_register_extras_t *out, vr_problem_t *p)
{
	memset(out, 0, sizeof(*out));
	return vr_db_exec(db, sql_extras, NULL, 0, extra_row, out, NULL, NULL,
	    p);
}

static int
by_vendor(const void *a, const void *b)
{
	const vr_register_extra_t	*x = a, *y = b;

	return x->vendor_id < y->vendor_id ? -1 : x->vendor_id > y->vendor_id;
}

vr_register_extra_t
vr_register_extra(const vr_register_extras_t *l, int64_t id)
{
	vr_register_extra_t	 key = { .vendor_id = id }, *x;

	x = l->n > 0 ? bsearch(&key, l->items, l->n, sizeof(*l->items),
	    by_vendor) : NULL;
	return x != NULL ? *x : key;
}

void
vr_register_extras_free(vr_register_extras_t *l)
{
	free(l->items);
	memset(l, 0, sizeof(*l));
}
