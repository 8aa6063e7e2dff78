#!/bin/bash
# dep add / rm / tree (issue 3, "Dependencies and ready work"):
#   - stored as depends_on on the item; `dep add|rm` print
#     `WORK-001 depends on WORK-002, WORK-003 (version N)`;
#   - a dependency that would close a cycle is exit 9 and the message shows
#     the cycle; unknown IDs are exit 3; nothing is written on a refusal;
#   - dep tree: what blocks ID, transitively, each item once, as indented
#     text or a flat --json array of {id, title, status, depth, via};
#   - two racing `dep add` that together close a cycle: exactly one wins
#     (the check runs under the store-wide deps lock);
#   - the gate (issue 9): start, update --status in_progress and claim of an
#     item whose dependencies are not all done are exit 9 naming them (text
#     and --json open_dependencies); cancelled is not done; a blocked item
#     cannot resume either; --force goes ahead and the history records it.
. "$(dirname "$0")/../lib.sh"
jerry_init
export JERRY_INSTANCE=alice JERRY_SESSION=a1

for i in 1 2 3 4 5 6; do "$JERRY" create "item $i" >/dev/null; done
version_of() { "$JERRY" show "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])'; }

# ---- add -------------------------------------------------------------------------
expect_run 0 '=WORK-001 depends on WORK-002 (version 2)' '' -- "$JERRY" dep add 1 --on 2
expect_run 0 '=WORK-001 depends on WORK-002, WORK-003 (version 3)' '' -- "$JERRY" dep add WORK-001 --on work-3
expect_run 0 '=WORK-002 depends on WORK-004 (version 2)' '' -- "$JERRY" dep add 2 --on 4
"$JERRY" show 1 --json >"$tmp/item"
json_assert 'depends_on stored on the item' "$tmp/item" 'd["depends_on"] == ["WORK-002", "WORK-003"] and d["status"] == "pending"'
expect_run 0 '^depends on: +WORK-002, WORK-003$' '' -- "$JERRY" show 1
TEST_DESC='dep add --json' expect_run 0 '*' '' -- "$JERRY" dep add 5 --on 6 --json
json_assert 'dep add --json is the item' "$tmp/out" 'd["id"] == "WORK-005" and d["depends_on"] == ["WORK-006"] and d["version"] == 2'

# ---- cycles are refused, showing the cycle ----------------------------------------
v4=$(version_of 4)
expect_run 9 '' '^jerry: .*cycle: WORK-004 -> WORK-001 -> WORK-002 -> WORK-004$' -- "$JERRY" dep add 4 --on 1
check_true 'cycle refusal has a hint' grep -q '^hint: ' "$tmp/err"
TEST_DESC='cycle --json' expect_run 9 '' '*' -- "$JERRY" dep add 4 --on 1 --json
json_assert 'cycle --json: refused, exit 9, the cycle in the message' "$tmp/err" \
	'd["error"]["code"] == "refused" and d["error"]["exit"] == 9 and "WORK-004 -> WORK-001 -> WORK-002 -> WORK-004" in d["error"]["message"]'
expect_run 9 '' 'cycle: WORK-003 -> WORK-001 -> WORK-003$' -- "$JERRY" dep add 3 --on 1
expect_run 9 '' 'cycle: WORK-002 -> WORK-001 -> WORK-002$' -- "$JERRY" dep add 2 --on 1
expect_run 9 '' '^jerry: .*itself' -- "$JERRY" dep add 1 --on 1
expect_run 9 '' '^jerry: .*itself' -- "$JERRY" dep add 1 --on WORK-001
check_true 'cycle refusals wrote nothing' test "$(version_of 4).$(version_of 3).$(version_of 2).$(version_of 1)" = "$v4.1.2.3"

# ---- unknown IDs -------------------------------------------------------------------
expect_run 3 '' 'WORK-099' -- "$JERRY" dep add 1 --on 99
expect_run 3 '' 'WORK-099' -- "$JERRY" dep add 99 --on 1
expect_run 3 '' 'WORK-099' -- "$JERRY" dep rm 99 --on 1
expect_run 3 '' 'WORK-099' -- "$JERRY" dep rm 1 --on 99
expect_run 3 '' 'WORK-099' -- "$JERRY" dep tree 99
TEST_DESC='unknown --json' expect_run 3 '' '*' -- "$JERRY" dep add 1 --on 99 --json
json_assert 'unknown --json: exit 3' "$tmp/err" 'd["error"]["exit"] == 3 and d["error"]["code"] == "not_found"'
check_true 'unknown IDs wrote nothing' test "$(version_of 1)" = 3

# ---- usage -------------------------------------------------------------------------
expect_run 2 '' '^jerry: ' -- "$JERRY" dep
expect_run 2 '' "^jerry: unknown dep action 'frob'" -- "$JERRY" dep frob 1
expect_run 2 '' "^jerry: 'dep add' needs --on OTHER" -- "$JERRY" dep add 1
expect_run 2 '' "^jerry: 'dep rm' needs --on OTHER" -- "$JERRY" dep rm 1
expect_run 2 '' "^jerry: 'dep tree' takes no --on" -- "$JERRY" dep tree 1 --on 2
expect_run 2 '' '^jerry: which item' -- "$JERRY" dep add --on 2
expect_run 2 '' '^jerry: which item' -- "$JERRY" dep tree
expect_run 2 '' "^jerry: '\\.\\./x' is not an item ID" -- "$JERRY" dep add 1 --on ../x
expect_run 2 '' "^jerry: '\\.\\./x' is not an item ID" -- "$JERRY" dep add ../x --on 1
expect_run 2 '' '^jerry: ' -- "$JERRY" dep add 1 2 --on 3
expect_run 2 '' '^jerry: ' -- "$JERRY" dep tree 1 --bogus

# ---- tree -------------------------------------------------------------------------
expect_run 0 '=WORK-001  pending  item 1
  WORK-002  pending  item 2
    WORK-004  pending  item 4
  WORK-003  pending  item 3' '' -- "$JERRY" dep tree 1
expect_run 0 '=WORK-006  pending  item 6' '' -- "$JERRY" dep tree 6
TEST_DESC='dep tree --json' expect_run 0 '*' '' -- "$JERRY" dep tree 1 --json
json_assert 'dep tree --json: flat array, depth and via' "$tmp/out" \
	'[(n["id"], n["depth"], n.get("via")) for n in d] == [("WORK-001", 0, None), ("WORK-002", 1, "WORK-001"), ("WORK-004", 2, "WORK-002"), ("WORK-003", 1, "WORK-001")] and all(set(n) >= {"id", "title", "status", "depth"} for n in d) and d[1]["title"] == "item 2" and d[1]["status"] == "pending"'
# A diamond: every item once.
"$JERRY" dep add 3 --on 4 >/dev/null
TEST_DESC='dep tree diamond --json' expect_run 0 '*' '' -- "$JERRY" dep tree 1 --json
json_assert 'diamond: each item once' "$tmp/out" \
	'sorted(n["id"] for n in d) == ["WORK-001", "WORK-002", "WORK-003", "WORK-004"]'
# Status in the tree follows the items.
"$JERRY" start 4 >/dev/null && "$JERRY" done 4 >/dev/null
expect_run 0 '^    WORK-004  done  item 4$' '' -- "$JERRY" dep tree 1

# ---- rm ---------------------------------------------------------------------------
# (versions relative to now, so that one failure above does not cascade)
v1=$(version_of 1)
expect_run 0 "=WORK-001 depends on WORK-002 (version $((v1 + 1)))" '' -- "$JERRY" dep rm 1 --on 3
expect_run 0 "=WORK-001 depends on nothing (version $((v1 + 2)))" '' -- "$JERRY" dep remove 1 --on 2
TEST_DESC='dep rm --json' expect_run 0 '*' '' -- "$JERRY" dep rm 5 --on 6 --json
json_assert 'dep rm --json is the item' "$tmp/out" 'd["id"] == "WORK-005" and d["depends_on"] == []'
expect_run 0 '=WORK-001  pending  item 1' '' -- "$JERRY" dep tree 1
# What was a cycle before is allowed now.
expect_run 0 '=WORK-004 depends on WORK-001 (version 4)' '' -- "$JERRY" dep add 4 --on 1

# ---- the gate: an item cannot start before what it depends on is done -------------------
g1=$("$JERRY" create 'gated')
g2=$("$JERRY" create 'first dep')
g3=$("$JERRY" create 'second dep')
"$JERRY" dep add "$g1" --on "$g2" >/dev/null
"$JERRY" dep add "$g1" --on "$g3" >/dev/null
"$JERRY" start "$g3" >/dev/null
vg=$(version_of "$g1")
msg="^jerry: cannot start '$g1': it depends on $g2 \\(pending\\) and $g3 \\(in_progress\\), which are not done$"
expect_run 9 '' "$msg" -- "$JERRY" start "$g1"
check_true 'start refusal: the hint names dep tree and --force' \
	grep -q "^hint: 'jerry dep tree $g1' shows what it waits for; --force starts it anyway$" "$tmp/err"
expect_run 9 '' "$msg" -- "$JERRY" update "$g1" --status in_progress
expect_run 9 '' "^jerry: cannot claim '$g1': it depends on $g2 \\(pending\\) and $g3 \\(in_progress\\)" \
	-- "$JERRY" claim "$g1"
check_true 'claim refusal: --force claims it anyway' grep -q -- '--force claims it anyway' "$tmp/err"
TEST_DESC='start refused --json' expect_run 9 '' '*' -- "$JERRY" start "$g1" --json
json_assert 'start refused --json: refused, exit 9, open_dependencies' "$tmp/err" \
	"d['error']['code'] == 'refused' and d['error']['exit'] == 9 and d['error']['item'] == '$g1' and d['error']['open_dependencies'] == [{'id': '$g2', 'status': 'pending'}, {'id': '$g3', 'status': 'in_progress'}] and d['error']['open_dependency_count'] == 2"
TEST_DESC='claim refused --json' expect_run 9 '' '*' -- "$JERRY" claim "$g1" --json
json_assert 'claim refused --json: open_dependencies' "$tmp/err" \
	"d['error']['code'] == 'refused' and len(d['error']['open_dependencies']) == 2"
"$JERRY" show "$g1" --json >"$tmp/item"
json_assert 'refusals wrote nothing' "$tmp/item" \
	"d['version'] == $vg and d['status'] == 'pending' and d['claim'] is None"
expect_run 3 '' '^jerry: nothing is ready' -- "$JERRY" claim --next --label none-such
expect_run 2 '' "^jerry: --force goes with an ID, not --next$" -- "$JERRY" claim --next --force
# done satisfies, cancelled does not
"$JERRY" done "$g3" >/dev/null
"$JERRY" cancel "$g2" >/dev/null
expect_run 9 '' "^jerry: cannot start '$g1': it depends on $g2 \\(cancelled\\), which is not done$" \
	-- "$JERRY" start "$g1"
# --force starts it, and the history says so
expect_run 0 "^$g1 in_progress \\(version $((vg + 1))\\)$" '' -- "$JERRY" start "$g1" --force
expect_run 0 "notes: \\+1 \"forced start although it waits on $g2 \\(cancelled\\)\"" '' -- "$JERRY" history "$g1"
# a blocked item resumes only when its dependencies are done; a reopen is not a start
"$JERRY" block "$g1" >/dev/null
expect_run 9 '' "^jerry: cannot start '$g1'" -- "$JERRY" start "$g1"
"$JERRY" dep rm "$g1" --on "$g2" >/dev/null
expect_run 0 "^$g1 in_progress " '' -- "$JERRY" start "$g1"
# claim --force on a pending item
g4=$("$JERRY" create 'claimed early')
"$JERRY" dep add "$g4" --on "$g2" >/dev/null
expect_run 0 "^$g4 claimed by alice until .* \\(in_progress, version 3\\)$" '' -- "$JERRY" claim "$g4" --force
TEST_DESC='history --json of a forced claim' expect_run 0 '*' '' -- "$JERRY" history "$g4" --json
json_assert 'forced claim recorded in the history' "$tmp/out" \
	"d[-1]['version'] == 3 and d[-1]['changes']['notes']['added'][0]['text'] == 'forced claim although it waits on $g2 (cancelled)'"

# ---- racing dep adds cannot both pass the cycle check --------------------------------
R=${DEP_ROUNDS:-10}
mkfifo "$tmp/sleeper"
for r in $(seq 1 "$R"); do
	a=$("$JERRY" create "race $r a")
	b=$("$JERRY" create "race $r b")
	for side in a b; do
		if [ $side = a ]; then from=$a on=$b; else from=$b on=$a; fi
		timeout -k 2 60 bash -c '
			exec 9<>"$1/sleeper"
			until [ -e "$1/go.$2" ]; do read -t 0.002 -u 9 _; done
			"$JERRY" dep add "$4" --on "$5" >"$1/d.$2.$3.out" 2>"$1/d.$2.$3.err"
			echo $? >"$1/d.$2.$3.rc"' sh "$tmp" "$r" "$side" "$from" "$on" &
	done
	sleep 0.2
	touch "$tmp/go.$r"
	wait
	codes=$(cat "$tmp/d.$r.a.rc" "$tmp/d.$r.b.rc" | sort | tr '\n' ' ')
	check_true "dep race $r: one 0 and one 9 (got $codes)" test "$codes" = '0 9 '
	"$JERRY" show "$a" --json >"$tmp/ia"
	"$JERRY" show "$b" --json >"$tmp/ib"
	check_true "dep race $r: no cycle stored" python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
sys.exit(not (len(a["depends_on"]) + len(b["depends_on"]) == 1))' "$tmp/ia" "$tmp/ib"
done
expect_run 0 '^0 problems|, 0 problems$' '' -- "$JERRY" check

test_done
