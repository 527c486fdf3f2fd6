/*
 * vr_migrate: numbered migrations, recorded with their checksum.  A lock
 * row (vr_locks) keeps two instances from migrating at once, on one
 * server or on any nodes of a Galera cluster (GET_LOCK would lock one
 * node only).  DDL commits by itself in MariaDB, so a file is recorded
 * after it ran; a file that failed half-way is reported and must be
 * repaired by hand (docs/).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/vr_buf.h"
#include "../core/vr_sha256.h"
#include "vr_migrate.h"

#define MAX_MIGRATIONS	1000

static const char sql_create[] =
    "CREATE TABLE IF NOT EXISTS vr_schema_migrations ("
    " version INT UNSIGNED NOT NULL PRIMARY KEY,"
    " name VARCHAR(255) NOT NULL,"
    " checksum CHAR(64) NOT NULL,"
    " applied_at DATETIME(6) NOT NULL)"
    " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
/*
 * The lock: a row with its owner and an expiry.  Taken by inserting it,
 * or by taking over an expired one; both are single autocommit
 * statements, so on Galera the second of two nodes gets a duplicate key
 * or a certification conflict (1213), never the lock too.  The expiry
 * is pushed on after every file; a migrate killed on the way leaves a
 * row that the next one takes over once it has expired.
 */
#define LOCK_TTL	"600"	/* seconds */
#define LOCK_WAIT_MS	60000	/* as long as GET_LOCK(…, 60) waited */
#define LOCK_STEP_MS	250
static const char sql_locks_create[] =
    "CREATE TABLE IF NOT EXISTS vr_locks ("
    " name VARCHAR(64) NOT NULL PRIMARY KEY,"
    " owner VARCHAR(128) NOT NULL,"
    " expires_at DATETIME(6) NOT NULL)"
    " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
static const char sql_lock[] =
    "INSERT IGNORE INTO vr_locks (name, owner, expires_at) VALUES "
    "('migrate', ?, UTC_TIMESTAMP(6) + INTERVAL " LOCK_TTL " SECOND)";
static const char sql_lock_expired[] =
    "UPDATE vr_locks SET owner = ?, expires_at = UTC_TIMESTAMP(6) + "
    "INTERVAL " LOCK_TTL " SECOND WHERE name = 'migrate' AND "
    "expires_at < UTC_TIMESTAMP(6)";
static const char sql_lock_renew[] =
    "UPDATE vr_locks SET expires_at = UTC_TIMESTAMP(6) + INTERVAL "
    LOCK_TTL " SECOND WHERE name = 'migrate' AND owner = ?";
static const char sql_unlock[] =
    "DELETE FROM vr_locks WHERE name = 'migrate' AND owner = ?";
static const char sql_applied[] =
    "SELECT version, name, checksum FROM vr_schema_migrations ORDER BY version";
static const char sql_record[] =
    "INSERT INTO vr_schema_migrations (version, name, checksum, applied_at) "
    "VALUES (?, ?, ?, UTC_TIMESTAMP(6))";

typedef struct applied {
	int	 version;
	char	 name[256];
	char	 checksum[65];
} applied_t;

typedef struct applied_set {
	applied_t	 rows[MAX_MIGRATIONS];
	size_t		 n;
} applied_set_t;

static int
applied_row(void *ctx, const char *const *c, const unsigned long *l,
    unsigned n)
{
	applied_set_t	*s = ctx;

	(void)l;
	if (n != 3 || s->n == MAX_MIGRATIONS)
		return -1;
	s->rows[s->n].version = atoi(c[0]);
	snprintf(s->rows[s->n].name, sizeof(s->rows[0].name), "%s", c[1]);
	snprintf(s->rows[s->n].checksum, 65, "%s", c[2]);
	s->n++;
	return 0;
}

/* This run's name in the lock row: host, pid and a random part. */
static void
lock_owner(char out[128])
{
	char	 host[64];

	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "?");
	host[sizeof(host) - 1] = '\0';
	snprintf(out, 128, "%s:%ld:%08x", host, (long)getpid(),
	    (unsigned)arc4random());
}

/* One statement on the lock row, owner its one parameter. */
static vr_err_e
lock_exec(vr_db_t *db, const char *sql, const char *owner, uint64_t *n,
    vr_problem_t *p)
{
	const vr_db_arg_t	 a[] = { VR_ARG_S(owner) };

	vr_problem_clear(p);
	return vr_db_exec(db, sql, a, 1, NULL, NULL, n, NULL, p);
}

/* 1 when the lock row is ours now, 0 when someone else holds it. */
static int
lock_try(vr_db_t *db, const char *owner, vr_problem_t *p)
{
	uint64_t		 n = 0;
	vr_err_e		 e;

	e = lock_exec(db, sql_lock, owner, &n, p);
	if (e == VR_OK && n == 0)
		e = lock_exec(db, sql_lock_expired, owner, &n, p);
	/* A conflict is another node's insert that won. */
	if (e == VR_E_CONFLICT) {
		vr_problem_clear(p);
		return 0;
	}
	return e == VR_OK && n == 1 ? 1 : e == VR_OK ? 0 : -1;
}

/* Takes the lock, waiting up to LOCK_WAIT_MS: 1, 0 (busy) or -1. */
static int
lock_take(vr_db_t *db, const char *owner, vr_problem_t *p)
{
	const struct timespec	 step = { 0, LOCK_STEP_MS * 1000000L };
	int			 waited, r;

	if (vr_db_exec(db, sql_locks_create, NULL, 0, NULL, NULL, NULL, NULL,
	    p) != VR_OK)
		return -1;
	for (waited = 0; (r = lock_try(db, owner, p)) == 0 &&
	    waited < LOCK_WAIT_MS; waited += LOCK_STEP_MS)
		nanosleep(&step, NULL);
	return r;
}

static int
is_migration(const char *name)
{
	size_t	 n = strlen(name);

	return n > 8 && name[0] >= '0' && name[0] <= '9' &&
	    name[1] >= '0' && name[1] <= '9' && name[2] >= '0' &&
	    name[2] <= '9' && name[3] == '_' &&
	    strcmp(name + n - 4, ".sql") == 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
read_file(const char *path, vr_buf_t *b)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;
	int	 rc = 0;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (vr_buf_append(b, chunk, n) == -1) {
			rc = -1;
			break;
		}
	if (ferror(f))
		rc = -1;
	fclose(f);
	return rc;
}

static const applied_t *
find_applied(const applied_set_t *s, int version)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (s->rows[i].version == version)
			return &s->rows[i];
	return NULL;
}

/* Lists the migration files of dir, sorted; caller frees. */
static int
list_dir(const char *dir, char ***names, size_t *n, char *err, size_t errlen)
{
	DIR		*d;
	struct dirent	*de;
	char		**v = NULL, **nv;

	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "%s: cannot open the migrations "
		    "directory", dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (!is_migration(de->d_name))
			continue;
		if ((nv = realloc(v, (*n + 1) * sizeof(*v))) == NULL ||
		    (nv[*n] = strdup(de->d_name)) == NULL) {
			v = nv ? nv : v;
			closedir(d);
			*names = v;
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		v = nv;
		(*n)++;
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), cmp_names);
	*names = v;
	return 0;
}

static int
apply_all(vr_db_t *db, const char *dir, char **names, size_t n,
    const applied_set_t *done, const char *owner, FILE *out, char *err,
    size_t errlen)
{
	vr_buf_t	 sql = { 0 }, path = { 0 };
	char		 sum[65], msg[512];
	const applied_t	*a;
	vr_problem_t	 p;
	size_t		 i;
	int		 version, rc = -1, applied = 0;

	for (i = 0; i < n; i++) {
		version = atoi(names[i]);
		if (i > 0 && version == atoi(names[i - 1])) {
			snprintf(err, errlen, "%s/%s: number %03d used twice",
			    dir, names[i], version);
			goto out;
		}
		vr_buf_reset(&sql);
		vr_buf_reset(&path);
		if (vr_buf_printf(&path, "%s/%s", dir, names[i]) == -1 ||
		    read_file(path.data, &sql) == -1) {
			snprintf(err, errlen, "%s: cannot read", path.data);
			goto out;
		}
		if (vr_sha256_hex(sql.data ? sql.data : "", sql.len,
		    sum) == -1) {
			snprintf(err, errlen, "%s: SHA-256 failed", path.data);
			goto out;
		}
		if ((a = find_applied(done, version)) != NULL) {
			if (strcmp(a->checksum, sum) != 0) {
				snprintf(err, errlen, "%s: changed since it was "
				    "applied (checksum %.12s..., now %.12s...); "
				    "write a new migration instead", path.data,
				    a->checksum, sum);
				goto out;
			}
			continue;
		}
		if (vr_db_run_script(db, sql.data ? sql.data : "", sql.len, msg,
		    sizeof(msg)) == -1) {
			snprintf(err, errlen, "%s: %s", path.data, msg);
			goto out;
		}
		vr_problem_clear(&p);
		{
			const vr_db_arg_t args[] = { VR_ARG_I(version),
			    VR_ARG_S(names[i]), VR_ARG_S(sum) };

			if (vr_db_exec(db, sql_record, args, 3, NULL, NULL,
			    NULL, NULL, &p) != VR_OK) {
				snprintf(err, errlen, "%s: applied but not "
				    "recorded: %s", path.data, p.detail);
				goto out;
			}
		}
		fprintf(out, "applied %s\n", names[i]);
		applied++;
		lock_exec(db, sql_lock_renew, owner, NULL, &p);
	}
	for (i = 0; i < done->n; i++) {
		size_t	 k;

		for (k = 0; k < n && atoi(names[k]) != done->rows[i].version;
		    k++)
			;
		if (k == n) {
			snprintf(err, errlen, "%s/%s: applied, but the file is "
			    "missing", dir, done->rows[i].name);
			goto out;
		}
	}
	fprintf(out, "%d migration%s applied, schema up to date\n", applied,
	    applied == 1 ? "" : "s");
	rc = 0;
out:
	vr_buf_free(&sql);
	vr_buf_free(&path);
	return rc;
}

int
vr_migrate(vr_db_t *db, const char *dir, FILE *out, char *err,
    size_t errlen)
{
	applied_set_t	*done = NULL;
	char		**names = NULL;
	size_t		 n = 0, i;
	vr_problem_t	 p;
	char		 owner[128];
	int		 locked = 0, rc = -1;

	vr_problem_clear(&p);
	lock_owner(owner);
	if (list_dir(dir, &names, &n, err, errlen) == -1)
		goto out;
	if ((locked = lock_take(db, owner, &p)) != 1) {
		locked = 0;
		snprintf(err, errlen, "cannot take the migration lock: %s",
		    p.detail[0] ? p.detail : "another migrate is running");
		goto out;
	}
	if ((done = calloc(1, sizeof(*done))) == NULL ||
	    vr_db_exec(db, sql_create, NULL, 0, NULL, NULL, NULL, NULL,
	    &p) != VR_OK ||
	    vr_db_exec(db, sql_applied, NULL, 0, applied_row, done, NULL,
	    NULL, &p) != VR_OK) {
		snprintf(err, errlen, "cannot read vr_schema_migrations: %s",
		    p.detail);
		goto out;
	}
	rc = apply_all(db, dir, names, n, done, owner, out, err, errlen);
out:
	if (locked)
		lock_exec(db, sql_unlock, owner, NULL, &p);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(done);
	return rc;
}
