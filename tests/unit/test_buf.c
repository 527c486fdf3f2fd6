/*
 * test_buf: the growable buffer every response is built in: appends,
 * printf that fits the spare room or needs a second pass, integers, room
 * for writers that fill bytes themselves, truncate, take and reset.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vr_buf.h"

#include "unit_check.h"

int
main(void)
{
	vr_buf_t	 b = { 0 };
	char		 big[1000], *p;
	size_t		 i;

	CHECK(vr_buf_printf(&b, "%s-%d", "ab", 12) == 0 &&
	    strcmp(b.data, "ab-12") == 0 && b.len == 5, "short printf");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	/* Longer than the spare room: the second pass must write it all. */
	CHECK(vr_buf_printf(&b, "%s", big) == 0 && b.len == 5 + 999 &&
	    b.data[b.len] == '\0' && strncmp(b.data + 5, big, 999) == 0,
	    "printf past the spare room");
	for (i = 0; i < 300; i++)
		vr_buf_printf(&b, "%zu,", i);
	CHECK(strlen(b.data) == b.len, "len matches the string");
	CHECK(vr_buf_append(&b, "\0z", 2) == 0 && b.data[b.len - 2] == '\0' &&
	    b.data[b.len - 1] == 'z', "append keeps NUL bytes");
	vr_buf_reset(&b);
	CHECK(b.len == 0 && b.data[0] == '\0', "reset empties");
	CHECK(vr_buf_put_int(&b, INT64_MIN) == 0 && vr_buf_put_int(&b, 0) == 0 &&
	    vr_buf_put_int(&b, INT64_MAX) == 0 && strcmp(b.data,
	    "-9223372036854775808" "0" "9223372036854775807") == 0,
	    "integers at the limits");
	{
		char	 d[VR_INT_TEXT_MAX];

		CHECK(strcmp(vr_uint_text(d, UINT64_MAX),
		    "18446744073709551615") == 0 &&
		    strcmp(vr_uint_text(d, 0), "0") == 0, "unsigned limits");
	}
	vr_buf_truncate(&b, 3);
	CHECK(b.len == 3 && strcmp(b.data, "-92") == 0, "truncate");
	p = vr_buf_space(&b, 5000);
	CHECK(p == b.data + 3 && b.cap >= 3 + 5000 + 1, "space makes room");
	memset(p, 'y', 5000);
	vr_buf_commit(&b, 2);
	CHECK(b.len == 5 && strcmp(b.data, "-92yy") == 0, "commit keeps m bytes");
	p = vr_buf_space(&b, 10);
	memset(p, 'z', 10);
	vr_buf_commit(&b, 0);
	CHECK(b.len == 5 && strcmp(b.data, "-92yy") == 0,
	    "commit of 0 ends the text again");
	vr_buf_reset(&b);
	vr_buf_puts(&b, "kept");
	p = vr_buf_take(&b);
	CHECK(p != NULL && strcmp(p, "kept") == 0 && b.data == NULL &&
	    b.len == 0, "take hands the data over");
	free(p);
	p = vr_buf_take(&b);
	CHECK(p != NULL && p[0] == '\0', "take of an empty buffer is \"\"");
	free(p);
	vr_buf_free(&b);
	return unit_report("test_buf");
}
