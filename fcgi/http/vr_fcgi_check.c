/*
 * vr_fcgi_check: the request-header checker (see vr_fcgi_check.h).  What
 * it lets through is exactly what nginx sends: BEGIN_REQUEST for the
 * responder role, then PARAMS records of one request id ending with an
 * empty one, every name-value length inside the params' own bytes.
 * Management records (request id 0) are refused: nginx never sends them
 * and libfcgi's answer to FCGI_GET_VALUES trusts the names' count.
 */
#include <string.h>

#include "vr_fcgi_check.h"

#define FCGI_VERSION_1		1
#define FCGI_BEGIN_REQUEST	1
#define FCGI_PARAMS		4
#define FCGI_RESPONDER		1
#define FCGI_HEADER_LEN		8
#define FCGI_BEGIN_BODY_LEN	8
#define FCGI_MAX_PADDING	255
/* nginx sends its params in one or two records; more is a probe. */
#define MAX_PARAMS_RECORDS	64

size_t
vr_fcgi_peek_limit(size_t max_params)
{
	return FCGI_HEADER_LEN + FCGI_BEGIN_BODY_LEN + FCGI_MAX_PADDING +
	    (MAX_PARAMS_RECORDS + 1) * (FCGI_HEADER_LEN + FCGI_MAX_PADDING) +
	    max_params;
}

/* Reads a name or value length (1 or 4 bytes); -1 when cut short. */
static int
read_length(const unsigned char *p, size_t n, size_t *at, size_t *out)
{
	if (*at >= n)
		return -1;
	if ((p[*at] & 0x80) == 0) {
		*out = p[(*at)++];
		return 0;
	}
	if (n - *at < 4)
		return -1;
	*out = ((size_t)(p[*at] & 0x7f) << 24) | ((size_t)p[*at + 1] << 16) |
	    ((size_t)p[*at + 2] << 8) | p[*at + 3];
	*at += 4;
	return 0;
}

/* Every name-value pair of the params' content lies within it. */
static vr_fcgi_check_e
check_pairs(const unsigned char *p, size_t n, const char **why)
{
	size_t	 at = 0, nlen, vlen;

	while (at < n) {
		if (read_length(p, n, &at, &nlen) == -1 ||
		    read_length(p, n, &at, &vlen) == -1) {
			*why = "a params length is cut short";
			return VR_FCGI_BAD;
		}
		if (nlen > n - at || vlen > n - at - nlen) {
			*why = "a params length reaches past the params";
			return VR_FCGI_BAD;
		}
		if (nlen == 0 || memchr(p + at, '=', nlen) != NULL ||
		    memchr(p + at, '\0', nlen) != NULL) {
			*why = "a param name is empty or holds '=' or NUL";
			return VR_FCGI_BAD;
		}
		at += nlen + vlen;
	}
	return VR_FCGI_COMPLETE;
}

vr_fcgi_check_e
vr_fcgi_check(const unsigned char *buf, size_t len, size_t max_params,
    unsigned char *scratch, const char **why)
{
	size_t		 at = 0, plen = 0, clen, rlen;
	unsigned	 id, request_id = 0, records = 0;
	int		 begun = 0;

	*why = NULL;
	for (;;) {
		if (len - at < FCGI_HEADER_LEN)
			break;
		if (buf[at] != FCGI_VERSION_1) {
			*why = "not a FastCGI version 1 record";
			return VR_FCGI_BAD;
		}
		id = (unsigned)buf[at + 2] << 8 | buf[at + 3];
		clen = (size_t)buf[at + 4] << 8 | buf[at + 5];
		rlen = FCGI_HEADER_LEN + clen + buf[at + 6];
		if (id == 0) {
			*why = "a management record";
			return VR_FCGI_BAD;
		}
		if (!begun) {
			if (buf[at + 1] != FCGI_BEGIN_REQUEST ||
			    clen != FCGI_BEGIN_BODY_LEN) {
				*why = "the first record is not BEGIN_REQUEST";
				return VR_FCGI_BAD;
			}
			if (len - at < rlen)
				break;
			if (((unsigned)buf[at + 8] << 8 | buf[at + 9]) !=
			    FCGI_RESPONDER) {
				*why = "a role other than responder";
				return VR_FCGI_BAD;
			}
			begun = 1;
			request_id = id;
			at += rlen;
			continue;
		}
		if (buf[at + 1] != FCGI_PARAMS || id != request_id) {
			*why = "a record other than PARAMS before the params end";
			return VR_FCGI_BAD;
		}
		if (clen > max_params - plen) {
			*why = "params larger than max_params";
			return VR_FCGI_BAD;
		}
		if (++records > MAX_PARAMS_RECORDS + 1) {
			*why = "params in too many records";
			return VR_FCGI_BAD;
		}
		if (len - at < rlen)
			break;
		if (clen == 0)
			return check_pairs(scratch, plen, why);
		memcpy(scratch + plen, buf + at + FCGI_HEADER_LEN, clen);
		plen += clen;
		at += rlen;
	}
	if (len >= vr_fcgi_peek_limit(max_params)) {
		*why = "request header larger than the peek limit";
		return VR_FCGI_BAD;
	}
	return VR_FCGI_NEED_MORE;
}
