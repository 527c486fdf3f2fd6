/*
 * vr_store: any stored resource in SQL (see vr_store.h).  The statements
 * of a resource are written once by vr_store_init() from its field table
 * and its list declaration; this file holds no resource's name.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../codec/vr_codec.h"
#include "../core/vr_buf.h"
#include "vr_store.h"

#define MAX_STORED	64	/* fields of one resource written by SQL */
/* terms q, 2 per filter, search + 1, 3 cursor keys, cursor id, limit */
#define MAX_LIST_ARGS	(2 * VR_STORE_MAX_FILTERS + VR_STORE_MAX_SEARCH + 7)

/* Whether a field is written by INSERT / UPDATE. */
static bool
stored(const vr_field_t *f)
{
	return f->column != NULL && !(f->flags & (VR_F_ID | VR_F_DB));
}

static int
build(char *out, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
build(char *out, size_t len, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(out, len, fmt, ap);
	va_end(ap);
	return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

/* Appends to out (of len) at *used; -1 when it does not fit. */
static int
append(char *out, size_t len, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
append(char *out, size_t len, size_t *used, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(out + *used, len - *used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len - *used)
		return -1;
	*used += (size_t)n;
	return 0;
}

static const char *
column(const vr_store_t *st, int field)
{
	return st->res->fields[field].column;
}

/* The terms statements: rewrite the substrings of one record's names. */
static int
build_terms(const vr_store_t *st, vr_store_sql_t *q)
{
	const vr_search_t	*s = st->search;
	const char		*t = st->res->table;
	char			 sel[VR_STORE_SQL_MAX];
	size_t			 i, used = 0;

	sel[0] = '\0';
	for (i = 0; i < s->nfields; i++)
		if (append(sel, sizeof(sel), &used, "%sSELECT id, `%s` AS s "
		    "FROM %s WHERE id = ? AND `%s` IS NOT NULL",
		    i ? " UNION ALL " : "", column(st, s->fields[i]), t,
		    column(st, s->fields[i])) == -1)
			return -1;
	return build(q->terms_delete, VR_STORE_SQL_MAX, "DELETE FROM %s "
	    "WHERE %s = ?", s->terms_table, s->terms_key) == -1 ||
	    build(q->terms_insert, VR_STORE_SQL_MAX, "INSERT IGNORE INTO %s "
	    "(term, %s) SELECT SUBSTRING(x.s, p.i, 2), x.id FROM (%s) x "
	    "JOIN vr_positions p ON p.i < CHAR_LENGTH(x.s)", s->terms_table,
	    s->terms_key, sel) == -1 ? -1 : 0;
}

/* The statements of one list field kept in its own table. */
static int
build_child(const vr_store_t *st, int field)
{
	const vr_field_t	*f = &st->res->fields[field];
	vr_store_sql_t		*q = st->sql;
	struct vr_store_child	*ch;
	const vr_resource_t	*sub;
	char			 cols[VR_STORE_SQL_MAX],
				 names[VR_STORE_SQL_MAX],
				 sets[VR_STORE_SQL_MAX],
				 head[VR_STORE_SQL_MAX];
	size_t			 i, nn = 0, ns = 0;
	int			 k;

	if (f->type != VR_T_LIST || f->items == NULL ||
	    f->items->type != VR_T_RECORD || f->child_key == NULL ||
	    q->nchildren == VR_STORE_MAX_CHILDREN)
		return -1;
	sub = f->items->sub;
	ch = &q->child[q->nchildren++];
	ch->field = field;
	names[0] = sets[0] = '\0';
	for (i = 0; i < sub->nfields; i++)
		if (stored(&sub->fields[i]) && (append(names, sizeof(names),
		    &nn, ", `%s`", sub->fields[i].column) == -1 ||
		    append(sets, sizeof(sets), &ns, "%s`%s` = ?", ns ? ", " : "",
		    sub->fields[i].column) == -1))
			return -1;
	ch->ncols = 2;
	for (i = 0; i < sub->nfields; i++)
		ch->ncols += stored(&sub->fields[i]);
	if (ch->ncols > MAX_STORED + 2 || vr_db_select_list(sub, NULL, cols,
	    sizeof(cols)) == -1 ||
	    build(ch->select, VR_STORE_SQL_MAX, "SELECT %s FROM %s WHERE `%s` "
	    "= ? ORDER BY position", cols, f->child_table, f->child_key) ==
	    -1 ||
	    build(ch->delete, VR_STORE_SQL_MAX, "DELETE FROM %s WHERE `%s` = ?",
	    f->child_table, f->child_key) == -1 ||
	    build(ch->update, VR_STORE_SQL_MAX, "UPDATE %s SET %s WHERE `%s` = "
	    "? AND position = ?", f->child_table, sets, f->child_key) == -1 ||
	    build(ch->truncate, VR_STORE_SQL_MAX, "DELETE FROM %s WHERE `%s` = "
	    "? AND position >= ?", f->child_table, f->child_key) == -1 ||
	    build(head, sizeof(head), "INSERT INTO %s (`%s`, position%s) VALUES",
	    f->child_table, f->child_key, names) == -1 ||
	    ch->ncols * VR_STORE_BATCH > VR_DB_MAX_ARGS ||
	    (1 << (VR_STORE_BATCH_SIZES - 1)) != VR_STORE_BATCH)
		return -1;
	/*
	 * 1, 2, 4, 8 and VR_STORE_BATCH rows to a statement: a list of n rows
	 * goes in one statement per bit of n (55 answers: six), each of them
	 * a prepared statement the connection keeps.
	 */
	for (k = 0; k < VR_STORE_BATCH_SIZES; k++)
		if (vr_db_rows_sql(ch->insert[k], sizeof(ch->insert[k]), head,
		    (int)ch->ncols, 1 << k) == -1)
			return -1;
	return 0;
}

/* "(…) AND " for each filter, at *used of out. */
static int
build_filters(const vr_store_t *st, char *out, size_t len, size_t *used)
{
	size_t	 i;

	out[*used] = '\0';
	for (i = 0; i < st->nfilters; i++)
		if ((st->filters[i].condition != NULL ? append(out, len, used,
		    "(? IS NULL OR ? IS NULL OR (%s)) AND ",
		    st->filters[i].condition) :
		    append(out, len, used, st->filters[i].multi ?
		    "(? IS NULL OR FIND_IN_SET(v.`%s`, ?) > 0) AND " :
		    "(? IS NULL OR v.`%s` = ?) AND ",
		    column(st, st->filters[i].field))) == -1)
			return -1;
	return 0;
}

/* The filters, the search and the keyset cursor of one sort. */
static int
build_where(const vr_store_t *st, const vr_sort_t *so, char *out,
    size_t len)
{
	const char	*col = column(st, so->field), *cmp = so->desc ? "<" : ">";
	size_t		 i, used = 0;

	if (build_filters(st, out, len, &used) == -1)
		return -1;
	if (st->search != NULL) {
		if (append(out, len, &used, "(? IS NULL") == -1)
			return -1;
		for (i = 0; i < st->search->nfields; i++)
			if (append(out, len, &used, " OR v.`%s` LIKE ?",
			    column(st, st->search->fields[i])) == -1)
				return -1;
		if (append(out, len, &used, ") AND ") == -1)
			return -1;
	}
	return append(out, len, &used, "(? IS NULL OR v.`%s` %s ? OR "
	    "(v.`%s` = ? AND v.id %s ?))", col, cmp, col, cmp);
}

int
vr_store_init(const vr_store_t *st)
{
	const vr_resource_t	*r = st->res;
	vr_store_sql_t		*q = st->sql;
	char			 cols[VR_STORE_SQL_MAX], names[VR_STORE_SQL_MAX],
				 marks[VR_STORE_SQL_MAX], sets[VR_STORE_SQL_MAX],
				 vcols[VR_STORE_SQL_MAX], where[VR_STORE_SQL_MAX],
				 order[128];
	size_t			 i, nn = 0, nm = 0, ns = 0, nstored = 0;

	if (q->ready)
		return 0;
	if (st->nsorts == 0 || st->nsorts > VR_STORE_MAX_SORTS ||
	    st->nfilters > VR_STORE_MAX_FILTERS || (st->search != NULL &&
	    (st->search->nfields == 0 ||
	    st->search->nfields > VR_STORE_MAX_SEARCH)))
		return -1;
	q->id_field = q->version_field = -1;
	names[0] = marks[0] = sets[0] = '\0';
	for (i = 0; i < r->nfields; i++) {
		if (r->fields[i].flags & VR_F_ID)
			q->id_field = (int)i;
		if (r->fields[i].flags & VR_F_VERSION)
			q->version_field = (int)i;
		if (!stored(&r->fields[i]))
			continue;
		nstored++;
		if (append(names, sizeof(names), &nn, "%s`%s`", nn ? ", " : "",
		    r->fields[i].column) == -1 ||
		    append(marks, sizeof(marks), &nm, "%s?", nm ? ", " : "") ==
		    -1 ||
		    append(sets, sizeof(sets), &ns, "%s`%s` = ?", ns ? ", " : "",
		    r->fields[i].column) == -1)
			return -1;
	}
	if (q->id_field < 0 || nstored > MAX_STORED ||
	    vr_db_select_list(r, NULL, cols, sizeof(cols)) == -1 ||
	    vr_db_select_list(r, "v", vcols, sizeof(vcols)) == -1)
		return -1;
	if (build(q->get, VR_STORE_SQL_MAX, "SELECT %s FROM %s WHERE id = ?",
	    cols, r->table) == -1 ||
	    build(q->get_lock, VR_STORE_SQL_MAX, "%s FOR UPDATE", q->get) ==
	    -1 ||
	    (st->lookup_field > 0 && build(q->lookup, VR_STORE_SQL_MAX,
	    "SELECT %s FROM %s WHERE `%s` = ?", cols, r->table,
	    column(st, st->lookup_field)) == -1) ||
	    (st->same_field > 0 && build(q->same, VR_STORE_SQL_MAX,
	    "SELECT %s FROM %s WHERE `%s` = ? AND id <> ? ORDER BY id LIMIT 1",
	    cols, r->table, column(st, st->same_field)) == -1) ||
	    build(q->insert, VR_STORE_SQL_MAX, "INSERT INTO %s (%s) VALUES "
	    "(%s)", r->table, names, marks) == -1 ||
	    /* Without a version field a record is never updated. */
	    (q->version_field >= 0 && build(q->update, VR_STORE_SQL_MAX,
	    "UPDATE %s SET %s WHERE id = ? AND `%s` = ?", r->table, sets,
	    r->fields[q->version_field].column) == -1) ||
	    build(q->created, sizeof(q->created), "%s.created", r->name) ==
	    -1 ||
	    build(q->updated, sizeof(q->updated), "%s.updated", r->name) == -1)
		return -1;
	if (st->search != NULL && st->search->terms_table != NULL &&
	    build_terms(st, q) == -1)
		return -1;
	nn = 0;
	if (build_filters(st, where, sizeof(where), &nn) == -1 ||
	    build(q->count, VR_STORE_SQL_MAX, "SELECT COUNT(*) FROM %s v WHERE "
	    "%s TRUE", r->table, where) == -1)
		return -1;
	for (i = 0; i < r->nfields; i++)
		if (r->fields[i].child_table != NULL &&
		    build_child(st, (int)i) == -1)
			return -1;
	for (i = 0; i < st->nsorts; i++) {
		const vr_sort_t	*so = &st->sorts[i];
		const char	*col = column(st, so->field),
				*dir = so->desc ? "DESC" : "ASC";

		if (build_where(st, so, where, sizeof(where)) == -1 ||
		    build(q->list[i], VR_STORE_SQL_MAX, "SELECT %s FROM %s v "
		    "WHERE %s ORDER BY v.`%s` %s, v.id %s LIMIT ?", vcols,
		    r->table, where, col, dir, dir) == -1)
			return -1;
		if (st->search == NULL || st->search->terms_table == NULL)
			continue;
		if (build(order, sizeof(order), so->field == q->id_field ?
		    "t.`%s`" : "v.`%s`", so->field == q->id_field ?
		    st->search->terms_key : col) == -1)
			return -1;
		/*
		 * With q of two or more characters: only the records
		 * holding q's first two characters (the extra first
		 * parameter).  By id the terms index is already in order,
		 * so the scan stops after one page.
		 */
		if (build(q->list_terms[i], VR_STORE_SQL_MAX, "SELECT %s FROM "
		    "%s t JOIN %s v ON v.id = t.`%s` WHERE t.term = "
		    "SUBSTRING(?, 1, 2) AND %s ORDER BY %s %s, t.`%s` %s "
		    "LIMIT ?", vcols, st->search->terms_table, r->table,
		    st->search->terms_key, where, order, dir,
		    st->search->terms_key, dir) == -1)
			return -1;
	}
	q->ready = true;
	return 0;
}

int
vr_store_sort_of(const vr_store_t *st, const char *name)
{
	size_t	 i;

	for (i = 0; i < st->nsorts; i++)
		if (strcmp(st->sorts[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* ISO "2026-11-25T08:00:00.123456Z" to SQL "2026-11-25 08:00:00.123456". */
static void
iso_to_sql(const char *iso, char out[32])
{
	size_t	 n;

	snprintf(out, 32, "%s", iso);
	if ((n = strlen(out)) > 0 && out[n - 1] == 'Z')
		out[n - 1] = '\0';
	if (strlen(out) > 10 && out[10] == 'T')
		out[10] = ' ';
}

/*
 * Binds the stored fields of res in rec in table order; returns how
 * many, or -1 when memory ran out.  Nested values are encoded into
 * json[] (the caller frees each with vr_buf_free).
 */
static int
bind_record(const vr_resource_t *r, const vr_value_t *rec, vr_db_arg_t *a,
    char times[][32], vr_buf_t *json)
{
	const vr_field_t	*f;
	size_t			 i, n = 0;

	for (i = 0; i < r->nfields; i++) {
		f = &r->fields[i];
		if (!stored(f))
			continue;
		if (!rec[i].present || rec[i].null)
			a[n] = (vr_db_arg_t){ .kind = VR_ARG_NULL };
		else if (vr_type_nested(f->type)) {
			if (vr_json_encode_value(f, &rec[i], &json[n]) !=
			    VR_OK || vr_buf_append(&json[n], "", 1) == -1)
				return -1;
			a[n] = VR_ARG_S(json[n].data);
		} else if (f->type == VR_T_INT || f->type == VR_T_BOOL)
			a[n] = VR_ARG_I(rec[i].i);
		else if (f->type == VR_T_TIME) {
			iso_to_sql(rec[i].s, times[n]);
			a[n] = VR_ARG_S(times[n]);
		} else
			a[n] = VR_ARG_S(rec[i].s);
		n++;
	}
	return (int)n;
}

static void
free_json(vr_buf_t *json, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		vr_buf_free(&json[i]);
}

struct one_ctx {
	const vr_resource_t	*res;
	vr_value_t		*rec;
	int			 found;
};

static int
one_row(void *arg, const char *const *c, const unsigned long *l, unsigned n)
{
	struct one_ctx	*o = arg;

	(void)l;
	o->found = 1;
	return vr_db_record_from_row(o->res, o->rec, c, n);
}

/* Appends each child row, as a sub-record, to the list value. */
struct child_ctx {
	const vr_field_t	*f;
	vr_value_t		*list;
};

static int
child_row(void *arg, const char *const *c, const unsigned long *l,
    unsigned n)
{
	struct child_ctx	*cc = arg;
	vr_value_t		*item;

	(void)l;
	if ((item = vr_value_push(cc->list)) == NULL ||
	    vr_value_set_record(cc->f->items, item) == NULL)
		return -1;
	return vr_db_record_from_row(cc->f->items->sub, item->rec, c, n);
}

/* Reads the child rows of record id into its list fields. */
static vr_err_e
children_get(vr_db_t *db, const vr_store_t *st, int64_t id, vr_value_t *rec,
    vr_problem_t *p)
{
	const struct vr_store_child	*ch;
	const vr_db_arg_t		 a[] = { VR_ARG_I(id) };
	struct child_ctx		 cc;
	size_t				 k;
	vr_err_e			 e;

	for (k = 0; k < st->sql->nchildren; k++) {
		ch = &st->sql->child[k];
		cc.f = &st->res->fields[ch->field];
		cc.list = &rec[ch->field];
		vr_value_free(cc.f, cc.list);
		cc.list->present = true;
		if ((e = vr_db_exec(db, ch->select, a, 1, child_row, &cc, NULL,
		    NULL, p)) != VR_OK)
			return e;
	}
	return VR_OK;
}

/* Inserts items [from, from + (1 << size)) of list. */
static vr_err_e
insert_rows(vr_db_t *db, const struct vr_store_child *ch,
    const vr_resource_t *sub, int64_t id, const vr_value_t *list,
    size_t from, int size, vr_problem_t *p)
{
	vr_db_arg_t	 a[VR_STORE_BATCH * (MAX_STORED + 2)];
	vr_buf_t	 json[VR_STORE_BATCH * (MAX_STORED + 2)];
	char		 times[VR_STORE_BATCH * (MAX_STORED + 2)][32];
	size_t		 k, used = 0, n = (size_t)1 << size;
	int		 m;
	vr_err_e	 e = VR_OK;

	memset(json, 0, n * ch->ncols * sizeof(json[0]));
	for (k = 0; k < n && e == VR_OK; k++) {
		a[used] = VR_ARG_I(id);
		a[used + 1] = VR_ARG_I((int64_t)(from + k));
		if ((m = bind_record(sub, list->item[from + k].rec, a + used + 2,
		    times + used + 2, json + used + 2)) == -1)
			e = vr_fail_oom(p);
		used += (size_t)m + 2;
	}
	if (e == VR_OK)
		e = vr_db_exec(db, ch->insert[size], a, used, NULL, NULL,
		    NULL, NULL, p);
	free_json(json, n * ch->ncols);
	return e;
}

/* Rewrites the row at position pos with item. */
static vr_err_e
update_row(vr_db_t *db, const struct vr_store_child *ch,
    const vr_resource_t *sub, int64_t id, const vr_value_t *item, size_t pos,
    vr_problem_t *p)
{
	vr_db_arg_t	 a[MAX_STORED + 2];
	vr_buf_t	 json[MAX_STORED + 2];
	char		 times[MAX_STORED + 2][32];
	int		 m;
	vr_err_e	 e;

	memset(json, 0, sizeof(json));
	if ((m = bind_record(sub, item->rec, a, times, json)) == -1)
		e = vr_fail_oom(p);
	else {
		a[m] = VR_ARG_I(id);
		a[m + 1] = VR_ARG_I((int64_t)pos);
		e = vr_db_exec(db, ch->update, a, (size_t)m + 2, NULL, NULL,
		    NULL, NULL, p);
	}
	free_json(json, MAX_STORED + 2);
	return e;
}

/* Statements a rewrite of list items [from, n) takes: one per bit. */
static size_t
insert_statements(size_t from, size_t n)
{
	size_t	 left = n - from, k = 0;

	for (; left != 0; left &= left - 1)
		k++;
	return k;
}

/* Inserts items [from, list->n) of list, one statement per bit. */
static vr_err_e
insert_tail(vr_db_t *db, const struct vr_store_child *ch,
    const vr_resource_t *sub, int64_t id, const vr_value_t *list, size_t from,
    vr_problem_t *p)
{
	size_t		 j;
	int		 size;
	vr_err_e	 e = VR_OK;

	for (j = from; j < list->n && e == VR_OK; j += (size_t)1 << size) {
		for (size = VR_STORE_BATCH_SIZES - 1;
		    ((size_t)1 << size) > list->n - j; size--)
			;
		e = insert_rows(db, ch, sub, id, list, j, size, p);
	}
	return e;
}

/*
 * Writes the child rows of the list field ch when rec's list differs from
 * old's (NULL: no rows yet).  Few changed items are updated in place (a
 * save of a whole check sheet that changes one note writes one row); when
 * that would take more statements than deleting the rows and inserting
 * them again in batches, they are rewritten.
 */
static vr_err_e
child_put(vr_db_t *db, const vr_store_t *st, const struct vr_store_child *ch,
    int64_t id, const vr_value_t *old, const vr_value_t *list,
    vr_problem_t *p)
{
	const vr_field_t	*items = st->res->fields[ch->field].items;
	const vr_db_arg_t	 one[] = { VR_ARG_I(id) };
	size_t			 j, kept, changed = 0;
	bool			*differs = NULL;
	vr_err_e		 e = VR_OK;

	if (old == NULL)
		return insert_tail(db, ch, items->sub, id, list, 0, p);
	kept = old->n < list->n ? old->n : list->n;
	if (kept != 0 && (differs = calloc(kept, sizeof(*differs))) == NULL)
		return vr_fail_oom(p);
	for (j = 0; j < kept; j++)
		changed += differs[j] = !vr_value_same(items, &old->item[j],
		    &list->item[j]);
	if (changed + (old->n > list->n) > 1 + insert_statements(0, list->n) -
	    insert_statements(kept, list->n)) {
		if ((e = vr_db_exec(db, ch->delete, one, 1, NULL, NULL, NULL,
		    NULL, p)) == VR_OK)
			e = insert_tail(db, ch, items->sub, id, list, 0, p);
		free(differs);
		return e;
	}
	for (j = 0; j < kept && e == VR_OK; j++)
		if (differs[j])
			e = update_row(db, ch, items->sub, id, &list->item[j],
			    j, p);
	free(differs);
	if (e == VR_OK && old->n > list->n) {
		const vr_db_arg_t	 from[] = { VR_ARG_I(id),
		    VR_ARG_I((int64_t)list->n) };

		e = vr_db_exec(db, ch->truncate, from, 2, NULL, NULL, NULL,
		    NULL, p);
	}
	if (e == VR_OK)
		e = insert_tail(db, ch, items->sub, id, list, kept, p);
	return e;
}

/*
 * Writes the child rows of the list fields rec gives, unless they are
 * what before (NULL on insert) already holds: a transition of a case
 * leaves its answers' rows alone.
 */
static vr_err_e
children_put(vr_db_t *db, const vr_store_t *st, int64_t id,
    const vr_value_t *before, const vr_value_t *rec, vr_problem_t *p)
{
	const struct vr_store_child	*ch;
	const vr_value_t		*list;
	const vr_db_arg_t		 one[] = { VR_ARG_I(id) };
	size_t				 k;
	vr_err_e			 e = VR_OK;

	for (k = 0; k < st->sql->nchildren && e == VR_OK; k++) {
		ch = &st->sql->child[k];
		list = &rec[ch->field];
		if (!list->present)
			continue;
		if (before == NULL)
			e = child_put(db, st, ch, id, NULL, list, p);
		else if (before[ch->field].present)
			e = child_put(db, st, ch, id, &before[ch->field], list,
			    p);
		/* A record read without its lists: its rows are unknown. */
		else if ((e = vr_db_exec(db, ch->delete, one, 1, NULL, NULL,
		    NULL, NULL, p)) == VR_OK)
			e = child_put(db, st, ch, id, NULL, list, p);
	}
	return e;
}

vr_err_e
vr_store_get_row(vr_db_t *db, const vr_store_t *st, int64_t id, bool lock,
    vr_value_t *rec, vr_problem_t *p)
{
	struct one_ctx		 o = { st->res, rec, 0 };
	const vr_db_arg_t	 a[] = { VR_ARG_I(id) };
	vr_err_e		 e;

	/* A read outside a write (a GET's guards) waits for no writer. */
	lock = lock && vr_db_in_transaction(db);
	if ((e = vr_db_exec(db, lock ? st->sql->get_lock : st->sql->get, a, 1,
	    one_row, &o, NULL, NULL, p)) != VR_OK)
		return e;
	if (!o.found)
		return vr_fail(p, VR_E_NOT_FOUND, "not_found", NULL,
		    "%s %" PRId64 " does not exist", st->res->name, id);
	return VR_OK;
}

vr_err_e
vr_store_get(vr_db_t *db, const vr_store_t *st, int64_t id, bool lock,
    vr_value_t *rec, vr_problem_t *p)
{
	vr_err_e	 e;

	if ((e = vr_store_get_row(db, st, id, lock, rec, p)) != VR_OK)
		return e;
	return children_get(db, st, id, rec, p);
}

vr_err_e
vr_store_find_by(vr_db_t *db, const vr_store_t *st, const char *value,
    vr_value_t **out, vr_problem_t *p)
{
	struct one_ctx		 o = { st->res, NULL, 0 };
	const vr_db_arg_t	 a[] = { VR_ARG_S(value) };
	vr_err_e		 e;

	*out = NULL;
	if (st->lookup_field <= 0)
		return vr_fail(p, VR_E_INTERNAL, "internal", NULL,
		    "%s has no lookup field", st->res->name);
	if ((o.rec = vr_record_new(st->res)) == NULL)
		return vr_fail_oom(p);
	if ((e = vr_db_exec(db, st->sql->lookup, a, 1, one_row, &o, NULL, NULL,
	    p)) == VR_OK && !o.found)
		e = VR_E_NOT_FOUND;
	if (e == VR_OK)
		e = children_get(db, st, o.rec[st->sql->id_field].i, o.rec, p);
	if (e == VR_OK)
		*out = o.rec;
	else
		vr_record_free(st->res, o.rec);
	return e;
}

vr_err_e
vr_store_find_same(vr_db_t *db, const vr_store_t *st, const char *value,
    int64_t except_id, vr_value_t **out, vr_problem_t *p)
{
	struct one_ctx		 o = { st->res, NULL, 0 };
	const vr_db_arg_t	 a[] = { VR_ARG_S(value), VR_ARG_I(except_id) };
	vr_err_e		 e;

	*out = NULL;
	if (st->same_field <= 0)
		return vr_fail(p, VR_E_INTERNAL, "internal", NULL,
		    "%s has no same field", st->res->name);
	if ((o.rec = vr_record_new(st->res)) == NULL)
		return vr_fail_oom(p);
	if ((e = vr_db_exec(db, st->sql->same, a, 2, one_row, &o, NULL, NULL,
	    p)) == VR_OK && !o.found)
		e = VR_E_NOT_FOUND;
	if (e == VR_OK)
		*out = o.rec;
	else
		vr_record_free(st->res, o.rec);
	return e;
}

/* Rewrites the search terms of record id from its stored fields. */
static vr_err_e
terms_refresh(vr_db_t *db, const vr_store_t *st, int64_t id, vr_problem_t *p)
{
	vr_db_arg_t	 a[VR_STORE_MAX_SEARCH];
	size_t		 i, n = st->search->nfields;
	vr_err_e	 e;

	for (i = 0; i < n; i++)
		a[i] = VR_ARG_I(id);
	if ((e = vr_db_exec(db, st->sql->terms_delete, a, 1, NULL, NULL, NULL,
	    NULL, p)) != VR_OK)
		return e;
	return vr_db_exec(db, st->sql->terms_insert, a, n, NULL, NULL, NULL,
	    NULL, p);
}

static bool
has_terms(const vr_store_t *st)
{
	return st->search != NULL && st->search->terms_table != NULL;
}

vr_err_e
vr_store_insert(vr_db_t *db, const vr_store_t *st, vr_value_t *rec,
    vr_problem_t *p)
{
	vr_db_arg_t	 a[MAX_STORED];
	vr_buf_t	 json[MAX_STORED];
	char		 times[MAX_STORED][32];
	uint64_t	 id = 0;
	int		 n;
	vr_err_e	 e;

	memset(json, 0, sizeof(json));
	if ((n = bind_record(st->res, rec, a, times, json)) == -1)
		e = vr_fail_oom(p);
	else
		e = vr_db_exec(db, st->sql->insert, a, (size_t)n, NULL, NULL,
		    NULL, &id, p);
	free_json(json, MAX_STORED);
	if (e != VR_OK)
		return e;
	vr_value_set_int(&rec[st->sql->id_field], (int64_t)id);
	if ((e = children_put(db, st, (int64_t)id, NULL, rec, p)) != VR_OK)
		return e;
	return has_terms(st) ? terms_refresh(db, st, (int64_t)id, p) : VR_OK;
}

/* Whether text field f differs between two records (null counts). */
static bool
text_differs(const vr_value_t *a, const vr_value_t *b, int f)
{
	if (a[f].null || b[f].null || a[f].s == NULL || b[f].s == NULL)
		return a[f].null != b[f].null || (a[f].s == NULL) !=
		    (b[f].s == NULL);
	return strcmp(a[f].s, b[f].s) != 0;
}

vr_err_e
vr_store_update(vr_db_t *db, const vr_store_t *st, const vr_value_t *before,
    const vr_value_t *after, vr_problem_t *p)
{
	vr_db_arg_t	 a[MAX_STORED + 2];
	vr_buf_t	 json[MAX_STORED + 2];
	char		 times[MAX_STORED + 2][32];
	const vr_search_t *se;
	uint64_t	 affected = 0;
	int64_t		 id = before[st->sql->id_field].i;
	size_t		 i;
	int		 n;
	vr_err_e	 e;

	memset(json, 0, sizeof(json));
	if ((n = bind_record(st->res, after, a, times, json)) == -1)
		e = vr_fail_oom(p);
	else {
		a[n++] = VR_ARG_I(id);
		a[n++] = VR_ARG_I(before[st->sql->version_field].i);
		e = vr_db_exec(db, st->sql->update, a, (size_t)n, NULL, NULL,
		    &affected, NULL, p);
	}
	free_json(json, MAX_STORED + 2);
	if (e != VR_OK)
		return e;
	if (affected == 0)
		return vr_fail(p, VR_E_CONFLICT, "stale_version", "version",
		    "%s %" PRId64 " was changed by someone else: "
		    "reload it and apply your change again", st->res->name, id);
	if ((e = children_put(db, st, id, before, after, p)) != VR_OK)
		return e;
	if (!has_terms(st))
		return VR_OK;
	se = st->search;
	for (i = 0; i < (se->nsources ? se->nsources : se->nfields); i++)
		if (text_differs(before, after, se->nsources ? se->sources[i] :
		    se->fields[i]))
			return terms_refresh(db, st, id, p);
	return VR_OK;
}

vr_err_e
vr_store_count(vr_db_t *db, const vr_store_t *st, const vr_store_query_t *f,
    int64_t *count, vr_problem_t *p)
{
	vr_db_arg_t	 a[2 * VR_STORE_MAX_FILTERS];
	size_t		 i, n = 0;

	*count = 0;
	for (i = 0; i < st->nfilters; i++) {
		a[n++] = VR_ARG_S(f->filters[i]);
		a[n++] = VR_ARG_S(f->filters[i]);
	}
	return vr_db_exec(db, st->sql->count, a, n, vr_db_count_row, count, NULL,
	    NULL, p);
}

/* The cursor's key of the last record: its sort field as text. */
static const char *
sort_key(const vr_store_t *st, const vr_sort_t *so, const vr_value_t *last,
    char num[VR_INT_TEXT_MAX])
{
	const vr_field_t	*f = &st->res->fields[so->field];

	if (f->type == VR_T_INT || f->type == VR_T_BOOL)
		return vr_int_text(num, last[so->field].i);
	return last[so->field].s ? last[so->field].s : "";
}

/* The cursor: hex of "SORT\x1fID\x1fKEY" (opaque to clients). */
static char *
cursor_encode(const vr_store_t *st, int sort, const vr_value_t *last)
{
	vr_buf_t	 raw = { 0 }, hex = { 0 };
	char		 num[VR_INT_TEXT_MAX];
	size_t		 i;

	if (vr_buf_printf(&raw, "%d\x1f%" PRId64 "\x1f%s", sort,
	    last[st->sql->id_field].i, sort_key(st, &st->sorts[sort], last,
	    num)) == -1)
		goto fail;
	for (i = 0; i < raw.len; i++)
		if (vr_buf_printf(&hex, "%02x",
		    (unsigned char)raw.data[i]) == -1)
			goto fail;
	vr_buf_free(&raw);
	return vr_buf_take(&hex);
fail:
	vr_buf_free(&raw);
	vr_buf_free(&hex);
	return NULL;
}

/* Decodes into raw (caller frees) and points id/key into it. */
static int
cursor_decode(const char *cur, int sort, char **raw, int64_t *id,
    const char **key)
{
	size_t	 n = strlen(cur), i;
	char	*r, *sep1, *sep2, *end;
	unsigned v;

	*raw = NULL;
	if (n == 0 || n % 2 != 0 || n > 4096)
		return -1;
	if ((r = malloc(n / 2 + 1)) == NULL)
		return -1;
	for (i = 0; i < n / 2; i++) {
		if (sscanf(cur + 2 * i, "%2x", &v) != 1 ||
		    strchr("0123456789abcdef", cur[2 * i]) == NULL ||
		    strchr("0123456789abcdef", cur[2 * i + 1]) == NULL)
			goto bad;
		r[i] = (char)v;
	}
	r[n / 2] = '\0';
	if (strlen(r) != n / 2 || (sep1 = strchr(r, '\x1f')) == NULL ||
	    (sep2 = strchr(sep1 + 1, '\x1f')) == NULL)
		goto bad;
	*sep1 = *sep2 = '\0';
	if (strtol(r, &end, 10) != sort || *end != '\0')
		goto bad;
	*id = strtoll(sep1 + 1, &end, 10);
	if (*end != '\0' || *id < 0)
		goto bad;
	*key = sep2 + 1;
	*raw = r;
	return 0;
bad:
	free(r);
	return -1;
}

/* LIKE pattern "%q%" with the wildcards of q escaped. */
static char *
like_pattern(const char *q)
{
	vr_buf_t	 b = { 0 };

	if (vr_buf_puts(&b, "%") == -1)
		goto fail;
	for (; *q != '\0'; q++)
		if (((*q == '%' || *q == '_' || *q == '\\') &&
		    vr_buf_puts(&b, "\\") == -1) ||
		    vr_buf_append(&b, q, 1) == -1)
			goto fail;
	if (vr_buf_puts(&b, "%") == -1)
		goto fail;
	return vr_buf_take(&b);
fail:
	vr_buf_free(&b);
	return NULL;
}

vr_err_e
vr_store_list(vr_db_t *db, const vr_store_t *st, const vr_store_query_t *f,
    vr_list_t *l, vr_problem_t *p)
{
	const vr_sort_t		*so = &st->sorts[f->sort];
	const vr_field_t	*sf = &st->res->fields[so->field];
	vr_db_list_ctx_t	 lc = { st->res, l };
	vr_db_arg_t		 a[MAX_LIST_ARGS];
	char			*raw = NULL, *like = NULL, idbuf[VR_INT_TEXT_MAX],
				 keybuf[32];
	const char		*key = NULL;
	int64_t			 cid = 0;
	size_t			 n = 0, i;
	bool			 terms;
	vr_err_e		 e = VR_E_INTERNAL;

	if (f->cursor != NULL && cursor_decode(f->cursor, f->sort, &raw, &cid,
	    &key) == -1) {
		e = vr_fail(p, VR_E_MALFORMED, "invalid_cursor", "cursor",
		    "cursor is not one this list gave out (with this sort)");
		goto out;
	}
	if (f->q != NULL && (like = like_pattern(f->q)) == NULL)
		goto out;
	if (key != NULL && so->field == st->sql->id_field)
		key = vr_int_text(idbuf, cid);
	else if (key != NULL && sf->type == VR_T_TIME) {
		iso_to_sql(key, keybuf);
		key = keybuf;
	}
	/* Only the terms form takes q itself as its first parameter. */
	terms = f->q != NULL && has_terms(st) &&
	    vr_utf8_chars(f->q, strlen(f->q)) >= 2;
	if (terms)
		a[n++] = VR_ARG_S(f->q);
	for (i = 0; i < st->nfilters; i++) {
		a[n++] = VR_ARG_S(f->filters[i]);
		a[n++] = VR_ARG_S(f->filters[i]);
	}
	if (st->search != NULL)
		for (i = 0; i <= st->search->nfields; i++)
			a[n++] = VR_ARG_S(like);
	a[n++] = VR_ARG_S(key);
	a[n++] = VR_ARG_S(key);
	a[n++] = VR_ARG_S(key);
	a[n++] = VR_ARG_I(cid);
	/* One row more than asked tells whether a next page exists. */
	a[n++] = VR_ARG_I(f->limit + 1);
	if ((e = vr_db_exec(db, terms ? st->sql->list_terms[f->sort] :
	    st->sql->list[f->sort], a, n, vr_db_list_row, &lc, NULL, NULL,
	    p)) != VR_OK)
		goto out;
	if ((int64_t)l->n > f->limit) {
		vr_record_free(st->res, l->items[--l->n]);
		if ((l->next_cursor = cursor_encode(st, f->sort,
		    l->items[l->n - 1])) == NULL) {
			e = VR_E_INTERNAL;
			goto out;
		}
	}
	e = VR_OK;
out:
	if (e == VR_E_INTERNAL)
		vr_fail(p, e, "out_of_memory", NULL, "out of memory");
	free(raw);
	free(like);
	return e;
}
