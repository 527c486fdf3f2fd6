/*
 * vr_server: the request pipeline (params, body, router, answer) over
 * two transports, and the threads of one FastCGI worker process.  A
 * worker process runs a gate thread (vr_gate.c: accept, vet the request
 * header, queue) and `threads` worker threads, each with its own database
 * connection, taking vetted connections from the gate.  libfcgi still
 * reads and writes every record.  The master process (vr_master.c)
 * starts, replaces and stops worker processes.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "../core/vr_clock.h"
#include "../core/vr_log.h"
#include "../db/vr_db.h"
#include "vr_cache.h"
#include "vr_gate.h"
#include "vr_http.h"
#include "vr_server.h"
#include "vr_waiters.h"

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
	vr_slot_t	*slot;		/* its request id, for the master */
} worker_t;

static const vr_config_t *server_cfg;
static vr_gate_t	*gate;
static vr_waiters_t	*waiters;
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

/* Most of an unread body discard_body() reads so the answer gets out. */
#define DISCARD_MAX	(64 * 1024 * 1024)

/*
 * Reads the whole body, as CONTENT_LENGTH says, when within the limit;
 * -2 when it stops short, or takes longer than io_timeout in all (so a
 * peer trickling a byte now and then cannot hold the thread).
 */
static int
read_body(const transport_t *t, const vr_config_t *cfg, vr_buf_t *body,
    int *too_large)
{
	const char	*cl = t->param(t->ctx, "CONTENT_LENGTH");
	char		 chunk[8192], *end;
	unsigned long long n = 0;
	size_t		 got;
	int64_t		 until = vr_clock_ms() + (int64_t)cfg->io_timeout * 1000;

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
		if (body->len < n && vr_clock_ms() > until)
			break;
	}
	/* The peer stalled past io_timeout or went away: nothing to do. */
	return body->len < n ? -2 : 0;
}

/*
 * Reads and drops what is left of the body up to its end, within
 * DISCARD_MAX bytes and io_timeout: after a body too large to take, so
 * that nginx gets the whole answer (closing with its body unread could
 * reset the connection under it) and the connection stays usable.
 */
static void
discard_body(const transport_t *t, const vr_config_t *cfg)
{
	char	 chunk[8192];
	size_t	 got, total = 0;
	int64_t	 until = vr_clock_ms() + (int64_t)cfg->io_timeout * 1000;

	while (total < DISCARD_MAX && vr_clock_ms() <= until &&
	    (got = t->read(t->in, chunk, sizeof(chunk))) > 0)
		total += got;
}

/*
 * Answers one request.  With may_wait, a long poll with nothing to answer
 * yet is not answered: 1 is returned with what it waits for, and the
 * caller parks it.  0 once answered (or dropped).
 */
static int
handle(const vr_config_t *cfg, vr_db_t *db, const transport_t *t,
    scratch_t *s, vr_slot_t *slot, bool may_wait, int64_t *wait_after,
    unsigned *wait_seconds)
{
	vr_request_t	 req;
	vr_response_t	*resp = &s->resp;
	vr_buf_t	*body = &s->body;
	const char	*uri, *path;
	char		*uri_copy = NULL;
	int		 too_large = 0;

	/* Zeroed up to its problem (16 kB), which is only cleared. */
	_Static_assert(offsetof(vr_request_t, problem) + sizeof(vr_problem_t)
	    == sizeof(vr_request_t), "the problem is vr_request_t's last member");
	memset(&req, 0, offsetof(vr_request_t, problem));
	vr_problem_clear(&req.problem);
	req.cfg = cfg;
	req.db = db;
	req.param = t->param;
	req.param_ctx = t->ctx;
	vr_request_id(t->param(t->ctx, "VR_REQUEST_ID"), req.request_id);
	if (slot != NULL)
		memcpy(slot->request_id, req.request_id, sizeof(req.request_id));
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
	switch (read_body(t, cfg, body, &too_large)) {
	case -1:
		vr_log_error("request %s: out of memory reading the body",
		    req.request_id);
		goto out;
	case -2:
		vr_log_info("request %s: the body ended after %zu of %s bytes "
		    "(the peer went away or was silent past io_timeout); "
		    "nothing done", req.request_id, body->len,
		    t->param(t->ctx, "CONTENT_LENGTH"));
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
	req.may_wait = may_wait;
	vr_http_handle(&req, resp, too_large);
	/*
	 * The body's end (FastCGI's empty STDIN record) is read before the
	 * answer: a kept connection must not start with it, and closing with
	 * it unread could reset the connection under nginx's last write.
	 */
	if (!too_large)
		discard_body(t, cfg);
	if (req.wait_seconds > 0 && resp->status == 200) {
		*wait_after = req.wait_after;
		*wait_seconds = req.wait_seconds;
	} else {
		req.wait_seconds = 0;
		write_response(t, &req, resp, &s->head);
		if (too_large)
			discard_body(t, cfg);
	}
out:
	scratch_recycle(s, 1);
	free(uri_copy);
	if (slot != NULL)
		slot->request_id[0] = '\0';
	return req.wait_seconds > 0;
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
	handle(cfg, db, &t, &s, NULL, false, NULL, NULL);
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

/*
 * libfcgi 2.4.2 accepts by itself; to hand it a connection the gate has
 * vetted, the request is given the descriptor as a kept-alive one
 * (FCGX_Accept_r reads the next request from an open ipcFd, and its
 * leading FCGX_Finish_r keeps it when keepConnection is set), and is
 * detached, so that libfcgi's close on a protocol error is a plain
 * close, not its drain of up to 2 s a peer could stretch.  The listening
 * socket it is given is -1: it can never accept on its own.
 */
static int
fcgi_accept_on(FCGX_Request *req, int fd)
{
	req->ipcFd = fd;
	req->keepConnection = 1;
	FCGX_Detach(req);
	return FCGX_Accept_r(req);
}

static FCGX_Request *
new_request(void)
{
	FCGX_Request	*req;

	if ((req = malloc(sizeof(*req))) != NULL)
		FCGX_InitRequest(req, -1, 0);
	return req;
}

/* Ends a request; a kept connection goes back to the gate. */
static void
finish(FCGX_Request *req)
{
	FCGX_Finish_r(req);
	if (req->ipcFd >= 0) {
		vr_gate_give_back(gate, req->ipcFd);
		req->ipcFd = -1;
	}
}

/* The waiter thread's buffers: there is one waiter thread. */
static scratch_t	 waiter_scratch;

/* A parked long poll, answered again on the waiter thread. */
static void
resume_parked(vr_db_t *db, void *parked)
{
	FCGX_Request	*req = parked;
	transport_t	 t = { fcgi_param, req, fcgi_read, fcgi_write, req,
	    req };

	if (db != NULL)
		handle(server_cfg, db, &t, &waiter_scratch, NULL, false, NULL,
		    NULL);
	finish(req);
	free(req);
}

static void *
worker_main(void *arg)
{
	worker_t	*w = arg;
	FCGX_Request	*req;
	transport_t	 t = { fcgi_param, NULL, fcgi_read, fcgi_write, NULL,
	    NULL };
	scratch_t	 s = { 0 };
	vr_db_t		*db;
	int64_t		 after;
	unsigned	 secs;
	int		 fd;

	if ((db = vr_db_open(server_cfg)) == NULL ||
	    (req = new_request()) == NULL) {
		vr_log_error("worker: out of memory");
		vr_db_close(db);
		return NULL;
	}
	vr_db_require_schema(db, VR_SCHEMA_VERSION);
	while ((fd = vr_gate_take(gate)) >= 0) {
		if (fcgi_accept_on(req, fd) < 0)
			continue;	/* libfcgi found it bad and closed it */
		t.ctx = t.in = t.out = req;
		if (handle(server_cfg, db, &t, &s, w->slot, true, &after,
		    &secs)) {
			/* Parked: the waiter thread owns it; a new one here. */
			FCGX_Request *next = new_request();

			if (next != NULL &&
			    vr_waiters_add(waiters, req, after, secs) == 0) {
				req = next;
				continue;
			}
			free(next);
			handle(server_cfg, db, &t, &s, w->slot, false, NULL,
			    NULL);
		}
		finish(req);
	}
	scratch_recycle(&s, 0);
	FCGX_Free(req, 1);
	free(req);
	vr_db_close(db);
	return NULL;
}

/* Joins the workers, waiting DRAIN_SECONDS at most in all. */
static unsigned
join_workers(unsigned n)
{
	struct timespec	 until;
	unsigned	 i, left = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += DRAIN_SECONDS;
	for (i = 0; i < n; i++)
		if (pthread_timedjoin_np(workers[i].thread, NULL, &until) != 0)
			left++;
	return left;
}

int
vr_server_worker(const vr_config_t *cfg, int listen_fd, vr_slot_t *slots)
{
	vr_gate_limits_t lim = {
		.max_params = cfg->max_params,
		.header_timeout = cfg->header_timeout,
		.idle_timeout = cfg->idle_timeout,
		.io_timeout = cfg->io_timeout,
		.web_server_addrs = cfg->web_server_addrs,
	};
	pthread_t	 gate_thread, waiter_thread;
	sigset_t	 set;
	unsigned	 i, n = cfg->threads, left;
	int		 sig, rc = 1, gate_started = 0, waiters_started = 0;

	server_cfg = cfg;
	if (FCGX_Init() != 0 || vr_db_library_init() == -1 ||
	    vr_cache_init(cfg->list_cache_size) == -1 ||
	    (gate = vr_gate_new(listen_fd, &lim)) == NULL ||
	    (waiters = vr_waiters_new(cfg, resume_parked)) == NULL ||
	    (workers = calloc(n, sizeof(*workers))) == NULL) {
		vr_log_error("worker: cannot initialise libfcgi, the database "
		    "client, the list cache, the gate or the long poll");
		goto out;
	}
	/* Threads inherit a mask without TERM/INT: only this one takes them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (pthread_create(&gate_thread, NULL, vr_gate_run, gate) != 0) {
		vr_log_error("worker: cannot start the gate thread");
		goto out;
	}
	gate_started = 1;
	if (pthread_create(&waiter_thread, NULL, vr_waiters_run,
	    waiters) != 0) {
		vr_log_error("worker: cannot start the long-poll thread");
		goto out;
	}
	waiters_started = 1;
	for (i = 0; i < n; i++) {
		workers[i].slot = &slots[i];
		if (pthread_create(&workers[i].thread, NULL, worker_main,
		    &workers[i]) != 0) {
			vr_log_error("worker: cannot start thread %u", i);
			break;
		}
	}
	if (i == n) {
		sigwait(&set, &sig);
		rc = 0;
	}
	vr_gate_stop(gate);
	vr_waiters_stop(waiters);
	pthread_join(waiter_thread, NULL);
	waiters_started = 0;
	pthread_join(gate_thread, NULL);
	gate_started = 0;
	n = i;
	if ((left = join_workers(n)) > 0) {
		/* Their threads still use what would be freed: just go. */
		vr_log_error("worker: stopping with %u requests still running",
		    left);
		_exit(rc);
	}
	vr_db_library_end();
out:
	if (gate_started) {
		vr_gate_stop(gate);
		pthread_join(gate_thread, NULL);
	}
	if (waiters_started) {
		vr_waiters_stop(waiters);
		pthread_join(waiter_thread, NULL);
	}
	vr_waiters_free(waiters);
	waiters = NULL;
	scratch_recycle(&waiter_scratch, 0);
	vr_gate_free(gate);
	gate = NULL;
	free(workers);
	workers = NULL;
	vr_cache_cleanup();
	return rc;
}
