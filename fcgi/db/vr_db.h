/*
 * vr_db: one MariaDB/MySQL connection per worker thread, prepared
 * statements only (cached per connection, re-prepared after a
 * reconnect), and the transaction runner that reruns a transaction on a
 * deadlock or a Galera conflict (bounded, with back-off) and once on a
 * connection lost before COMMIT.
 */
#ifndef VR_DB_H
#define VR_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/vr_config.h"
#include "../core/vr_err.h"
#include "../core/vr_field.h"

typedef struct vr_db vr_db_t;

/* Parameters of one statement at most (a batch of child rows). */
#define VR_DB_MAX_ARGS	192

/* A statement parameter. */
typedef struct vr_db_arg {
	enum { VR_ARG_NULL, VR_ARG_INT, VR_ARG_TEXT } kind;
	int64_t		 i;
	const char	*s;
} vr_db_arg_t;

/*
 * head (e.g. "INSERT INTO t (a, b) VALUES") followed by nrows rows of
 * nargs placeholders: " (?, ?), (?, ?)".  0, or -1 when it does not fit.
 */
int		 vr_db_rows_sql(char *out, size_t len, const char *head,
		    int nargs, int nrows);

/* An ISO UTC time (…Z) as MariaDB compares DATETIME(6) values. */
#define VR_DB_TIME_MAX	27
void		 vr_db_time(const char *iso, char out[VR_DB_TIME_MAX]);

#define VR_ARG_I(v)	((vr_db_arg_t){ .kind = VR_ARG_INT, .i = (v) })
#define VR_ARG_S(v)	((v) == NULL ? (vr_db_arg_t){ .kind = VR_ARG_NULL } \
			    : (vr_db_arg_t){ .kind = VR_ARG_TEXT, .s = (v) })

/*
 * Called once per result row; columns as text (NULL for SQL NULL).
 * Returns 0 to go on, -1 to stop with VR_E_INTERNAL.
 */
typedef int	(*vr_db_row_fn)(void *ctx, const char *const *cols,
		    const unsigned long *lens, unsigned ncols);

/*
 * Process-wide: mysql_library_init() in the main thread, before workers.
 * Each worker calls vr_db_open() (which calls mysql_thread_init()) and
 * vr_db_close() (mysql_thread_end()).  vr_db_open() never fails for an
 * unreachable server: the connection is made, or made again, on use.
 */
int		 vr_db_library_init(void);
void		 vr_db_library_end(void);
vr_db_t		*vr_db_open(const vr_config_t *);
void		 vr_db_close(vr_db_t *);
/*
 * The schema this program needs: the number of the highest migration in
 * sql/ (tests/unit/test_schema_drift.sh keeps the two equal).
 */
#define VR_SCHEMA_VERSION	11

/*
 * From now on each new connection checks that the database has been
 * migrated to at least version; an older schema is VR_E_UNAVAILABLE
 * "schema_outdated" (503) instead of errors on missing tables.
 */
void		 vr_db_require_schema(vr_db_t *, unsigned version);
/* The schema version seen by the last connection (0 before one). */
unsigned	 vr_db_schema_version(const vr_db_t *);
/* Connects now; VR_E_UNAVAILABLE with the reason in p when it cannot. */
vr_err_e	 vr_db_connect(vr_db_t *, vr_problem_t *);
/* Round trip to the server (for /health). */
vr_err_e	 vr_db_ping(vr_db_t *, vr_problem_t *);

/*
 * Runs one prepared statement (sql must be a string that lives as long
 * as the process: statements are cached by it).  Rows go to fn (may be
 * NULL); affected rows and the insert id go to the pointers when not
 * NULL.  Outside a transaction a lost connection is reconnected and the
 * statement run again once; inside one the error marks the transaction
 * for a retry by vr_db_transaction().  Database errors are
 * VR_E_UNAVAILABLE (server gone) or VR_E_INTERNAL, logged with the
 * server's message; duplicate keys are VR_E_CONFLICT.
 */
vr_err_e	 vr_db_exec(vr_db_t *, const char *sql, const vr_db_arg_t *,
		    size_t nargs, vr_db_row_fn fn, void *ctx,
		    uint64_t *affected, uint64_t *insert_id, vr_problem_t *);

/*
 * Runs fn inside BEGIN ... COMMIT.  fn must be safe to run again: on a
 * deadlock (1213) at any statement or at COMMIT (where Galera reports a
 * write another node certified first) the whole transaction is rolled
 * back and run again, up to the config's db_conflict_retries times,
 * after a jittered exponential back-off (vr_db_backoff_us).  A lock wait
 * timeout (1205), which has already waited db_lock_wait_timeout, is run
 * again once.  When the reruns are used up it is VR_E_CONFLICT
 * "deadlock".  A connection lost before COMMIT is run again once, on a
 * new connection; a second loss is VR_E_UNAVAILABLE.  A connection lost
 * during COMMIT leaves the outcome unknown: VR_E_UNAVAILABLE
 * "commit_unknown", never retried.  fn returning an error rolls back and
 * returns that error.
 */
typedef vr_err_e (*vr_txn_fn)(vr_db_t *, void *ctx, vr_problem_t *);

/*
 * The pause before rerun attempt+1 of a conflicting transaction, in
 * microseconds: between half and all of base x 2^attempt (capped), the
 * random half taken from rnd.
 */
#define VR_DB_BACKOFF_BASE_US	5000u
#define VR_DB_BACKOFF_MAX_US	500000u
uint64_t	 vr_db_backoff_us(unsigned attempt, uint32_t rnd);
vr_err_e	 vr_db_transaction(vr_db_t *, vr_txn_fn, void *ctx,
		    vr_problem_t *);
/* Whether a vr_db_transaction body is running on this connection. */
bool		 vr_db_in_transaction(const vr_db_t *);
/* Whether the connected server is a Galera node (known once connected). */
bool		 vr_db_on_cluster(const vr_db_t *);

/*
 * Runs a whole SQL script (several statements; migrations only, which are
 * our own files, never client input).  Returns 0, or -1 with the server's
 * message in err.
 */
int		 vr_db_run_script(vr_db_t *, const char *sql, size_t len,
		    char *err, size_t errlen);

/*
 * Select-list helpers built from a field table once at start-up: the
 * stored columns in table order.  vr_db_record_from_row() fills a record
 * from a row in that order, TIME columns as ISO 8601 UTC.
 */
int		 vr_db_select_list(const vr_resource_t *, const char *alias,
		    char *out, size_t outlen);
int		 vr_db_record_from_row(const vr_resource_t *, vr_value_t *,
		    const char *const *cols, unsigned ncols);

/* Row callback for "SELECT COUNT(*)": the count into *(int64_t *)ctx. */
int		 vr_db_count_row(void *ctx, const char *const *cols,
		    const unsigned long *lens, unsigned ncols);

/* Row callback appending each row, as a record of res, to list. */
typedef struct vr_db_list_ctx {
	const vr_resource_t	*res;
	vr_list_t		*list;
} vr_db_list_ctx_t;
int		 vr_db_list_row(void *ctx, const char *const *cols,
		    const unsigned long *lens, unsigned ncols);

/* Current UTC time as "YYYY-MM-DD HH:MM:SS.ffffff" (27 bytes with NUL). */
void		 vr_db_now(char out[27]);

#endif
