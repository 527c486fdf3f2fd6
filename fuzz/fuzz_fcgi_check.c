/*
 * fuzz_fcgi_check: vr_fcgi_check() on arbitrary bytes, as the gate peeks
 * them from a connection.
 *
 * Input: the bytes a peer sent (max_params fixed at 4096).
 *
 * Invariants (abort() when broken): the result is one of the three; BAD
 * comes with a reason; a COMPLETE input re-read here record by record
 * starts with BEGIN_REQUEST (responder), has params of one request id
 * ending with an empty record, and every name-value pair within them,
 * which is what libfcgi's ReadParams then trusts; cutting a COMPLETE
 * input short never makes it BAD (a peer mid-header is waited for).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/vr_fcgi_check.h"
#include "fuzz_common.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_PARAMS	4096

static size_t
len_field(const uint8_t *p, size_t n, size_t *at)
{
	size_t	 v;

	if (*at >= n)
		abort();
	if ((p[*at] & 0x80) == 0)
		return p[(*at)++];
	if (n - *at < 4)
		abort();
	v = ((size_t)(p[*at] & 0x7f) << 24) | ((size_t)p[*at + 1] << 16) |
	    ((size_t)p[*at + 2] << 8) | p[*at + 3];
	*at += 4;
	return v;
}

/* The header as libfcgi would read it; aborts where it would be hurt. */
static size_t
reread(const uint8_t *b, size_t len)
{
	static uint8_t	 params[MAX_PARAMS];
	size_t		 at = 0, plen = 0, clen, p = 0, nl, vl;
	unsigned	 id;

	if (len < 16 || b[1] != 1 || ((b[8] << 8) | b[9]) != 1)
		abort();
	id = (unsigned)(b[2] << 8 | b[3]);
	at = 16 + b[6];
	for (;;) {
		if (at + 8 > len || b[at] != 1 || b[at + 1] != 4 ||
		    (unsigned)(b[at + 2] << 8 | b[at + 3]) != id)
			abort();
		clen = (size_t)b[at + 4] << 8 | b[at + 5];
		if (at + 8 + clen + b[at + 6] > len || plen + clen > MAX_PARAMS)
			abort();
		if (clen == 0)
			break;
		memcpy(params + plen, b + at + 8, clen);
		plen += clen;
		at += 8 + clen + b[at + 6];
	}
	while (p < plen) {
		nl = len_field(params, plen, &p);
		vl = len_field(params, plen, &p);
		if (nl == 0 || nl > plen - p || vl > plen - p - nl)
			abort();
		p += nl + vl;
	}
	return at + 8 + b[at + 6];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t	 scratch[MAX_PARAMS];
	const char	*why = NULL;
	uint8_t		*copy;
	size_t		 end;

	/* A heap copy of exactly size bytes, so ASan sees any overread. */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	switch (vr_fcgi_check(copy, size, MAX_PARAMS, scratch, &why)) {
	case VR_FCGI_BAD:
		if (why == NULL)
			abort();
		break;
	case VR_FCGI_NEED_MORE:
		break;
	case VR_FCGI_COMPLETE:
		end = reread(copy, size);
		if (end > 0 && vr_fcgi_check(copy, end - 1, MAX_PARAMS,
		    scratch, &why) != VR_FCGI_NEED_MORE)
			abort();
		break;
	default:
		abort();
	}
	free(copy);
	return 0;
}
