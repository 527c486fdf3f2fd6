/*
 * vr_date: calendar arithmetic on the forms records carry: a date
 * "YYYY-MM-DD" (business dates are Asia/Tokyo, UTC+9 without daylight
 * saving) and an ISO UTC time "YYYY-MM-DDTHH:MM:SS[.ffffff]Z".  Inputs
 * are well formed (validated fields, the clock); out always gets a
 * NUL-terminated string.
 */
#ifndef VR_DATE_H
#define VR_DATE_H

#include <stdint.h>

/* date moved on by months, the day capped at the month's last. */
void		 vr_date_plus_months(const char *date, unsigned months,
		    char out[11]);
/* date moved by days (negative: back). */
void		 vr_date_plus_days(const char *date, int days, char out[11]);
/* Day of the week of a date: 0 Sunday .. 6 Saturday. */
int		 vr_date_weekday(const char *date);
/* Days from a to b (b - a). */
int64_t		 vr_date_diff(const char *a, const char *b);
/* The Tokyo business date of an ISO UTC time. */
void		 vr_date_of_time(const char *iso, char out[11]);
/* The ISO UTC time days after iso. */
void		 vr_time_plus_days(const char *iso, unsigned days, char out[32]);
/* The ISO UTC time at which a Tokyo date begins (00:00 JST). */
void		 vr_time_of_date(const char *date, char out[32]);
/* Seconds from ISO UTC time a to b (b - a). */
int64_t		 vr_time_diff(const char *a, const char *b);

#endif
