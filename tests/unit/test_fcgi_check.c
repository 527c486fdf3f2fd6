/*
 * test_fcgi_check: the request-header checker on streams built record by
 * record: what nginx sends passes at every cut (NEED_MORE until the empty
 * PARAMS record), and each lie in a length, type, id or size is refused.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/vr_fcgi_check.h"

#include "unit_check.h"

#define MAX_PARAMS	4096

typedef struct stream {
	unsigned char	 b[8 * MAX_PARAMS];
	size_t		 len;
} stream_t;

static void
record(stream_t *s, int type, unsigned id, const void *content, size_t clen,
    unsigned pad)
{
	unsigned char	*h = s->b + s->len;

	h[0] = 1;
	h[1] = (unsigned char)type;
	h[2] = (unsigned char)(id >> 8);
	h[3] = (unsigned char)id;
	h[4] = (unsigned char)(clen >> 8);
	h[5] = (unsigned char)clen;
	h[6] = (unsigned char)pad;
	h[7] = 0;
	memcpy(h + 8, content, clen);
	memset(h + 8 + clen, 0, pad);
	s->len += 8 + clen + pad;
}

static void
begin(stream_t *s, unsigned id, unsigned role)
{
	unsigned char	 body[8] = { (unsigned char)(role >> 8),
	    (unsigned char)role, 1, 0, 0, 0, 0, 0 };

	record(s, 1, id, body, sizeof(body), 0);
}

/* One name-value pair with 1- or 4-byte lengths as the sizes need. */
static size_t
pair(unsigned char *p, const char *name, size_t nlen, const char *value,
    size_t vlen)
{
	size_t	 at = 0, lens[2] = { nlen, vlen }, i;

	for (i = 0; i < 2; i++) {
		if (lens[i] < 128)
			p[at++] = (unsigned char)lens[i];
		else {
			p[at++] = (unsigned char)(0x80 | (lens[i] >> 24));
			p[at++] = (unsigned char)(lens[i] >> 16);
			p[at++] = (unsigned char)(lens[i] >> 8);
			p[at++] = (unsigned char)lens[i];
		}
	}
	memcpy(p + at, name, nlen);
	memcpy(p + at + nlen, value, vlen);
	return at + nlen + vlen;
}

static vr_fcgi_check_e
check(const stream_t *s, size_t len, const char **why)
{
	static unsigned char	 scratch[MAX_PARAMS];

	return vr_fcgi_check(s->b, len, MAX_PARAMS, scratch, why);
}

/* nginx's shape: BEGIN, two PARAMS records, the empty one, then STDIN. */
static void
test_nginx_shape(void)
{
	stream_t	 s = { .len = 0 };
	unsigned char	 p[512], big[300];
	const char	*why;
	size_t		 n, cut, header_end;
	int		 ok = 1;

	memset(big, 'x', sizeof(big));
	begin(&s, 1, 1);
	n = pair(p, "REQUEST_METHOD", 14, "GET", 3);
	n += pair(p + n, "DOCUMENT_URI", 12, "/vendor-review/api/vendors", 26);
	record(&s, 4, 1, p, n, 8 - n % 8);
	n = pair(p, "HTTP_COOKIE", 11, (const char *)big, sizeof(big));
	record(&s, 4, 1, p, n, 0);
	record(&s, 4, 1, "", 0, 0);
	header_end = s.len;
	record(&s, 5, 1, "{}", 2, 6);
	for (cut = 0; cut < header_end; cut++)
		if (check(&s, cut, &why) != VR_FCGI_NEED_MORE) {
			ok = 0;
			CHECK(0, "cut at %zu of %zu: not NEED_MORE (%s)", cut,
			    header_end, why ? why : "");
			break;
		}
	CHECK(ok, "every cut before the empty PARAMS record needs more");
	CHECK(check(&s, header_end, &why) == VR_FCGI_COMPLETE,
	    "the whole header is complete");
	CHECK(check(&s, s.len, &why) == VR_FCGI_COMPLETE,
	    "STDIN after it does not matter");
}

/* The lie that made libfcgi's allocator assert: a 2 GiB name. */
static void
test_huge_lengths(void)
{
	stream_t	 s = { .len = 0 };
	unsigned char	 p[16] = { 0xff, 0xff, 0xff, 0xf0, 0x01, 'A', 'b' };
	const char	*why = NULL;

	begin(&s, 1, 1);
	record(&s, 4, 1, p, 7, 0);
	record(&s, 4, 1, "", 0, 0);
	CHECK(check(&s, s.len, &why) == VR_FCGI_BAD && why != NULL,
	    "a 2 GiB name length is refused");
	/* A value one byte longer than what is there. */
	s.len = 0;
	begin(&s, 1, 1);
	p[0] = 1;
	p[1] = 3;
	memcpy(p + 2, "Aab", 3);
	record(&s, 4, 1, p, 5, 0);
	record(&s, 4, 1, "", 0, 0);
	CHECK(check(&s, s.len, &why) == VR_FCGI_BAD,
	    "a value longer than the params is refused");
	/* A pair whose 4-byte length is cut by the end of the params. */
	s.len = 0;
	begin(&s, 1, 1);
	p[0] = 0x80;
	p[1] = 0;
	record(&s, 4, 1, p, 2, 0);
	record(&s, 4, 1, "", 0, 0);
	CHECK(check(&s, s.len, &why) == VR_FCGI_BAD,
	    "a length cut short is refused");
}

static void
test_refusals(void)
{
	static const struct {
		const char	*what;
		int		 version, first_type, role, params_type;
		unsigned	 params_id;
	} t[] = {
		{ "version 2", 2, 1, 1, 4, 1 },
		{ "STDIN first", 1, 5, 1, 4, 1 },
		{ "the authorizer role", 1, 1, 2, 4, 1 },
		{ "STDIN before the params end", 1, 1, 1, 5, 1 },
		{ "params of another request", 1, 1, 1, 4, 2 },
		{ "a management record", 1, 1, 1, 9, 0 },
	};
	static const struct {
		const char	*what, *name;
		size_t		 len;
	} names[] = {
		{ "'=' in a name", "VR_USER=x", 9 },
		{ "an empty name", "", 0 },
		{ "NUL in a name", "VR_\0USER", 8 },
	};
	stream_t	 s;
	unsigned char	 p[64];
	const char	*why;
	size_t		 i, n;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		s.len = 0;
		begin(&s, 1, (unsigned)t[i].role);
		s.b[0] = (unsigned char)t[i].version;
		s.b[1] = (unsigned char)t[i].first_type;
		n = pair(p, "A", 1, "b", 1);
		record(&s, t[i].params_type, t[i].params_id, p, n, 0);
		record(&s, 4, 1, "", 0, 0);
		why = NULL;
		CHECK(check(&s, s.len, &why) == VR_FCGI_BAD && why != NULL,
		    "%s is refused", t[i].what);
	}
	/* Names that would make "NAME=value" ambiguous, or nothing. */
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		s.len = 0;
		begin(&s, 1, 1);
		n = pair(p, names[i].name, names[i].len, "y", 1);
		record(&s, 4, 1, p, n, 0);
		record(&s, 4, 1, "", 0, 0);
		CHECK(check(&s, s.len, &why) == VR_FCGI_BAD, "%s is refused",
		    names[i].what);
	}
}

static void
test_sizes(void)
{
	stream_t	*s = calloc(1, sizeof(*s));
	unsigned char	*p = malloc(MAX_PARAMS + 16), *value;
	const char	*why;
	size_t		 n, i;

	value = calloc(1, MAX_PARAMS);
	memset(value, 'v', MAX_PARAMS);
	/* Exactly max_params bytes of pairs passes; one more does not. */
	begin(s, 1, 1);
	n = pair(p, "A", 1, (const char *)value, MAX_PARAMS - 6);
	CHECK(n == MAX_PARAMS, "built %zu bytes", n);
	record(s, 4, 1, p, n, 0);
	record(s, 4, 1, "", 0, 0);
	CHECK(check(s, s->len, &why) == VR_FCGI_COMPLETE,
	    "max_params bytes of params pass");
	s->len = 0;
	begin(s, 1, 1);
	n = pair(p, "A", 1, (const char *)value, MAX_PARAMS - 5);
	record(s, 4, 1, p, n, 0);
	CHECK(check(s, s->len, &why) == VR_FCGI_BAD,
	    "max_params + 1 bytes are refused before the end arrives");
	/* Params spread over too many one-pair records. */
	s->len = 0;
	begin(s, 1, 1);
	for (i = 0; i < 70; i++) {
		n = pair(p, "A", 1, "b", 1);
		record(s, 4, 1, p, n, 0);
	}
	CHECK(check(s, s->len, &why) == VR_FCGI_BAD,
	    "70 params records are refused");
	/* A peer that never ends the header fills the peek window. */
	CHECK(vr_fcgi_peek_limit(MAX_PARAMS) <= sizeof(s->b),
	    "peek limit %zu fits the test buffer",
	    vr_fcgi_peek_limit(MAX_PARAMS));
	s->len = 0;
	begin(s, 1, 1);
	memset(s->b + s->len, 0, vr_fcgi_peek_limit(MAX_PARAMS) - s->len);
	s->b[s->len] = 1;
	s->b[s->len + 1] = 4;
	s->b[s->len + 3] = 1;
	s->b[s->len + 4] = 0x10;	/* 4096 bytes announced */
	s->b[s->len + 6] = 0;
	CHECK(check(s, s->len + 100, &why) == VR_FCGI_NEED_MORE,
	    "a record still arriving needs more");
	free(value);
	free(p);
	free(s);
}

int
main(void)
{
	test_nginx_shape();
	test_huge_lengths();
	test_refusals();
	test_sizes();
	return unit_report("test_fcgi_check");
}
