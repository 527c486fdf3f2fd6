/*
 * vr_vendor_store: vendors in SQL.  Every statement is generated once at
 * start-up from the vendor field table (column names are constants of the
 * table, never client input) and run prepared.  Listing pages by keyset:
 * the cursor holds the last row's sort key and id, never an OFFSET.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/vr_buf.h"
#include "../model/vr_model.h"
#include "vr_vendor_store.h"

#define SQL_MAX		4096
#define MAX_STORED	VF__MAX

static char	 sql_get[SQL_MAX];
static char	 sql_get_lock[SQL_MAX];
static char	 sql_insert[SQL_MAX];
static char	 sql_update[SQL_MAX];
static char	 sql_list[VR_SORT__MAX][SQL_MAX];
static char	 sql_list_terms[VR_SORT__MAX][SQL_MAX];

/* A vendor's search terms (sql/002_vendor_search.sql), rewritten with it. */
static const char sql_terms_delete[] =
    "DELETE FROM vr_vendor_terms WHERE vendor_id = ?";
static const char sql_terms_insert[] =
    "INSERT IGNORE INTO vr_vendor_terms (term, vendor_id) "
    "SELECT SUBSTRING(x.s, p.i, 2), x.id FROM "
    "(SELECT id, name AS s FROM vr_vendors WHERE id = ? UNION ALL "
    "SELECT id, name_kana FROM vr_vendors WHERE id = ? AND name_kana IS NOT "
    "NULL) x JOIN vr_positions p ON p.i < CHAR_LENGTH(x.s)";

static const struct {
	const char	*name;		/* the sort= value */
	const char	*column;
	int		 field;
	int		 desc;
} sorts[VR_SORT__MAX] = {
	[VR_SORT_ID] =		 { "id", "id", VF_ID, 0 },
	[VR_SORT_ID_DESC] =	 { "-id", "id", VF_ID, 1 },
	[VR_SORT_NAME] =	 { "name", "name", VF_NAME, 0 },
	[VR_SORT_NAME_DESC] =	 { "-name", "name", VF_NAME, 1 },
	[VR_SORT_UPDATED] =	 { "updated_at", "updated_at", VF_UPDATED_AT, 0 },
	[VR_SORT_UPDATED_DESC] = { "-updated_at", "updated_at", VF_UPDATED_AT, 1 },
};

/* Whether a field is written by INSERT / UPDATE. */
static int
stored(const vr_field_t *f)
{
	return f->column != NULL && !(f->flags & VR_F_ID);
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

int
vr_vendor_store_init(void)
{
	const vr_resource_t	*r = &vr_vendor_resource;
	char			 cols[SQL_MAX], names[SQL_MAX], marks[SQL_MAX],
				 sets[SQL_MAX], vcols[SQL_MAX];
	size_t			 i, nn = 0, nm = 0, ns = 0;
	int			 s;

	if (vr_db_select_list(r, NULL, cols, sizeof(cols)) == -1)
		return -1;
	names[0] = marks[0] = sets[0] = '\0';
	for (i = 0; i < r->nfields; i++) {
		if (!stored(&r->fields[i]))
			continue;
		nn += (size_t)snprintf(names + nn, sizeof(names) - nn, "%s`%s`",
		    nn ? ", " : "", r->fields[i].column);
		nm += (size_t)snprintf(marks + nm, sizeof(marks) - nm, "%s?",
		    nm ? ", " : "");
		ns += (size_t)snprintf(sets + ns, sizeof(sets) - ns, "%s`%s` = ?",
		    ns ? ", " : "", r->fields[i].column);
		if (nn >= sizeof(names) || ns >= sizeof(sets))
			return -1;
	}
	if (build(sql_get, SQL_MAX, "SELECT %s FROM vr_vendors WHERE id = ?",
	    cols) == -1 ||
	    build(sql_get_lock, SQL_MAX, "%s FOR UPDATE", sql_get) == -1 ||
	    build(sql_insert, SQL_MAX, "INSERT INTO vr_vendors (%s) VALUES (%s)",
	    names, marks) == -1 ||
	    build(sql_update, SQL_MAX, "UPDATE vr_vendors SET %s WHERE id = ? "
	    "AND version = ?", sets) == -1)
		return -1;
	if (vr_db_select_list(r, "v", vcols, sizeof(vcols)) == -1)
		return -1;
	for (s = 0; s < VR_SORT__MAX; s++) {
		const char	*col = sorts[s].column, *dir = sorts[s].desc ?
				    "DESC" : "ASC", *cmp = sorts[s].desc ? "<" : ">";
		char		 where[SQL_MAX], order[64];

		/* Filters and the keyset cursor, shared by both forms. */
		if (build(where, sizeof(where), "(? IS NULL OR v.status = ?) "
		    "AND (? IS NULL OR v.tier = ?) AND (? IS NULL OR v.name "
		    "LIKE ? OR v.name_kana LIKE ?) AND (? IS NULL OR v.`%s` %s ? "
		    "OR (v.`%s` = ? AND v.id %s ?))", col, cmp, col, cmp) == -1 ||
		    build(sql_list[s], SQL_MAX, "SELECT %s FROM vr_vendors v "
		    "WHERE %s ORDER BY v.`%s` %s, v.id %s LIMIT ?", vcols, where,
		    col, dir, dir) == -1)
			return -1;
		if (build(order, sizeof(order), sorts[s].field == VF_ID ?
		    "t.vendor_id" : "v.`%s`", col) == -1)
			return -1;
		/*
		 * With q of two or more characters: only the vendors holding
		 * q's first two characters (the extra first parameter).  By
		 * id the terms index is already in order, so the scan stops
		 * after one page.
		 */
		if (build(sql_list_terms[s], SQL_MAX, "SELECT %s FROM "
		    "vr_vendor_terms t JOIN vr_vendors v ON v.id = t.vendor_id "
		    "WHERE t.term = SUBSTRING(?, 1, 2) AND %s ORDER BY %s %s, "
		    "t.vendor_id %s LIMIT ?", vcols, where, order, dir,
		    dir) == -1)
			return -1;
	}
	return 0;
}

int
vr_vendor_sort_of(const char *name)
{
	int	 s;

	for (s = 0; s < VR_SORT__MAX; s++)
		if (strcmp(sorts[s].name, name) == 0)
			return s;
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

/* Binds the stored fields of rec in table order; returns how many. */
static size_t
bind_record(const vr_value_t *rec, vr_db_arg_t *a, char times[][32])
{
	const vr_resource_t	*r = &vr_vendor_resource;
	const vr_field_t	*f;
	size_t			 i, n = 0;

	for (i = 0; i < r->nfields; i++) {
		f = &r->fields[i];
		if (!stored(f))
			continue;
		if (!rec[i].present || rec[i].null)
			a[n] = (vr_db_arg_t){ .kind = VR_ARG_NULL };
		else if (f->type == VR_T_INT || f->type == VR_T_BOOL)
			a[n] = VR_ARG_I(rec[i].i);
		else if (f->type == VR_T_TIME) {
			iso_to_sql(rec[i].s, times[n]);
			a[n] = VR_ARG_S(times[n]);
		} else
			a[n] = VR_ARG_S(rec[i].s);
		n++;
	}
	return n;
}

struct one_ctx {
	vr_value_t	*rec;
	int		 found;
};

static int
one_row(void *arg, const char *const *c, const unsigned long *l, unsigned n)
{
	struct one_ctx	*o = arg;

	(void)l;
	o->found = 1;
	return vr_db_record_from_row(&vr_vendor_resource, o->rec, c, n);
}

vr_err_e
vr_vendor_get(vr_db_t *db, int64_t id, bool lock, vr_value_t *rec,
    vr_problem_t *p)
{
	struct one_ctx		 o = { rec, 0 };
	const vr_db_arg_t	 a[] = { VR_ARG_I(id) };
	vr_err_e		 e;

	if ((e = vr_db_exec(db, lock ? sql_get_lock : sql_get, a, 1, one_row,
	    &o, NULL, NULL, p)) != VR_OK)
		return e;
	if (!o.found)
		return vr_fail(p, VR_E_NOT_FOUND, "not_found", NULL,
		    "vendor %" PRId64 " does not exist", id);
	return VR_OK;
}

/* Rewrites the search terms of vendor id from its stored name and kana. */
static vr_err_e
terms_refresh(vr_db_t *db, int64_t id, vr_problem_t *p)
{
	const vr_db_arg_t	 one[] = { VR_ARG_I(id) };
	const vr_db_arg_t	 two[] = { VR_ARG_I(id), VR_ARG_I(id) };
	vr_err_e		 e;

	if ((e = vr_db_exec(db, sql_terms_delete, one, 1, NULL, NULL, NULL,
	    NULL, p)) != VR_OK)
		return e;
	return vr_db_exec(db, sql_terms_insert, two, 2, NULL, NULL, NULL, NULL,
	    p);
}

vr_err_e
vr_vendor_insert(vr_db_t *db, vr_value_t *rec, vr_problem_t *p)
{
	vr_db_arg_t	 a[MAX_STORED];
	char		 times[MAX_STORED][32];
	uint64_t	 id = 0;
	size_t		 n;
	vr_err_e	 e;

	n = bind_record(rec, a, times);
	if ((e = vr_db_exec(db, sql_insert, a, n, NULL, NULL, NULL, &id,
	    p)) != VR_OK)
		return e;
	vr_value_set_int(&rec[VF_ID], (int64_t)id);
	return terms_refresh(db, (int64_t)id, p);
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
vr_vendor_update(vr_db_t *db, const vr_value_t *before,
    const vr_value_t *after, vr_problem_t *p)
{
	vr_db_arg_t	 a[MAX_STORED + 2];
	char		 times[MAX_STORED + 2][32];
	uint64_t	 affected = 0;
	size_t		 n;
	vr_err_e	 e;

	n = bind_record(after, a, times);
	a[n++] = VR_ARG_I(before[VF_ID].i);
	a[n++] = VR_ARG_I(before[VF_VERSION].i);
	if ((e = vr_db_exec(db, sql_update, a, n, NULL, NULL, &affected,
	    NULL, p)) != VR_OK)
		return e;
	if (affected == 0)
		return vr_fail(p, VR_E_CONFLICT, "stale_version", "version",
		    "vendor %" PRId64 " was changed by someone else: "
		    "reload it and apply your change again", before[VF_ID].i);
	if (text_differs(before, after, VF_NAME) ||
	    text_differs(before, after, VF_NAME_KANA))
		return terms_refresh(db, before[VF_ID].i, p);
	return VR_OK;
}

/* The cursor: hex of "SORT\x1fID\x1fKEY" (opaque to clients). */
static char *
cursor_encode(int sort, const vr_value_t *last)
{
	vr_buf_t	 raw = { 0 }, hex = { 0 };
	const char	*key;
	char		 num[24];
	size_t		 i;
	int		 f = sorts[sort].field;

	if (f == VF_ID) {
		snprintf(num, sizeof(num), "%" PRId64, last[VF_ID].i);
		key = num;
	} else
		key = last[f].s ? last[f].s : "";
	if (vr_buf_printf(&raw, "%d\x1f%" PRId64 "\x1f%s", sort,
	    last[VF_ID].i, key) == -1)
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
vr_vendor_list(vr_db_t *db, const vr_vendor_filter_t *f, vr_list_t *l,
    vr_problem_t *p)
{
	char		*raw = NULL, *like = NULL, idbuf[24], keybuf[32];
	const char	*key = NULL;
	int64_t		 cid = 0;
	vr_err_e	 e = VR_E_INTERNAL;
	vr_db_list_ctx_t lc = { &vr_vendor_resource, l };
	vr_value_t	*extra;

	if (f->cursor != NULL && cursor_decode(f->cursor, f->sort, &raw, &cid,
	    &key) == -1) {
		e = vr_fail(p, VR_E_MALFORMED, "invalid_cursor", "cursor",
		    "cursor is not one this list gave out (with this sort)");
		goto out;
	}
	if (f->q != NULL && (like = like_pattern(f->q)) == NULL)
		goto out;
	if (key != NULL && sorts[f->sort].field == VF_ID) {
		snprintf(idbuf, sizeof(idbuf), "%" PRId64, cid);
		key = idbuf;
	} else if (key != NULL && sorts[f->sort].field == VF_UPDATED_AT) {
		iso_to_sql(key, keybuf);
		key = keybuf;
	}
	{
		const vr_db_arg_t a[] = {
			VR_ARG_S(f->q),
			VR_ARG_S(f->status), VR_ARG_S(f->status),
			VR_ARG_S(f->tier), VR_ARG_S(f->tier),
			VR_ARG_S(like), VR_ARG_S(like), VR_ARG_S(like),
			VR_ARG_S(key), VR_ARG_S(key), VR_ARG_S(key),
			VR_ARG_I(cid), VR_ARG_I(f->limit + 1)
		};
		bool	 terms = f->q != NULL &&
			    vr_utf8_chars(f->q, strlen(f->q)) >= 2;

		/*
		 * One row more than asked tells whether a next page exists;
		 * only the terms form takes q itself as its first parameter.
		 */
		if ((e = vr_db_exec(db, terms ? sql_list_terms[f->sort] :
		    sql_list[f->sort], terms ? a : a + 1, terms ? 13 : 12,
		    vr_db_list_row, &lc, NULL, NULL, p)) != VR_OK)
			goto out;
	}
	if ((int64_t)l->n > f->limit) {
		extra = l->items[--l->n];
		vr_record_free(&vr_vendor_resource, extra);
		if ((l->next_cursor = cursor_encode(f->sort,
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
