#!/bin/sh
# run.sh JERRY quick|full - the benchmark behind `make bench` / `make bench-quick`.
#
# Builds the timing driver (bench/driver.c) into build/bench/, then
# bench/bench.py builds the stores and sqlite3 databases, times jerry and its
# baselines interleaved, prints the table and writes build/bench/latest.json
# and build/bench/results-TIMESTAMP.json.  doc/PERFORMANCE.md explains it.
# Environment: BENCH_OUT (default build/bench), BENCH_KEEP=1 keeps the stores.
# BENCH_ONLY=METHOD runs one group of bench.py alone (BENCH_ONLY=sync_row).
set -eu
jerry=${1:-build/jerry}
mode=${2:-quick}
case $mode in quick|full) ;; *) echo "usage: bench/run.sh JERRY quick|full" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${BENCH_OUT:-$root/build/bench}

sh "$root/scripts/deps.sh" build bench

if [ ! -x "$jerry" ]; then
	echo "bench: $jerry is not an executable; run make first" >&2
	exit 2
fi
if ! "$jerry" --version >/dev/null 2>&1; then
	echo "bench: '$jerry --version' fails; is the CLI built?" >&2
	exit 2
fi

mkdir -p "$out"
${CC:-cc} -O2 -std=c11 -Wall -Wextra -o "$out/driver" "$here/driver.c"

# Time a copy, so that a rebuild during the run cannot change what is measured.
if [ "$(cd "$(dirname "$jerry")" && pwd)/$(basename "$jerry")" != "$out/jerry-under-test" ]; then
	cp "$jerry" "$out/jerry-under-test"
	# `jerry serve` runs the jerry-serve beside it (src/cli/serve_exec.c).
	if [ -x "$(dirname "$jerry")/jerry-serve" ]; then
		cp "$(dirname "$jerry")/jerry-serve" "$out/jerry-serve"
	fi
fi

unset JERRY_SYNC JERRY_DATA JERRY_PROJECT JERRY_INSTANCE JERRY_SESSION
exec python3 "$here/bench.py" "$out/jerry-under-test" "$out/driver" "$mode" "$out"
