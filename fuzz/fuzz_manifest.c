/*
 * fuzz_manifest: the plugin manifest reader (vr_manifest_parse), which
 * `serve` and `check-config` run on the file the config names.
 *
 * Input: the whole input is one manifest document, read as if it were
 * plugin-manifests/vendor-review.xml (so the shipped schema beside it
 * applies).  Invariants: it answers 0 with a manifest record, or -1 with
 * a message that names the file and a line ("FILE:LINE: ..."); an
 * accepted manifest encodes as JSON, and every transition in it names
 * only registered guards and effects.  Seeds: fuzz/corpus/manifest/.
 */
#include "model/vr_model.h"
#include "workflow/vr_workflow.h"
#include "fuzz_common.h"

#define MANIFEST_PATH	FUZZ_ROOT "/plugin-manifests/vendor-review.xml"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_xml_setup("fuzz_manifest");
	return 0;
}

static bool
named_in(const vr_rule_t *reg, const char *name)
{
	for (; reg->name != NULL; reg++)
		if (strcmp(reg->name, name) == 0)
			return true;
	return false;
}

/* Every guard and effect of every transition is registered. */
static void
check_rules(const vr_value_t *m)
{
	const vr_value_t	*wfs = &m[MF_WORKFLOWS], *sts, *ts, *t;
	size_t			 i, j, k, g;

	for (i = 0; i < wfs->n; i++) {
		sts = &wfs->item[i].rec[MWF_STATES];
		for (j = 0; j < sts->n; j++) {
			ts = &sts->item[j].rec[MSF_TRANSITIONS];
			for (k = 0; k < ts->n; k++) {
				t = ts->item[k].rec;
				for (g = 0; g < t[MTF_GUARDS].n; g++)
					FUZZ_CHECK(named_in(vr_guards,
					    t[MTF_GUARDS].item[g].s),
					    "unregistered guard accepted");
				for (g = 0; g < t[MTF_EFFECTS].n; g++)
					FUZZ_CHECK(named_in(vr_effects,
					    t[MTF_EFFECTS].item[g].s),
					    "unregistered effect accepted");
			}
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vr_value_t	*m = NULL;
	vr_buf_t	 json = { 0 };
	char		 err[1024], *body = fuzz_strndup(data, size);
	int		 rc;

	rc = vr_manifest_parse(MANIFEST_PATH, body, size, &vr_workflow_names,
	    &m, err, sizeof(err));
	if (rc == 0) {
		FUZZ_CHECK(m != NULL, "accepted without a record");
		check_rules(m);
		FUZZ_CHECK(vr_json_encode_record(&vr_manifest_resource, m,
		    &json) == VR_OK, "an accepted manifest does not encode");
	} else {
		FUZZ_CHECK(rc == -1 && m == NULL, "rc %d", rc);
		FUZZ_CHECK(strncmp(err, MANIFEST_PATH ":",
		    strlen(MANIFEST_PATH) + 1) == 0, "message without FILE: "
		    "%s", err);
	}
	vr_record_free(&vr_manifest_resource, m);
	vr_buf_free(&json);
	free(body);
	return 0;
}
