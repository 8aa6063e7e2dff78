#!/bin/bash
# 32 processes each add 50 distinct labels and 50 notes to ONE item at
# once: no write is lost, so all 1600 labels, all 1600 notes and version
# 1 + 3200 = 3201.  Meanwhile two readers run `show --json` in a loop: a
# reader never sees a partial file, so every show exits 0 with whole JSON.
. "$(dirname "$0")/../lib.sh"
jerry_init
D=$JERRY_DATA
P=${STRESS_PROCS:-32}
N=${STRESS_EACH:-50}
DEADLINE=${STRESS_DEADLINE:-240}
export JERRY_LOCK_TIMEOUT=120000
"$JERRY" create 'the contended item' >/dev/null

mkdir "$tmp/w"
for i in $(seq 1 "$P"); do
	timeout -k 5 "$DEADLINE" bash -c '
		while [ ! -e "$1/go" ]; do sleep 0.01; done
		for j in $(seq 1 "$3"); do
			"$JERRY" update 1 --add-label "p$2-l$j" >/dev/null 2>>"$1/w/err.$2" ||
				echo "label $2-$j exit $?" >>"$1/w/fail.$2"
			JERRY_INSTANCE="agent-$2" "$JERRY" note 1 "note $2-$j" >/dev/null 2>>"$1/w/err.$2" ||
				echo "note $2-$j exit $?" >>"$1/w/fail.$2"
		done' sh "$tmp" "$i" "$N" &
done
writers=$(jobs -p)
for rd in 1 2; do
	timeout -k 5 "$DEADLINE" bash -c '
		while [ ! -e "$1/go" ]; do sleep 0.01; done
		n=0
		while [ ! -e "$1/stop" ]; do
			n=$((n + 1))
			# show parses the file itself: a partial file is exit 7.
			"$JERRY" show 1 --json >/dev/null 2>"$1/w/show.$2.err"
			rc=$?
			[ "$rc" -eq 0 ] || echo "show exit $rc: $(head -c 200 "$1/w/show.$2.err")" >>"$1/w/rfail.$2"
			sleep 0.02
		done
		echo "$n" >"$1/w/reads.$2"' sh "$tmp" "$rd" &
done
sleep 0.3
touch "$tmp/go"
# shellcheck disable=SC2086
wait $writers
touch "$tmp/stop"
wait
cat "$tmp"/w/rfail.* >"$tmp/rfails" 2>/dev/null
check_true "readers saw only whole items ($(cat "$tmp"/w/reads.* 2>/dev/null | tr '\n' '+')0 reads; $(wc -l <"$tmp/rfails") bad: $(head -c 300 "$tmp/rfails"))" test ! -s "$tmp/rfails"
cat "$tmp"/w/fail.* >"$tmp/fails" 2>/dev/null
cat "$tmp"/w/err.* >"$tmp/errs" 2>/dev/null
check_true "every update and note exited 0 ($(wc -l <"$tmp/fails") failed: $(head -c 300 "$tmp/fails"; head -c 300 "$tmp/errs"))" test ! -s "$tmp/fails"

expect_run 0 '*' '' -- "$JERRY" show 1 --json
cp "$tmp/out" "$tmp/item"
json_assert "all $((P * N)) labels present" "$tmp/item" \
	"sorted(d['labels']) == sorted('p%d-l%d' % (i, j) for i in range(1, $P + 1) for j in range(1, $N + 1))"
json_assert "all $((P * N)) notes present, none twice" "$tmp/item" \
	"sorted(n['text'] for n in d['notes']) == sorted('note %d-%d' % (i, j) for i in range(1, $P + 1) for j in range(1, $N + 1))"
json_assert "each writer's notes in its own order, by = its instance" "$tmp/item" \
	"all([int(n['text'].split('-')[1]) for n in d['notes'] if n['by'] == 'agent-%d' % i] == list(range(1, $N + 1)) for i in range(1, $P + 1))"
json_assert "version = $((1 + 2 * P * N))" "$tmp/item" "d['version'] == $((1 + 2 * P * N))"
expect_run 0 '*' '' -- "$JERRY" list --json
json_assert 'the index agrees on the version' "$tmp/out" "len(d) == 1 and d[0]['version'] == $((1 + 2 * P * N)) and len(d[0]['labels']) == $((P * N))"
check_true 'no temp file left' test "$(ls -A "$D/items")" = WORK-001.json
expect_run 0 '^1 items checked, 0 problems$' '' -- "$JERRY" check
test_done
