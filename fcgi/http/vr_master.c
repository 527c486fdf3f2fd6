/*
 * vr_master: the master process (see vr_master.h).  Start-up order: the
 * listening socket (ours, with the owner, group and mode the
 * configuration names, or inherited), made non-blocking for the workers'
 * gates; the descriptor limit raised to what the system allows; TERM,
 * INT, HUP and CHLD blocked and taken with sigtimedwait, so no handler
 * runs; the workers forked.  The master holds no database connection and
 * reads no request.  Each worker has a page of slots shared with the
 * master, where its threads write the request id they are serving.
 */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/vr_clock.h"
#include "../core/vr_log.h"
#include "vr_master.h"
#include "vr_server.h"

/* Deep enough that a burst of connects waits for a gate, not a 502. */
#define LISTEN_BACKLOG		1024
#define MAX_PROCESSES		64
/* A worker that dies sooner than this after its start waits to return. */
#define CRASH_LOOP_MS		1000
/* Workers drain for up to 30 s (vr_server.c), a header for a few more. */
#define STOP_WAIT_MS		(45 * 1000)

typedef struct proc {
	pid_t		 pid;		/* 0: none */
	int64_t		 started;	/* ms */
	int64_t		 respawn_at;	/* ms; when pid is 0 and wanted */
	vr_slot_t	*slots;
	unsigned	 nslots;
	unsigned	 index;		/* its number, for the log */
} proc_t;

static proc_t		 current[MAX_PROCESSES];
static unsigned		 ncurrent;
/* Replaced by a reload, still finishing what they hold. */
static proc_t		 retiring[4 * MAX_PROCESSES];
static unsigned		 nretiring;
static pid_t		 master_pid;

static int
fd0_listening(void)
{
	int		 v = 0;
	socklen_t	 len = sizeof(v);

	return getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == 0 && v;
}

/*
 * The socket file gets the configured owner, group and mode (0660 by
 * default: whoever can connect can claim any identity in the params, so
 * only our user and nginx's group may).
 */
static int
listen_unix(const vr_config_t *cfg, const char *path)
{
	struct sockaddr_un	 sun;
	struct passwd		*pw;
	struct group		*gr;
	uid_t			 uid = (uid_t)-1;
	gid_t			 gid = (gid_t)-1;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return -1;
	strcpy(sun.sun_path, path);
	if (cfg->socket_owner != NULL) {
		if ((pw = getpwnam(cfg->socket_owner)) == NULL) {
			errno = ENOENT;
			return -1;
		}
		uid = pw->pw_uid;
	}
	if (cfg->socket_group != NULL) {
		if ((gr = getgrnam(cfg->socket_group)) == NULL) {
			errno = ENOENT;
			return -1;
		}
		gid = gr->gr_gid;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	/* A socket left by a killed instance would make bind fail. */
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    chmod(path, cfg->socket_mode) == -1 ||
	    ((uid != (uid_t)-1 || gid != (gid_t)-1) &&
	    chown(path, uid, gid) == -1) ||
	    listen(fd, LISTEN_BACKLOG) == -1) {
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
		return listen_unix(cfg, cfg->listen + 5);
	return listen_tcp(cfg->listen);
}

/* Says, once at start, who may connect to the socket file. */
static void
log_socket_access(const char *path)
{
	struct stat	 st;
	struct group	*gr;

	if (stat(path, &st) == -1)
		return;
	gr = getgrgid(st.st_gid);
	vr_log_info("socket %s: owner uid %u, group %s, mode %04o%s", path,
	    (unsigned)st.st_uid, gr != NULL ? gr->gr_name : "?",
	    (unsigned)(st.st_mode & 07777),
	    st.st_uid == 0 && st.st_gid == 0 && (st.st_mode & 0002) == 0 ?
	    ": only root can connect; nginx will answer 502 unless it runs "
	    "as root (set socket_group to nginx's group, e.g. www-data)" : "");
}

/* The most descriptors the system allows us, for many kept connections. */
static void
raise_fd_limit(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void
unmap_slots(proc_t *p)
{
	if (p->slots != NULL)
		munmap(p->slots, p->nslots * sizeof(vr_slot_t));
	p->slots = NULL;
}

/*
 * Forks worker p.  Returns 1 in the master, 0 in the new worker (which
 * then serves and returns from vr_master_run), -1 when it cannot fork.
 */
static int
spawn(const vr_config_t *cfg, proc_t *p)
{
	unsigned	 i;
	pid_t		 pid;

	p->nslots = cfg->threads;
	p->slots = mmap(NULL, p->nslots * sizeof(vr_slot_t),
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p->slots == MAP_FAILED) {
		p->slots = NULL;
		return -1;
	}
	memset(p->slots, 0, p->nslots * sizeof(vr_slot_t));
	if ((pid = fork()) == -1) {
		unmap_slots(p);
		return -1;
	}
	if (pid > 0) {
		p->pid = pid;
		p->started = vr_clock_ms();
		return 1;
	}
	/* The worker: it ends with the master, whatever ends that. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != master_pid)
		_exit(0);
	for (i = 0; i < ncurrent; i++)
		if (&current[i] != p)
			unmap_slots(&current[i]);
	for (i = 0; i < nretiring; i++)
		unmap_slots(&retiring[i]);
	return 0;
}

/* "…, held requests a, b" when the slots name any. */
static void
held_requests(const proc_t *p, char *buf, size_t len)
{
	size_t		 at = 0;
	unsigned	 i, n = 0;
	int		 w;

	buf[0] = '\0';
	for (i = 0; i < p->nslots; i++) {
		char	 id[33];

		memcpy(id, p->slots[i].request_id, sizeof(id));
		id[32] = '\0';
		if (id[0] == '\0')
			continue;
		w = snprintf(buf + at, len - at, "%s%s", n++ == 0 ?
		    ", holding requests " : ", ", id);
		if (w < 0 || (size_t)w >= len - at)
			break;
		at += (size_t)w;
	}
	if (n == 0)
		snprintf(buf, len, ", holding no request");
}

static void
log_end(const proc_t *p, int status, int expected)
{
	char	 held[40 * 64 + 32];

	held_requests(p, held, sizeof(held));
	if (WIFSIGNALED(status))
		vr_log_error("worker %u (pid %ld) was killed by signal %d (%s)%s",
		    p->index, (long)p->pid, WTERMSIG(status),
		    strsignal(WTERMSIG(status)), held);
	else if (!expected || WEXITSTATUS(status) != 0)
		vr_log_error("worker %u (pid %ld) exited with status %d%s",
		    p->index, (long)p->pid, WEXITSTATUS(status), held);
}

/* Collects every ended worker; wanted ones are started again. */
static void
reap(int stopping)
{
	proc_t		*p;
	unsigned	 i;
	int		 status;
	int64_t		 now;
	pid_t		 pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		now = vr_clock_ms();
		for (i = 0; i < nretiring; i++)
			if (retiring[i].pid == pid)
				break;
		if (i < nretiring) {
			log_end(&retiring[i], status, 1);
			unmap_slots(&retiring[i]);
			retiring[i] = retiring[--nretiring];
			continue;
		}
		for (i = 0; i < ncurrent && current[i].pid != pid; i++)
			;
		if (i == ncurrent)
			continue;
		p = &current[i];
		log_end(p, status, stopping);
		unmap_slots(p);
		p->pid = 0;
		if (stopping)
			continue;
		p->respawn_at = now - p->started < CRASH_LOOP_MS ?
		    now + CRASH_LOOP_MS : now;
		if (p->respawn_at > now)
			vr_log_error("worker %u died within %d ms of its "
			    "start: starting it again in %d ms", p->index,
			    CRASH_LOOP_MS, CRASH_LOOP_MS);
	}
}

/* Starts the wanted workers that are due; 0 in a new worker. */
static int
respawn_due(const vr_config_t *cfg)
{
	unsigned	 i;
	int		 r;

	for (i = 0; i < ncurrent; i++) {
		if (current[i].pid != 0 || current[i].respawn_at > vr_clock_ms())
			continue;
		if ((r = spawn(cfg, &current[i])) == 0)
			return 0;
		if (r == -1) {
			vr_log_error("cannot fork worker %u: %s", i,
			    strerror(errno));
			current[i].respawn_at = vr_clock_ms() + CRASH_LOOP_MS;
		} else
			vr_log_info("worker %u started (pid %ld)", i,
			    (long)current[i].pid);
	}
	return 1;
}

/*
 * SIGHUP: the configuration and the manifest again.  What the socket is
 * cannot change under a running master; anything that fails check-config
 * is refused and the old workers go on.
 */
static const vr_config_t *
reload(const vr_config_t *cfg, vr_config_t **owned, vr_reload_fn load,
    int *in_worker)
{
	vr_config_t	*next;
	char		 err[1024];
	unsigned	 i;

	if ((next = calloc(1, sizeof(*next))) == NULL)
		return cfg;
	if (vr_config_load(cfg->path, next, err, sizeof(err)) == -1)
		goto refuse;
	if (strcmp(next->listen, cfg->listen) != 0) {
		snprintf(err, sizeof(err), "listen changed from %s to %s: "
		    "restart the service to move the socket", cfg->listen,
		    next->listen);
		goto refuse;
	}
	if (nretiring + ncurrent > sizeof(retiring) / sizeof(retiring[0])) {
		snprintf(err, sizeof(err), "%u replaced workers are still "
		    "finishing: try again once they are done", nretiring);
		goto refuse;
	}
	if (load(next, err, sizeof(err)) == -1)
		goto refuse;
	for (i = 0; i < ncurrent; i++) {
		if (current[i].pid == 0)
			continue;
		kill(current[i].pid, SIGTERM);
		retiring[nretiring++] = current[i];
	}
	ncurrent = next->processes;
	for (i = 0; i < ncurrent; i++) {
		memset(&current[i], 0, sizeof(current[i]));
		current[i].index = i;
	}
	if (*owned != NULL) {
		vr_config_free(*owned);
		free(*owned);
	}
	*owned = next;
	vr_log_info("reloaded %s: %u new workers, the old ones finish what "
	    "they hold", next->path, ncurrent);
	if (respawn_due(next) == 0)
		*in_worker = 1;
	return next;
refuse:
	vr_log_error("reload refused, the running workers go on: %s", err);
	vr_config_free(next);
	free(next);
	return cfg;
}

/* SIGTERM to every worker, then waits for them (SIGKILL past the time). */
static void
stop_all(void)
{
	sigset_t	 chld;
	struct timespec	 tick = { 0, 200 * 1000 * 1000 };
	int64_t		 until = vr_clock_ms() + STOP_WAIT_MS;
	unsigned	 i, left;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	for (i = 0; i < ncurrent; i++)
		if (current[i].pid != 0)
			kill(current[i].pid, SIGTERM);
	for (;;) {
		reap(1);
		for (left = 0, i = 0; i < ncurrent; i++)
			left += current[i].pid != 0;
		left += nretiring;
		if (left == 0)
			return;
		if (vr_clock_ms() > until) {
			vr_log_error("%u workers did not stop in %d s: killing "
			    "them", left, STOP_WAIT_MS / 1000);
			for (i = 0; i < ncurrent; i++)
				if (current[i].pid != 0)
					kill(current[i].pid, SIGKILL);
			for (i = 0; i < nretiring; i++)
				kill(retiring[i].pid, SIGKILL);
			until = INT64_MAX;
		}
		sigtimedwait(&chld, NULL, &tick);
	}
}

int
vr_master_run(const vr_config_t *first, vr_reload_fn load)
{
	const vr_config_t *cfg = first;
	vr_config_t	*owned = NULL;
	sigset_t	 set;
	siginfo_t	 info;
	struct timespec	 tick = { 1, 0 };
	const char	*from;
	unsigned	 i;
	int		 listen_fd, ours, sig, rc = 1, in_worker = 0, flags;

	master_pid = getpid();
	signal(SIGPIPE, SIG_IGN);
	listen_fd = open_listener(cfg, &from);
	ours = from == cfg->listen;
	if (listen_fd == -1 ||
	    (flags = fcntl(listen_fd, F_GETFL)) == -1 ||
	    fcntl(listen_fd, F_SETFL, flags | O_NONBLOCK) == -1) {
		vr_log_error("cannot listen on %s: %s", cfg->listen,
		    strerror(errno));
		if (listen_fd >= 0 && ours)
			close(listen_fd);
		return 1;
	}
	if (ours && strncmp(cfg->listen, "unix:", 5) == 0)
		log_socket_access(cfg->listen + 5);
	raise_fd_limit();
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	ncurrent = cfg->processes;
	for (i = 0; i < ncurrent; i++) {
		memset(&current[i], 0, sizeof(current[i]));
		current[i].index = i;
	}
	vr_log_info("serving FastCGI on %s: %u worker processes of %u "
	    "threads", from, ncurrent, cfg->threads);
	if (respawn_due(cfg) == 0) {
		in_worker = 1;
		goto worker;
	}
	for (;;) {
		sig = sigtimedwait(&set, &info, &tick);
		if (sig == SIGTERM || sig == SIGINT) {
			vr_log_info("signal %d: the workers finish what they "
			    "hold", sig);
			rc = 0;
			break;
		}
		if (sig == SIGHUP) {
			cfg = reload(cfg, &owned, load, &in_worker);
			if (in_worker)
				goto worker;
		}
		reap(0);
		if (respawn_due(cfg) == 0) {
			in_worker = 1;
			goto worker;
		}
	}
	stop_all();
	if (ours) {
		close(listen_fd);
		if (strncmp(cfg->listen, "unix:", 5) == 0)
			unlink(cfg->listen + 5);
	}
	goto out;
worker:
	/* Its own entry: the one it was forked for, the only mapped one. */
	for (i = 0; i < ncurrent; i++)
		if (current[i].pid == 0 && current[i].slots != NULL)
			break;
	/* TERM and INT stay blocked: vr_server_worker waits for them. */
	signal(SIGHUP, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	rc = vr_server_worker(cfg, listen_fd, current[i].slots);
	unmap_slots(&current[i]);
	close(listen_fd);
out:
	if (owned != NULL) {
		vr_config_free(owned);
		free(owned);
	}
	return rc;
}
