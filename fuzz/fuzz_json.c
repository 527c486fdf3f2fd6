/*
 * fuzz_json: the JSON codec on the vendor resource.
 *
 * Input: the whole input is one request body (no split).  See
 * fuzz_codec.h for what is run and the invariants checked.
 * Seeds: fuzz/corpus/json/ (valid vendor bodies and a slice of
 * JSONTestSuite).
 */
#include "fuzz_codec.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_codec_one(&vr_vendor_resource, vr_json_decode,
	    vr_json_encode_record, data,
	    size);
	return 0;
}
