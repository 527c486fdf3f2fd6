/*
 * fuzz_record_zip: the reading side of `vendor-review verify-record`: a
 * ZIP from anyone, read by vr_zip_read() and checked whole by
 * vr_supervision_verify() (SHA256SUMS, record.json and record.xml
 * through the codecs, audit-log.json and the hashes).
 *
 * Input: the whole input is the ZIP file.  Seeds: fuzz/corpus/record_zip/
 * (an exported pack, and archives with a "../" name, an absolute name, a
 * directory and too many entries).  An entry inflating past its limit is
 * tested in tests/integration/cases_record.py, not seeded: inflating
 * 64 MiB per run took the rate from 11,000 to 26 runs a second.
 *
 * Invariants (abort() when broken): vr_zip_read() either refuses with a
 * message, or gives at most VR_ZIP_MAX_ENTRIES entries, each with a name
 * vr_zip_name_ok() accepts, found again by vr_zip_find(), no two alike,
 * each at most VR_ZIP_MAX_ENTRY bytes and all together at most
 * VR_ZIP_MAX_TOTAL; vr_supervision_verify() always reports, its report
 * ends with a newline, and it finds a fault in an archive vr_zip_read()
 * refuses.
 */
#include "codec/vr_zip.h"
#include "domain/vr_supervision.h"
#include "fuzz_common.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_xml_setup("fuzz_record_zip");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vr_zip_t	 z;
	vr_buf_t	 report = { 0 };
	char		 err[256] = "";
	size_t		 i, j, total = 0, fails;
	int		 rc;

	memset(&z, 0, sizeof(z));
	rc = vr_zip_read(data, size, &z, err, sizeof(err));
	if (rc == -1)
		FUZZ_CHECK(err[0] != '\0', "refused without a reason");
	else {
		FUZZ_CHECK(z.n <= VR_ZIP_MAX_ENTRIES, "%zu entries", z.n);
		for (i = 0; i < z.n; i++) {
			FUZZ_CHECK(vr_zip_name_ok(z.entries[i].name),
			    "name %s accepted", z.entries[i].name);
			FUZZ_CHECK(vr_zip_find(&z, z.entries[i].name) ==
			    &z.entries[i], "%s twice", z.entries[i].name);
			FUZZ_CHECK(z.entries[i].data.len <= VR_ZIP_MAX_ENTRY,
			    "%s: %zu bytes", z.entries[i].name,
			    z.entries[i].data.len);
			total += z.entries[i].data.len;
			for (j = 0; j < i; j++)
				FUZZ_CHECK(strcmp(z.entries[i].name,
				    z.entries[j].name) != 0, "a name twice");
		}
		FUZZ_CHECK(total <= VR_ZIP_MAX_TOTAL, "%zu bytes in all",
		    total);
	}
	vr_zip_free(&z);
	fails = vr_supervision_verify(data, size, &report);
	FUZZ_CHECK(report.len > 0 && report.data[report.len - 1] == '\n',
	    "no report");
	FUZZ_CHECK(rc == 0 || fails > 0, "a refused archive verified");
	vr_buf_free(&report);
	return 0;
}
