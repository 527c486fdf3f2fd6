/*
 * fuzz_subcontract_json: the JSON codec on subcontracts (POST /subcontracts, PATCH /subcontracts/{id}): a nested record (flow_down) and a list of enums (data_classes).
 *
 * Input: the whole input is one request body.  See fuzz_codec.h for what
 * is run and the invariants checked.  Seeds: fuzz/corpus/subcontract_json/.
 */
#include "fuzz_codec.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_codec_one(&vr_subcontract_resource, vr_json_decode, vr_json_encode_record, data, size);
	return 0;
}
