/*
 * vr_err: the one error enum every layer returns, and the problem that
 * carries its details (RFC 9457) up to the response.  vr_err_status()
 * is the only place an error becomes an HTTP status.
 */
#ifndef VR_ERR_H
#define VR_ERR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum vr_err {
	VR_OK = 0,
	VR_E_MALFORMED,		/* 400: body or query is not well-formed */
	VR_E_UNAUTHENTICATED,	/* 401: no identity from the front server */
	VR_E_FORBIDDEN,		/* 403: the user's roles lack the right */
	VR_E_NOT_FOUND,		/* 404: no such route or record */
	VR_E_METHOD,		/* 405: route exists, method does not */
	VR_E_NOT_ACCEPTABLE,	/* 406: Accept names no format we speak */
	VR_E_CONFLICT,		/* 409: stale version or state conflict */
	VR_E_TOO_LARGE,		/* 413: body over the configured limit */
	VR_E_MEDIA_TYPE,	/* 415: Content-Type we do not read */
	VR_E_INVALID,		/* 422: well-formed, but breaks a rule */
	VR_E_UNAVAILABLE,	/* 503: database unreachable or state unknown */
	VR_E_INTERNAL,		/* 500: our bug or resource exhaustion */
	VR_E__MAX
} vr_err_e;

#define VR_PROBLEM_DETAIL_MAX	256
#define VR_PROBLEM_FIELD_MAX	64
/*
 * Errors one problem lists at most (the `errors` member): a body with
 * more invalid fields names the first 50 and says it was cut, so a
 * hostile body of 1000 bad items costs no more than 50.
 */
#define VR_PROBLEM_ERRORS_MAX	50

/* One entry of a problem's list of errors. */
typedef struct vr_problem_error {
	const char	*code;
	char		 field[VR_PROBLEM_FIELD_MAX];	/* "" when none */
	char		 detail[VR_PROBLEM_DETAIL_MAX];
} vr_problem_error_t;

typedef struct vr_problem {
	vr_err_e	 err;
	const char	*code;		/* stable machine code, static storage */
	char		 detail[VR_PROBLEM_DETAIL_MAX];	/* human message */
	char		 field[VR_PROBLEM_FIELD_MAX];	/* "" when none */
	int64_t		 existing_id;	/* the record a conflict is with; 0 */
	/*
	 * Every error of the same status found by a check that goes on
	 * after the first (vr_fail_more); errors[0] is the one above.
	 * Empty when the error came from vr_fail() alone.
	 */
	vr_problem_error_t errors[VR_PROBLEM_ERRORS_MAX];
	size_t		 nerrors;
	bool		 errors_cut;	/* more were found than are listed */
} vr_problem_t;

/*
 * Records an error in p (which may be NULL) and returns err, so a caller
 * writes `return vr_fail(p, VR_E_INVALID, "too_long", "name", "...")`.
 * field may be NULL.  The first recorded error wins: later calls on a
 * problem that already holds one only return err.
 */
vr_err_e	 vr_fail(vr_problem_t *p, vr_err_e err, const char *code,
		    const char *field, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));
/*
 * vr_fail() for a check that goes on after an error to find them all
 * (the validator): the first error is recorded as vr_fail() does, and
 * every error of the same kind is also appended to p->errors, up to
 * VR_PROBLEM_ERRORS_MAX (then errors_cut).  An error after a plain
 * vr_fail() one, or of another kind than the first, only returns err.
 */
vr_err_e	 vr_fail_more(vr_problem_t *p, vr_err_e err, const char *code,
		    const char *field, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));
/* Whether more errors would not be listed: a check may stop looking. */
bool		 vr_problem_full(const vr_problem_t *);
/* vr_fail(p, VR_E_INTERNAL, "out_of_memory", ...): the one place it is said. */
vr_err_e	 vr_fail_oom(vr_problem_t *);
void		 vr_problem_clear(vr_problem_t *);
/*
 * A field's path for problems into out (which must not be prefix):
 * "name" or "parent.name", and "list[3]"; cut short to fit.  Without
 * printf: the validator and both decoders make one per value they visit.
 */
void		 vr_path_member(char out[VR_PROBLEM_FIELD_MAX],
		    const char *prefix, const char *name);
void		 vr_path_index(char out[VR_PROBLEM_FIELD_MAX],
		    const char *prefix, size_t k);
int		 vr_err_status(vr_err_e);
const char	*vr_err_title(vr_err_e);
/* The title of an HTTP status the table has ("Error" otherwise). */
const char	*vr_status_title(int);

#endif
