/*
 * vr_err: error enum to HTTP status and title; problem recording.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vr_err.h"

static const struct {
	int		 status;
	const char	*title;
} err_table[VR_E__MAX] = {
	[VR_OK] =		{ 200, "OK" },
	[VR_E_MALFORMED] =	{ 400, "Bad Request" },
	[VR_E_UNAUTHENTICATED] = { 401, "Unauthorized" },
	[VR_E_FORBIDDEN] =	{ 403, "Forbidden" },
	[VR_E_NOT_FOUND] =	{ 404, "Not Found" },
	[VR_E_METHOD] =		{ 405, "Method Not Allowed" },
	[VR_E_NOT_ACCEPTABLE] =	{ 406, "Not Acceptable" },
	[VR_E_CONFLICT] =	{ 409, "Conflict" },
	[VR_E_TOO_LARGE] =	{ 413, "Content Too Large" },
	[VR_E_MEDIA_TYPE] =	{ 415, "Unsupported Media Type" },
	[VR_E_INVALID] =	{ 422, "Unprocessable Content" },
	[VR_E_UNAVAILABLE] =	{ 503, "Service Unavailable" },
	[VR_E_INTERNAL] =	{ 500, "Internal Server Error" },
};

vr_err_e
vr_fail(vr_problem_t *p, vr_err_e err, const char *code, const char *field,
    const char *fmt, ...)
{
	va_list	 ap;

	if (p == NULL || p->err != VR_OK)
		return err;
	p->err = err;
	p->code = code;
	snprintf(p->field, sizeof(p->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(p->detail, sizeof(p->detail), fmt, ap);
	va_end(ap);
	return err;
}

vr_err_e
vr_fail_more(vr_problem_t *p, vr_err_e err, const char *code,
    const char *field, const char *fmt, ...)
{
	vr_problem_error_t	*e;
	va_list			 ap;

	if (p == NULL || (p->err != VR_OK && (p->nerrors == 0 ||
	    p->err != err)))
		return err;
	if (p->nerrors == VR_PROBLEM_ERRORS_MAX) {
		p->errors_cut = true;
		return err;
	}
	e = &p->errors[p->nerrors++];
	e->code = code;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
	va_end(ap);
	if (p->err == VR_OK) {
		p->err = err;
		p->code = code;
		memcpy(p->field, e->field, sizeof(p->field));
		memcpy(p->detail, e->detail, sizeof(p->detail));
	}
	return err;
}

bool
vr_problem_full(const vr_problem_t *p)
{
	return p != NULL && (p->errors_cut ||
	    (p->err != VR_OK && p->nerrors == 0));
}

vr_err_e
vr_fail_oom(vr_problem_t *p)
{
	return vr_fail(p, VR_E_INTERNAL, "out_of_memory", NULL,
	    "out of memory");
}

/* Appends len bytes of s at *used in out, as many as fit. */
static void
path_put(char out[VR_PROBLEM_FIELD_MAX], size_t *used, const char *s,
    size_t len)
{
	if (len > VR_PROBLEM_FIELD_MAX - 1 - *used)
		len = VR_PROBLEM_FIELD_MAX - 1 - *used;
	memcpy(out + *used, s, len);
	*used += len;
	out[*used] = '\0';
}

void
vr_path_member(char out[VR_PROBLEM_FIELD_MAX], const char *prefix,
    const char *name)
{
	size_t	 used = 0;

	path_put(out, &used, prefix, strlen(prefix));
	if (prefix[0] != '\0')
		path_put(out, &used, ".", 1);
	path_put(out, &used, name, strlen(name));
}

void
vr_path_index(char out[VR_PROBLEM_FIELD_MAX], const char *prefix, size_t k)
{
	char	 digits[24];
	size_t	 used = 0, n = sizeof(digits);

	do
		digits[--n] = (char)('0' + k % 10);
	while ((k /= 10) != 0);
	digits[--n] = '[';
	path_put(out, &used, prefix, strlen(prefix));
	path_put(out, &used, digits + n, sizeof(digits) - n);
	path_put(out, &used, "]", 1);
}

void
vr_problem_clear(vr_problem_t *p)
{
	/* Not the whole 16 kB: errors[] past nerrors is never read, and a
	 * request clears a problem for every statement it runs. */
	p->err = VR_OK;
	p->code = NULL;
	p->detail[0] = p->field[0] = '\0';
	p->existing_id = 0;
	p->nerrors = 0;
	p->errors_cut = false;
}

int
vr_err_status(vr_err_e e)
{
	return (e >= 0 && e < VR_E__MAX) ? err_table[e].status : 500;
}

const char *
vr_err_title(vr_err_e e)
{
	return (e >= 0 && e < VR_E__MAX) ? err_table[e].title :
	    "Internal Server Error";
}

const char *
vr_status_title(int status)
{
	size_t	 i;

	for (i = 0; i < VR_E__MAX; i++)
		if (err_table[i].status == status)
			return err_table[i].title;
	return "Error";
}
