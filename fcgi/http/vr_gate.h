/*
 * vr_gate: the connections of one worker process, between accept() and
 * the worker threads.  One gate thread accepts, waits until a
 * connection's whole request header has arrived (peeking, so libfcgi
 * still reads every byte itself), has vr_fcgi_check vet it, and only then
 * queues it for a worker.  Connections that stay silent past
 * header_timeout, sit idle past idle_timeout, or send a header the
 * checker refuses are closed by the gate: silent or lying peers never
 * hold a worker thread.  Kept-alive connections come back to the gate
 * between requests.
 */
#ifndef VR_GATE_H
#define VR_GATE_H

#include <stddef.h>

typedef struct vr_gate vr_gate_t;

typedef struct vr_gate_limits {
	size_t		 max_params;	/* params bytes, as vr_fcgi_check */
	unsigned	 header_timeout; /* seconds to bring a request header */
	unsigned	 idle_timeout;	/* seconds a kept connection may idle */
	unsigned	 io_timeout;	/* seconds a read or write may block */
	/* TCP peers allowed ("192.0.2.1,2001:db8::1"); NULL: any */
	const char	*web_server_addrs;
} vr_gate_limits_t;

/* Over the (non-blocking) listening socket; NULL when out of memory. */
vr_gate_t	*vr_gate_new(int listen_fd, const vr_gate_limits_t *);
/* The gate thread's body; returns once vr_gate_stop() has drained it. */
void		*vr_gate_run(void *gate);
/*
 * For a worker thread: the next connection whose request header has
 * arrived whole (its reads and writes time out after io_timeout), or -1
 * once the gate is stopping and has nothing left to hand out.
 */
int		 vr_gate_take(vr_gate_t *);
/* A kept-alive connection whose request is done, to wait for the next. */
void		 vr_gate_give_back(vr_gate_t *, int fd);
/*
 * Stops accepting; idle connections are closed, headers on their way
 * still get until their deadline, queued ones are still handed out.
 */
void		 vr_gate_stop(vr_gate_t *);
/* After vr_gate_run() returned and no worker uses it any more. */
void		 vr_gate_free(vr_gate_t *);

#endif
