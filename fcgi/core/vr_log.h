/*
 * vr_log: one line per event on stderr (the service manager or the
 * demo's log file collects it): time, level, message.
 */
#ifndef VR_LOG_H
#define VR_LOG_H

void	vr_log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void	vr_log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
/*
 * Quiet: every message is still formatted (so the sanitizers see bad
 * arguments) but none is written; for the fuzz harnesses, where every
 * input may log.  Set it before threads start.
 */
void	vr_log_quiet(int);

#endif
