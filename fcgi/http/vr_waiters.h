/*
 * vr_waiters: the long poll of one worker process.  A request that asks
 * to wait for an event (GET /events?after=N&wait=S with nothing after N)
 * is parked here instead of holding a worker thread and its database
 * connection.  One waiter thread, with the process's one connection for
 * it, reads the newest event id (a single primary-key read) a few times a
 * second, which also notices events that other processes or machines
 * committed; a parked request whose event has come, or whose time is up,
 * is resumed on that thread.
 */
#ifndef VR_WAITERS_H
#define VR_WAITERS_H

#include <stdint.h>

#include "../core/vr_config.h"

struct vr_db;
typedef struct vr_waiters vr_waiters_t;

/*
 * Answers a parked request again and finishes it, on the waiter thread;
 * with a NULL database (out of memory) it only finishes it.
 */
typedef void	(*vr_resume_fn)(struct vr_db *, void *parked);

vr_waiters_t	*vr_waiters_new(const vr_config_t *, vr_resume_fn);
/* The waiter thread's body, with a database connection of its own. */
void		*vr_waiters_run(void *waiters);
/*
 * Parks one request until an event after `after` or `seconds` from now;
 * -1 (out of memory, or stopping): the caller answers it at once.
 */
int		 vr_waiters_add(vr_waiters_t *, void *parked, int64_t after,
		    unsigned seconds);
/* Resumes every parked request now; vr_waiters_run() then returns. */
void		 vr_waiters_stop(vr_waiters_t *);
void		 vr_waiters_free(vr_waiters_t *);
/* How many requests are parked now. */
unsigned	 vr_waiters_count(vr_waiters_t *);

#endif
