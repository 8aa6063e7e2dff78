#!/bin/sh
# profile.sh JERRY [SIZE] - where the time goes (doc/PERFORMANCE.md).
#
# Builds a store of SIZE items (default 10000) the way the benchmark does,
# then for create, update, note, claim, show, list and ready records:
#   - instruction counts with valgrind --tool=callgrind (repeatable on a
#     noisy machine): build/bench/profile/CMD.callgrind + CMD.annotate.txt
#   - system calls with strace -c -f, and the durable-write calls in order
#     (fsync, rename, open of temp files): CMD.strace-c.txt, CMD.strace.txt
# Needs valgrind and strace (sh scripts/deps.sh test installs both).
set -eu
jerry=$(cd "$(dirname "${1:-build/jerry}")" && pwd)/$(basename "${1:-build/jerry}")
size=${2:-10000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${BENCH_OUT:-$root/build/bench}/profile
rm -rf "$out"
mkdir -p "$out"
unset JERRY_SYNC JERRY_DATA JERRY_PROJECT JERRY_INSTANCE JERRY_SESSION
export NO_COLOR=1

python3 - "$jerry" "$out" "$size" <<'PY'
import sys, os
sys.path.insert(0, os.path.join(os.environ.get("PWD", "."), "bench"))
import bench
b = bench.Bench(sys.argv[1], "/bin/true", "quick", sys.argv[2])
b.work = sys.argv[2]
b.build_store(int(sys.argv[3]), "store")
PY
store=$out/store
J="$jerry --data $store"

prof() {	# NAME ARGS...
	name=$1; shift
	$J "$@" >/dev/null	# warm the page cache
	valgrind --tool=callgrind --callgrind-out-file="$out/$name.callgrind" \
		$J "$@" >/dev/null 2>"$out/$name.valgrind.txt"
	callgrind_annotate --inclusive=yes "$out/$name.callgrind" 2>/dev/null \
		| sed -n '1,60p' >"$out/$name.annotate.txt"
	callgrind_annotate "$out/$name.callgrind" 2>/dev/null \
		| sed -n '1,45p' >"$out/$name.self.txt"
	strace -c -f -o "$out/$name.strace-c.txt" $J "$@" >/dev/null
	strace -f -tt -e trace=%file,%desc,fsync,fdatasync -o "$out/$name.strace.txt" \
		$J "$@" >/dev/null
	total=$(grep -m1 -o 'Collected : [0-9]*' "$out/$name.valgrind.txt" | grep -o '[0-9]*$' || true)
	[ -n "$total" ] || total=$(grep -m1 '^summary:' "$out/$name.callgrind" | awk '{print $2}')
	fs=$(grep -cE '^[0-9]+ +[0-9:.]+ (fsync|fdatasync)\(' "$out/$name.strace.txt" || true)
	rn=$(grep -cE '^[0-9]+ +[0-9:.]+ rename' "$out/$name.strace.txt" || true)
	sc=$(awk '/^100.00/ {print $4}' "$out/$name.strace-c.txt")
	printf '%-12s instructions %12s  syscalls %6s  fsync %2s  rename %2s\n' \
		"$name" "$total" "$sc" "$fs" "$rn" | tee -a "$out/summary.txt"
}

echo "profile of $jerry at $size items (files in $out)" | tee "$out/summary.txt"
prof create create "profiled create"
prof update update WORK-051 --title "profiled update"
prof note note WORK-052 "profiled note"
prof claim claim WORK-054
prof show show "WORK-$((size / 2 + 1))"
prof list-json list --json
prof list list
prof ready-json ready --json
