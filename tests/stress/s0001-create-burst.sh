#!/bin/bash
# 100 processes x 20 `jerry create` at once: exactly 2000 items, numbered
# WORK-001..WORK-2000 with no gap and no duplicate, 2000 distinct uids, the
# sequence at 2000, and a clean check.
. "$(dirname "$0")/../lib.sh"
jerry_init
D=$JERRY_DATA
P=${STRESS_PROCS:-100}
N=${STRESS_EACH:-20}
TOTAL=$((P * N))
DEADLINE=${STRESS_DEADLINE:-240}
# The test is about correctness under contention, not latency.
export JERRY_LOCK_TIMEOUT=120000

mkdir "$tmp/w"
for i in $(seq 1 "$P"); do
	timeout -k 5 "$DEADLINE" bash -c '
		while [ ! -e "$1/go" ]; do sleep 0.01; done
		for j in $(seq 1 "$3"); do
			"$JERRY" create "burst $2-$j" >>"$1/w/ids.$2" 2>>"$1/w/err.$2" ||
				echo "create $2-$j exit $?" >>"$1/w/fail.$2"
		done' sh "$tmp" "$i" "$N" &
done
sleep 0.5
touch "$tmp/go"
wait
cat "$tmp"/w/fail.* >"$tmp/fails" 2>/dev/null
cat "$tmp"/w/err.* >"$tmp/errs" 2>/dev/null
check_true "every create exited 0 ($(wc -l <"$tmp/fails") failed: $(head -c 300 "$tmp/fails"; head -c 300 "$tmp/errs"))" test ! -s "$tmp/fails"
check_true 'no create wrote to stderr' test ! -s "$tmp/errs"

seq -f 'WORK-%03g' 1 "$TOTAL" >"$tmp/expected"
cat "$tmp"/w/ids.* | LC_ALL=C sort >"$tmp/printed"
LC_ALL=C sort "$tmp/expected" >"$tmp/expected.sorted"
check_true "printed IDs are exactly WORK-001..WORK-$TOTAL ($(wc -l <"$tmp/printed") printed, $(sort "$tmp/printed" | uniq -d | wc -l) duplicates)" \
	cmp -s "$tmp/printed" "$tmp/expected.sorted"
ls -A "$D/items" | LC_ALL=C sort >"$tmp/files"
sed 's/$/.json/' "$tmp/expected.sorted" >"$tmp/expected.files"
check_true "items/ holds exactly WORK-001..WORK-$TOTAL.json and nothing else ($(wc -l <"$tmp/files") entries)" \
	cmp -s "$tmp/files" "$tmp/expected.files"
expect_run 0 '*' '' -- "$JERRY" list --all --json
json_assert "list --all --json: $TOTAL items, IDs 1..$TOTAL" "$tmp/out" \
	"sorted(int(x['id'][5:]) for x in d) == list(range(1, $TOTAL + 1))"
json_assert "$TOTAL distinct uids" "$tmp/out" "len(set(x['uid'] for x in d)) == $TOTAL"
json_assert 'every item at version 1, pending' "$tmp/out" "all(x['version'] == 1 and x['status'] == 'pending' for x in d)"
json_assert "titles are the $TOTAL created" "$tmp/out" "len(set(x['title'] for x in d)) == $TOTAL"
json_assert "sequences.json WORK = $TOTAL" "$D/sequences.json" "d['WORK'] == $TOTAL"
check_true 'every item file parses' python3 -c '
import glob, json, sys
for f in glob.glob(sys.argv[1] + "/items/*.json"): json.load(open(f))' "$D"
expect_run 0 "^$TOTAL items checked, 0 problems$" '' -- "$JERRY" check
test_done
