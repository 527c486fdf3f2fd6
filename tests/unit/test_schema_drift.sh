#!/bin/sh
# The shipped XSD must be exactly what the field tables generate, so the
# documented XML vocabulary cannot drift from what the server accepts.
# Regenerate with: fcgi/vendor-review schema > plugin-manifests/schemas/api.xsd
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${abs_top_builddir:-$top}/fcgi/vendor-review
if "$bin" schema | cmp -s - "$top/plugin-manifests/schemas/api.xsd"; then
	echo "test_schema_drift: 1 passed, 0 failed"
	exit 0
fi
echo "FAIL: plugin-manifests/schemas/api.xsd differs from 'vendor-review schema'"
echo "test_schema_drift: 0 passed, 1 failed"
exit 1
