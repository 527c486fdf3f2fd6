/*
 * fuzz_query: the URL and header side of a request, end to end through
 * vr_http_handle() (content negotiation, the route table, identity,
 * roles, the handlers, problem documents), plus vr_query_get(),
 * vr_format_of_accept() and vr_format_of_content_type() called directly.
 *
 * Input: fields separated by '\n'; the last field takes the rest of the
 * input (newlines and NULs included) and is the body:
 *
 *   METHOD \n URI \n QUERY_STRING \n HTTP_ACCEPT \n CONTENT_TYPE \n
 *   VR_USER \n VR_GROUPS \n FLAGS \n BODY
 *
 * URI is DOCUMENT_URI: when it starts with the base path
 * (/vendor-review/api) the rest is the route path, as vr_server.c does;
 * otherwise the field is taken as the route path itself.  An empty
 * ACCEPT, CONTENT_TYPE, VR_USER or VR_GROUPS field means the param is
 * absent; an empty METHOD is GET.  FLAGS containing 'L' sets
 * body_too_large (the server saw more than max_body bytes).
 *
 * METHOD is taken as given (nginx would refuse bytes other than A-Z,
 * '_' and '-', but the plain-CGI path has no such front server).
 * CONTENT_TYPE gets an allocation of its exact size so that an over-read
 * of it is seen.  fuzz/crashes/query-* are inputs that once failed
 * (fixed in 12f4c01); they must pass.
 *
 * The database is a vr_db_t whose db_socket does not exist, so every
 * handler that touches it gets VR_E_UNAVAILABLE at once (the connect
 * attempt fails with ENOENT; LLVMFuzzerInitialize checks it is fast).
 *
 * Invariants (abort() when broken): the status is one the API documents
 * (200 201 400 401 403 404 405 406 409 413 415 422 503; 500 is a bug);
 * the body is not empty and is UTF-8; content_type is set and is JSON
 * or XML as the Accept header chose (406 answers in JSON, once a route
 * matched; routes answering files take any Accept); 405 carries
 * Allow; a route that needs a role is never answered 2xx without a
 * valid user; vr_format_of_* answer -1, JSON or XML; vr_query_get()
 * returns NULL or a string no longer than the query.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "codec/vr_codec.h"
#include "db/vr_audit.h"
#include "db/vr_db.h"
#include "http/vr_http.h"
#include "model/vr_model.h"
#include "resources/vr_resources.h"
#include "fuzz_common.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

enum { Q_METHOD, Q_URI, Q_QUERY, Q_ACCEPT, Q_CTYPE, Q_USER, Q_GROUPS,
    Q_FLAGS, Q_BODY, Q__MAX };

#define BASE_PATH	"/vendor-review/api"

static char		 pwpath[64];
static char		 db_socket[] = "/nonexistent/vendor-review-fuzz.sock";
static vr_group_role_t	 group_roles[] = {
	{ "staff", VR_ROLE_REQUESTER },
	{ "procurement", VR_ROLE_REQUESTER | VR_ROLE_REVIEWER },
	{ "security", VR_ROLE_REVIEWER | VR_ROLE_AUDITOR },
	{ "ciso", VR_ROLE_APPROVER },
	{ "internal-audit", VR_ROLE_AUDITOR },
	{ "vr-admins", VR_ROLE_ADMIN },
};
static vr_config_t	 cfg = {
	.path = "fuzz",
	.db_socket = db_socket,
	.db_host = "127.0.0.1",
	.db_port = 3306,
	.db_user = "vendor_review",
	.db_password_file = pwpath,
	.db_name = "intranet",
	.db_connect_timeout = 1,
	.listen = "unix:/nonexistent/vr.sock",
	.threads = 1,
	.max_body = 1024 * 1024,
	.base_path = BASE_PATH,
	.vendor_base_path = "/vendor-review/vendor",
	.migrations_dir = "/nonexistent",
	.user_param = "VR_USER",
	.groups_param = "VR_GROUPS",
	.groups_separator = ',',
	.group_roles = group_roles,
	.ngroup_roles = sizeof(group_roles) / sizeof(group_roles[0]),
};
static vr_db_t		*db;

static const char *const query_names[] = {
	"limit", "cursor", "q", "status", "tier", "sort", "after", "entity",
	"id", "", "a", NULL
};

typedef struct params {
	const char	*v[Q__MAX];
	int		 absent[Q__MAX];
} params_t;

static const char *
param(void *ctx, const char *name)
{
	static const struct { const char *name; int field; } map[] = {
		{ "REQUEST_METHOD", Q_METHOD }, { "DOCUMENT_URI", Q_URI },
		{ "QUERY_STRING", Q_QUERY }, { "HTTP_ACCEPT", Q_ACCEPT },
		{ "CONTENT_TYPE", Q_CTYPE }, { "VR_USER", Q_USER },
		{ "VR_GROUPS", Q_GROUPS },
	};
	const params_t	*p = ctx;
	size_t		 i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(name, map[i].name) == 0)
			return p->absent[map[i].field] ? NULL :
			    p->v[map[i].field];
	return NULL;
}

/*
 * The password file: a 0600 temporary file, unlinked at once and read
 * through /proc/self/fd, so nothing is left behind however we exit.
 */
static void
make_password_file(void)
{
	char	 tmpl[] = "/tmp/vr-fuzz-pw.XXXXXX";
	int	 fd;

	if ((fd = mkstemp(tmpl)) == -1 || write(fd, "fuzz\n", 5) != 5) {
		perror("fuzz_query: password file");
		exit(1);
	}
	unlink(tmpl);
	snprintf(pwpath, sizeof(pwpath), "/proc/self/fd/%d", fd);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct timespec	 t0, t1;
	vr_problem_t	 p;
	double		 secs;

	(void)argc;
	(void)argv;
	make_password_file();
	if (vr_db_library_init() == -1 || vr_audit_init() == -1 ||
	    vr_resources_init() == -1 ||
	    vr_xml_init(vr_api_resources()) == -1 ||
	    (db = vr_db_open(&cfg)) == NULL) {
		fprintf(stderr, "fuzz_query: set-up failed\n");
		exit(1);
	}
	/* Every db handler will try this: it must fail, and fail fast. */
	vr_problem_clear(&p);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (vr_db_connect(db, &p) != VR_E_UNAVAILABLE) {
		fprintf(stderr, "fuzz_query: connect to %s did not fail "
		    "with VR_E_UNAVAILABLE\n", db_socket);
		exit(1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (secs > 0.1) {
		fprintf(stderr, "fuzz_query: a failing connect took %.3f s; "
		    "every input would be that slow\n", secs);
		exit(1);
	}
	return 0;
}

static void
check_direct(const params_t *pp)
{
	const char	*q = pp->v[Q_QUERY];
	char		*v;
	size_t		 i;
	int		 f;

	for (i = 0; query_names[i] != NULL; i++) {
		if ((v = vr_query_get(q, query_names[i])) == NULL)
			continue;
		FUZZ_CHECK(strlen(v) <= strlen(q), "vr_query_get(%s) grew",
		    query_names[i]);
		free(v);
	}
	f = vr_format_of_accept(pp->absent[Q_ACCEPT] ? NULL :
	    pp->v[Q_ACCEPT]);
	FUZZ_CHECK(f == -1 || f == VR_FMT_JSON || f == VR_FMT_XML,
	    "vr_format_of_accept returned %d", f);
	f = vr_format_of_content_type(pp->v[Q_CTYPE]);
	FUZZ_CHECK(f == -1 || f == VR_FMT_JSON || f == VR_FMT_XML,
	    "vr_format_of_content_type returned %d", f);
}

static int
status_documented(int s)
{
	static const int	 ok[] = { 200, 201, 400, 401, 403, 404, 405,
	    406, 409, 413, 415, 422, 503 };
	size_t			 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (ok[i] == s)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	params_t	 pp;
	vr_request_t	 req;
	vr_response_t	 resp;
	char		*fields[Q__MAX], *store, *ctype;
	const char	*uri, *ct;
	size_t		 body_len, n, i;
	int		 fmt, json;

	body_len = fuzz_split(data, size, '\n', fields, Q__MAX, &store);
	/* Its own allocation, so an over-read of it is seen. */
	if ((ctype = strdup(fields[Q_CTYPE])) == NULL)
		abort();
	fields[Q_CTYPE] = ctype;
	n = strlen(BASE_PATH);
	memset(&pp, 0, sizeof(pp));
	for (i = 0; i < Q__MAX; i++) {
		pp.v[i] = fields[i];
		pp.absent[i] = fields[i][0] == '\0' && (i == Q_ACCEPT ||
		    i == Q_CTYPE || i == Q_USER || i == Q_GROUPS);
	}
	check_direct(&pp);

	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req.cfg = &cfg;
	req.db = db;
	req.param = param;
	req.param_ctx = &pp;
	memcpy(req.request_id, "0123456789abcdef0123456789abcdef", 33);
	req.method = fields[Q_METHOD][0] != '\0' ? fields[Q_METHOD] : "GET";
	req.query = fields[Q_QUERY];
	req.content_type = pp.absent[Q_CTYPE] ? NULL : fields[Q_CTYPE];
	req.body = fields[Q_BODY];
	req.body_len = body_len;
	uri = fields[Q_URI];
	if (strncmp(uri, BASE_PATH, n) == 0 &&
	    (uri[n] == '\0' || uri[n] == '/'))
		uri += n;
	req.path = uri;

	vr_http_handle(&req, &resp, strchr(fields[Q_FLAGS], 'L') != NULL);
	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "%s %s -> %d %s %s\n", req.method, req.path,
		    resp.status, req.problem.code ? req.problem.code : "-",
		    req.problem.detail);

	FUZZ_CHECK(status_documented(resp.status), "status %d (%s: %s)",
	    resp.status, req.problem.code ? req.problem.code : "-",
	    req.problem.detail);
	FUZZ_CHECK(resp.body.len > 0 && resp.body.data != NULL,
	    "empty body with status %d", resp.status);
	FUZZ_CHECK(strlen(resp.body.data) == resp.body.len,
	    "body holds a NUL (status %d)", resp.status);
	FUZZ_CHECK(vr_utf8_valid(resp.body.data, resp.body.len),
	    "body is not UTF-8 (status %d)", resp.status);
	FUZZ_CHECK((ct = resp.content_type) != NULL, "no content type, "
	    "status %d", resp.status);
	json = strstr(ct, "json") != NULL;
	fmt = vr_format_of_accept(pp.absent[Q_ACCEPT] ? NULL :
	    fields[Q_ACCEPT]);
	/* Routing comes first: an unknown path is 404 whatever it accepts;
	 * a route answering files takes any Accept. */
	if (fmt < 0)
		FUZZ_CHECK(json && (resp.status == 406 || resp.status == 404 ||
		    resp.status == 405 || (req.route != NULL &&
		    req.route->raw)),
		    "Accept refused but status %d, %s", resp.status, ct);
	else
		FUZZ_CHECK(json == (fmt == VR_FMT_JSON) &&
		    resp.body.data[0] == (json ? '{' : '<'),
		    "Accept chose %s but the answer is %s",
		    fmt == VR_FMT_JSON ? "JSON" : "XML", ct);
	if (resp.status == 405)
		FUZZ_CHECK(resp.headers.data != NULL &&
		    strncmp(resp.headers.data, "Allow: ", 7) == 0,
		    "405 without Allow");
	if (resp.status < 300 && strcmp(req.path, "/health") != 0)
		FUZZ_CHECK(req.user != NULL && req.roles != 0,
		    "%d for %s without an identity", resp.status, req.path);

	vr_response_free(&resp);
	free(ctype);
	free(store);
	return 0;
}
