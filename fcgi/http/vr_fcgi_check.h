/*
 * vr_fcgi_check: vets the start of a FastCGI connection's byte stream
 * before libfcgi reads it.  libfcgi trusts the length fields: a params
 * record claiming a 2 GiB name makes its allocator assert and the whole
 * process abort.  The gate (vr_gate.c) peeks at what has arrived and asks
 * this checker whether it holds a whole, sane request header (optional
 * management records, one BEGIN_REQUEST, PARAMS records up to the empty
 * one), needs more bytes, or is to be closed.  Pure: no I/O, no state.
 */
#ifndef VR_FCGI_CHECK_H
#define VR_FCGI_CHECK_H

#include <stddef.h>

typedef enum vr_fcgi_check {
	VR_FCGI_COMPLETE,	/* a whole request header, every length sane */
	VR_FCGI_NEED_MORE,	/* sane so far; wait for more bytes */
	VR_FCGI_BAD		/* close the connection; *why says why */
} vr_fcgi_check_e;

/* The most bytes of a request header worth peeking at for max_params. */
size_t		 vr_fcgi_peek_limit(size_t max_params);

/*
 * Checks buf[0..len) (everything received so far) against the protocol
 * and max_params (the params' name and value bytes with their length
 * fields).  scratch must hold max_params bytes: the params content is
 * gathered there from its records.  On VR_FCGI_BAD, *why is a static
 * phrase for the log.
 */
vr_fcgi_check_e	 vr_fcgi_check(const unsigned char *buf, size_t len,
		    size_t max_params, unsigned char *scratch,
		    const char **why);

#endif
