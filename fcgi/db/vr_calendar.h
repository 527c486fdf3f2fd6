/*
 * vr_calendar: the national holidays table (vr_holidays), which the
 * leak-report deadlines are moved past.  The holidays are data an admin
 * loads (vendor-review import-holidays), not code: they change by law.
 */
#ifndef VR_CALENDAR_H
#define VR_CALENDAR_H

#include "vr_db.h"

/* Holidays from..to (dates, inclusive), as "YYYY-MM-DD" strings. */
typedef struct vr_holidays {
	char		 (*days)[11];
	size_t		 n, cap;
} vr_holidays_t;

void		 vr_holidays_free(vr_holidays_t *);
bool		 vr_holidays_has(const vr_holidays_t *, const char *date);
vr_err_e	 vr_holidays_between(vr_db_t *, const char *from,
		    const char *to, vr_holidays_t *, vr_problem_t *);
/* How many holidays are loaded for the year of date. */
vr_err_e	 vr_holidays_in_year(vr_db_t *, const char *date, int64_t *n,
		    vr_problem_t *);

/* One row of a holidays file. */
typedef struct vr_holiday {
	char		 day[11];
	char		 name[193];
} vr_holiday_t;

/*
 * Replaces, in one transaction, the holidays of every year the rows
 * cover with the rows (other years stay as they are).
 */
vr_err_e	 vr_holidays_replace(vr_db_t *, const vr_holiday_t *, size_t n,
		    vr_problem_t *);

#endif
