/*
 * fuzz_incident_json: the JSON codec on incidents (POST /incidents, PATCH /incidents/{id}): lists of enums, dates, integers and flags.
 *
 * Input: the whole input is one request body.  See fuzz_codec.h for what
 * is run and the invariants checked.  Seeds: fuzz/corpus/incident_json/.
 */
#include "fuzz_codec.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_codec_one(&vr_incident_resource, vr_json_decode, vr_json_encode_record, data, size);
	return 0;
}
