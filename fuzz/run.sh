#!/bin/sh
# fuzz/run.sh [SECONDS] [TARGET...]: builds the harnesses if needed and
# runs each target (default: all) for SECONDS (default 30) in turn.
#
# New corpus entries go to $FUZZ_SCRATCH/corpus/TARGET (default
# fuzz/scratch, ignored by git); the committed seeds in fuzz/corpus/TARGET
# are only read.  The saved inputs fuzz/crashes/TARGET-* are replayed
# first and must pass.  Crashes, leaks and timeouts land in
# $FUZZ_SCRATCH/artifacts/TARGET/, the libFuzzer output in
# $FUZZ_SCRATCH/TARGET.log.  A target passes when libFuzzer exits 0 and
# left no new crash-/leak-/timeout-/oom- file.  Extra libFuzzer flags can
# be given in $FUZZ_FLAGS.  The last line is "fuzz: N passed, N failed";
# the exit status is 1 when any target failed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-30}
[ $# -gt 0 ] && shift
targets=${*:-json xml query config identity template_json template_xml answers_json answers_xml manifest subcontract_json subcontract_xml incident_json incident_xml schedule_run_json schedule_run_xml sheet_file record_zip fcgi_check}
scratch=${FUZZ_SCRATCH:-$here/scratch}

case $secs in
''|*[!0-9]*) echo "usage: $0 [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac

if ! make -s -C "$here"; then
	echo "fuzz: build failed" >&2
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi

# Leak checking on whatever the caller set; UBSan findings are fatal
# already (-fno-sanitize-recover), this adds their stack.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1"
u=print_stacktrace=1:halt_on_error=1
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}$u"

max_len() {
	case $1 in
	json|xml|query|answers_*|subcontract_*|incident_*|schedule_run_*) echo 65536 ;;
	template_*|manifest|record_zip) echo 131072 ;;
	config|fcgi_check) echo 16384 ;;
	sheet_file) echo 262144 ;;
	identity) echo 9000 ;;	# past VR_GROUPS_MAX
	*) echo 4096 ;;
	esac
}

passed=0
failed=0
for t in $targets; do
	bin=$here/build/fuzz_$t
	if [ ! -x "$bin" ]; then
		echo "fuzz: $t: no such target ($bin)" >&2
		failed=$((failed + 1))
		continue
	fi
	mkdir -p "$scratch/corpus/$t" "$scratch/artifacts/$t"
	log=$scratch/$t.log
	# Inputs that once failed (fuzz/crashes/TARGET-*) must pass first.
	set -- "$here"/crashes/"$t"-*
	if [ -e "$1" ] && ! "$bin" "$@" > "$log" 2>&1; then
		failed=$((failed + 1))
		echo "fuzz: $t: FAILED a regression input in fuzz/crashes," \
		    "log $log"
		continue
	fi
	stamp=$scratch/.stamp-$t
	: > "$stamp"
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -max_len="$(max_len "$t")" -print_final_stats=1 \
	    -artifact_prefix="$scratch/artifacts/$t/" ${FUZZ_FLAGS:-} \
	    "$scratch/corpus/$t" "$here/corpus/$t" > "$log" 2>&1
	rc=$?
	found=$(find "$scratch/artifacts/$t" -type f -newer "$stamp" \
	    \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
	    -o -name 'oom-*' \) | head -n 5)
	rm -f "$stamp"
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	if [ "$rc" -eq 0 ] && [ -z "$found" ]; then
		passed=$((passed + 1))
		echo "fuzz: $t: ok, ${execs:-?} runs, ${rate:-?} exec/s, ${secs} s"
	else
		failed=$((failed + 1))
		echo "fuzz: $t: FAILED (exit $rc), log $log"
		for f in $found; do echo "fuzz: $t:   $f"; done
		grep -m 3 -E 'ERROR: |runtime error|fuzz invariant' "$log" |
		    sed "s/^/fuzz: $t:   /"
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
