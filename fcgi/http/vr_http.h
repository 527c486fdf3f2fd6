/*
 * vr_http: the request pipeline shared by FastCGI and CGI: content
 * negotiation, identity, routing (the route table), the handler, and
 * turning any error into a problem document.  Also the few helpers
 * handlers use to read a body and send records, so no handler touches a
 * codec's internals or builds a response by hand.
 */
#ifndef VR_HTTP_H
#define VR_HTTP_H

#include "../core/vr_field.h"
#include "vr_request.h"

typedef vr_err_e (*vr_handler_fn)(vr_request_t *, vr_response_t *);

struct vr_store;

/*
 * One row of a resource's route table (beside its handlers, in
 * fcgi/resources/).  A pattern's segments are literal, "{name_id}" or
 * "{id}" (a positive decimal integer, into req->ids in order) or
 * "{token}" (1-128 of [A-Za-z0-9_-], into req->token).  A table ends
 * with a row whose method is NULL.
 */
typedef struct vr_route {
	const char		*method;
	const char		*pattern;
	vr_handler_fn		 handler;
	unsigned		 roles;	/* any of these; 0: no identity needed */
	/*
	 * Answers kept in vr_cache.  Only for a handler whose answer
	 * depends on nothing but the path, the query, the format and the
	 * data (not on who asks, past the role check).
	 */
	bool			 cached;
	const struct vr_store	*store;	/* the resource generic handlers serve */
	/*
	 * Served below vendor_base_path (the vendor's links), not the
	 * API's base: the two never reach each other's routes.
	 */
	bool			 vendor;
	/*
	 * The handler answers a file of its own type (a spreadsheet): an
	 * Accept that names neither JSON nor XML is no 406 here; problems
	 * are then JSON.
	 */
	bool			 raw;
	/*
	 * The route's contract, which `vendor-review openapi` writes into
	 * docs/openapi.yaml (vr_openapi.c) with what the row says anyway
	 * (method, path, roles, store): only what the row cannot say.
	 */
	const char		*summary;
	const vr_resource_t	*in;		/* the body it reads */
	bool			 in_optional;	/* ... when one is sent */
	const char *const	*in_media;	/* or a file of these types */
	const vr_resource_t	*out;		/* the record it answers */
	bool			 list;		/* ... as a page of them */
	int			 status;	/* its success status; 0: 200 */
	int			 out_also;	/* a failure answering out too */
	const char *const	*media;		/* files it answers (raw) */
	/*
	 * Query parameters it reads (besides a list's own, from its
	 * store), each declared as a field (type, range or values, doc):
	 * the handler reads them through the same rows the OpenAPI file
	 * describes.  Ends with a row whose name is NULL.
	 */
	const vr_field_t	*params;
	/*
	 * "STATUS code" of every problem it answers besides those every
	 * route of its kind does (vr_openapi.c): NULL-terminated.
	 */
	const char *const	*problems;
} vr_route_t;

/* Whether path matches pattern; fills req's ids and token when it does. */
int		 vr_route_match(const char *pattern, const char *path,
		    vr_request_t *);

/*
 * Answers one request: fills resp, never fails.  req->body must already
 * hold the whole body; body_too_large set by the server means 413.
 */
void		 vr_http_handle(vr_request_t *, vr_response_t *,
		    int body_too_large);
void		 vr_response_free(vr_response_t *);

/*
 * Reads the request body as a record of res: 415 for a media type we do
 * not read, 400/422 from the codec, then vr_record_validate().
 */
vr_err_e	 vr_http_read_record(vr_request_t *, const vr_resource_t *,
		    vr_value_t *, vr_mode_e);
/* Encodes a record / list in the negotiated format with this status. */
vr_err_e	 vr_http_send_record(vr_request_t *, vr_response_t *, int status,
		    const vr_resource_t *, const vr_value_t *);
vr_err_e	 vr_http_send_list(vr_request_t *, vr_response_t *,
		    const vr_resource_t *, const vr_list_t *);
/*
 * Refuses a query naming a parameter that is neither in own (NULL-
 * terminated, may be NULL) nor declared (rows up to a NULL name, may be
 * NULL): VR_E_MALFORMED "unknown_parameter" naming it and the ones
 * taken, so a mistyped filter is never silently a list of everything.
 */
vr_err_e	 vr_http_query_known(vr_request_t *, const char *const *own,
		    const vr_field_t *declared);
/*
 * Integer query parameter: def when absent, VR_E_MALFORMED naming it
 * when not a decimal integer in [min, max].
 */
vr_err_e	 vr_http_query_int(vr_request_t *, const char *name,
		    int64_t def, int64_t min, int64_t max, int64_t *out);
/* limit= of every stored resource's list (its page size). */
extern const vr_field_t vr_http_list_limit;
/* The same for a declared INT parameter: its range, its dflt when absent. */
vr_err_e	 vr_http_query_declared(vr_request_t *, const vr_field_t *,
		    int64_t *out);

#endif
