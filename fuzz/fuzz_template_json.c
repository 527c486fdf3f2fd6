/*
 * fuzz_template_json: the JSON codec on check-sheet templates (POST /templates, import-template): sections, questions, options and labels, three lists deep.
 *
 * Input: the whole input is one request body.  See fuzz_codec.h for what
 * is run and the invariants checked.  Seeds: fuzz/corpus/template_json/.
 */
#include "fuzz_codec.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_codec_one(&vr_template_resource, vr_json_decode, vr_json_encode_record, data, size);
	return 0;
}
