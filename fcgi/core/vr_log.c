/*
 * vr_log: timestamped lines on stderr.  stdio locks the stream per call,
 * so lines from worker threads do not interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "vr_log.h"

static int	 quiet;

static void
log_line(const char *level, const char *fmt, va_list ap)
{
	char		 msg[1024], when[32];
	time_t		 now = time(NULL);
	struct tm	 tm;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (!quiet)
		fprintf(stderr, "%s vendor-review[%s]: %s\n", when, level,
		    msg);
}

void
vr_log_quiet(int q)
{
	quiet = q;
}

void
vr_log_error(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_line("error", fmt, ap);
	va_end(ap);
}

void
vr_log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_line("info", fmt, ap);
	va_end(ap);
}
