/*
 * vr_clock: the monotonic clock in milliseconds, for the timeouts and
 * deadlines of the server's threads and processes (never for what is
 * stored: records carry wall-clock UTC times, vr_date.h).
 */
#ifndef VR_CLOCK_H
#define VR_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t
vr_clock_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
