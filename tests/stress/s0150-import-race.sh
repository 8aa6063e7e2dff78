#!/bin/bash
# Two imports of 1,500 items each (the bulk path) racing 20 processes that
# each create 15 items and note an item: every import and create exits 0,
# every number and uid is handed out once (no file overwritten, none
# missing), each import's items are all there with their dependencies on
# their own new numbers, and check is clean.
. "$(dirname "$0")/../lib.sh"
jerry_init
D=$JERRY_DATA
N=${STRESS_IMPORT:-1500}
P=${STRESS_PROCS:-20}
E=${STRESS_EACH:-15}
DEADLINE=${STRESS_DEADLINE:-240}
export JERRY_LOCK_TIMEOUT=120000

"$JERRY" create 'noted by all' >/dev/null
for f in a b; do
	python3 - "$tmp/$f.jsonl" "$f" "$N" <<'PY'
import json, sys
path, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(path, "w") as out:
    for i in range(n):
        d = {"id": "%s-%d" % (tag, i), "title": "%s %d" % (tag, i), "status": "open",
             "priority": 2, "issue_type": "task"}
        if i:
            d["dependencies"] = [{"issue_id": d["id"], "depends_on_id": "%s-%d" % (tag, i - 1),
                                  "type": "blocks"}]
        out.write(json.dumps(d) + "\n")
PY
done

mkdir "$tmp/w"
for f in a b; do
	timeout -k 5 "$DEADLINE" bash -c '
		while [ ! -e "$1/go" ]; do sleep 0.01; done
		"$JERRY" import "$1/$2.jsonl" >"$1/w/import.$2" 2>"$1/w/err.import.$2" ||
			echo "import $2 exit $?" >>"$1/w/fail.import.$2"' sh "$tmp" "$f" &
done
for i in $(seq 1 "$P"); do
	timeout -k 5 "$DEADLINE" bash -c '
		while [ ! -e "$1/go" ]; do sleep 0.01; done
		for j in $(seq 1 "$3"); do
			"$JERRY" create "writer $2-$j" >>"$1/w/ids.$2" 2>>"$1/w/err.$2" ||
				echo "create $2-$j exit $?" >>"$1/w/fail.$2"
		done
		"$JERRY" note 1 "from $2" >/dev/null 2>>"$1/w/err.$2" || echo "note $2 exit $?" >>"$1/w/fail.$2"
		' sh "$tmp" "$i" "$E" &
done
sleep 0.5
touch "$tmp/go"
wait
cat "$tmp"/w/fail.* >"$tmp/fails" 2>/dev/null
cat "$tmp"/w/err.* >"$tmp/errs" 2>/dev/null
check_true "every import and create exited 0 ($(head -c 400 "$tmp/fails"; head -c 400 "$tmp/errs"))" test ! -s "$tmp/fails"
check_true 'nothing wrote to stderr' test ! -s "$tmp/errs"

total=$((1 + 2 * N + P * E))
check_true "items/ holds $total items ($(ls "$D/items" | wc -l))" test "$(ls "$D/items" | wc -l)" = "$total"
python3 - "$D" "$N" "$tmp/report" <<'PY'
import glob, json, sys
d, n, report = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "w")
items = [json.load(open(f)) for f in glob.glob(d + "/items/*.json")]
uids = [i["uid"] for i in items]
if len(set(uids)) != len(uids):
    report.write("duplicate uids\n")
by_ref = {i["external_ref"]: i for i in items if i.get("external_ref")}
for tag in ("a", "b"):
    for k in range(n):
        it = by_ref.get("%s-%d" % (tag, k))
        if not it:
            report.write("missing %s-%d\n" % (tag, k)); break
        want = [by_ref["%s-%d" % (tag, k - 1)]["id"]] if k else []
        if it["depends_on"] != want:
            report.write("%s-%d depends on %s, not %s\n" % (tag, k, it["depends_on"], want)); break
PY
check_true "every imported item there once, on its own numbers ($(head -c 300 "$tmp/report"))" test ! -s "$tmp/report"
expect_run 0 '*' '' -- "$JERRY" --json show 1
json_assert "every writer's note kept" "$tmp/out" "len(d['notes']) == $P"
expect_run 0 ' 0 problems' '' -- "$JERRY" check

test_done
