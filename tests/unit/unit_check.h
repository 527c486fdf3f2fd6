/*
 * unit_check: what every unit test program shares: the counters, CHECK
 * (a printf-style message when the condition fails) and the last line
 * "NAME: N passed, N failed" that scripts/test reads.
 */
#ifndef UNIT_CHECK_H
#define UNIT_CHECK_H

#include <stdio.h>

static int	 passed, failed;

#define CHECK(cond, ...) do {					\
	if (cond)						\
		passed++;					\
	else {							\
		failed++;					\
		printf("FAIL %s:%d: ", __FILE__, __LINE__);	\
		printf(__VA_ARGS__);				\
		printf("\n");					\
	}							\
} while (0)

/* Prints the summary line; returns the exit status. */
static inline int
unit_report(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, passed, failed);
	return failed == 0 ? 0 : 1;
}

#endif
