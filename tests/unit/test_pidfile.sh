#!/bin/bash
# scripts/lib.sh's vr_pid_alive: what scripts/demo and scripts/test take
# for "already running".  After a crash the pid file may name a process
# that is gone, a zombie, or someone else's process that got the pid; none
# of them is ours.  Only a live process naming the instance's directory is.
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
# shellcheck source=../../scripts/lib.sh
. "$top/scripts/lib.sh"
VR_RUN="$tmp/run"
mkdir -p "$VR_RUN"
pass=0 fail=0
expect() {	# expect yes|no LABEL
	if vr_pid_alive "$VR_RUN/x.pid"; then got=yes; else got=no; fi
	if [ "$got" = "$1" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $2: alive=$got, want $1"
		fail=$((fail + 1))
	fi
}

: >"$VR_RUN/x.pid"
expect no "an empty pid file"
echo "12ab" >"$VR_RUN/x.pid"
expect no "a pid file holding no number"

# A process naming the instance's directory in its command line.
bash -c 'exec -a "sleeper $0" sleep 30' "$VR_RUN/" &
ours=$!
sleep 0.5
echo "$ours" >"$VR_RUN/x.pid"
expect yes "a live process of the instance"
kill "$ours"; wait "$ours" 2>/dev/null
expect no "that process, gone"

sleep 30 &
other=$!
echo "$other" >"$VR_RUN/x.pid"
expect no "a reused pid: a live process of someone else"
kill "$other"; wait "$other" 2>/dev/null

# A zombie: a child that exited and that its parent has not reaped.
bash -c 'bash -c "exec -a \"zombie $1\" sleep 0.2" _ "$1" & echo $! >"$2"; exec sleep 5' _ "$VR_RUN/" "$VR_RUN/x.pid" &
parent=$!
sleep 1
z=$(cat "$VR_RUN/x.pid")
state=$(sed 's/.*) //' "/proc/$z/stat" 2>/dev/null | cut -d' ' -f1)
if [ "$state" = Z ]; then
	expect no "a zombie of the instance"
else
	echo "FAIL: the zombie was not made (state '$state')"
	fail=$((fail + 1))
fi
kill "$parent" 2>/dev/null; wait "$parent" 2>/dev/null

echo "test_pidfile: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
