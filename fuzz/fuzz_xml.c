/*
 * fuzz_xml: the XML codec on the vendor resource, behind the compiled
 * schema of vr_api_resources() (vr_xml_init() once, as the server does).
 *
 * Input: the whole input is one request body (no split).  See
 * fuzz_codec.h for what is run and the invariants checked.
 * Seeds: fuzz/corpus/xml/ (valid vendors, and hostile documents:
 * DOCTYPE, entities, XInclude, namespaces, depth).
 */
#include "fuzz_codec.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_xml_setup("fuzz_xml");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_codec_one(&vr_vendor_resource, vr_xml_decode,
	    vr_xml_encode_record, data,
	    size);
	return 0;
}
