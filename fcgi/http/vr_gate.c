/*
 * vr_gate: accept, vet, queue (see vr_gate.h).  One mutex guards the
 * connection table, the queue and the counters; the gate thread holds it
 * while it handles a batch of epoll events (every call under it is
 * non-blocking).  A connection is in exactly one state: waiting in epoll
 * (new or kept), partial (some of its header is there: peeked again each
 * tick, since a peek leaves the bytes readable and epoll would wake at
 * once), queued, or busy in a worker.
 */
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/vr_clock.h"
#include "../core/vr_log.h"
#include "vr_fcgi_check.h"
#include "vr_gate.h"

#define MAX_EVENTS		64
#define TICK_MS			200
#define PARTIAL_TICK_MS		10
/* slowcgi's habit: out of descriptors, stop accepting for a moment. */
#define ACCEPT_PAUSE_MS		100
#define MAX_PEERS		32
#define MAX_FDS			65536
/* How long an accepted connection may still idle once the gate stops. */
#define STOP_LINGER_MS		1000

typedef enum conn_state {
	CONN_FREE,
	CONN_WAITING,		/* in epoll, nothing of a header yet */
	CONN_PARTIAL,		/* part of a header has arrived */
	CONN_QUEUED,
	CONN_BUSY
} conn_state_e;

typedef struct conn {
	conn_state_e	 state;
	int		 kept;		/* back from a worker: idle, not new */
	size_t		 pos;		/* index in tracked[] while tracked */
	int64_t		 deadline;	/* ms, CLOCK_MONOTONIC */
} conn_t;

struct vr_gate {
	vr_gate_limits_t lim;
	int		 listen_fd;
	int		 ep;
	int		 accepting;
	int64_t		 resume_at;	/* ms; accepting again after EMFILE */
	int		 stopping;
	int		 done;		/* the gate thread has returned */
	pthread_mutex_t	 lock;
	pthread_cond_t	 ready;
	conn_t		*conns;		/* by fd */
	size_t		 nfds;
	int		*tracked;	/* waiting and partial fds */
	size_t		 ntracked;
	size_t		 npartial;
	int		*queue;		/* ring of queued fds */
	size_t		 qhead, qlen;
	unsigned char	*peek, *scratch;
	size_t		 peek_len;
	struct in6_addr	 peers[MAX_PEERS];
	size_t		 npeers;
	int		 peers_set;
	int64_t		 logged_at;	/* the last refusal logged, ms */
	unsigned	 unlogged;	/* refusals since, not logged */
};

/* IPv4 as v4-mapped IPv6, so one comparison serves both. */
static int
parse_peers(vr_gate_t *g, const char *list)
{
	char		 buf[256], *tok, *save = NULL;
	struct in_addr	 a4;

	if (list == NULL)
		return 0;
	g->peers_set = 1;
	if (strlen(list) >= sizeof(buf))
		return -1;
	strcpy(buf, list);
	for (tok = strtok_r(buf, ", \t", &save); tok != NULL;
	    tok = strtok_r(NULL, ", \t", &save)) {
		if (g->npeers == MAX_PEERS)
			return -1;
		if (inet_pton(AF_INET, tok, &a4) == 1) {
			memset(&g->peers[g->npeers], 0, sizeof(struct in6_addr));
			g->peers[g->npeers].s6_addr[10] = 0xff;
			g->peers[g->npeers].s6_addr[11] = 0xff;
			memcpy(&g->peers[g->npeers].s6_addr[12], &a4, 4);
		} else if (inet_pton(AF_INET6, tok, &g->peers[g->npeers]) != 1)
			return -1;
		g->npeers++;
	}
	return 0;
}

static int
peer_allowed(const vr_gate_t *g, const struct sockaddr_storage *ss)
{
	struct in6_addr	 a;
	size_t		 i;

	if (ss->ss_family == AF_UNIX || !g->peers_set)
		return 1;
	if (ss->ss_family == AF_INET) {
		memset(&a, 0, sizeof(a));
		a.s6_addr[10] = a.s6_addr[11] = 0xff;
		memcpy(&a.s6_addr[12],
		    &((const struct sockaddr_in *)(const void *)ss)->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6)
		a = ((const struct sockaddr_in6 *)(const void *)ss)->sin6_addr;
	else
		return 0;
	for (i = 0; i < g->npeers; i++)
		if (memcmp(&a, &g->peers[i], sizeof(a)) == 0)
			return 1;
	return 0;
}

vr_gate_t *
vr_gate_new(int listen_fd, const vr_gate_limits_t *lim)
{
	vr_gate_t		*g;
	struct rlimit		 rl;
	struct epoll_event	 ev;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	g->lim = *lim;
	g->listen_fd = listen_fd;
	g->ep = -1;
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->ready, NULL);
	g->nfds = getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < MAX_FDS ?
	    (size_t)rl.rlim_cur : MAX_FDS;
	g->peek_len = vr_fcgi_peek_limit(lim->max_params);
	if (parse_peers(g, lim->web_server_addrs) == -1 ||
	    (g->conns = calloc(g->nfds, sizeof(*g->conns))) == NULL ||
	    (g->tracked = calloc(g->nfds, sizeof(int))) == NULL ||
	    (g->queue = calloc(g->nfds, sizeof(int))) == NULL ||
	    (g->peek = malloc(g->peek_len)) == NULL ||
	    (g->scratch = malloc(lim->max_params)) == NULL ||
	    (g->ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		goto fail;
	memset(&ev, 0, sizeof(ev));
	/* Several worker processes share the socket: wake one of them. */
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	ev.data.fd = listen_fd;
	if (epoll_ctl(g->ep, EPOLL_CTL_ADD, listen_fd, &ev) == -1)
		goto fail;
	g->accepting = 1;
	return g;
fail:
	vr_gate_free(g);
	return NULL;
}

void
vr_gate_free(vr_gate_t *g)
{
	size_t	 i;

	if (g == NULL)
		return;
	for (i = 0; g->conns != NULL && i < g->nfds; i++)
		if (g->conns[i].state != CONN_FREE)
			close((int)i);
	if (g->ep >= 0)
		close(g->ep);
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->ready);
	free(g->conns);
	free(g->tracked);
	free(g->queue);
	free(g->peek);
	free(g->scratch);
	free(g);
}

static void
track(vr_gate_t *g, int fd, conn_state_e state, int64_t deadline)
{
	conn_t	*c = &g->conns[fd];

	c->state = state;
	c->deadline = deadline;
	c->pos = g->ntracked;
	g->tracked[g->ntracked++] = fd;
	if (state == CONN_PARTIAL)
		g->npartial++;
}

static void
untrack(vr_gate_t *g, int fd)
{
	conn_t	*c = &g->conns[fd];
	int	 last = g->tracked[--g->ntracked];

	g->tracked[c->pos] = last;
	g->conns[last].pos = c->pos;
	if (c->state == CONN_PARTIAL)
		g->npartial--;
}

static void
drop(vr_gate_t *g, int fd)
{
	untrack(g, fd);
	epoll_ctl(g->ep, EPOLL_CTL_DEL, fd, NULL);
	close(fd);
	g->conns[fd].state = CONN_FREE;
}

/* At most one line a second, however many peers misbehave. */
static void
refuse(vr_gate_t *g, int fd, const char *why, int64_t now)
{
	drop(g, fd);
	if (now - g->logged_at < 1000) {
		g->unlogged++;
		return;
	}
	if (g->unlogged > 0)
		vr_log_info("closed a FastCGI connection: %s (and %u more "
		    "since the last such line)", why, g->unlogged);
	else
		vr_log_info("closed a FastCGI connection: %s", why);
	g->logged_at = now;
	g->unlogged = 0;
}

static void
enqueue(vr_gate_t *g, int fd)
{
	untrack(g, fd);
	epoll_ctl(g->ep, EPOLL_CTL_DEL, fd, NULL);
	g->conns[fd].state = CONN_QUEUED;
	g->queue[(g->qhead + g->qlen++) % g->nfds] = fd;
	pthread_cond_signal(&g->ready);
}

static void
arm(vr_gate_t *g, int fd, int op)
{
	struct epoll_event	 ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
	ev.data.fd = fd;
	if (epoll_ctl(g->ep, op, fd, &ev) == -1)
		drop(g, fd);
}

/* Looks at what fd has sent so far and moves it on. */
static void
inspect(vr_gate_t *g, int fd, int64_t now)
{
	conn_t		*c = &g->conns[fd];
	const char	*why;
	ssize_t		 n;

	n = recv(fd, g->peek, g->peek_len, MSG_PEEK | MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != EINTR)) {
		drop(g, fd);		/* the peer went away: nothing to say */
		return;
	}
	if (n < 0) {
		if (c->state == CONN_WAITING)
			arm(g, fd, EPOLL_CTL_MOD);
		return;
	}
	switch (vr_fcgi_check(g->peek, (size_t)n, g->lim.max_params,
	    g->scratch, &why)) {
	case VR_FCGI_COMPLETE:
		enqueue(g, fd);
		break;
	case VR_FCGI_NEED_MORE:
		if (c->state == CONN_WAITING) {
			/* A kept connection's header clock starts now. */
			if (c->kept || c->deadline > now +
			    (int64_t)g->lim.header_timeout * 1000)
				c->deadline = now +
				    (int64_t)g->lim.header_timeout * 1000;
			c->state = CONN_PARTIAL;
			g->npartial++;
		}
		break;
	case VR_FCGI_BAD:
		refuse(g, fd, why, now);
		break;
	}
}

static void
set_io_timeouts(const vr_gate_t *g, int fd, int family)
{
	struct timeval	 tv = { .tv_sec = g->lim.io_timeout };
	int		 one = 1;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	/* No replies to wait for: every write should go out at once. */
	if (family == AF_INET || family == AF_INET6)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static void
accept_all(vr_gate_t *g, int64_t now)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	int			 fd;

	while (g->accepting) {
		len = sizeof(ss);
		fd = accept4(g->listen_fd, (struct sockaddr *)&ss, &len,
		    SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				vr_log_error("accept: %s; pausing %d ms",
				    strerror(errno), ACCEPT_PAUSE_MS);
				epoll_ctl(g->ep, EPOLL_CTL_DEL, g->listen_fd,
				    NULL);
				g->accepting = 0;
				g->resume_at = now + ACCEPT_PAUSE_MS;
			}
			return;		/* EAGAIN: another process took it */
		}
		if ((size_t)fd >= g->nfds) {
			close(fd);
			continue;
		}
		if (!peer_allowed(g, &ss)) {
			track(g, fd, CONN_WAITING, now);
			refuse(g, fd, "the peer is not in web_server_addrs",
			    now);
			continue;
		}
		set_io_timeouts(g, fd, ss.ss_family);
		g->conns[fd].kept = 0;
		track(g, fd, CONN_WAITING, now +
		    (int64_t)g->lim.header_timeout * 1000);
		arm(g, fd, EPOLL_CTL_ADD);
	}
}

static void
resume_accepting(vr_gate_t *g, int64_t now)
{
	struct epoll_event	 ev;

	if (g->accepting || g->stopping || now < g->resume_at)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	ev.data.fd = g->listen_fd;
	if (epoll_ctl(g->ep, EPOLL_CTL_ADD, g->listen_fd, &ev) == 0)
		g->accepting = 1;
}

/* Partial headers are peeked again; connections past their time closed. */
static void
tick(vr_gate_t *g, int64_t now)
{
	size_t	 i;
	int	 fd;

	/* Backwards: inspect() and drop() move the last entry into i. */
	for (i = g->ntracked; i-- > 0; ) {
		if (i >= g->ntracked)
			continue;
		fd = g->tracked[i];
		if (g->conns[fd].state == CONN_PARTIAL)
			inspect(g, fd, now);
		if (i >= g->ntracked || g->tracked[i] != fd ||
		    g->conns[fd].deadline > now)
			continue;
		if (g->conns[fd].state == CONN_PARTIAL || !g->conns[fd].kept)
			refuse(g, fd, "no whole request header in time", now);
		else
			drop(g, fd);	/* idle past idle_timeout */
	}
}

void *
vr_gate_run(void *arg)
{
	vr_gate_t		*g = arg;
	struct epoll_event	 ev[MAX_EVENTS];
	int			 i, n, timeout;
	int64_t			 now;

	for (;;) {
		pthread_mutex_lock(&g->lock);
		if (g->stopping) {
			pthread_cond_broadcast(&g->ready);
			if (g->ntracked == 0) {
				g->done = 1;
				pthread_mutex_unlock(&g->lock);
				break;
			}
		}
		timeout = g->npartial > 0 ? PARTIAL_TICK_MS : TICK_MS;
		pthread_mutex_unlock(&g->lock);
		n = epoll_wait(g->ep, ev, MAX_EVENTS, timeout);
		pthread_mutex_lock(&g->lock);
		now = vr_clock_ms();
		for (i = 0; i < n; i++) {
			if (ev[i].data.fd == g->listen_fd)
				accept_all(g, now);
			else if (g->conns[ev[i].data.fd].state == CONN_WAITING)
				inspect(g, ev[i].data.fd, now);
		}
		tick(g, now);
		resume_accepting(g, now);
		pthread_mutex_unlock(&g->lock);
	}
	return NULL;
}

int
vr_gate_take(vr_gate_t *g)
{
	int	 fd = -1;

	pthread_mutex_lock(&g->lock);
	while (g->qlen == 0 && !g->done)
		pthread_cond_wait(&g->ready, &g->lock);
	if (g->qlen > 0) {
		fd = g->queue[g->qhead];
		g->qhead = (g->qhead + 1) % g->nfds;
		g->qlen--;
		g->conns[fd].state = CONN_BUSY;
	}
	pthread_mutex_unlock(&g->lock);
	return fd;
}

void
vr_gate_give_back(vr_gate_t *g, int fd)
{
	pthread_mutex_lock(&g->lock);
	if (g->stopping) {
		close(fd);
		g->conns[fd].state = CONN_FREE;
	} else {
		g->conns[fd].kept = 1;
		track(g, fd, CONN_WAITING, vr_clock_ms() +
		    (int64_t)g->lim.idle_timeout * 1000);
		arm(g, fd, EPOLL_CTL_ADD);
	}
	pthread_mutex_unlock(&g->lock);
}

void
vr_gate_stop(vr_gate_t *g)
{
	size_t	 i;
	int	 fd;
	int64_t	 now = vr_clock_ms();

	pthread_mutex_lock(&g->lock);
	g->stopping = 1;
	if (g->accepting)
		epoll_ctl(g->ep, EPOLL_CTL_DEL, g->listen_fd, NULL);
	g->accepting = 0;
	/*
	 * Connections already accepted keep a moment (STOP_LINGER_MS) for
	 * their request: a new one nginx has connected is about to be
	 * written to, a kept one may be (it is otherwise closed after its
	 * next answer, by vr_gate_give_back).  Closing either at once
	 * races a request nginx is writing, which it answers with a 502
	 * ("writev() failed (32: Broken pipe)") rather than send again.
	 */
	for (i = 0; i < g->ntracked; i++) {
		fd = g->tracked[i];
		if (g->conns[fd].state == CONN_WAITING &&
		    g->conns[fd].deadline > now + STOP_LINGER_MS)
			g->conns[fd].deadline = now + STOP_LINGER_MS;
	}
	pthread_cond_broadcast(&g->ready);
	pthread_mutex_unlock(&g->lock);
}
