/*
 * The registry of resources: a new resource is one line here (and its
 * own files).  Routes are tried in this order.
 */
#include <stdio.h>
#include <string.h>

#include "vr_resources.h"

const vr_module_t *const vr_modules[] = {
	&vr_records_module,
	&vr_vendors_module,
	&vr_templates_module,
	&vr_assessments_module,
	&vr_findings_module,
	&vr_manifest_module,
	NULL
};

int
vr_resources_init(void)
{
	size_t	 i;

	for (i = 0; vr_modules[i] != NULL; i++)
		if (vr_modules[i]->store != NULL &&
		    vr_store_init(vr_modules[i]->store) == -1) {
			fprintf(stderr, "vendor-review: internal: the "
			    "statements of %s do not fit\n",
			    vr_modules[i]->store->res->name);
			return -1;
		}
	return 0;
}

const vr_store_t *
vr_store_by_name(const char *name, size_t len)
{
	const vr_store_t	*st;
	size_t			 i;

	for (i = 0; vr_modules[i] != NULL; i++)
		if ((st = vr_modules[i]->store) != NULL &&
		    strlen(st->res->name) == len &&
		    memcmp(st->res->name, name, len) == 0)
			return st;
	return NULL;
}
