/*
 * vr_openapi: the API's machine-readable contract, written from the
 * route rows and the field tables (vr_openapi.c): the commands
 * `vendor-review openapi` (docs/openapi.yaml) and `vendor-review
 * json-schema` (plugin-manifests/schemas/api.schema.json).
 */
#ifndef VR_OPENAPI_H
#define VR_OPENAPI_H

#include "../core/vr_buf.h"

/* OpenAPI 3.1 as YAML into out: 0, or -1 when memory ran out. */
int		 vr_openapi_write(vr_buf_t *out);
/* The JSON Schema (2020-12) of every JSON body into out: 0 or -1. */
int		 vr_json_schema_write(vr_buf_t *out);

#endif
