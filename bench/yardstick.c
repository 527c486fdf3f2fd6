/*
 * yardstick: the smallest honest FastCGI responder, the bar vendor-review
 * is measured against (design.md, Non-negotiables).  N threads, each with
 * its own MariaDB connection and one prepared primary-key SELECT; the id
 * is the last path segment; the answer is a small JSON object from json-c.
 * FCGX_Accept_r without a mutex (dependencies.md, libfcgi).
 *
 *   yardstick SOCKET THREADS DB_SOCKET DB_USER DB_PASSWORD_FILE DB_NAME
 *
 * Built and run by bench/run; not part of the product.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <json-c/json.h>
#include <mysql.h>

static const char sql[] =
    "SELECT id, name, tier, status, version FROM vr_vendors WHERE id = ?";
static int listen_fd;
static const char *db_sock, *db_user, *db_name;
static char db_pw[256];

static void *
worker(void *arg)
{
	MYSQL		*db = mysql_init(NULL);
	MYSQL_STMT	*st;
	MYSQL_BIND	 in, out[5];
	FCGX_Request	 req;
	long long	 id, oid, version;
	char		 name[801], tier[33], status[65];
	unsigned long	 len[5];
	char		 isnull[5];
	const char	*uri, *slash, *js;
	size_t		 jlen;
	char		 head[80];
	int		 hlen;
	json_object	*o;

	(void)arg;
	mysql_thread_init();
	if (mysql_real_connect(db, NULL, db_user, db_pw, db_name, 0, db_sock,
	    0) == NULL || (st = mysql_stmt_init(db)) == NULL ||
	    mysql_stmt_prepare(st, sql, sizeof(sql) - 1) != 0) {
		fprintf(stderr, "yardstick: %s\n", mysql_error(db));
		exit(1);
	}
	memset(&in, 0, sizeof(in));
	in.buffer_type = MYSQL_TYPE_LONGLONG;
	in.buffer = &id;
	memset(out, 0, sizeof(out));
	out[0].buffer_type = out[4].buffer_type = MYSQL_TYPE_LONGLONG;
	out[0].buffer = &oid;
	out[4].buffer = &version;
	out[1].buffer_type = out[2].buffer_type = out[3].buffer_type =
	    MYSQL_TYPE_STRING;
	out[1].buffer = name;	out[1].buffer_length = sizeof(name) - 1;
	out[2].buffer = tier;	out[2].buffer_length = sizeof(tier) - 1;
	out[3].buffer = status;	out[3].buffer_length = sizeof(status) - 1;
	for (int i = 0; i < 5; i++) {
		out[i].length = &len[i];
		out[i].is_null = &isnull[i];
	}
	if (mysql_stmt_bind_param(st, &in) != 0 ||
	    mysql_stmt_bind_result(st, out) != 0) {
		fprintf(stderr, "yardstick: %s\n", mysql_stmt_error(st));
		exit(1);
	}
	FCGX_InitRequest(&req, listen_fd, 0);
	while (FCGX_Accept_r(&req) >= 0) {
		uri = FCGX_GetParam("DOCUMENT_URI", req.envp);
		slash = uri ? strrchr(uri, '/') : NULL;
		id = slash ? strtoll(slash + 1, NULL, 10) : 0;
		if (mysql_stmt_execute(st) != 0) {
			FCGX_FPrintF(req.out, "Status: 503\r\nContent-Type: "
			    "text/plain\r\n\r\n%s\n", mysql_stmt_error(st));
		} else if (mysql_stmt_fetch(st) == 0) {
			name[len[1]] = tier[len[2]] = status[len[3]] = '\0';
			o = json_object_new_object();
			json_object_object_add(o, "id", json_object_new_int64(oid));
			json_object_object_add(o, "name", json_object_new_string(name));
			json_object_object_add(o, "tier", json_object_new_string(tier));
			json_object_object_add(o, "status", json_object_new_string(status));
			json_object_object_add(o, "version", json_object_new_int64(version));
			js = json_object_to_json_string_length(o,
			    JSON_C_TO_STRING_PLAIN |
			    JSON_C_TO_STRING_NOSLASHESCAPE, &jlen);
			/* libfcgi's own printf knows no %zu. */
			hlen = snprintf(head, sizeof(head), "Content-Type: "
			    "application/json\r\nContent-Length: %zu\r\n\r\n",
			    jlen);
			FCGX_PutStr(head, hlen, req.out);
			FCGX_PutStr(js, (int)jlen, req.out);
			json_object_put(o);
		} else {
			FCGX_FPrintF(req.out, "Status: 404\r\nContent-Type: "
			    "text/plain\r\n\r\nnot found\n");
		}
		mysql_stmt_free_result(st);
		FCGX_Finish_r(&req);
	}
	return NULL;
}

int
main(int argc, char *argv[])
{
	pthread_t	*t;
	FILE		*f;
	int		 n, i;

	if (argc != 7 || (n = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: yardstick SOCKET THREADS DB_SOCKET "
		    "DB_USER DB_PASSWORD_FILE DB_NAME\n");
		return 2;
	}
	db_sock = argv[3];
	db_user = argv[4];
	db_name = argv[6];
	if ((f = fopen(argv[5], "r")) == NULL ||
	    fgets(db_pw, sizeof(db_pw), f) == NULL)
		return perror(argv[5]), 1;
	fclose(f);
	db_pw[strcspn(db_pw, "\r\n")] = '\0';
	if (mysql_library_init(0, NULL, NULL) != 0 || FCGX_Init() != 0 ||
	    (listen_fd = FCGX_OpenSocket(argv[1], 128)) < 0)
		return fprintf(stderr, "yardstick: cannot listen on %s\n",
		    argv[1]), 1;
	/* libfcgi's SIGTERM handler only sets a flag; a benchmark may die. */
	signal(SIGTERM, SIG_DFL);
	if ((t = calloc((size_t)n, sizeof(*t))) == NULL)
		return 1;
	for (i = 0; i < n; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}
