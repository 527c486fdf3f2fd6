/*
 * vr_server: the accept loop.  Start-up order: listening socket (ours,
 * or inherited), libfcgi initialised, signals blocked so only the main
 * thread takes them, workers started (each with its own database
 * connection).  FCGX_Accept_r is called without a mutex: Linux accept()
 * is thread-safe, and a mutex stalls kept-alive connections
 * (dependencies.md).  On SIGTERM the main thread shuts the listening
 * socket, waits for requests in flight, wakes workers idle on kept
 * connections and joins them.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "../core/vr_log.h"
#include "../db/vr_db.h"
#include "vr_cache.h"
#include "vr_http.h"
#include "vr_server.h"

#define LISTEN_BACKLOG		128
#define DRAIN_SECONDS		30

/* What one request needs from its transport. */
typedef struct transport {
	vr_param_fn	 param;
	void		*ctx;
	/* Reads up to n bytes; returns bytes read, 0 at end. */
	size_t		(*read)(void *io, char *buf, size_t n);
	void		(*write)(void *io, const char *buf, size_t n);
	void		*in;
	void		*out;
} transport_t;

typedef struct worker {
	pthread_t	 thread;
	int		 conn_fd;	/* kept-alive connection while idle, or -1 */
	int		 busy;
	int		 started;
} worker_t;

static const vr_config_t *server_cfg;
static int		 listen_fd = -1;
static volatile int	 stopping;
static pthread_mutex_t	 state_lock = PTHREAD_MUTEX_INITIALIZER;
static worker_t		*workers;

void
vr_request_id(const char *from_nginx, char out[33])
{
	unsigned char	 r[16];
	size_t		 i;

	if (from_nginx != NULL && strlen(from_nginx) == 32 &&
	    strspn(from_nginx, "0123456789abcdef") == 32) {
		memcpy(out, from_nginx, 33);
		return;
	}
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		memset(r, 0, sizeof(r));
	for (i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", r[i]);
}

/* The request path below the base path; NULL when outside it. */
static const char *
local_path(const char *base, const char *uri)
{
	size_t	 n;

	if (uri == NULL || base == NULL || strncmp(uri, base,
	    n = strlen(base)) != 0)
		return NULL;
	if (uri[n] != '\0' && uri[n] != '/')
		return NULL;
	return uri + n;
}

/*
 * Buffers a worker keeps from one request to the next, so that a request
 * allocates less; the ones that grew past SCRATCH_KEEP are freed instead.
 */
typedef struct scratch {
	vr_buf_t	 body;		/* the request body */
	vr_buf_t	 head;		/* the response's header block */
	vr_response_t	 resp;
} scratch_t;

#define SCRATCH_KEEP	(256 * 1024)

static void
scratch_recycle(scratch_t *s, int keep)
{
	vr_buf_t	*bufs[] = { &s->body, &s->head, &s->resp.headers,
			    &s->resp.body };
	size_t		 i;

	for (i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++) {
		if (keep && bufs[i]->cap <= SCRATCH_KEEP)
			vr_buf_reset(bufs[i]);
		else
			vr_buf_free(bufs[i]);
	}
	s->resp.status = 0;
	s->resp.content_type = NULL;
}

static void
write_response(const transport_t *t, const vr_request_t *req,
    vr_response_t *resp, vr_buf_t *head)
{
	/* Piece by piece rather than printf: this runs for every answer. */
	if (vr_buf_puts(head, "Status: ") == -1 ||
	    vr_buf_put_int(head, resp->status) == -1 ||
	    vr_buf_puts(head, "\r\nContent-Type: ") == -1 ||
	    vr_buf_puts(head, resp->content_type ? resp->content_type :
	    "text/plain") == -1 ||
	    vr_buf_puts(head, "\r\nContent-Length: ") == -1 ||
	    vr_buf_put_int(head, (int64_t)resp->body.len) == -1 ||
	    vr_buf_puts(head, "\r\nX-Request-Id: ") == -1 ||
	    vr_buf_puts(head, req->request_id) == -1 ||
	    vr_buf_puts(head, "\r\nCache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n") == -1 ||
	    vr_buf_append(head, resp->headers.data, resp->headers.len) == -1 ||
	    vr_buf_puts(head, "\r\n") == -1)
		return;
	t->write(t->out, head->data, head->len);
	if (resp->body.len > 0 && strcmp(req->method, "HEAD") != 0)
		t->write(t->out, resp->body.data, resp->body.len);
}

/* Reads the whole body, as CONTENT_LENGTH says, when within the limit. */
static int
read_body(const transport_t *t, const vr_config_t *cfg, vr_buf_t *body,
    int *too_large)
{
	const char	*cl = t->param(t->ctx, "CONTENT_LENGTH");
	char		 chunk[8192], *end;
	unsigned long long n = 0;
	size_t		 got;

	*too_large = 0;
	if (vr_buf_append(body, "", 0) == -1)
		return -1;
	if (cl == NULL || cl[0] == '\0')
		return 0;
	errno = 0;
	n = strtoull(cl, &end, 10);
	if (errno != 0 || *end != '\0' || cl[0] == '-') {
		*too_large = 1;
		return 0;
	}
	if (n > cfg->max_body) {
		*too_large = 1;
		return 0;
	}
	while (body->len < n) {
		got = t->read(t->in, chunk, n - body->len < sizeof(chunk) ?
		    (size_t)(n - body->len) : sizeof(chunk));
		if (got == 0)
			break;
		if (vr_buf_append(body, chunk, got) == -1)
			return -1;
	}
	return 0;
}

static void
handle(const vr_config_t *cfg, vr_db_t *db, const transport_t *t,
    scratch_t *s)
{
	vr_request_t	 req;
	vr_response_t	*resp = &s->resp;
	vr_buf_t	*body = &s->body;
	const char	*uri, *path;
	char		*uri_copy = NULL;
	int		 too_large = 0;

	memset(&req, 0, sizeof(req));
	req.cfg = cfg;
	req.db = db;
	req.param = t->param;
	req.param_ctx = t->ctx;
	vr_request_id(t->param(t->ctx, "VR_REQUEST_ID"), req.request_id);
	req.method = t->param(t->ctx, "REQUEST_METHOD");
	if (req.method == NULL)
		req.method = "GET";
	req.query = t->param(t->ctx, "QUERY_STRING");
	if (req.query == NULL)
		req.query = "";
	req.content_type = t->param(t->ctx, "CONTENT_TYPE");
	if (req.content_type != NULL && req.content_type[0] == '\0')
		req.content_type = NULL;
	/* nginx's normalised path; CGI hosts may give only REQUEST_URI. */
	if ((uri = t->param(t->ctx, "DOCUMENT_URI")) == NULL &&
	    (uri = t->param(t->ctx, "REQUEST_URI")) != NULL &&
	    (uri_copy = strndup(uri, strcspn(uri, "?"))) != NULL)
		uri = uri_copy;
	if (read_body(t, cfg, body, &too_large) == -1) {
		vr_log_error("request %s: out of memory reading the body",
		    req.request_id);
		goto out;
	}
	req.body = body->data;
	req.body_len = body->len;
	/* The vendor's links live under their own base, apart from the API. */
	if ((path = local_path(cfg->base_path, uri)) == NULL &&
	    (path = local_path(cfg->vendor_base_path, uri)) != NULL)
		req.vendor_area = true;
	if (path == NULL)
		path = "\x01";	/* matches no route: 404 */
	req.path = path;
	vr_http_handle(&req, resp, too_large);
	write_response(t, &req, resp, &s->head);
out:
	scratch_recycle(s, 1);
	free(uri_copy);
}

/* --- plain CGI --- */

static const char *
env_param(void *ctx, const char *name)
{
	(void)ctx;
	return getenv(name);
}

static size_t
stdio_read(void *io, char *buf, size_t n)
{
	return fread(buf, 1, n, io);
}

static void
stdio_write(void *io, const char *buf, size_t n)
{
	fwrite(buf, 1, n, io);
}

static int
fd0_listening(void)
{
	int		 v = 0;
	socklen_t	 len = sizeof(v);

	return getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == 0 && v;
}

int
vr_server_is_cgi(void)
{
	struct stat	 st;

	return getenv("GATEWAY_INTERFACE") != NULL &&
	    !(fstat(0, &st) == 0 && S_ISSOCK(st.st_mode));
}

int
vr_server_cgi(const vr_config_t *cfg)
{
	transport_t	 t = { env_param, NULL, stdio_read, stdio_write, NULL,
	    NULL };
	scratch_t	 s = { 0 };
	vr_db_t		*db;

	if (vr_db_library_init() == -1 || (db = vr_db_open(cfg)) == NULL) {
		fputs("Status: 500\r\nContent-Type: text/plain\r\n\r\n"
		    "cannot initialise the database client\n", stdout);
		return 1;
	}
	vr_db_require_schema(db, VR_SCHEMA_VERSION);
	t.in = stdin;
	t.out = stdout;
	handle(cfg, db, &t, &s);
	scratch_recycle(&s, 0);
	fflush(stdout);
	vr_db_close(db);
	vr_db_library_end();
	return 0;
}

/* --- FastCGI --- */

/*
 * FCGX_GetParam(), but the first byte is compared before strncmp: a
 * request asks for about ten params among thirty, and strncmp over all
 * of them was 4% of a GET's instructions.
 */
static const char *
fcgi_param(void *ctx, const char *name)
{
	char	**e = ((FCGX_Request *)ctx)->envp;
	size_t	  n = strlen(name);

	for (; e != NULL && *e != NULL; e++)
		if ((*e)[0] == name[0] && strncmp(*e, name, n) == 0 &&
		    (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static size_t
fcgi_read(void *io, char *buf, size_t n)
{
	int	 r = FCGX_GetStr(buf, n > 65536 ? 65536 : (int)n,
		    ((FCGX_Request *)io)->in);

	return r > 0 ? (size_t)r : 0;
}

static void
fcgi_write(void *io, const char *buf, size_t n)
{
	FCGX_PutStr(buf, (int)n, ((FCGX_Request *)io)->out);
}

static void
set_state(worker_t *w, int busy, int conn_fd)
{
	pthread_mutex_lock(&state_lock);
	w->busy = busy;
	w->conn_fd = conn_fd;
	pthread_mutex_unlock(&state_lock);
}

static void *
worker_main(void *arg)
{
	worker_t	*w = arg;
	FCGX_Request	 req;
	transport_t	 t = { fcgi_param, NULL, fcgi_read, fcgi_write, NULL,
	    NULL };
	scratch_t	 s = { 0 };
	vr_db_t		*db;

	if ((db = vr_db_open(server_cfg)) == NULL) {
		vr_log_error("worker: out of memory");
		return NULL;
	}
	vr_db_require_schema(db, VR_SCHEMA_VERSION);
	FCGX_InitRequest(&req, listen_fd, 0);
	t.ctx = t.in = t.out = &req;
	while (!stopping) {
		if (FCGX_Accept_r(&req) < 0)
			break;
		set_state(w, 1, -1);
		handle(server_cfg, db, &t, &s);
		FCGX_Finish_r(&req);
		set_state(w, 0, req.ipcFd);
	}
	scratch_recycle(&s, 0);
	FCGX_Free(&req, 1);
	vr_db_close(db);
	return NULL;
}

static int
listen_unix(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return -1;
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	/* A socket left by a killed instance would make bind fail. */
	unlink(path);
	/*
	 * 0660: whoever can connect can claim any identity in the params,
	 * so only our user and group (nginx's) may.
	 */
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    chmod(path, 0660) == -1 || listen(fd, LISTEN_BACKLOG) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
listen_tcp(const char *hostport)
{
	struct addrinfo	 hints, *ai = NULL;
	char		 host[256];
	const char	*colon = strrchr(hostport, ':');
	size_t		 hlen;
	int		 fd = -1, one = 1;

	if (colon == NULL || (hlen = (size_t)(colon - hostport)) >= sizeof(host))
		return -1;
	memcpy(host, hostport, hlen);
	host[hlen] = '\0';
	if (hlen > 2 && host[0] == '[' && host[hlen - 1] == ']') {
		memmove(host, host + 1, hlen - 2);
		host[hlen - 2] = '\0';
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0)
		return -1;
	if ((fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		goto out;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
	    listen(fd, LISTEN_BACKLOG) == -1) {
		close(fd);
		fd = -1;
	}
out:
	freeaddrinfo(ai);
	return fd;
}

/*
 * The inherited socket (spawn-fcgi: fd 0; systemd: fd 3), or ours; *from
 * says which, for the log.
 */
static int
open_listener(const vr_config_t *cfg, const char **from)
{
	const char	*pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");

	*from = cfg->listen;
	if (pid != NULL && fds != NULL && atol(pid) == (long)getpid() &&
	    atoi(fds) >= 1) {
		*from = "fd 3 (systemd)";
		return 3;
	}
	if (fd0_listening()) {
		*from = "fd 0 (spawn-fcgi)";
		return 0;
	}
	if (strncmp(cfg->listen, "unix:", 5) == 0)
		return listen_unix(cfg->listen + 5);
	return listen_tcp(cfg->listen);
}

/* Waits for requests in flight, then wakes idle kept-alive workers. */
static void
drain(unsigned nthreads)
{
	struct timespec	 tick = { 0, 50 * 1000 * 1000 };
	unsigned	 i, busy, waited = 0;

	for (;;) {
		pthread_mutex_lock(&state_lock);
		for (busy = 0, i = 0; i < nthreads; i++)
			busy += workers[i].busy;
		if (busy == 0 || waited >= DRAIN_SECONDS * 20)
			for (i = 0; i < nthreads; i++)
				if (workers[i].conn_fd >= 0)
					shutdown(workers[i].conn_fd, SHUT_RDWR);
		pthread_mutex_unlock(&state_lock);
		if (busy == 0 || waited >= DRAIN_SECONDS * 20)
			break;
		nanosleep(&tick, NULL);
		waited++;
	}
	if (busy > 0)
		vr_log_error("stopping with %u requests still running", busy);
}

int
vr_server_fastcgi(const vr_config_t *cfg)
{
	sigset_t	 set;
	const char	*from;
	unsigned	 i, n = cfg->threads;
	int		 sig, rc = 1, ours;

	server_cfg = cfg;
	signal(SIGPIPE, SIG_IGN);
	listen_fd = open_listener(cfg, &from);
	ours = from == cfg->listen;
	if (listen_fd == -1) {
		vr_log_error("cannot listen on %s: %s", cfg->listen,
		    strerror(errno));
		return 1;
	}
	if (FCGX_Init() != 0 || vr_db_library_init() == -1 ||
	    vr_cache_init(cfg->list_cache_size) == -1) {
		vr_log_error("cannot initialise libfcgi, the database client "
		    "or the list cache");
		goto out;
	}
	/* Workers inherit a mask without TERM/INT: only main takes them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if ((workers = calloc(n, sizeof(*workers))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		workers[i].conn_fd = -1;
		if (pthread_create(&workers[i].thread, NULL, worker_main,
		    &workers[i]) != 0) {
			vr_log_error("cannot start worker %u", i);
			break;
		}
		workers[i].started = 1;
	}
	vr_log_info("serving FastCGI on %s with %u workers", from, i);
	if (i == n) {
		sigwait(&set, &sig);
		vr_log_info("signal %d: finishing requests in flight", sig);
		rc = 0;
	}
	stopping = 1;
	FCGX_ShutdownPending();
	shutdown(listen_fd, SHUT_RDWR);
	drain(n);
	for (i = 0; i < n; i++)
		if (workers[i].started)
			pthread_join(workers[i].thread, NULL);
	free(workers);
	workers = NULL;
	vr_db_library_end();
out:
	vr_cache_cleanup();
	if (listen_fd >= 0 && ours) {
		close(listen_fd);
		if (strncmp(cfg->listen, "unix:", 5) == 0)
			unlink(cfg->listen + 5);
	}
	return rc;
}
