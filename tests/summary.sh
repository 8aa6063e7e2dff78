#!/bin/sh
# summary.sh COUNTS - the one closing line of make check.
set -eu
awk '{ p += $1; f += $3 } END { printf "check: %d passed, %d failed\n", p, f; exit (f > 0) }' "$1"
