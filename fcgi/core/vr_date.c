/*
 * vr_date: calendar arithmetic (see vr_date.h), on days counted from the
 * civil epoch rather than struct tm, so it is exact for every year the
 * fields allow and needs no time zone database.
 */
#include <stdio.h>
#include <string.h>

#include "vr_date.h"

#define TOKYO_OFFSET	(9 * 3600)

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t		 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t		 era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t
day_number(const char *date)
{
	int	 y = 1970, m = 1, d = 1;

	sscanf(date, "%4d-%2d-%2d", &y, &m, &d);
	return days_from_civil(y, m, d);
}

static void
format_day(int64_t z, char out[11])
{
	int	 y, m, d;

	civil_from_days(z, &y, &m, &d);
	/* Years stay four digits: dates come from DATE fields or the clock. */
	snprintf(out, 11, "%04d-%02d-%02d", ((y % 10000) + 10000) % 10000, m,
	    d);
}

/* Seconds since the epoch of an ISO UTC time (fractions dropped). */
static int64_t
seconds(const char *iso)
{
	int	 y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0;

	sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s);
	return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static void
format_time(int64_t t, char out[32])
{
	int64_t		 z = (t >= 0 ? t : t - 86399) / 86400, r = t - z * 86400;
	int		 y, m, d;

	civil_from_days(z, &y, &m, &d);
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.000000Z", y, m, d,
	    (int)(r / 3600), (int)(r / 60 % 60), (int)(r % 60));
}

void
vr_date_plus_months(const char *date, unsigned months, char out[11])
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int		 y = 1970, m = 1, d = 1, last;
	int64_t		 mm;

	sscanf(date, "%4d-%2d-%2d", &y, &m, &d);
	mm = (int64_t)m - 1 + months;
	y += (int)(mm / 12);
	m = (int)(mm % 12);
	last = days[m] + (m == 1 && ((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0));
	format_day(days_from_civil(y, m + 1, d > last ? last : d), out);
}

void
vr_date_plus_days(const char *date, int days, char out[11])
{
	format_day(day_number(date) + days, out);
}

int
vr_date_weekday(const char *date)
{
	int64_t	 z = day_number(date);

	/* 1970-01-01 was a Thursday. */
	return (int)(((z % 7) + 11) % 7);
}

int64_t
vr_date_diff(const char *a, const char *b)
{
	return day_number(b) - day_number(a);
}

void
vr_date_of_time(const char *iso, char out[11])
{
	int64_t		 t = seconds(iso) + TOKYO_OFFSET;

	format_day((t >= 0 ? t : t - 86399) / 86400, out);
}

void
vr_time_plus_days(const char *iso, unsigned days, char out[32])
{
	format_time(seconds(iso) + (int64_t)days * 86400, out);
}

void
vr_time_of_date(const char *date, char out[32])
{
	format_time(day_number(date) * 86400 - TOKYO_OFFSET, out);
}

int64_t
vr_time_diff(const char *a, const char *b)
{
	return seconds(b) - seconds(a);
}
