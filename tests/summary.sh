#!/bin/sh
# summary.sh COUNTS - the closing lines of make check: one line per suite
# naming its failed tests (from COUNTS.failed, written by tests/record.sh),
# then, always last and alone, "check: N passed, N failed" (CI parses it).
set -eu
if [ -s "$1.failed" ]; then
	awk -F '\t' '
		!($1 in seen) { seen[$1] = 1; order[++n] = $1 }
		{ names[$1] = names[$1] (names[$1] == "" ? "" : ", ") $2 }
		END { for (i = 1; i <= n; i++) printf "check: failed in %s: %s\n", order[i], names[order[i]] }
	' "$1.failed"
fi
awk '{ p += $1; f += $3 } END { printf "check: %d passed, %d failed\n", p, f; exit (f > 0) }' "$1"
