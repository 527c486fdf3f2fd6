#!/bin/sh
# The shipped deploy files agree and the systemd units hold: one socket
# path in the socket unit, the example config and the nginx snippets;
# `systemd-analyze verify` passes on the units (with the built binary in
# place of the installed one); the service's exposure score, as
# `systemd-analyze security` rates its confinement, stays "OK" (< 2.5).
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${abs_top_builddir:-$top}/fcgi/vendor-review
d=$top/deploy
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { echo "FAIL: $*"; fail=$((fail + 1)); }

sock=$(sed -n 's/^ListenStream=//p' "$d/systemd/vendor-review.socket")
[ -n "$sock" ] && ok || no "the socket unit names no ListenStream"
grep -q "^listen[[:space:]]*unix:$sock\$" "$d/vendor-review.conf.example" && ok ||
    no "vendor-review.conf.example does not listen on $sock"
for f in "$d"/nginx/vendor-review.conf "$d"/nginx/auth-request.example.conf; do
	grep -q "server unix:$sock;" "$f" && ok || no "$(basename "$f") names another socket than $sock"
done

if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "FAIL: systemd-analyze is not installed (Debian package systemd)"
	echo "test_units: $pass passed, $((fail + 1)) failed"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$d"/systemd/*; do
	sed "s|/usr/local/sbin/vendor-review|$bin|g" "$f" >"$tmp/$(basename "$f")"
done
if out=$(cd "$tmp" && systemd-analyze verify --man=no ./*.socket ./*.service ./*.timer 2>&1); then
	ok
else
	no "systemd-analyze verify: $out"
fi
score=$(cd "$tmp" && systemd-analyze security --offline=yes ./vendor-review.service 2>/dev/null |
    sed -n 's/.*exposure level for vendor-review.service: \([0-9.]*\).*/\1/p')
if [ -n "$score" ] && awk "BEGIN { exit !($score < 2.5) }"; then
	ok
else
	no "vendor-review.service exposure score '$score', want < 2.5"
fi
echo "test_units: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
