#!/bin/bash
# 100 processes each add 10 labels to ONE item, a label per command, with a
# short lock timeout (1 s): the lock changes hands every few milliseconds,
# so no waiter may give up however long the queue - a timeout means "the
# holder is stuck", not "the queue is long" (doc/adr/0010-fair-locks.md).
# Every command exits 0, all 1000 labels are there, version 1 + 1000, the
# check is clean.  The longest single command is logged, not asserted
# (`make bench` measures it).
. "$(dirname "$0")/../lib.sh"
jerry_init
D=$JERRY_DATA
P=${STRESS_PROCS:-100}
N=${STRESS_EACH:-10}
DEADLINE=${STRESS_DEADLINE:-240}
export JERRY_LOCK_TIMEOUT=${STRESS_LOCK_TIMEOUT:-1000}
"$JERRY" create 'the contended item' >/dev/null

mkdir "$tmp/w"
for i in $(seq 1 "$P"); do
	timeout -k 5 "$DEADLINE" bash -c '
		while [ ! -e "$1/go" ]; do sleep 0.01; done
		longest=0
		for j in $(seq 1 "$3"); do
			t0=${EPOCHREALTIME/./}
			"$JERRY" update 1 --add-label "p$2-l$j" >/dev/null 2>>"$1/w/err.$2" ||
				echo "label $2-$j exit $?" >>"$1/w/fail.$2"
			t=$(( ${EPOCHREALTIME/./} - t0 ))
			[ "$t" -gt "$longest" ] && longest=$t
		done
		echo "$longest" >"$1/w/longest.$2"' sh "$tmp" "$i" "$N" &
done
sleep 0.5
t0=${EPOCHREALTIME/./}
touch "$tmp/go"
wait
wall=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
longest=$(cat "$tmp"/w/longest.* 2>/dev/null | sort -n | tail -1)
echo "# $((P * N)) updates in $wall ms, longest single command $((${longest:-0} / 1000)) ms"
cat "$tmp"/w/fail.* >"$tmp/fails" 2>/dev/null
cat "$tmp"/w/err.* >"$tmp/errs" 2>/dev/null
check_true "every update exited 0 ($(wc -l <"$tmp/fails") failed: $(head -c 300 "$tmp/fails"; head -c 300 "$tmp/errs"))" test ! -s "$tmp/fails"
check_true 'no update wrote to stderr' test ! -s "$tmp/errs"

expect_run 0 '*' '' -- "$JERRY" show 1 --json
cp "$tmp/out" "$tmp/item"
json_assert "all $((P * N)) labels present" "$tmp/item" \
	"sorted(d['labels']) == sorted('p%d-l%d' % (i, j) for i in range(1, $P + 1) for j in range(1, $N + 1))"
json_assert "version = $((1 + P * N))" "$tmp/item" "d['version'] == $((1 + P * N))"
expect_run 0 '^1 items checked, 0 problems$' '' -- "$JERRY" check
test_done
