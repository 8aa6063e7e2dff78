#!/bin/sh
# tests/stress/sensitivity.sh - do the stress tests notice broken storage?
#
# Builds jerry twice with a safety switch turned off (src/store):
#   build/broken-locks/jerry     -DJERRY_BREAK_LOCKS    no locking at all
#   build/broken-inplace/jerry   -DJERRY_BREAK_INPLACE  item files written in place
#                                                       (open O_TRUNC + write, no rename)
# and runs s0001..s0004 against each with JERRY pointing at the broken
# binary.  Every variant must be caught by at least one test; the script
# prints which tests detected which breakage, and exits non-zero when a
# variant went unnoticed (or when a build failed).  `make validate` runs it;
# `make check` does not.
#
# Usage: sh tests/stress/sensitivity.sh [TEST...]   (from the repository root)
cd "$(dirname "$0")/../.." || exit 1
tests=${*:-"s0001-create-burst s0002-labels-notes s0003-if-version-race s0004-kill9"}
status=0
report=$(mktemp "${TMPDIR:-/tmp}/jerry-sensitivity.XXXXXX")
for variant in locks:JERRY_BREAK_LOCKS inplace:JERRY_BREAK_INPLACE; do
	name=${variant%%:*}
	flag=${variant#*:}
	b=build/broken-$name
	echo "== building $b/jerry with -D$flag"
	if ! make -s B="$b" EXTRA_CFLAGS="-D$flag" "$b/jerry" >"$report.build" 2>&1; then
		cat "$report.build"
		echo "broken-$name: BUILD FAILED" >>"$report"
		status=1
		continue
	fi
	caught=
	for t in $tests; do
		start=$(date +%s)
		out=$(JERRY=$(pwd)/$b/jerry bash "tests/stress/$t.sh" </dev/null 2>&1)
		rc=$?
		secs=$(( $(date +%s) - start ))
		nfail=$(printf '%s\n' "$out" | grep -c '^FAIL - ')
		if [ "$rc" -ne 0 ]; then
			verdict="DETECTED ($nfail failed assertions)"
			caught="$caught $t"
		else
			verdict="missed"
		fi
		printf '%-16s %-26s %s, %ds\n' "broken-$name" "$t" "$verdict" "$secs" | tee -a "$report"
		printf '%s\n' "$out" | grep '^FAIL - ' | head -n 3 | sed 's/^/      /'
	done
	if [ -z "$caught" ]; then
		echo "broken-$name: NOT DETECTED by any test" | tee -a "$report"
		status=1
	else
		echo "broken-$name: detected by$caught" | tee -a "$report"
	fi
done
echo "== summary"
cat "$report"
rm -f "$report" "$report.build"
exit $status
