/*
 * fuzz_answers_json: the JSON codec on answers (PUT …/answers, the vendor's link): a list of answers whose values are variants (text, integer, list).
 *
 * Input: the whole input is one request body.  See fuzz_codec.h for what
 * is run and the invariants checked.  Seeds: fuzz/corpus/answers_json/.
 */
#include "fuzz_codec.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_codec_one(&vr_answers_resource, vr_json_decode, vr_json_encode_record, data, size);
	return 0;
}
