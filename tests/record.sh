#!/usr/bin/env bash
# record.sh COUNTS CMD... - run a test runner, show its output, and add its
# closing "N passed, N failed" line to COUNTS for the final summary.
set -uo pipefail
counts=$1
shift
log=$(mktemp)
"$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
rm -f "$log"
if [ -z "$line" ]; then
	echo "record: '$*' printed no 'N passed, N failed' line" >&2
	echo "0 passed, 1 failed" >>"$counts"
	exit 1
fi
echo "${line#*: }" >>"$counts"
exit "$rc"
