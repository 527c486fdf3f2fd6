/*
 * vr_audit: the transactional outbox and the hash-chained audit log.
 *
 * Every write transaction locks the one vr_chain_head row after its body
 * (before it, on Galera and for a write alone) and holds it to COMMIT, so
 * audit rows and events get their numbers in commit order (a host
 * reading /events?after=N can never miss a late commit) and each row's
 * hash covers the previous row's.  The hash is SHA-256 (OpenSSL EVP) over
 * a canonical serialisation: the fields in a fixed order, each as an 8-byte
 * big-endian length followed by its UTF-8 bytes (SQL NULL is the length
 * 2^64-1 and no bytes), then the previous row's hash.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "../core/vr_log.h"
#include "../model/vr_model.h"
#include "vr_audit.h"

#define HASH_HEX	65

static char	 sql_events[1024];
static char	 sql_audit[1536];

static const char sql_lock[] =
    "SELECT last_audit_id, last_event_id, last_hash FROM vr_chain_head "
    "WHERE id = 1 FOR UPDATE";
/*
 * A write's audit rows and events go in ROWS_PER_INSERT to a statement
 * (a transition that raises 39 findings, a scheduler batch of 50 audits:
 * a few statements, not a hundred); the statement for n rows is
 * sql_insert_*[n - 1].
 */
#define ROWS_PER_INSERT	8
#define AUDIT_ARGS	11
#define EVENT_ARGS	13
static char	 sql_insert_audit[ROWS_PER_INSERT][1024];
static char	 sql_insert_event[ROWS_PER_INSERT][1024];
static const char sql_update_head[] =
    "UPDATE vr_chain_head SET last_audit_id = ?, last_event_id = ?, "
    "last_hash = ? WHERE id = 1";
static const char sql_verify[] =
    "SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f'), actor, action, "
    "entity, entity_id, before_json, after_json, request_id, prev_hash, "
    "hash FROM vr_audit_log WHERE id > ? AND id <= ? ORDER BY id "
    "LIMIT 1000";
static const char sql_actor_count[] =
    "SELECT COUNT(*) FROM vr_audit_log WHERE entity = ? AND entity_id = ? "
    "AND actor = ? AND (action LIKE ? OR action LIKE ? OR action LIKE ?)";
static const char sql_last_row[] =
    "SELECT COALESCE(MAX(id), 0) FROM vr_audit_log";
static const char sql_head[] =
    "SELECT last_audit_id, last_event_id, last_hash FROM vr_chain_head "
    "WHERE id = 1";

typedef struct chain_head {
	int64_t		 audit_id;
	int64_t		 event_id;
	char		 hash[HASH_HEX];
	int		 found;
} chain_head_t;

int
vr_audit_init(void)
{
	char	 cols[768];
	int	 n;

	for (n = 1; n <= ROWS_PER_INSERT; n++)
		if (vr_db_rows_sql(sql_insert_audit[n - 1], sizeof(
		    sql_insert_audit[0]), "INSERT INTO vr_audit_log (id, at, "
		    "actor, action, entity, entity_id, before_json, after_json, "
		    "request_id, prev_hash, hash) VALUES", AUDIT_ARGS, n) ==
		    -1 || vr_db_rows_sql(sql_insert_event[n - 1], sizeof(
		    sql_insert_event[0]), "INSERT INTO vr_events (id, type, "
		    "entity, entity_id, actor, audit_id, request_id, created_at, "
		    "workflow, transition, from_state, to_state, changed) "
		    "VALUES",
		    EVENT_ARGS, n) == -1)
			return -1;

	if (vr_db_select_list(&vr_event_resource, NULL, cols,
	    sizeof(cols)) == -1 ||
	    snprintf(sql_events, sizeof(sql_events), "SELECT %s FROM "
	    "vr_events WHERE id > ? ORDER BY id LIMIT ?", cols) >=
	    (int)sizeof(sql_events))
		return -1;
	if (vr_db_select_list(&vr_audit_resource, NULL, cols,
	    sizeof(cols)) == -1 ||
	    snprintf(sql_audit, sizeof(sql_audit), "SELECT %s FROM "
	    "vr_audit_log WHERE (? IS NULL OR entity = ?) AND "
	    "(? = 0 OR entity_id = ?) AND (? IS NULL OR actor = ?) AND "
	    "(? IS NULL OR action = ?) AND (? IS NULL OR at >= ?) AND "
	    "(? IS NULL OR at < ?) AND id > ? ORDER BY id LIMIT ?", cols) >=
	    (int)sizeof(sql_audit))
		return -1;
	return 0;
}

static void
hash_field(EVP_MD_CTX *md, const char *s)
{
	unsigned char	 len[8];
	uint64_t	 n = s ? strlen(s) : UINT64_MAX;
	int		 i;

	for (i = 7; i >= 0; i--, n >>= 8)
		len[i] = (unsigned char)(n & 0xff);
	EVP_DigestUpdate(md, len, sizeof(len));
	if (s != NULL)
		EVP_DigestUpdate(md, s, strlen(s));
}

/*
 * The row's fields in canonical order: id, at, actor, action, entity,
 * entity_id, before, after, request_id, prev_hash.  Returns 0 or -1.
 */
static int
row_hash(const char *const f[10], char out[HASH_HEX])
{
	EVP_MD_CTX	*md;
	unsigned char	 d[EVP_MAX_MD_SIZE];
	unsigned	 dlen = 0, i;
	int		 rc = -1;

	if ((md = EVP_MD_CTX_new()) == NULL)
		return -1;
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		goto out;
	for (i = 0; i < 10; i++)
		hash_field(md, f[i]);
	if (EVP_DigestFinal_ex(md, d, &dlen) != 1 || dlen != 32)
		goto out;
	for (i = 0; i < dlen; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	rc = 0;
out:
	EVP_MD_CTX_free(md);
	return rc;
}

/* A field's text for the hash: NULL stands for SQL NULL. */
static const char *
row_text(const vr_value_t *v)
{
	return v->present && !v->null ? v->s : NULL;
}

int
vr_audit_row_hash(const vr_value_t *r, char out[HASH_HEX])
{
	char		 id[24], eid[24], at[VR_DB_TIME_MAX];
	const char	*f[10];

	if (!vr_value_given(&r[AF_ID]) || !vr_value_given(&r[AF_ENTITY_ID]) ||
	    !vr_value_given(&r[AF_AT]) || strlen(r[AF_AT].s) < 20)
		return -1;
	snprintf(id, sizeof(id), "%" PRId64, r[AF_ID].i);
	snprintf(eid, sizeof(eid), "%" PRId64, r[AF_ENTITY_ID].i);
	/* The chain hashes the time as the database gives it back. */
	vr_db_time(r[AF_AT].s, at);
	f[0] = id; f[1] = at; f[2] = row_text(&r[AF_ACTOR]);
	f[3] = row_text(&r[AF_ACTION]); f[4] = row_text(&r[AF_ENTITY]);
	f[5] = eid; f[6] = row_text(&r[AF_BEFORE]);
	f[7] = row_text(&r[AF_AFTER]); f[8] = row_text(&r[AF_REQUEST_ID]);
	f[9] = row_text(&r[AF_PREV_HASH]);
	return row_hash(f, out);
}

static int
head_row(void *ctx, const char *const *c, const unsigned long *l, unsigned n)
{
	chain_head_t	*h = ctx;

	(void)l;
	if (n != 3 || c[0] == NULL || c[1] == NULL || c[2] == NULL)
		return -1;
	h->audit_id = strtoll(c[0], NULL, 10);
	h->event_id = strtoll(c[1], NULL, 10);
	snprintf(h->hash, sizeof(h->hash), "%s", c[2]);
	h->found = 1;
	return 0;
}

vr_err_e
vr_audit_version(vr_db_t *db, vr_data_version_t *v, vr_problem_t *p)
{
	chain_head_t	 head = { 0 };
	vr_err_e	 rc;

	/* A plain consistent read: it waits for no writer's lock. */
	if ((rc = vr_db_exec(db, sql_head, NULL, 0, head_row, &head, NULL,
	    NULL, p)) != VR_OK)
		return rc;
	if (!head.found)
		return vr_fail(p, VR_E_INTERNAL, "internal", NULL,
		    "vr_chain_head has no row");
	v->id = head.audit_id;
	memcpy(v->hash, head.hash, sizeof(v->hash));
	return VR_OK;
}

struct write_ctx {
	vr_write_fn	 body;
	void		*ctx;
	bool		 alone;		/* the head before the body */
	vr_changes_t	 changes;
};

/* Forgets the changes (a retried body starts again); keeps the room. */
static void
changes_reset(vr_changes_t *cs)
{
	size_t	 i;

	for (i = 0; i < cs->n; i++) {
		free(cs->items[i].before);
		free(cs->items[i].after);
		free(cs->items[i].changed);
	}
	cs->n = 0;
}

vr_change_t *
vr_change_next(vr_changes_t *cs, vr_problem_t *p)
{
	vr_change_t	*grown;
	size_t		 cap;

	if (cs->n == VR_CHANGES_MAX) {
		vr_fail(p, VR_E_INTERNAL, "too_many_changes", NULL,
		    "one write may change at most %d records", VR_CHANGES_MAX);
		return NULL;
	}
	if (cs->n == cs->cap) {
		cap = cs->cap ? 2 * cs->cap : 8;
		if ((grown = realloc(cs->items, cap * sizeof(*grown))) ==
		    NULL) {
			vr_fail_oom(p);
			return NULL;
		}
		cs->items = grown;
		cs->cap = cap;
	}
	memset(&cs->items[cs->n], 0, sizeof(cs->items[cs->n]));
	return &cs->items[cs->n++];
}

/*
 * Appends the audit rows and events of changes from..from+n (n at most
 * ROWS_PER_INSERT) after the head h, hashing each row on the one before.
 */
static vr_err_e
append_changes(vr_db_t *db, const vr_changes_t *cs, size_t from, size_t n,
    chain_head_t *h, vr_problem_t *p)
{
	vr_db_arg_t	 a[ROWS_PER_INSERT * AUDIT_ARGS];
	vr_db_arg_t	 ev[ROWS_PER_INSERT * EVENT_ARGS];
	char		 hash[ROWS_PER_INSERT][HASH_HEX];
	char		 prev[ROWS_PER_INSERT][HASH_HEX];
	char		 idbuf[24], eidbuf[24];
	const char	*f[10];
	const vr_change_t *c;
	int64_t		 aid, evid;
	size_t		 k;
	vr_err_e	 e;

	for (k = 0; k < n; k++) {
		c = &cs->items[from + k];
		aid = h->audit_id + 1;
		evid = h->event_id + 1;
		memcpy(prev[k], h->hash, HASH_HEX);
		snprintf(idbuf, sizeof(idbuf), "%" PRId64, aid);
		snprintf(eidbuf, sizeof(eidbuf), "%" PRId64, c->entity_id);
		f[0] = idbuf; f[1] = cs->at; f[2] = cs->actor; f[3] = c->action;
		f[4] = c->entity; f[5] = eidbuf; f[6] = c->before;
		f[7] = c->after; f[8] = cs->request_id; f[9] = prev[k];
		if (row_hash(f, hash[k]) == -1)
			return vr_fail(p, VR_E_INTERNAL, "hash_failed", NULL,
			    "the audit hash could not be computed");
		a[k * AUDIT_ARGS + 0] = VR_ARG_I(aid);
		a[k * AUDIT_ARGS + 1] = VR_ARG_S(cs->at);
		a[k * AUDIT_ARGS + 2] = VR_ARG_S(cs->actor);
		a[k * AUDIT_ARGS + 3] = VR_ARG_S(c->action);
		a[k * AUDIT_ARGS + 4] = VR_ARG_S(c->entity);
		a[k * AUDIT_ARGS + 5] = VR_ARG_I(c->entity_id);
		a[k * AUDIT_ARGS + 6] = VR_ARG_S(c->before);
		a[k * AUDIT_ARGS + 7] = VR_ARG_S(c->after);
		a[k * AUDIT_ARGS + 8] = VR_ARG_S(cs->request_id);
		a[k * AUDIT_ARGS + 9] = VR_ARG_S(prev[k]);
		a[k * AUDIT_ARGS + 10] = VR_ARG_S(hash[k]);
		ev[k * EVENT_ARGS + 0] = VR_ARG_I(evid);
		ev[k * EVENT_ARGS + 1] = VR_ARG_S(c->action);
		ev[k * EVENT_ARGS + 2] = VR_ARG_S(c->entity);
		ev[k * EVENT_ARGS + 3] = VR_ARG_I(c->entity_id);
		ev[k * EVENT_ARGS + 4] = VR_ARG_S(cs->actor);
		ev[k * EVENT_ARGS + 5] = VR_ARG_I(aid);
		ev[k * EVENT_ARGS + 6] = VR_ARG_S(cs->request_id);
		ev[k * EVENT_ARGS + 7] = VR_ARG_S(cs->at);
		ev[k * EVENT_ARGS + 8] = VR_ARG_S(c->workflow);
		ev[k * EVENT_ARGS + 9] = VR_ARG_S(c->transition);
		ev[k * EVENT_ARGS + 10] = VR_ARG_S(c->from);
		ev[k * EVENT_ARGS + 11] = VR_ARG_S(c->to);
		ev[k * EVENT_ARGS + 12] = VR_ARG_S(c->changed);
		h->audit_id = aid;
		h->event_id = evid;
		memcpy(h->hash, hash[k], HASH_HEX);
	}
	if ((e = vr_db_exec(db, sql_insert_audit[n - 1], a, n * AUDIT_ARGS,
	    NULL, NULL, NULL, NULL, p)) != VR_OK)
		return e;
	return vr_db_exec(db, sql_insert_event[n - 1], ev, n * EVENT_ARGS, NULL,
	    NULL, NULL, NULL, p);
}

static vr_err_e
lock_head(vr_db_t *db, chain_head_t *head, vr_problem_t *p)
{
	vr_err_e	 e;

	if ((e = vr_db_exec(db, sql_lock, NULL, 0, head_row, head, NULL,
	    NULL, p)) != VR_OK)
		return e;
	if (!head->found)
		return vr_fail(p, VR_E_INTERNAL, "schema_missing", NULL,
		    "the audit chain head is missing: run migrate");
	return VR_OK;
}

static vr_err_e
write_txn(vr_db_t *db, void *arg, vr_problem_t *p)
{
	struct write_ctx	*w = arg;
	vr_changes_t		*cs = &w->changes;
	chain_head_t		 head;
	size_t			 i;
	bool			 head_first;
	vr_err_e		 e;

	changes_reset(cs);
	memset(&head, 0, sizeof(head));
	/*
	 * The chain head last: writes of different records run their
	 * guards and effects side by side and queue only for the numbers,
	 * which are still given in commit order (the head is held until
	 * COMMIT).  Writes that must see each other serialise on the rows
	 * their bodies lock (docs/design-notes.md, "The chain head").
	 * First for a write alone, and on Galera: taken last there, other
	 * nodes' writes aborted ours mostly inside the insert into
	 * vr_audit_log, and a node then refused every such insert with
	 * 1064 "Unknown trigger has an error in its body"
	 * (docs/scale-out.md).
	 */
	head_first = w->alone || vr_db_on_cluster(db);
	if (head_first && (e = lock_head(db, &head, p)) != VR_OK)
		return e;
	vr_db_now(cs->at);
	if ((e = w->body(db, w->ctx, cs, p)) != VR_OK)
		return e;
	/* Nothing changed (a PATCH to the same values): nothing to chain. */
	if (cs->n == 0)
		return VR_OK;
	if (!head_first && (e = lock_head(db, &head, p)) != VR_OK)
		return e;
	for (i = 0; i < cs->n; i += ROWS_PER_INSERT)
		if ((e = append_changes(db, cs, i, cs->n - i < ROWS_PER_INSERT ?
		    cs->n - i : ROWS_PER_INSERT, &head, p)) != VR_OK)
			return e;
	{
		const vr_db_arg_t h[] = { VR_ARG_I(head.audit_id),
		    VR_ARG_I(head.event_id), VR_ARG_S(head.hash) };

		return vr_db_exec(db, sql_update_head, h, 3, NULL, NULL, NULL,
		    NULL, p);
	}
}

static vr_err_e
audit_write(vr_db_t *db, const char *actor, const char *request_id,
    vr_write_fn body, void *ctx, bool alone, vr_problem_t *p)
{
	struct write_ctx	 w;
	vr_err_e		 e;

	memset(&w, 0, sizeof(w));
	w.changes.actor = actor;
	w.changes.request_id = request_id;
	w.body = body;
	w.ctx = ctx;
	w.alone = alone;
	e = vr_db_transaction(db, write_txn, &w, p);
	changes_reset(&w.changes);
	free(w.changes.items);
	return e;
}

vr_err_e
vr_audit_write(vr_db_t *db, const char *actor, const char *request_id,
    vr_write_fn body, void *ctx, vr_problem_t *p)
{
	return audit_write(db, actor, request_id, body, ctx, false, p);
}

vr_err_e
vr_audit_write_alone(vr_db_t *db, const char *actor, const char *request_id,
    vr_write_fn body, void *ctx, vr_problem_t *p)
{
	return audit_write(db, actor, request_id, body, ctx, true, p);
}

/* Sets the list's next cursor to the last item's id when the page is full. */
static vr_err_e
set_next_cursor(vr_list_t *l, int64_t limit, size_t id_field)
{
	char	 buf[24];

	if (l->n == 0 || (int64_t)l->n < limit)
		return VR_OK;
	snprintf(buf, sizeof(buf), "%" PRId64, l->items[l->n - 1][id_field].i);
	if ((l->next_cursor = strdup(buf)) == NULL)
		return VR_E_INTERNAL;
	return VR_OK;
}

vr_err_e
vr_events_list(vr_db_t *db, int64_t after, int64_t limit, vr_list_t *l,
    vr_problem_t *p)
{
	vr_db_list_ctx_t	 lc = { &vr_event_resource, l };
	const vr_db_arg_t	 a[] = { VR_ARG_I(after), VR_ARG_I(limit) };
	vr_err_e		 e;

	if ((e = vr_db_exec(db, sql_events, a, 2, vr_db_list_row, &lc, NULL, NULL,
	    p)) != VR_OK)
		return e;
	return set_next_cursor(l, limit, EF_ID);
}

vr_err_e
vr_events_last_id(vr_db_t *db, int64_t *id, vr_problem_t *p)
{
	static const char	 sql[] =
	    "SELECT last_event_id FROM vr_chain_head WHERE id = 1";

	*id = 0;
	return vr_db_exec(db, sql, NULL, 0, vr_db_count_row, id, NULL, NULL,
	    p);
}

vr_err_e
vr_audit_list(vr_db_t *db, const vr_audit_filter_t *f, int64_t after,
    int64_t limit, vr_list_t *l, vr_problem_t *p)
{
	vr_db_list_ctx_t	 lc = { &vr_audit_resource, l };
	char			 from[VR_DB_TIME_MAX], to[VR_DB_TIME_MAX];
	vr_err_e		 e;

	if (f->from != NULL)
		vr_db_time(f->from, from);
	if (f->to != NULL)
		vr_db_time(f->to, to);
	{
		const char *fr = f->from != NULL ? from : NULL,
		    *t = f->to != NULL ? to : NULL;
		const vr_db_arg_t a[] = { VR_ARG_S(f->entity),
		    VR_ARG_S(f->entity), VR_ARG_I(f->entity_id),
		    VR_ARG_I(f->entity_id), VR_ARG_S(f->actor),
		    VR_ARG_S(f->actor), VR_ARG_S(f->action),
		    VR_ARG_S(f->action), VR_ARG_S(fr), VR_ARG_S(fr),
		    VR_ARG_S(t), VR_ARG_S(t), VR_ARG_I(after),
		    VR_ARG_I(limit) };

		if ((e = vr_db_exec(db, sql_audit, a, sizeof(a) / sizeof(a[0]),
		    vr_db_list_row, &lc, NULL, NULL, p)) != VR_OK)
			return e;
	}
	return set_next_cursor(l, limit, AF_ID);
}

vr_err_e
vr_audit_actor_count(vr_db_t *db, const char *entity, int64_t id,
    const char *actor, const char *const pat[3], int64_t *count,
    vr_problem_t *p)
{
	const vr_db_arg_t	 a[] = { VR_ARG_S(entity), VR_ARG_I(id),
	    VR_ARG_S(actor), VR_ARG_S(pat[0]), VR_ARG_S(pat[1]),
	    VR_ARG_S(pat[2]) };

	*count = 0;
	return vr_db_exec(db, sql_actor_count, a, 6, vr_db_count_row, count, NULL,
	    NULL, p);
}

struct verify_ctx {
	int64_t		 expect_id;	/* the id the next row must have */
	char		 prev[HASH_HEX];
	int64_t		 bad_id;
	char		*msg;
	size_t		 msglen;
	size_t		 rows;
};

static int
verify_row(void *arg, const char *const *c, const unsigned long *l,
    unsigned n)
{
	struct verify_ctx	*v = arg;
	char			 hash[HASH_HEX];
	const char		*f[10];
	int64_t			 id;
	unsigned		 i;

	(void)l;
	v->rows++;
	if (v->bad_id != 0 || n != 11)
		return 0;
	id = strtoll(c[0], NULL, 10);
	for (i = 0; i < 9; i++)
		f[i] = c[i];
	f[9] = v->prev;
	if (id != v->expect_id) {
		v->bad_id = v->expect_id;
		snprintf(v->msg, v->msglen, "row %" PRId64 " is missing "
		    "(next row is %" PRId64 ")", v->expect_id, id);
	} else if (c[9] == NULL || strcmp(c[9], v->prev) != 0) {
		v->bad_id = id;
		snprintf(v->msg, v->msglen, "row %" PRId64 ": prev_hash does "
		    "not match the hash of row %" PRId64, id, id - 1);
	} else if (row_hash(f, hash) == -1) {
		return -1;
	} else if (c[10] == NULL || strcmp(c[10], hash) != 0) {
		v->bad_id = id;
		snprintf(v->msg, v->msglen, "row %" PRId64 ": content does "
		    "not match its stored hash", id);
	}
	if (v->bad_id == 0) {
		snprintf(v->prev, sizeof(v->prev), "%s", hash);
		v->expect_id = id + 1;
	}
	return 0;
}

void
vr_audit_verify_report(int rc, int64_t bad_id, const char *msg, char *out,
    size_t len)
{
	if (rc == 0)
		snprintf(out, len, "audit log ok: %s", msg);
	else
		snprintf(out, len, "audit log BROKEN at row %" PRId64 ": %s",
		    bad_id, msg);
}

int
vr_audit_verify(vr_db_t *db, int64_t *bad_id, char *msg, size_t msglen)
{
	struct verify_ctx	 v;
	chain_head_t		 head, now;
	vr_problem_t		 p;
	int64_t			 after = 0, last = 0;
	vr_db_arg_t		 a[2];

	memset(&v, 0, sizeof(v));
	memset(&head, 0, sizeof(head));
	memset(&now, 0, sizeof(now));
	vr_problem_clear(&p);
	v.expect_id = 1;
	memset(v.prev, '0', 64);
	v.msg = msg;
	v.msglen = msglen;
	*bad_id = 0;
	/*
	 * The head first, then the rows up to it: every row it counts was
	 * committed with it, and a write committing meanwhile adds rows past
	 * it (checked next time), not a head past the rows read.
	 */
	if (vr_db_exec(db, sql_head, NULL, 0, head_row, &head, NULL, NULL,
	    &p) != VR_OK) {
		snprintf(msg, msglen, "%s", p.detail);
		return -1;
	}
	do {
		v.rows = 0;
		a[0] = VR_ARG_I(after);
		a[1] = VR_ARG_I(head.audit_id);
		if (vr_db_exec(db, sql_verify, a, 2, verify_row, &v, NULL,
		    NULL, &p) != VR_OK) {
			snprintf(msg, msglen, "%s", p.detail);
			return -1;
		}
		after = v.expect_id - 1;
	} while (v.rows == 1000 && v.bad_id == 0);
	if (v.bad_id != 0) {
		*bad_id = v.bad_id;
		return 1;
	}
	/* Rows removed from the end leave the head pointing past them. */
	if (head.audit_id != v.expect_id - 1 ||
	    (head.audit_id > 0 && strcmp(head.hash, v.prev) != 0)) {
		*bad_id = v.expect_id;
		snprintf(msg, msglen, "row %" PRId64 " is missing: the chain "
		    "head records %" PRId64 " rows", v.expect_id, head.audit_id);
		return 1;
	}
	/*
	 * Rows added past the head by hand: the newest row is read before
	 * the head again, and a row's own commit moved the head to it.
	 */
	if (vr_db_exec(db, sql_last_row, NULL, 0, vr_db_count_row, &last,
	    NULL, NULL, &p) != VR_OK || vr_db_exec(db, sql_head, NULL, 0,
	    head_row, &now, NULL, NULL, &p) != VR_OK) {
		snprintf(msg, msglen, "%s", p.detail);
		return -1;
	}
	if (last > now.audit_id) {
		*bad_id = now.audit_id + 1;
		snprintf(msg, msglen, "row %" PRId64 " is past the chain head, "
		    "which records %" PRId64 " rows", last, now.audit_id);
		return 1;
	}
	snprintf(msg, msglen, "%" PRId64 " rows, chain intact",
	    v.expect_id - 1);
	return 0;
}
