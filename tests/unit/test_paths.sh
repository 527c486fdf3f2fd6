#!/bin/sh
# The program's compiled-in paths are the ones configure chose (make
# passes them as vr_sysconfdir and vr_version): `make distcheck`, which
# configures another prefix, runs this too.  --help and --version answer
# on stdout and exit 0.
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${abs_top_builddir:-$top}/fcgi/vendor-review
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { echo "FAIL: $*"; fail=$((fail + 1)); }

help=$("$bin" --help) || no "--help exits $?"
case $help in
*"default config: ${vr_sysconfdir:?}/vendor-review/vendor-review.conf;"*) ok ;;
*) no "--help names the default config under $vr_sysconfdir: $help" ;;
esac
case $help in *"usage: vendor-review"*) ok ;; *) no "--help shows the usage" ;; esac
version=$("$bin" --version) || no "--version exits $?"
[ "$version" = "vendor-review ${vr_version:?}" ] && ok || no "--version says '$version', want $vr_version"
"$bin" --bogus >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] && ok || no "an unknown option exits $rc, want 2"
echo "test_paths: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
