/*
 * fuzz_incident_xml: the XML codec on incidents (POST /incidents, PATCH /incidents/{id}): lists of enums, dates, integers and flags.
 *
 * Input: the whole input is one request body.  See fuzz_codec.h for what
 * is run and the invariants checked.  Seeds: fuzz/corpus/incident_xml/.
 */
#include "fuzz_codec.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_xml_setup("fuzz_incident_xml");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_codec_one(&vr_incident_resource, vr_xml_decode, vr_xml_encode_record, data, size);
	return 0;
}
