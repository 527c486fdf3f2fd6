#!/bin/sh
# The shipped XSD must be exactly what the field tables generate, so the
# documented XML vocabulary cannot drift from what the server accepts; and
# the schema version the program demands must be the last migration.
# Regenerate with: fcgi/vendor-review schema > plugin-manifests/schemas/api.xsd
# (and fcgi/vendor-review schema problem > plugin-manifests/schemas/problem.xsd,
# fcgi/vendor-review openapi > docs/openapi.yaml,
# fcgi/vendor-review json-schema > plugin-manifests/schemas/api.schema.json)
# and fcgi/vendor-review manifest-json plugin-manifests/vendor-review.xml \
#     > plugin-manifests/vendor-review.json
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${abs_top_builddir:-$top}/fcgi/vendor-review
pass=0 fail=0
if "$bin" schema | cmp -s - "$top/plugin-manifests/schemas/api.xsd"; then
	pass=$((pass + 1))
else
	echo "FAIL: plugin-manifests/schemas/api.xsd differs from 'vendor-review schema'"
	fail=$((fail + 1))
fi
# The problem document's XSD (RFC 7807's namespace) likewise.
if "$bin" schema problem | cmp -s - "$top/plugin-manifests/schemas/problem.xsd"; then
	pass=$((pass + 1))
else
	echo "FAIL: plugin-manifests/schemas/problem.xsd differs from 'vendor-review schema problem'"
	fail=$((fail + 1))
fi
# The API's contract: the OpenAPI file and the JSON Schemas of its bodies
# are what the route rows and field tables make.
if "$bin" openapi | cmp -s - "$top/docs/openapi.yaml"; then
	pass=$((pass + 1))
else
	echo "FAIL: docs/openapi.yaml differs from 'vendor-review openapi'"
	fail=$((fail + 1))
fi
if "$bin" json-schema | cmp -s - "$top/plugin-manifests/schemas/api.schema.json"; then
	pass=$((pass + 1))
else
	echo "FAIL: plugin-manifests/schemas/api.schema.json differs from 'vendor-review json-schema'"
	fail=$((fail + 1))
fi
# The JSON manifest is what the program makes of the XML one.
if "$bin" manifest-json "$top/plugin-manifests/vendor-review.xml" |
    cmp -s - "$top/plugin-manifests/vendor-review.json"; then
	pass=$((pass + 1))
else
	echo "FAIL: plugin-manifests/vendor-review.json differs from 'vendor-review manifest-json plugin-manifests/vendor-review.xml'"
	fail=$((fail + 1))
fi
# The schema version the program demands is the highest migration shipped.
last=$(ls "$top"/sql/[0-9][0-9][0-9]_*.sql | sed 's|.*/||' | sort | tail -n 1 | cut -c1-3)
need=$(sed -n 's/^#define VR_SCHEMA_VERSION[[:space:]]*\([0-9]*\).*/\1/p' "$top/fcgi/db/vr_db.h")
if [ -n "$need" ] && [ "$(expr "$last" + 0)" -eq "$need" ]; then
	pass=$((pass + 1))
else
	echo "FAIL: VR_SCHEMA_VERSION ($need) is not the highest migration ($last)"
	fail=$((fail + 1))
fi
# Every migration, template and page file is installed (and so in the tarball).
for f in "$top"/sql/[0-9][0-9][0-9]_*.sql "$top"/plugin-manifests/templates/*.xml \
    "$top"/web/*.html "$top"/web/*/*.*; do
	rel=${f#"$top"/}
	if grep -q "$rel" "$top/Makefile.am"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $rel is not in Makefile.am (not installed, not distributed)"
		fail=$((fail + 1))
	fi
done
echo "test_schema_drift: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
