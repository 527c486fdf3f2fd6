/*
 * fuzz_template_xml: the XML codec on check-sheet templates (POST /templates, import-template): sections, questions, options and labels, three lists deep.
 *
 * Input: the whole input is one request body.  See fuzz_codec.h for what
 * is run and the invariants checked.  Seeds: fuzz/corpus/template_xml/.
 */
#include "fuzz_codec.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_xml_setup("fuzz_template_xml");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_codec_one(&vr_template_resource, vr_xml_decode, vr_xml_encode_record, data, size);
	return 0;
}
