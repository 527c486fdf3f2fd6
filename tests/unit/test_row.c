/*
 * test_row: a database row becomes a record by the field table: integers,
 * booleans, SQL NULL, and DATETIME(6) text in the canonical ISO 8601 form
 * the audit after-images carry, whatever fraction the library printed;
 * and the jittered back-off between reruns of a conflicting transaction.
 */
#include <stdio.h>
#include <string.h>

#include "core/vr_field.h"
#include "db/vr_db.h"

#include "unit_check.h"

static const vr_field_t fields[] = {
	{ .name = "n", .column = "n", .type = VR_T_INT, .max = 100, .doc = "" },
	{ .name = "virtual", .type = VR_T_TEXT, .doc = "" },
	{ .name = "t", .column = "t", .type = VR_T_TIME, .doc = "" },
	{ .name = "s", .column = "s", .type = VR_T_TEXT,
	    .flags = VR_F_NULLABLE, .doc = "" },
};
static const vr_resource_t res = {
	.name = "row", .plural = "rows", .table = "t", .xmlns = VR_XMLNS,
	.fields = fields, .nfields = 4
};

int
main(void)
{
	static const struct { const char *in, *want; } times[] = {
		{ "2026-11-25 08:19:38.553026", "2026-11-25T08:19:38.553026Z" },
		{ "2026-11-25 08:19:38.000000", "2026-11-25T08:19:38.000000Z" },
		{ "2026-11-25 08:19:38", "2026-11-25T08:19:38.000000Z" },
		{ "2026-11-25 08:19:38.5", "2026-11-25T08:19:38.500000Z" },
		{ "2026-11-25T08:19:38", NULL },
		{ "2026-11-25 08:19:38x5", NULL },
		{ "2026-11-25", NULL },
	};
	const char	*cols[3];
	vr_value_t	*rec;
	char		 sel[256];
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		rec = vr_record_new(&res);
		cols[0] = "42";
		cols[1] = times[i].in;
		cols[2] = NULL;
		rc = vr_db_record_from_row(&res, rec, cols, 3);
		if (times[i].want == NULL)
			CHECK(rc == -1, "%s must be refused", times[i].in);
		else
			CHECK(rc == 0 && strcmp(rec[2].s, times[i].want) == 0 &&
			    rec[0].i == 42 && rec[3].null && !rec[1].present,
			    "%s -> %s", times[i].in, rc == 0 ? rec[2].s : "error");
		vr_record_free(&res, rec);
	}
	rec = vr_record_new(&res);
	CHECK(vr_db_record_from_row(&res, rec, cols, 2) == -1,
	    "too few columns refused");
	vr_record_free(&res, rec);
	CHECK(vr_db_select_list(&res, "x", sel, sizeof(sel)) == 0 &&
	    strcmp(sel, "x.`n`, x.`t`, x.`s`") == 0, "select list: %s", sel);
	/* The conflict back-off: within [cap/2, cap], cap doubling from
	 * the base up to the maximum, never beyond. */
	for (i = 0; i < 20; i++) {
		uint64_t cap = VR_DB_BACKOFF_BASE_US << (i < 16 ? i : 16);
		uint64_t lo, hi;

		if (cap > VR_DB_BACKOFF_MAX_US)
			cap = VR_DB_BACKOFF_MAX_US;
		lo = vr_db_backoff_us((unsigned)i, 0);
		hi = vr_db_backoff_us((unsigned)i, UINT32_MAX);
		CHECK(lo == cap / 2 && hi >= lo && hi <= cap,
		    "backoff(%zu): %llu..%llu, cap %llu", i,
		    (unsigned long long)lo, (unsigned long long)hi,
		    (unsigned long long)cap);
	}
	CHECK(vr_db_backoff_us(2, 7) != vr_db_backoff_us(2, 8),
	    "backoff: the random part moves the pause");
	return unit_report("test_row");
}
