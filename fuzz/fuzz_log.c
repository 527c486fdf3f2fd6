/*
 * fuzz_log: vr_log for the harnesses.  Same interface as
 * fcgi/core/vr_log.c and the messages are still formatted (so a bad
 * format argument is still caught by the sanitizers), but nothing is
 * written unless FUZZ_VERBOSE is set: a harness that answers 503 on
 * every input would otherwise spend its time writing to stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/vr_log.h"

static void
log_line(const char *level, const char *fmt, va_list ap)
{
	static int	 verbose = -1;
	char		 msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (verbose == -1)
		verbose = getenv("FUZZ_VERBOSE") != NULL;
	if (verbose)
		fprintf(stderr, "vendor-review[%s]: %s\n", level, msg);
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
