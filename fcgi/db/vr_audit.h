/*
 * vr_audit: write transactions with their audit row and outbox event,
 * the hash chain over the audit log, and reading both back.
 */
#ifndef VR_AUDIT_H
#define VR_AUDIT_H

#include <stdint.h>

#include "../core/vr_field.h"
#include "vr_db.h"

/* The state of the data: the last audit row's id and hash (hex). */
typedef struct vr_data_version {
	int64_t		 id;
	char		 hash[65];
} vr_data_version_t;

/* Who writes: the user, their roles and the request (stamps, audit). */
typedef struct vr_actor {
	const char	*user;
	unsigned	 roles;		/* vr_role_e bits */
	const char	*request_id;
} vr_actor_t;

/* One entity one write changed: it gets one audit row and one event. */
typedef struct vr_change {
	const char	*action;	/* e.g. "vendor.created"; also the event type */
	const char	*entity;	/* e.g. "vendor" */
	int64_t		 entity_id;
	char		*before;	/* canonical JSON, owned; NULL if none */
	char		*after;		/* canonical JSON, owned; NULL if none */
	char		*changed;	/* JSON array of field names, owned */
	/* A workflow transition: its names go into the event. */
	const char	*workflow, *transition, *from, *to;
} vr_change_t;

/* A bound against a runaway body, far above any real write. */
#define VR_CHANGES_MAX	4096

/* Everything one write transaction changed, in the order it happened. */
typedef struct vr_changes {
	const char	*actor;
	const char	*request_id;
	char		 at[27];	/* the transaction's time, UTC */
	vr_change_t	*items;		/* n of them, room for cap */
	size_t		 n, cap;
} vr_changes_t;

/*
 * The body of a write: does its work and describes each entity it
 * changed with vr_change_next().  It runs again when the transaction is
 * retried; the changes are reset before each run.
 */
typedef vr_err_e (*vr_write_fn)(vr_db_t *, void *ctx, vr_changes_t *,
		    vr_problem_t *);

/*
 * A new, zeroed change of this write, or NULL with p filled when memory
 * ran out or the write already holds VR_CHANGES_MAX.  The pointer is
 * good until the next call (the array may move).
 */
vr_change_t	*vr_change_next(vr_changes_t *, vr_problem_t *);

/* Builds the statements from the field tables; main thread, at start. */
int		 vr_audit_init(void);

/*
 * Runs body in one transaction, then locks the chain head (on Galera:
 * before body), appends one audit row (hash-chained) and one event per
 * change the body described, in its order, and commits holding the head:
 * numbering and hashing happen in commit order.  A body that describes
 * no change (it found nothing to do) commits with no audit row and no
 * event.  body runs again if the transaction is retried.  A body
 * serialises with other writes only through the rows it locks.
 */
vr_err_e	 vr_audit_write(vr_db_t *, const char *actor,
		    const char *request_id, vr_write_fn body, void *ctx,
		    vr_problem_t *);
/*
 * The same with the head locked before body: no other write commits
 * while body reads, so it sees the data as of one audit row (an export;
 * vr_audit_version then names that row).
 */
vr_err_e	 vr_audit_write_alone(vr_db_t *, const char *actor,
		    const char *request_id, vr_write_fn body, void *ctx,
		    vr_problem_t *);

/*
 * The id and hash of the last audit row: every write through the plugin
 * commits a new one, so together they name the state of the data (the
 * hash also tells apart a restored database that reached the same id by
 * other writes).  vr_cache uses it.
 */
vr_err_e	 vr_audit_version(vr_db_t *, vr_data_version_t *,
		    vr_problem_t *);
/* Events with id > after, oldest first, at most limit. */
vr_err_e	 vr_events_list(vr_db_t *, int64_t after, int64_t limit,
		    vr_list_t *, vr_problem_t *);
/*
 * The id of the newest event: one read of the chain head's row, cheap
 * enough for the long poll's waiters to ask several times a second.
 */
vr_err_e	 vr_events_last_id(vr_db_t *, int64_t *id, vr_problem_t *);
/* Which audit rows a list shows; a NULL or 0 member selects any. */
typedef struct vr_audit_filter {
	const char	*entity;	/* kind of record, e.g. "vendor" */
	int64_t		 entity_id;
	const char	*actor;
	const char	*action;	/* e.g. "vendor.updated" */
	const char	*from, *to;	/* ISO UTC times: from <= at < to */
} vr_audit_filter_t;

/* Audit rows the filter selects with id > after, oldest first. */
vr_err_e	 vr_audit_list(vr_db_t *, const vr_audit_filter_t *,
		    int64_t after, int64_t limit, vr_list_t *, vr_problem_t *);

/*
 * How many audit rows of one entity the actor made whose action matches
 * one of the LIKE patterns (a NULL pattern matches nothing).
 */
vr_err_e	 vr_audit_actor_count(vr_db_t *, const char *entity, int64_t id,
		    const char *actor, const char *const patterns[3],
		    int64_t *count, vr_problem_t *);

/*
 * The hash of an audit row as the API shows it (a record of
 * vr_audit_resource, its time in ISO form), computed the way the chain
 * was written, over its own prev_hash: what an offline check of rows
 * taken out of the database recomputes.  0, or -1 when a field the hash
 * covers is missing or OpenSSL failed.
 */
int		 vr_audit_row_hash(const vr_value_t *row, char out[65]);

/*
 * Recomputes the chain from the first row.  Returns 0 when intact;
 * 1 when broken, with the first bad row's id in *bad_id and why in msg;
 * -1 when it could not be read (msg says why).
 */
int		 vr_audit_verify(vr_db_t *, int64_t *bad_id, char *msg,
		    size_t msglen);
/*
 * The line `verify-audit-log` prints (and GET /audit-log/verify answers)
 * for what vr_audit_verify returned, 0 or 1: "audit log ok: ..." or
 * "audit log BROKEN at row N: ...".
 */
void		 vr_audit_verify_report(int rc, int64_t bad_id, const char *msg,
		    char *out, size_t len);

#endif
