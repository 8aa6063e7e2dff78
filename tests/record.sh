#!/usr/bin/env bash
# record.sh COUNTS SUITE CMD... - run a test runner, show its output, add its
# closing "N passed, N failed" line to COUNTS and the names of its failed
# tests to COUNTS.failed ("SUITE<TAB>name (failures)"), for the summary that
# closes make check (tests/summary.sh).
set -uo pipefail
counts=$1 suite=$2
shift 2
log=$(mktemp "${TMPDIR:-/tmp}/jerry-record.XXXXXX")
"$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
# What each runner prints for a failed test:
#   run-system/run-stress  "t0080-hostile        FAIL  (9 passed, 3 failed, 4s)"
#   run-unit (cmocka)      "== build/tests/test_app" ... "[  FAILED  ] test_name"
#   fuzz, memcheck, browser "FAIL fuzz: name ..." / "FAIL memcheck: name" / "FAIL browser: name"
#   validate (report.py)   "HP-001  scenario ... FAIL: why" (MISSED, NOT RUN, SKIPPED for sensitivity)
awk -v suite="$suite" '
	/^== / { bin = $2; sub(/.*\//, "", bin); next }
	/^[^ ]+ +FAIL +\([0-9]+ passed, [0-9]+ failed/ {
		n = $0; sub(/.*passed, /, "", n); sub(/ failed.*/, "", n)
		printf "%s\t%s (%s)\n", suite, $1, n; next }
	/^\[  FAILED  \] [^ ]+$/ { printf "%s\t%s%s\n", suite, (bin != "" ? bin ":" : ""), $4; next }
	/^run-unit: .* (exited with status|ran no tests)/ { b = $2; sub(/.*\//, "", b); printf "%s\t%s\n", suite, b; next }
	/^FAIL [a-z-]+: / { n = $3; sub(/[:,]$/, "", n); printf "%s\t%s\n", suite, n; next }
	/^[A-Z][A-Z]-[0-9]+ / && /  (FAIL: |MISSED: |NOT RUN|SKIPPED \()/ { printf "%s\t%s\n", suite, $1; next }
' "$log" | sort -u >>"$counts.failed"
rm -f "$log"
if [ -z "$line" ]; then
	echo "record: '$*' printed no 'N passed, N failed' line" >&2
	echo "0 passed, 1 failed" >>"$counts"
	printf '%s\t%s\n' "$suite" "(no summary line: the runner itself failed)" >>"$counts.failed"
	exit 1
fi
echo "${line#*: }" >>"$counts"
exit "$rc"
