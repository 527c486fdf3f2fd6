/*
 * vr_calendar: the holidays table (see vr_calendar.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vr_calendar.h"

static const char sql_between[] =
    "SELECT DATE_FORMAT(day, '%Y-%m-%d') FROM vr_holidays"
    " WHERE day BETWEEN ? AND ? ORDER BY day";
static const char sql_in_year[] =
    "SELECT COUNT(*) FROM vr_holidays WHERE YEAR(day) = YEAR(?)";
static const char sql_delete_year[] =
    "DELETE FROM vr_holidays WHERE YEAR(day) = ?";
static const char sql_insert[] =
    "INSERT INTO vr_holidays (day, name) VALUES (?, ?)";

void
vr_holidays_free(vr_holidays_t *h)
{
	free(h->days);
	memset(h, 0, sizeof(*h));
}

bool
vr_holidays_has(const vr_holidays_t *h, const char *date)
{
	size_t	 k;

	for (k = 0; k < h->n; k++)
		if (strcmp(h->days[k], date) == 0)
			return true;
	return false;
}

static int
day_row(void *arg, const char *const *c, const unsigned long *len,
    unsigned n)
{
	vr_holidays_t	*h = arg;
	char		 (*grown)[11];
	size_t		 cap;

	(void)len;
	if (n != 1 || c[0] == NULL)
		return -1;
	if (h->n == h->cap) {
		cap = h->cap ? h->cap * 2 : 32;
		if ((grown = realloc(h->days, cap * sizeof(*grown))) == NULL)
			return -1;
		h->days = grown;
		h->cap = cap;
	}
	snprintf(h->days[h->n++], 11, "%s", c[0]);
	return 0;
}

vr_err_e
vr_holidays_between(vr_db_t *db, const char *from, const char *to,
    vr_holidays_t *h, vr_problem_t *p)
{
	const vr_db_arg_t	 a[] = { VR_ARG_S(from), VR_ARG_S(to) };

	return vr_db_exec(db, sql_between, a, 2, day_row, h, NULL, NULL, p);
}

vr_err_e
vr_holidays_in_year(vr_db_t *db, const char *date, int64_t *n,
    vr_problem_t *p)
{
	const vr_db_arg_t	 a[] = { VR_ARG_S(date) };

	*n = 0;
	return vr_db_exec(db, sql_in_year, a, 1, vr_db_count_row, n, NULL,
	    NULL, p);
}

struct replace_ctx {
	const vr_holiday_t	*rows;
	size_t			 n;
};

static vr_err_e
replace_body(vr_db_t *db, void *arg, vr_problem_t *p)
{
	struct replace_ctx	*w = arg;
	vr_db_arg_t		 a[2];
	int64_t			 done[64];
	size_t			 k, j, ndone = 0;
	int64_t			 year;
	vr_err_e		 e;

	for (k = 0; k < w->n; k++) {
		year = strtoll(w->rows[k].day, NULL, 10);
		for (j = 0; j < ndone && done[j] != year; j++)
			;
		if (j < ndone)
			continue;
		if (ndone == sizeof(done) / sizeof(done[0]))
			return vr_fail(p, VR_E_INVALID, "too_many_years", NULL,
			    "a file covers at most 64 years");
		done[ndone++] = year;
		a[0] = VR_ARG_I(year);
		if ((e = vr_db_exec(db, sql_delete_year, a, 1, NULL, NULL, NULL,
		    NULL, p)) != VR_OK)
			return e;
	}
	for (k = 0; k < w->n; k++) {
		a[0] = VR_ARG_S(w->rows[k].day);
		a[1] = VR_ARG_S(w->rows[k].name);
		if ((e = vr_db_exec(db, sql_insert, a, 2, NULL, NULL, NULL,
		    NULL, p)) != VR_OK)
			return e;
	}
	return VR_OK;
}

vr_err_e
vr_holidays_replace(vr_db_t *db, const vr_holiday_t *rows, size_t n,
    vr_problem_t *p)
{
	struct replace_ctx	 w = { rows, n };

	return vr_db_transaction(db, replace_body, &w, p);
}
