/*
 * fuzz_record: the JSON or XML codec on the request body of one resource.
 * fuzz/Makefile builds it once per target, naming the resource:
 *
 *   -DFUZZ_RESOURCE=vr_incident_resource -DFUZZ_NAME='"fuzz_incident_xml"'
 *   -DFUZZ_XML (the XML codec; without it, JSON)
 *
 * Targets (their seeds in fuzz/corpus/<target>/): json and xml (vendors;
 * json's seeds hold a slice of JSONTestSuite), answers_* (PUT …/answers
 * and the vendor's link: a list of answers whose values are variants),
 * template_* (nested sections, questions, options), subcontract_* (a
 * nested flow_down record, a list of enums), incident_* (lists of enums,
 * dates, integers, flags), schedule_run_* (POST /schedule/run).
 *
 * Input: the whole input is one request body.  See fuzz_codec.h for what
 * is run and the invariants checked.
 */
#include "fuzz_codec.h"

#if !defined(FUZZ_RESOURCE) || !defined(FUZZ_NAME)
#error "build with -DFUZZ_RESOURCE=vr_..._resource -DFUZZ_NAME='\"fuzz_...\"'"
#endif

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#ifdef FUZZ_XML
#define DECODE	vr_xml_decode
#define ENCODE	vr_xml_encode_record

int	LLVMFuzzerInitialize(int *, char ***);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_xml_setup(FUZZ_NAME);
	return 0;
}
#else
#define DECODE	vr_json_decode
#define ENCODE	vr_json_encode_record
#endif

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_codec_one(&FUZZ_RESOURCE, DECODE, ENCODE, data, size);
	return 0;
}
