/*
 * fuzz_codec: the body shared by the codec harnesses (fuzz_json,
 * fuzz_xml: vendors; fuzz_template_*: check-sheet templates, nested three
 * deep; fuzz_answers_*: answers with their variant values).  One input
 * is one request body for the harness's resource:
 *
 *   decode -> (VR_OK) validate in CREATE mode and in UPDATE mode, as a
 *   non-admin and as an admin -> for each record that validated: encode,
 *   decode the encoding, which must succeed, equal the validated record
 *   and validate again in the same mode.
 *
 * Invariants (abort() when broken): the decoder answers only VR_OK,
 * VR_E_MALFORMED, VR_E_INVALID or VR_E_TOO_LARGE (VR_E_INTERNAL means out
 * of memory or a bug; inputs here are small), and an error fills the
 * problem with the same error and a code; validation answers only VR_OK,
 * VR_E_INVALID or VR_E_FORBIDDEN; the encoder never fails.
 */
#ifndef FUZZ_CODEC_H
#define FUZZ_CODEC_H

#include "codec/vr_codec.h"
#include "model/vr_model.h"
#include "fuzz_common.h"

typedef vr_err_e (*fuzz_decode_fn)(const vr_resource_t *, const char *,
    size_t, vr_value_t *, vr_problem_t *);
typedef vr_err_e (*fuzz_encode_fn)(const vr_resource_t *,
    const vr_value_t *, vr_buf_t *);

static void
fuzz_check_problem(vr_err_e e, const vr_problem_t *p, const char *what)
{
	FUZZ_CHECK(p->err == e, "%s returned %d but the problem holds %d",
	    what, (int)e, (int)p->err);
	FUZZ_CHECK(p->code != NULL && p->code[0] != '\0',
	    "%s: error %d without a code", what, (int)e);
	FUZZ_CHECK(memchr(p->detail, '\0', sizeof(p->detail)) != NULL &&
	    memchr(p->field, '\0', sizeof(p->field)) != NULL,
	    "%s: problem strings not terminated", what);
}

/* Validates a copy of rec; on success the encoding must round-trip. */
static void
fuzz_round_trip(const vr_resource_t *res, fuzz_decode_fn dec,
    fuzz_encode_fn enc, const vr_value_t *rec, vr_mode_e mode,
    bool admin)
{
	vr_value_t	*copy, *again;
	vr_problem_t	 p;
	vr_buf_t	 out = { 0 };
	const char	*which;
	vr_err_e	 e;

	if ((copy = vr_record_dup(res, rec)) == NULL)
		abort();
	vr_problem_clear(&p);
	e = vr_record_validate(res, copy, mode, admin, &p);
	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "validate(%s%s): %d %s %s %s\n",
		    mode == VR_MODE_CREATE ? "create" : "update",
		    admin ? ", admin" : "", (int)e, p.code ? p.code : "-",
		    p.field, p.detail);
	if (e != VR_OK) {
		FUZZ_CHECK(e == VR_E_INVALID || e == VR_E_FORBIDDEN,
		    "validate returned %d", (int)e);
		fuzz_check_problem(e, &p, "validate");
		FUZZ_CHECK(e != VR_E_FORBIDDEN || !admin,
		    "validate refused an admin with 403");
		vr_record_free(res, copy);
		return;
	}
	e = enc(res, copy, &out);
	FUZZ_CHECK(e == VR_OK && out.data != NULL && out.len > 0,
	    "encode of a valid record failed: %d", (int)e);
	FUZZ_CHECK(strlen(out.data) == out.len, "encoding holds a NUL");
	if ((again = vr_record_new(res)) == NULL)
		abort();
	vr_problem_clear(&p);
	e = dec(res, out.data, out.len, again, &p);
	FUZZ_CHECK(e == VR_OK, "re-decode of our own encoding failed: %d "
	    "%s (%s) %s\n--- encoding:\n%s", (int)e, p.code ? p.code : "",
	    p.field, p.detail, out.data);
	FUZZ_CHECK(fuzz_record_equal(res, copy, again, &which),
	    "round trip changed field %s\n--- encoding:\n%s", which,
	    out.data);
	vr_problem_clear(&p);
	e = vr_record_validate(res, again, mode, admin, &p);
	FUZZ_CHECK(e == VR_OK, "a round-tripped valid record no longer "
	    "validates: %s (%s) %s", p.code ? p.code : "", p.field, p.detail);
	vr_record_free(res, again);
	vr_record_free(res, copy);
	vr_buf_free(&out);
}

static void
fuzz_codec_one(const vr_resource_t *res, fuzz_decode_fn dec,
    fuzz_encode_fn enc, const uint8_t *data, size_t size)
{
	vr_value_t		*rec;
	vr_problem_t		 p;
	char			*body = fuzz_strndup(data, size);
	vr_err_e		 e;

	if ((rec = vr_record_new(res)) == NULL)
		abort();
	vr_problem_clear(&p);
	e = dec(res, body, size, rec, &p);
	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "decode: %d %s %s %s\n", (int)e,
		    p.code ? p.code : "-", p.field, p.detail);
	if (e != VR_OK) {
		FUZZ_CHECK(e == VR_E_MALFORMED || e == VR_E_INVALID ||
		    e == VR_E_TOO_LARGE, "decode returned %d (%s: %s)",
		    (int)e, p.code ? p.code : "", p.detail);
		fuzz_check_problem(e, &p, "decode");
	} else {
		fuzz_round_trip(res, dec, enc, rec, VR_MODE_CREATE, false);
		fuzz_round_trip(res, dec, enc, rec, VR_MODE_CREATE, true);
		fuzz_round_trip(res, dec, enc, rec, VR_MODE_UPDATE, false);
		fuzz_round_trip(res, dec, enc, rec, VR_MODE_UPDATE, true);
	}
	vr_record_free(res, rec);
	free(body);
}

#endif
