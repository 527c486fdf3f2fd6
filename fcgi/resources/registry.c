/*
 * The registry of resources: a new resource is its two lines here (and
 * its own files).  Routes are tried in this order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vr_resources.h"

extern const vr_module_t vr_records_module;
extern const vr_module_t vr_vendors_module;
extern const vr_module_t vr_templates_module;
extern const vr_module_t vr_assessments_module;
extern const vr_module_t vr_findings_module;
extern const vr_module_t vr_manifest_module;
extern const vr_module_t vr_schedule_module;
extern const vr_module_t vr_subcontracts_module;
extern const vr_module_t vr_incidents_module;
extern const vr_module_t vr_stats_module;
extern const vr_module_t vr_supervision_module;

const vr_module_t *const vr_modules[] = {
	&vr_records_module,
	&vr_vendors_module,
	&vr_templates_module,
	&vr_assessments_module,
	&vr_findings_module,
	&vr_subcontracts_module,
	&vr_incidents_module,
	&vr_manifest_module,
	&vr_schedule_module,
	&vr_stats_module,
	&vr_supervision_module,
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

const vr_resource_t *const *
vr_api_resources(void)
{
	/* Filled in the main thread, before any worker (idempotent). */
	static const vr_resource_t	*list[64];
	const vr_resource_t		*r;
	size_t				 m, b, n = 0, k;

	for (m = 0; vr_modules[m] != NULL; m++)
		for (b = 0; ; b++) {
			if (b == 0)
				r = vr_modules[m]->store != NULL ?
				    vr_modules[m]->store->res : NULL;
			else if (vr_modules[m]->bodies == NULL ||
			    (r = vr_modules[m]->bodies[b - 1]) == NULL)
				break;
			for (k = 0; r != NULL && k < n; k++)
				if (list[k] == r)
					r = NULL;
			if (r == NULL)
				continue;
			if (n + 1 == sizeof(list) / sizeof(list[0])) {
				/* A programming error: make the list longer. */
				fprintf(stderr, "vendor-review: internal: more "
				    "than %zu API bodies\n", n);
				abort();
			}
			list[n++] = r;
		}
	list[n] = NULL;
	return list;
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
