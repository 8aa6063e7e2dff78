#!/bin/sh
# tests/run-system.sh BINARY [TEST...] - run the system tests (tests/system/t*.sh).
#
# Each script runs in its own bash with JERRY=/abs/path/to/BINARY, stdin
# from /dev/null and a deadline (TEST_SCRIPT_TIMEOUT, 600 s); its output goes
# to a log that is shown when it fails.
# Prints one line per script (name, ok/FAIL, assertions, seconds) and ends
# with exactly one line "N passed, N failed" (assertions over all scripts).
# Exits non-zero when anything failed.  The stress runner is this same file
# (tests/run-stress.sh calls it with TEST_KIND=stress).
#
# System tests run TEST_JOBS at a time (default: the number of CPUs): each
# script has its own temp directory, HOME and store, and a port of 0, so
# they do not meet.  Their lines come in the order given, each once its
# script is done.  Stress tests make load on purpose and run one at a time.
kind=${TEST_KIND:-system}
prefix=t
[ "$kind" = stress ] && prefix=s
here=$(cd "$(dirname "$0")" && pwd)

bin=${1:?usage: $0 path/to/jerry [test.sh...]}
shift
case $bin in
/*) ;;
*) bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin") ;;
esac
if [ ! -x "$bin" ]; then
	echo "$0: $bin is not an executable" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

if [ $# -eq 0 ]; then
	set -- "$here/$kind/${prefix}"[0-9]*.sh
fi

passed=0
failed=0
logdir=$(mktemp -d "${TMPDIR:-/tmp}/jerry-$kind-logs.XXXXXX")
jobs=${TEST_JOBS:-}
if [ -z "$jobs" ]; then
	jobs=1
	[ "$kind" = system ] && jobs=$(nproc 2>/dev/null || echo 1)
fi

# run_one T: run script T; its log in $logdir/NAME.log, "RC SECS" in NAME.rc.
run_one() {
	name=$(basename "$1" .sh)
	start=$(date +%s)
	# A whole script gets a deadline too: a hang is a failure, not a stuck run.
	JERRY=$bin timeout -k 10 "${TEST_SCRIPT_TIMEOUT:-600}" bash "$1" </dev/null >"$logdir/$name.log" 2>&1
	rc=$?
	[ "$rc" -eq 124 ] && echo "FAIL - $name timed out after ${TEST_SCRIPT_TIMEOUT:-600}s" >>"$logdir/$name.log"
	echo "$rc $(( $(date +%s) - start ))" >"$logdir/$name.rc.tmp" && mv "$logdir/$name.rc.tmp" "$logdir/$name.rc"
}

# report T: the line of a finished script, and its log when it failed.
report() {
	name=$(basename "$1" .sh)
	read -r rc secs <"$logdir/$name.rc"
	p=$(sed -n 's/^# passed \([0-9]*\) failed \([0-9]*\)$/\1/p' "$logdir/$name.log" | tail -n 1)
	f=$(sed -n 's/^# passed \([0-9]*\) failed \([0-9]*\)$/\2/p' "$logdir/$name.log" | tail -n 1)
	if [ -z "$p" ]; then
		# The script died before test_done: count that as one failure.
		p=0
		f=$(grep -c '^FAIL - ' "$logdir/$name.log")
		f=$((f + 1))
		echo "FAIL - $name did not finish (exit $rc)" >>"$logdir/$name.log"
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "FAIL - $name exited $rc" >>"$logdir/$name.log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -eq 0 ]; then
		printf '%-32s ok    (%d assertions, %ds)\n' "$name" "$p" "$secs"
	else
		printf '%-32s FAIL  (%d passed, %d failed, %ds)\n' "$name" "$p" "$f" "$secs"
		sed 's/^/    /' "$logdir/$name.log"
	fi
}

if [ "$jobs" -le 1 ]; then
	for t in "$@"; do
		run_one "$t"
		report "$t"
	done
else
	# At most $jobs scripts at once: a slot is taken by starting a script
	# and given back when its .rc appears.  Lines are printed in order.
	running=0 next=1 done_upto=1 total=$#
	while [ "$done_upto" -le "$total" ]; do
		while [ "$running" -lt "$jobs" ] && [ "$next" -le "$total" ]; do
			eval "t=\${$next}"
			run_one "$t" &
			running=$((running + 1))
			next=$((next + 1))
		done
		eval "t=\${$done_upto}"
		if [ -f "$logdir/$(basename "$t" .sh).rc" ]; then
			report "$t"
			done_upto=$((done_upto + 1))
			continue
		fi
		# Count what is still running among those started.
		i=$done_upto running=0
		while [ "$i" -lt "$next" ]; do
			eval "u=\${$i}"
			[ -f "$logdir/$(basename "$u" .sh).rc" ] || running=$((running + 1))
			i=$((i + 1))
		done
		[ "$running" -ge "$jobs" ] || [ "$next" -gt "$total" ] && sleep 0.2
	done
	wait
fi
rm -rf "$logdir"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
