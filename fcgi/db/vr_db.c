/*
 * vr_db: the MariaDB/MySQL connection of one worker, its prepared
 * statement cache, and the transaction runner (dependencies.md: re-prepare
 * after every reconnect, retry whole transactions, never a blind retry of
 * a COMMIT whose outcome is unknown).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "../codec/vr_codec.h"
#include "../core/vr_buf.h"
#include "../core/vr_log.h"
#include "vr_db.h"

#define STMT_CACHE_MAX	64
#define MAX_ARGS	VR_DB_MAX_ARGS
#define MAX_COLS	64

struct stmt_slot {
	const char	*sql;
	MYSQL_STMT	*stmt;
};

struct vr_db {
	const vr_config_t *cfg;
	MYSQL		*conn;		/* NULL while disconnected */
	struct stmt_slot cache[STMT_CACHE_MAX];
	size_t		 ncache;
	unsigned	 need_schema;	/* 0: no check (migrate) */
	unsigned	 schema;	/* what the last connection found */
	bool		 in_txn;
	bool		 wsrep;		/* the server is a Galera node */
	bool		 txn_retry;	/* the transaction may be run again */
	unsigned	 last_errno;
};

static bool
conn_lost(unsigned e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST ||
	    e == CR_CONNECTION_ERROR || e == CR_CONN_HOST_ERROR ||
	    e == CR_STMT_CLOSED || e == 1927 /* ER_CONNECTION_KILLED */ ||
	    e == 4031 /* ER_CLIENT_INTERACTION_TIMEOUT */;
}

static void
drop_connection(vr_db_t *db)
{
	size_t	 i;

	for (i = 0; i < db->ncache; i++)
		mysql_stmt_close(db->cache[i].stmt);
	db->ncache = 0;
	if (db->conn != NULL)
		mysql_close(db->conn);
	db->conn = NULL;
}

int
vr_db_library_init(void)
{
	return mysql_library_init(0, NULL, NULL) == 0 ? 0 : -1;
}

void
vr_db_library_end(void)
{
	mysql_library_end();
}

vr_db_t *
vr_db_open(const vr_config_t *cfg)
{
	vr_db_t	*db;

	mysql_thread_init();
	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	db->cfg = cfg;
	return db;
}

void
vr_db_close(vr_db_t *db)
{
	if (db != NULL) {
		drop_connection(db);
		free(db);
	}
	mysql_thread_end();
}

void
vr_db_require_schema(vr_db_t *db, unsigned version)
{
	db->need_schema = version;
}

unsigned
vr_db_schema_version(const vr_db_t *db)
{
	return db->schema;
}

/* Reads the highest applied migration; 0 when none (or no table). */
static unsigned
schema_of(MYSQL *conn)
{
	MYSQL_RES	*res;
	MYSQL_ROW	 row;
	unsigned	 v = 0;

	if (mysql_query(conn, "SELECT COALESCE(MAX(version), 0) FROM "
	    "vr_schema_migrations") != 0)
		return 0;
	if ((res = mysql_store_result(conn)) == NULL)
		return 0;
	if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL)
		v = (unsigned)strtoul(row[0], NULL, 10);
	mysql_free_result(res);
	return v;
}

/* Whether the server is a Galera node (wsrep_on is 1). */
static bool
wsrep_on(MYSQL *conn)
{
	MYSQL_RES	*res;
	MYSQL_ROW	 row;
	bool		 on = false;

	/* A server without Galera has no such variable. */
	if (mysql_query(conn, "SELECT @@wsrep_on") != 0)
		return false;
	if ((res = mysql_store_result(conn)) == NULL)
		return false;
	if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL)
		on = strcmp(row[0], "1") == 0;
	mysql_free_result(res);
	return on;
}

/*
 * On a Galera node reads wait until the node has applied every write the
 * cluster committed before them, so a read after one's own write on
 * another node sees it.  -1 only when the SET itself fails.
 */
static int
wsrep_sync_wait(MYSQL *conn, unsigned level)
{
	char	 sql[64];

	snprintf(sql, sizeof(sql), "SET SESSION wsrep_sync_wait = %u", level);
	return mysql_query(conn, sql) == 0 ? 0 : -1;
}

/*
 * Galera may abort a transaction for another node's write while a
 * prepared statement of it runs and report that only on the next command
 * (MDEV-24255).  Our reading of a POST answered 404 for the row it had
 * just inserted under the galera suite's load.  After the body failed,
 * one more round trip tells: 1213 means the failure was the abort, and
 * the transaction is run again.
 */
static bool
aborted_by_cluster(vr_db_t *db)
{
	MYSQL_RES	*res;

	if (!db->wsrep || db->conn == NULL || db->txn_retry)
		return false;
	if (mysql_query(db->conn, "SELECT 1") == 0) {
		if ((res = mysql_store_result(db->conn)) != NULL)
			mysql_free_result(res);
		return false;
	}
	db->last_errno = mysql_errno(db->conn);
	return db->last_errno == ER_LOCK_DEADLOCK;
}

vr_err_e
vr_db_connect(vr_db_t *db, vr_problem_t *p)
{
	const vr_config_t	*cfg = db->cfg;
	char			 pw[256], err[256], lockwait[64];
	unsigned		 timeout = cfg->db_connect_timeout;
	/*
	 * No answer for this long is a lost connection (2013): a Galera
	 * node that BF-aborts a transaction while it prepares a statement
	 * may never answer (seen on 10.11; mysql-wsrep issue 287).  Every
	 * statement of ours waits at most one lock wait, far less than this.
	 */
	unsigned		 io_timeout = 2 * cfg->db_lock_wait_timeout + 10;
	vr_err_e		 rc = VR_E_UNAVAILABLE;

	if (db->conn != NULL)
		return VR_OK;
	pw[0] = '\0';
	if (vr_config_read_password(cfg, pw, sizeof(pw), err,
	    sizeof(err)) == -1) {
		vr_log_error("database password: %s", err);
		vr_fail(p, rc, "database_unavailable", NULL,
		    "the database password could not be read");
		goto out;
	}
	if ((db->conn = mysql_init(NULL)) == NULL) {
		rc = vr_fail(p, VR_E_INTERNAL, "out_of_memory", NULL,
		    "out of memory");
		goto out;
	}
	mysql_optionsv(db->conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_optionsv(db->conn, MYSQL_OPT_READ_TIMEOUT, &io_timeout);
	mysql_optionsv(db->conn, MYSQL_OPT_WRITE_TIMEOUT, &io_timeout);
	mysql_optionsv(db->conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/*
	 * UTC, strict mode, and READ COMMITTED (fewer gap locks; writers
	 * serialise on the chain head anyway).  Connector/C keeps a list
	 * of init commands and runs them again after a reconnect.
	 */
	mysql_optionsv(db->conn, MYSQL_INIT_COMMAND,
	    "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,"
	    "NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
	    "NO_ENGINE_SUBSTITUTION'");
	mysql_optionsv(db->conn, MYSQL_INIT_COMMAND,
	    "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
	snprintf(lockwait, sizeof(lockwait), "SET innodb_lock_wait_timeout "
	    "= %u", cfg->db_lock_wait_timeout);
	mysql_optionsv(db->conn, MYSQL_INIT_COMMAND, lockwait);
	if (mysql_real_connect(db->conn,
	    cfg->db_socket ? NULL : cfg->db_host, cfg->db_user, pw,
	    cfg->db_name, cfg->db_socket ? 0 : cfg->db_port,
	    cfg->db_socket, CLIENT_FOUND_ROWS) == NULL) {
		vr_log_error("database connect: %s", mysql_error(db->conn));
		vr_fail(p, rc, "database_unavailable", NULL,
		    "the database is unreachable");
		mysql_close(db->conn);
		db->conn = NULL;
		goto out;
	}
	db->wsrep = wsrep_on(db->conn);
	if (db->wsrep && cfg->db_wsrep_sync_wait > 0 &&
	    wsrep_sync_wait(db->conn, cfg->db_wsrep_sync_wait) == -1) {
		vr_log_error("database SET wsrep_sync_wait: %s",
		    mysql_error(db->conn));
		vr_fail(p, rc, "database_unavailable", NULL,
		    "the database is unreachable");
		mysql_close(db->conn);
		db->conn = NULL;
		goto out;
	}
	if (db->need_schema > 0 &&
	    (db->schema = schema_of(db->conn)) < db->need_schema) {
		vr_log_error("database schema is at version %u, this program "
		    "needs %u: run vendor-review migrate", db->schema,
		    db->need_schema);
		vr_fail(p, rc, "schema_outdated", NULL, "the database schema "
		    "is older than this program: the admin must run "
		    "vendor-review migrate");
		mysql_close(db->conn);
		db->conn = NULL;
		goto out;
	}
	rc = VR_OK;
out:
	explicit_bzero(pw, sizeof(pw));
	return rc;
}

vr_err_e
vr_db_ping(vr_db_t *db, vr_problem_t *p)
{
	vr_err_e	 e;

	if ((e = vr_db_connect(db, p)) != VR_OK)
		return e;
	if (mysql_ping(db->conn) == 0)
		return VR_OK;
	vr_log_error("database ping: %s", mysql_error(db->conn));
	drop_connection(db);
	return vr_db_connect(db, p);
}

/* Maps the statement's error to our enum, logging the server's words. */
static vr_err_e
stmt_error(vr_db_t *db, MYSQL_STMT *stmt, const char *sql, vr_problem_t *p)
{
	unsigned	 e;
	const char	*msg;

	/* The statement's own error first, then the connection's. */
	e = stmt ? mysql_stmt_errno(stmt) : 0;
	msg = stmt ? mysql_stmt_error(stmt) : "";
	if (e == 0 && db->conn != NULL) {
		e = mysql_errno(db->conn);
		msg = mysql_error(db->conn);
	}
	db->last_errno = e;
	if (e == ER_DUP_ENTRY)
		return vr_fail(p, VR_E_CONFLICT, "duplicate", NULL,
		    "a record with the same unique value exists");
	vr_log_error("database error %u: %s (in: %.80s)", e, msg, sql);
	if (e == ER_LOCK_DEADLOCK || e == ER_LOCK_WAIT_TIMEOUT) {
		db->txn_retry = true;
		return vr_fail(p, VR_E_CONFLICT, "deadlock", NULL,
		    "the record is busy; try again");
	}
	if (conn_lost(e)) {
		db->txn_retry = true;
		drop_connection(db);
		return vr_fail(p, VR_E_UNAVAILABLE, "database_unavailable",
		    NULL, "the database connection was lost");
	}
	/* A Galera node out of the primary component, or not synced yet. */
	if (e == ER_UNKNOWN_COM_ERROR)
		return vr_fail(p, VR_E_UNAVAILABLE, "database_unavailable",
		    NULL, "the database node is not ready");
	return vr_fail(p, VR_E_INTERNAL, "database_error", NULL,
	    "the database refused the statement");
}

int
vr_db_rows_sql(char *out, size_t len, const char *head, int nargs,
    int nrows)
{
	size_t	 used;
	int	 r, a;

	if ((used = (size_t)snprintf(out, len, "%s", head)) >= len)
		return -1;
	for (r = 0; r < nrows; r++)
		for (a = 0; a < nargs; a++) {
			used += (size_t)snprintf(out + used, len - used, "%s%s%s",
			    a == 0 ? (r == 0 ? " (" : ", (") : "", a ? ", ?" : "?",
			    a == nargs - 1 ? ")" : "");
			if (used >= len)
				return -1;
		}
	return 0;
}

void
vr_db_time(const char *iso, char out[VR_DB_TIME_MAX])
{
	snprintf(out, VR_DB_TIME_MAX, "%.10s %.15s", iso, iso + 11);
	out[strcspn(out, "Z")] = '\0';
}

static MYSQL_STMT *
cached_stmt(vr_db_t *db, const char *sql, vr_problem_t *p)
{
	MYSQL_STMT	*stmt;
	my_bool		 update_max = 1;
	size_t		 i;

	for (i = 0; i < db->ncache; i++)
		if (db->cache[i].sql == sql)
			return db->cache[i].stmt;
	if ((stmt = mysql_stmt_init(db->conn)) == NULL) {
		stmt_error(db, NULL, sql, p);
		return NULL;
	}
	if (mysql_stmt_prepare(stmt, sql, strlen(sql)) != 0) {
		stmt_error(db, stmt, sql, p);
		mysql_stmt_close(stmt);
		return NULL;
	}
	mysql_stmt_attr_set(stmt, STMT_ATTR_UPDATE_MAX_LENGTH, &update_max);
	if (db->ncache == STMT_CACHE_MAX) {
		/* Only happens if a caller passes transient SQL: keep it bounded. */
		mysql_stmt_close(db->cache[0].stmt);
		memmove(db->cache, db->cache + 1,
		    (STMT_CACHE_MAX - 1) * sizeof(db->cache[0]));
		db->ncache--;
	}
	db->cache[db->ncache].sql = sql;
	db->cache[db->ncache].stmt = stmt;
	db->ncache++;
	return stmt;
}

/*
 * How a result column is fetched.  Integers and times come in the binary
 * protocol's native form and are rendered here: binding them as strings
 * made the client library sprintf every one (18% of a list's
 * instructions), only for us to parse them back.
 */
typedef enum col_kind {
	COL_TEXT,
	COL_INT,
	COL_DATETIME,	/* "YYYY-MM-DD HH:MM:SS.ffffff", 26 characters */
	COL_DATE	/* "YYYY-MM-DD" */
} col_kind_e;

#define TIME_TEXT_MAX	27

static col_kind_e
col_kind(enum enum_field_types t)
{
	switch (t) {
	case MYSQL_TYPE_TINY:
	case MYSQL_TYPE_SHORT:
	case MYSQL_TYPE_INT24:
	case MYSQL_TYPE_LONG:
	case MYSQL_TYPE_LONGLONG:
		return COL_INT;
	case MYSQL_TYPE_DATETIME:
	case MYSQL_TYPE_TIMESTAMP:
		return COL_DATETIME;
	case MYSQL_TYPE_DATE:
		return COL_DATE;
	default:
		return COL_TEXT;
	}
}

/* Writes n as exactly width digits (n < 10^width). */
static char *
put_digits(char *out, unsigned long n, int width)
{
	int	 k;

	for (k = width - 1; k >= 0; k--) {
		out[k] = (char)('0' + n % 10);
		n /= 10;
	}
	return out + width;
}

/* The column's text as the text protocol would give it; returns its length. */
static unsigned long
render_col(col_kind_e kind, const MYSQL_BIND *b, char *out)
{
	const MYSQL_TIME	*t = b->buffer;
	char			 digits[VR_INT_TEXT_MAX], *p = out;
	uint64_t		 u;

	switch (kind) {
	case COL_INT:
		u = *(const uint64_t *)b->buffer;
		p = stpcpy(p, b->is_unsigned ? vr_uint_text(digits, u) :
		    vr_int_text(digits, (int64_t)u));
		break;
	case COL_DATETIME:
	case COL_DATE:
		p = put_digits(p, t->year, 4);
		*p++ = '-';
		p = put_digits(p, t->month, 2);
		*p++ = '-';
		p = put_digits(p, t->day, 2);
		if (kind == COL_DATE)
			break;
		*p++ = ' ';
		p = put_digits(p, t->hour, 2);
		*p++ = ':';
		p = put_digits(p, t->minute, 2);
		*p++ = ':';
		p = put_digits(p, t->second, 2);
		*p++ = '.';
		p = put_digits(p, t->second_part, 6);
		break;
	case COL_TEXT:
		break;
	}
	*p = '\0';
	return (unsigned long)(p - out);
}

static vr_err_e
fetch_rows(vr_db_t *db, MYSQL_STMT *stmt, const char *sql, vr_db_row_fn fn,
    void *ctx, vr_problem_t *p)
{
	MYSQL_RES	*meta;
	MYSQL_FIELD	*fields;
	MYSQL_BIND	 bind[MAX_COLS];
	col_kind_e	 kinds[MAX_COLS];
	union {
		uint64_t	 i;
		MYSQL_TIME	 t;
	}		 natives[MAX_COLS];
	char		*bufs[MAX_COLS], *space = NULL;
	size_t		 total = 0, size[MAX_COLS];
	const char	*cols[MAX_COLS];
	unsigned long	 lens[MAX_COLS];
	my_bool		 nulls[MAX_COLS];
	unsigned	 n, i;
	int		 r;
	vr_err_e	 rc = VR_E_INTERNAL;

	if ((meta = mysql_stmt_result_metadata(stmt)) == NULL)
		return VR_OK;
	n = mysql_num_fields(meta);
	if (n > MAX_COLS) {
		vr_log_error("too many columns in: %.80s", sql);
		goto out;
	}
	if (mysql_stmt_store_result(stmt) != 0) {
		rc = stmt_error(db, stmt, sql, p);
		goto out;
	}
	fields = mysql_fetch_fields(meta);
	/* One allocation holds every column's text, each sized by its
	 * longest value (text) or its longest rendering (int, time). */
	for (i = 0; i < n; i++) {
		kinds[i] = col_kind(fields[i].type);
		size[i] = kinds[i] == COL_TEXT ? fields[i].max_length + 1 :
		    kinds[i] == COL_INT ? VR_INT_TEXT_MAX : TIME_TEXT_MAX;
		total += size[i];
	}
	if ((space = malloc(total > 0 ? total : 1)) == NULL)
		goto out;
	memset(bind, 0, n * sizeof(bind[0]));	/* not all MAX_COLS: per row */
	for (i = 0, total = 0; i < n; i++) {
		bufs[i] = space + total;
		total += size[i];
		bind[i].is_null = &nulls[i];
		bind[i].length = &lens[i];
		switch (kinds[i]) {
		case COL_TEXT:
			bind[i].buffer_type = MYSQL_TYPE_STRING;
			bind[i].buffer = bufs[i];
			bind[i].buffer_length = size[i];
			break;
		case COL_INT:
			bind[i].buffer_type = MYSQL_TYPE_LONGLONG;
			bind[i].buffer = &natives[i].i;
			bind[i].is_unsigned =
			    (fields[i].flags & UNSIGNED_FLAG) != 0;
			break;
		default:
			bind[i].buffer_type = kinds[i] == COL_DATE ?
			    MYSQL_TYPE_DATE : MYSQL_TYPE_DATETIME;
			bind[i].buffer = &natives[i].t;
			break;
		}
	}
	if (mysql_stmt_bind_result(stmt, bind) != 0) {
		rc = stmt_error(db, stmt, sql, p);
		goto out;
	}
	while ((r = mysql_stmt_fetch(stmt)) == 0) {
		for (i = 0; i < n; i++) {
			if (nulls[i]) {
				bufs[i][0] = '\0';
				cols[i] = NULL;
				continue;
			}
			if (kinds[i] == COL_TEXT)
				bufs[i][lens[i]] = '\0';
			else
				lens[i] = render_col(kinds[i], &bind[i],
				    bufs[i]);
			cols[i] = bufs[i];
		}
		if (fn != NULL && fn(ctx, cols, lens, n) == -1) {
			vr_fail(p, VR_E_INTERNAL, "out_of_memory", NULL,
			    "out of memory");
			goto out;
		}
	}
	if (r != MYSQL_NO_DATA) {
		rc = stmt_error(db, stmt, sql, p);
		goto out;
	}
	rc = VR_OK;
out:
	mysql_stmt_free_result(stmt);
	mysql_free_result(meta);
	free(space);
	if (rc == VR_E_INTERNAL && p != NULL && p->err == VR_OK)
		vr_fail(p, VR_E_INTERNAL, "out_of_memory", NULL,
		    "out of memory");
	return rc;
}

static vr_err_e
exec_once(vr_db_t *db, const char *sql, const vr_db_arg_t *args,
    size_t nargs, vr_db_row_fn fn, void *ctx, uint64_t *affected,
    uint64_t *insert_id, vr_problem_t *p)
{
	MYSQL_STMT	*stmt;
	MYSQL_BIND	 bind[MAX_ARGS];
	unsigned long	 lens[MAX_ARGS];
	vr_err_e	 e;
	size_t		 i;

	if ((e = vr_db_connect(db, p)) != VR_OK)
		return e;
	if ((stmt = cached_stmt(db, sql, p)) == NULL)
		return p != NULL && p->err != VR_OK ? p->err : VR_E_INTERNAL;
	if (nargs > MAX_ARGS || nargs != mysql_stmt_param_count(stmt)) {
		vr_log_error("statement wants %lu args, got %zu: %.80s",
		    mysql_stmt_param_count(stmt), nargs, sql);
		return vr_fail(p, VR_E_INTERNAL, "internal", NULL,
		    "internal error");
	}
	memset(bind, 0, nargs * sizeof(bind[0]));
	for (i = 0; i < nargs; i++) {
		switch (args[i].kind) {
		case VR_ARG_NULL:
			bind[i].buffer_type = MYSQL_TYPE_NULL;
			break;
		case VR_ARG_INT:
			bind[i].buffer_type = MYSQL_TYPE_LONGLONG;
			bind[i].buffer = (void *)&args[i].i;
			break;
		case VR_ARG_TEXT:
			lens[i] = strlen(args[i].s);
			bind[i].buffer_type = MYSQL_TYPE_STRING;
			bind[i].buffer = (void *)args[i].s;
			bind[i].buffer_length = lens[i];
			bind[i].length = &lens[i];
			break;
		}
	}
	if (nargs > 0 && mysql_stmt_bind_param(stmt, bind) != 0)
		return stmt_error(db, stmt, sql, p);
	if (mysql_stmt_execute(stmt) != 0)
		return stmt_error(db, stmt, sql, p);
	if (affected != NULL)
		*affected = mysql_stmt_affected_rows(stmt);
	if (insert_id != NULL)
		*insert_id = mysql_stmt_insert_id(stmt);
	return fetch_rows(db, stmt, sql, fn, ctx, p);
}

vr_err_e
vr_db_exec(vr_db_t *db, const char *sql, const vr_db_arg_t *args,
    size_t nargs, vr_db_row_fn fn, void *ctx, uint64_t *affected,
    uint64_t *insert_id, vr_problem_t *p)
{
	vr_problem_t	 first;
	vr_err_e	 e;

	vr_problem_clear(&first);
	e = exec_once(db, sql, args, nargs, fn, ctx, affected, insert_id,
	    &first);
	/* Outside a transaction a statement on a dead connection is safe
	 * to run again once on a new one. */
	if (e == VR_E_UNAVAILABLE && !db->in_txn && conn_lost(db->last_errno))
		e = exec_once(db, sql, args, nargs, fn, ctx, affected,
		    insert_id, p);
	else if (e != VR_OK && p != NULL && p->err == VR_OK)
		*p = first;
	return e;
}

static int
simple_query(vr_db_t *db, const char *sql)
{
	if (mysql_query(db->conn, sql) != 0) {
		db->last_errno = mysql_errno(db->conn);
		if (conn_lost(db->last_errno))
			db->txn_retry = true;
		vr_log_error("database %s: %s", sql, mysql_error(db->conn));
		return -1;
	}
	return 0;
}

static vr_err_e
txn_attempt(vr_db_t *db, vr_txn_fn fn, void *ctx, vr_problem_t *p,
    bool *commit_unknown)
{
	vr_err_e	 e;

	db->txn_retry = false;
	if ((e = vr_db_connect(db, p)) != VR_OK) {
		db->txn_retry = true;
		return e;
	}
	if (simple_query(db, "START TRANSACTION") == -1) {
		if (conn_lost(db->last_errno))
			drop_connection(db);
		return vr_fail(p, VR_E_UNAVAILABLE, "database_unavailable",
		    NULL, "the database connection was lost");
	}
	db->in_txn = true;
	if ((e = fn(db, ctx, p)) != VR_OK) {
		if (aborted_by_cluster(db)) {
			db->txn_retry = true;
			vr_log_error("database: the transaction was aborted by "
			    "the cluster (error 1213) before: %s", p != NULL ?
			    p->detail : "");
			vr_problem_clear(p);
			e = vr_fail(p, VR_E_CONFLICT, "deadlock", NULL,
			    "the record is busy; try again");
		}
		if (db->conn != NULL)
			mysql_rollback(db->conn);
		goto out;
	}
	if (mysql_commit(db->conn) != 0) {
		db->last_errno = mysql_errno(db->conn);
		vr_log_error("database COMMIT: error %u: %s", db->last_errno,
		    mysql_error(db->conn));
		if (conn_lost(db->last_errno)) {
			/* It may have committed: never run it again. */
			*commit_unknown = true;
			drop_connection(db);
			e = vr_fail(p, VR_E_UNAVAILABLE, "commit_unknown",
			    NULL, "the database connection was lost while "
			    "committing; check the record before retrying");
		} else if (db->last_errno == ER_LOCK_DEADLOCK ||
		    db->last_errno == ER_LOCK_WAIT_TIMEOUT) {
			/* Galera: another node's write won certification. */
			db->txn_retry = true;
			mysql_rollback(db->conn);
			e = vr_fail(p, VR_E_CONFLICT, "deadlock", NULL,
			    "the record is busy; try again");
		} else {
			mysql_rollback(db->conn);
			e = vr_fail(p, VR_E_UNAVAILABLE, "database_error",
			    NULL, "the database refused the commit");
		}
	}
out:
	db->in_txn = false;
	return e;
}

bool
vr_db_in_transaction(const vr_db_t *db)
{
	return db->in_txn;
}

bool
vr_db_on_cluster(const vr_db_t *db)
{
	return db->wsrep;
}

uint64_t
vr_db_backoff_us(unsigned attempt, uint32_t rnd)
{
	uint64_t	 cap = VR_DB_BACKOFF_BASE_US;

	/* base x 2^attempt, at most VR_DB_BACKOFF_MAX_US. */
	while (attempt-- > 0 && cap < VR_DB_BACKOFF_MAX_US)
		cap *= 2;
	if (cap > VR_DB_BACKOFF_MAX_US)
		cap = VR_DB_BACKOFF_MAX_US;
	/* Half fixed, half random: two nodes that collided do not collide
	 * again on the same beat. */
	return cap / 2 + rnd % (cap / 2 + 1);
}

static void
backoff(unsigned attempt)
{
	uint64_t	 us = vr_db_backoff_us(attempt, arc4random());
	struct timespec	 ts = { .tv_sec = (time_t)(us / 1000000),
			    .tv_nsec = (long)(us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

vr_err_e
vr_db_transaction(vr_db_t *db, vr_txn_fn fn, void *ctx, vr_problem_t *p)
{
	vr_problem_t	 last;
	bool		 unknown = false, lost_once = false, waited_once = false;
	unsigned	 conflicts = 0;
	vr_err_e	 e;

	for (;;) {
		vr_problem_clear(&last);
		e = txn_attempt(db, fn, ctx, &last, &unknown);
		if (e == VR_OK || unknown || !db->txn_retry)
			break;
		if (conn_lost(db->last_errno) || db->conn == NULL) {
			/* A lost connection: once, on a new one. */
			if (lost_once)
				break;
			lost_once = true;
		} else if (db->last_errno == ER_LOCK_WAIT_TIMEOUT) {
			/* It already waited db_lock_wait_timeout: once more
			 * only, or a request outlives nginx's timeout. */
			if (waited_once)
				break;
			waited_once = true;
		} else {
			/* 1213: a deadlock, or (Galera) another node's write
			 * that won certification. */
			if (conflicts == db->cfg->db_conflict_retries)
				break;
			backoff(conflicts++);
		}
		vr_log_info("transaction retried after: %s", last.detail);
	}
	if (e != VR_OK && p != NULL && p->err == VR_OK)
		*p = last;
	return e;
}

int
vr_db_run_script(vr_db_t *db, const char *sql, size_t len, char *err,
    size_t errlen)
{
	MYSQL_RES	*res;
	int		 status;
	vr_problem_t	 p;

	vr_problem_clear(&p);
	if (vr_db_connect(db, &p) != VR_OK) {
		snprintf(err, errlen, "%s", p.detail);
		return -1;
	}
	mysql_set_server_option(db->conn, MYSQL_OPTION_MULTI_STATEMENTS_ON);
	status = mysql_real_query(db->conn, sql, len);
	while (status == 0) {
		if ((res = mysql_store_result(db->conn)) != NULL)
			mysql_free_result(res);
		status = mysql_next_result(db->conn);
	}
	/* The error first: switching the option off clears it. */
	if (status > 0)
		snprintf(err, errlen, "error %u: %s", mysql_errno(db->conn),
		    mysql_error(db->conn));
	mysql_set_server_option(db->conn, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
	return status > 0 ? -1 : 0;
}

int
vr_db_select_list(const vr_resource_t *res, const char *alias, char *out,
    size_t outlen)
{
	const vr_field_t	*f;
	size_t			 i, used = 0;
	int			 n;
	const char		*a = alias ? alias : "", *dot = alias ? "." : "";

	out[0] = '\0';
	for (i = 0; i < res->nfields; i++) {
		f = &res->fields[i];
		if (f->column == NULL)
			continue;
		n = snprintf(out + used, outlen - used, "%s%s%s`%s`",
		    used ? ", " : "", a, dot, f->column);
		if (n < 0 || (size_t)n >= outlen - used)
			return -1;
		used += (size_t)n;
	}
	return 0;
}

/*
 * A DATETIME(6) as the client library renders it, "2026-11-25
 * 08:19:38.553026", to the ISO 8601 UTC form records carry (the session
 * time zone is UTC), always with six fraction digits so the form is
 * canonical whatever the library left out.  Cheaper than DATE_FORMAT on
 * the server per row.
 */
#define ISO_TIME_SIZE	28	/* "2026-11-25T08:19:38.553026Z" and NUL */

static int
sql_time_to_iso(const char *sql, char iso[ISO_TIME_SIZE])
{
	size_t	 n = strlen(sql);

	if (n < 19 || n > 26 || sql[10] != ' ' || (n > 19 && sql[19] != '.'))
		return -1;
	memcpy(iso, sql, n);
	iso[10] = 'T';
	if (n == 19)
		iso[n++] = '.';
	while (n < 26)
		iso[n++] = '0';
	iso[26] = 'Z';
	iso[27] = '\0';
	return 0;
}

int
vr_db_record_from_row(const vr_resource_t *res, vr_value_t *rec,
    const char *const *cols, unsigned ncols)
{
	const vr_field_t	*f;
	char			*block;
	size_t			 i, need = 0, len;
	unsigned		 c;

	/* One allocation holds every text of the row (see vr_field.h). */
	for (i = 0, c = 0; i < res->nfields; i++) {
		f = &res->fields[i];
		if (f->column == NULL)
			continue;
		if (c >= ncols)
			return -1;
		if (cols[c] != NULL && f->type != VR_T_INT &&
		    f->type != VR_T_BOOL && !vr_type_nested(f->type))
			need += f->type == VR_T_TIME ? ISO_TIME_SIZE :
			    strlen(cols[c]) + 1;
		c++;
	}
	if ((block = vr_record_text_block(res, rec, need)) == NULL)
		return -1;
	for (i = 0, c = 0; i < res->nfields; i++) {
		f = &res->fields[i];
		if (f->column == NULL)
			continue;
		if (cols[c] == NULL)
			vr_value_set_null(&rec[i]);
		else if (vr_type_nested(f->type)) {
			/* Kept as its JSON in one column (vr_store.h). */
			if (vr_json_decode_value(f, cols[c], strlen(cols[c]),
			    &rec[i], NULL) != VR_OK)
				return -1;
		} else if (f->type == VR_T_INT || f->type == VR_T_BOOL)
			vr_value_set_int(&rec[i], strtoll(cols[c], NULL, 10));
		else if (f->type == VR_T_TIME) {
			if (sql_time_to_iso(cols[c], block) == -1)
				return -1;
			vr_value_set_borrowed(&rec[i], block);
			block += ISO_TIME_SIZE;
		} else {
			len = strlen(cols[c]) + 1;
			memcpy(block, cols[c], len);
			vr_value_set_borrowed(&rec[i], block);
			block += len;
		}
		c++;
	}
	return 0;
}

int
vr_db_count_row(void *arg, const char *const *c, const unsigned long *l,
    unsigned n)
{
	(void)l;
	if (n != 1 || c[0] == NULL)
		return -1;
	*(int64_t *)arg = strtoll(c[0], NULL, 10);
	return 0;
}

int
vr_db_list_row(void *arg, const char *const *cols, const unsigned long *lens,
    unsigned ncols)
{
	vr_db_list_ctx_t	*lc = arg;
	vr_value_t		*rec;

	(void)lens;
	if ((rec = vr_record_new(lc->res)) == NULL)
		return -1;
	if (vr_db_record_from_row(lc->res, rec, cols, ncols) == -1 ||
	    vr_list_push(lc->list, rec) == -1) {
		vr_record_free(lc->res, rec);
		return -1;
	}
	return 0;
}

void
vr_db_now(char out[27])
{
	struct timespec	 ts;
	struct tm	 tm;

	char		 secs[20];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(secs, sizeof(secs), "%Y-%m-%d %H:%M:%S", &tm);
	/* tv_nsec < 1e9, so the micro-seconds are six digits at most. */
	snprintf(out, 27, "%.19s.%06u", secs,
	    (unsigned)(ts.tv_nsec / 1000) % 1000000u);
}
