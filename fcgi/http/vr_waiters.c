/*
 * vr_waiters: parked long-poll requests and the thread that resumes them
 * (see vr_waiters.h).  The list is unordered and short (one entry per
 * waiting host); each tick looks at all of it.  The newest event id is
 * read only while something is parked.  When the database does not
 * answer, requests are resumed at their deadline, where the handler's own
 * query reports the outage as it would for any request.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/vr_clock.h"
#include "../core/vr_log.h"
#include "../db/vr_audit.h"
#include "../db/vr_db.h"
#include "vr_waiters.h"

#define TICK_MS		200

typedef struct waiter {
	void		*parked;
	int64_t		 after;
	int64_t		 deadline;	/* ms, CLOCK_MONOTONIC */
} waiter_t;

struct vr_waiters {
	const vr_config_t *cfg;
	vr_resume_fn	 resume;
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;
	waiter_t	*list;
	size_t		 n, cap;
	int		 stopping;
};

vr_waiters_t *
vr_waiters_new(const vr_config_t *cfg, vr_resume_fn resume)
{
	vr_waiters_t	*w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->cfg = cfg;
	w->resume = resume;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	return w;
}

void
vr_waiters_free(vr_waiters_t *w)
{
	if (w == NULL)
		return;
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	free(w->list);
	free(w);
}

int
vr_waiters_add(vr_waiters_t *w, void *parked, int64_t after,
    unsigned seconds)
{
	waiter_t	*grown;
	size_t		 cap;
	int		 rc = -1;

	pthread_mutex_lock(&w->lock);
	if (w->stopping)
		goto out;
	if (w->n == w->cap) {
		cap = w->cap == 0 ? 16 : w->cap * 2;
		if ((grown = realloc(w->list, cap * sizeof(*grown))) == NULL)
			goto out;
		w->list = grown;
		w->cap = cap;
	}
	w->list[w->n].parked = parked;
	w->list[w->n].after = after;
	w->list[w->n].deadline = vr_clock_ms() + (int64_t)seconds * 1000;
	w->n++;
	pthread_cond_signal(&w->wake);
	rc = 0;
out:
	pthread_mutex_unlock(&w->lock);
	return rc;
}

unsigned
vr_waiters_count(vr_waiters_t *w)
{
	unsigned	 n;

	pthread_mutex_lock(&w->lock);
	n = (unsigned)w->n;
	pthread_mutex_unlock(&w->lock);
	return n;
}

void
vr_waiters_stop(vr_waiters_t *w)
{
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

/*
 * Takes out the waiters that are due: all of them, those with an event
 * after theirs (last < 0: not known), and those whose time is up.
 */
static size_t
take_due(vr_waiters_t *w, int all, int64_t last, int64_t now, void ***out,
    size_t *outcap)
{
	size_t	 i = 0, n = 0;
	void	**grown;

	while (i < w->n) {
		if (!all && !(last >= 0 && w->list[i].after < last) &&
		    w->list[i].deadline > now) {
			i++;
			continue;
		}
		if (n == *outcap) {
			*outcap = *outcap == 0 ? 16 : *outcap * 2;
			if ((grown = realloc(*out, *outcap * sizeof(void *)))
			    == NULL) {
				*outcap = n;
				break;	/* the rest wait for the next tick */
			}
			*out = grown;
		}
		(*out)[n++] = w->list[i].parked;
		w->list[i] = w->list[--w->n];
	}
	return n;
}

void *
vr_waiters_run(void *arg)
{
	vr_waiters_t	*w = arg;
	vr_db_t		*db = vr_db_open(w->cfg);
	vr_problem_t	 p;
	struct timespec	 until;
	void		**due = NULL;
	size_t		 ndue, cap = 0, i;
	int64_t		 last;
	int		 stopping;

	/* Out of memory: parked requests are finished without an answer. */
	if (db == NULL)
		vr_log_error("long poll: out of memory for a database "
		    "connection");
	for (;;) {
		pthread_mutex_lock(&w->lock);
		if (!w->stopping) {
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += TICK_MS * 1000000L;
			until.tv_sec += until.tv_nsec / 1000000000L;
			until.tv_nsec %= 1000000000L;
			pthread_cond_timedwait(&w->wake, &w->lock, &until);
		}
		stopping = w->stopping;
		last = -1;
		if (w->n > 0 && !stopping && db != NULL) {
			pthread_mutex_unlock(&w->lock);
			vr_problem_clear(&p);
			if (vr_events_last_id(db, &last, &p) != VR_OK)
				last = -1;
			pthread_mutex_lock(&w->lock);
		}
		ndue = take_due(w, stopping, last, vr_clock_ms(), &due, &cap);
		pthread_mutex_unlock(&w->lock);
		for (i = 0; i < ndue; i++)
			w->resume(db, due[i]);
		if (stopping && ndue == 0)
			break;
	}
	free(due);
	vr_db_close(db);
	return NULL;
}
