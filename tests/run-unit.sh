#!/bin/sh
# run-unit.sh BIN... - run each cmocka test binary, show its output, and
# end with one line "N passed, N failed" totalled over every test.  A
# binary that crashes, or exits non-zero without reporting failures, counts
# as one failed test so that it can never be missed.
set -u
passed=0
failed=0
tmp=${TMPDIR:-/tmp}/jerry-run-unit.$$
trap 'rm -f "$tmp"' EXIT INT TERM
for bin in "$@"; do
	echo "== $bin"
	"$bin" >"$tmp" 2>&1
	rc=$?
	cat "$tmp"
	p=$(sed -n 's/.*\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' "$tmp" | tail -n 1)
	f=$(sed -n 's/.*\[  FAILED  \] \([0-9][0-9]*\) test(s).*/\1/p' "$tmp" | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "run-unit: $bin exited with status $rc without reporting a failed test" >&2
		f=1
	fi
	if [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "run-unit: $bin ran no tests" >&2
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
