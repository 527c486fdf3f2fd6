/*
 * fuzz_common: helpers the harnesses share (header-only, static).
 * A harness aborts on a broken invariant with a message naming it, so
 * libFuzzer records the input as a crash.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/vr_codec.h"
#include "core/vr_field.h"
#include "core/vr_log.h"
#include "model/vr_model.h"
#include "resources/vr_resources.h"

/*
 * The plugin's log stays quiet unless FUZZ_VERBOSE is set: a harness
 * that answers 503 on every input would spend its time on stderr.
 */
__attribute__((constructor)) static void
fuzz_quiet_log(void)
{
	vr_log_quiet(getenv("FUZZ_VERBOSE") == NULL);
}

#define FUZZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz invariant broken: %s: ", #cond);	\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

/* A NUL-terminated copy of the input (the codecs expect one). */
static inline char *
fuzz_strndup(const uint8_t *data, size_t size)
{
	char	*s;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * Splits data at sep into at most n fields (each NUL-terminated, owned by
 * the caller through *store); the last field takes the rest of the input,
 * separators included.  Missing fields are "".  Returns the length of the
 * last field (it may hold NULs when sep is not NUL).
 */
static inline size_t
fuzz_split(const uint8_t *data, size_t size, char sep, char **fields,
    size_t n, char **store)
{
	char	*buf = fuzz_strndup(data, size), *p = buf, *end = buf + size;
	size_t	 i, last = 0;

	for (i = 0; i < n; i++) {
		char	*q;

		if (i + 1 == n) {
			fields[i] = p;
			last = (size_t)(end - p);
			break;
		}
		q = memchr(p, sep, (size_t)(end - p));
		fields[i] = p;
		if (q == NULL) {
			p = end;	/* points at the final NUL: "" */
			continue;
		}
		*q = '\0';
		p = q + 1;
	}
	*store = buf;
	return last;
}

/* Whether two records of res hold the same values. */
static inline int
fuzz_record_equal(const vr_resource_t *res, const vr_value_t *a,
    const vr_value_t *b, const char **which)
{
	size_t	 i;

	for (i = 0; i < res->nfields; i++) {
		const vr_value_t	*x = &a[i], *y = &b[i];
		int			 eq;

		*which = res->fields[i].name;
		if (x->present != y->present)
			return 0;
		if (!x->present)
			continue;
		if (x->null != y->null)
			return 0;
		if (x->null)
			continue;
		switch (res->fields[i].type) {
		case VR_T_INT:
		case VR_T_BOOL:
			eq = x->i == y->i;
			break;
		case VR_T_RECORD:
		case VR_T_LIST:
		case VR_T_VARIANT:
			eq = vr_value_same(&res->fields[i], x, y);
			break;
		default:
			eq = x->s != NULL && y->s != NULL &&
			    strcmp(x->s, y->s) == 0;
			break;
		}
		if (!eq)
			return 0;
	}
	*which = NULL;
	return 1;
}

/* LLVMFuzzerInitialize of the harnesses that parse XML. */
static inline void
fuzz_xml_setup(const char *name)
{
	if (vr_xml_init(vr_api_resources()) == -1) {
		fprintf(stderr, "%s: vr_xml_init failed\n", name);
		exit(1);
	}
}

#endif
