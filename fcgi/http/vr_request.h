/*
 * vr_request: one HTTP request as the handlers see it, whichever way it
 * arrived (FastCGI or plain CGI), and the response they fill.  The server
 * writes the response; handlers never write to the wire.
 */
#ifndef VR_REQUEST_H
#define VR_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/vr_buf.h"
#include "../core/vr_config.h"
#include "../core/vr_err.h"
#include "../codec/vr_codec.h"

struct vr_db;
struct vr_route;

/* Path parameters: "{…id}" segments in order, and one "{token}". */
#define VR_PATH_MAX_IDS	3
#define VR_TOKEN_MAX	128

/* Returns the value of a CGI/FastCGI param, or NULL. */
typedef const char *(*vr_param_fn)(void *ctx, const char *name);

typedef struct vr_request {
	const vr_config_t *cfg;
	struct vr_db	*db;		/* this worker's connection */
	vr_param_fn	 param;
	void		*param_ctx;
	const char	*method;	/* REQUEST_METHOD */
	const char	*path;		/* below the base path, e.g. "/vendors/7" */
	bool		 vendor_area;	/* below the vendor links' base path */
	const char	*query;		/* QUERY_STRING, "" when none */
	const char	*content_type;	/* NULL when none */
	const char	*body;		/* the whole body, NUL-terminated */
	size_t		 body_len;
	char		 request_id[33]; /* 32 hex digits */
	const char	*user;		/* from the configured user param */
	unsigned	 roles;		/* vr_role_e bits */
	vr_format_e	 out_format;	/* from Accept */
	const struct vr_route *route;	/* the matched route */
	int64_t		 id;		/* the first {…id} of the route, or 0 */
	int64_t		 ids[VR_PATH_MAX_IDS];	/* every {…id}, in order */
	char		 token[VR_TOKEN_MAX + 1];	/* {token}, or "" */
	/*
	 * The long poll: the server sets may_wait when it can park the
	 * request; a handler with nothing to answer yet sets wait_seconds
	 * (and wait_after, the event id it waits beyond) instead of
	 * answering, and is run again when an event or the time comes.
	 */
	bool		 may_wait;
	unsigned	 wait_seconds;
	int64_t		 wait_after;
	/* Last: a request is zeroed up to it, and it only cleared (16 kB). */
	vr_problem_t	 problem;
} vr_request_t;

typedef struct vr_response {
	int		 status;
	const char	*content_type;
	vr_buf_t	 headers;	/* extra "Name: value\r\n" lines */
	vr_buf_t	 body;
} vr_response_t;

/* The value of name in the query string, percent-decoded, or NULL. */
char		*vr_query_get(const char *query, const char *name);

#endif
