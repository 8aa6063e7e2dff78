#!/bin/bash
# Containers are not work (issue 10, point 1):
#   - ready and claim --next hand out only work: never an epic or a feature,
#     never an item with an open child (a story with open tasks); --containers
#     shows and picks them; a story whose children are all closed is work;
#   - done of an item with open items below it is exit 9 listing them (text
#     and --json open_descendants); --force closes it alone, recorded;
#   - cancel of one is exit 9 too; --cascade cancels the open subtree, each
#     item with its own history entry; someone else's live claim below refuses
#     the cascade (exit 4) and nothing changes; --force cancels it alone;
#   - the done (or cancel) of a parent's last open child names the parent to
#     close (text, --json parent_ready_to_close) and summary lists it; the
#     parent itself stays open.
. "$(dirname "$0")/../lib.sh"
jerry_init
export JERRY_INSTANCE=alice JERRY_SESSION=a1

"$JERRY" create 'Epic' -t epic -p critical >/dev/null                 # 1
"$JERRY" create 'Feature' -t feature --parent 1 -p critical >/dev/null # 2
"$JERRY" create 'Story' -t story --parent 2 -p high >/dev/null         # 3
"$JERRY" create 'Task A' -t task --parent 3 >/dev/null                 # 4
"$JERRY" create 'Task B' -t task --parent 3 >/dev/null                 # 5
"$JERRY" create 'Lone story' -t story --parent 2 -p low >/dev/null     # 6

# ---- ready and claim --next --------------------------------------------------------
expect_run 0 '*' '' -- "$JERRY" ready
check_true 'ready: only the tasks and the childless story' \
	test "$(awk 'NR > 1 { print $1 }' "$tmp/out" | tr '\n' ' ')" = 'WORK-004 WORK-005 WORK-006 '
TEST_DESC='ready --json' expect_run 0 '*' '' -- "$JERRY" --json ready
json_assert 'ready --json: no container' "$tmp/out" '[i["id"] for i in d] == ["WORK-004", "WORK-005", "WORK-006"]'
TEST_DESC='ready --containers --json' expect_run 0 '*' '' -- "$JERRY" --json ready --containers
json_assert 'ready --containers: the epic first' "$tmp/out" \
	'[i["id"] for i in d] == ["WORK-001", "WORK-002", "WORK-003", "WORK-004", "WORK-005", "WORK-006"]'
expect_run 2 '' "^jerry: --containers goes with --next" -- "$JERRY" claim 1 --containers
TEST_DESC='claim --next' expect_run 0 '*' '' -- "$JERRY" --json claim --next
json_assert 'claim --next skips the critical epic, feature and story' "$tmp/out" 'd["id"] == "WORK-004"'
TEST_DESC='claim --next --containers' expect_run 0 '*' '' -- \
	env JERRY_INSTANCE=bob JERRY_SESSION=b1 "$JERRY" --json claim --next --containers
json_assert 'claim --next --containers takes the epic' "$tmp/out" 'd["id"] == "WORK-001"'
env JERRY_INSTANCE=bob JERRY_SESSION=b1 "$JERRY" release 1 >/dev/null

# ---- done with open items below ----------------------------------------------------
"$JERRY" start 3 >/dev/null
expect_run 9 '' "^jerry: cannot finish 'WORK-003': 2 items below it are open: WORK-004 \(in_progress\) and WORK-005 \(pending\)$" -- \
	"$JERRY" done 3
check_true 'the refusal has a hint' grep -q "^hint: .*--force" "$tmp/err"
TEST_DESC='done refused --json' expect_run 9 '' '*' -- "$JERRY" --json done 3
json_assert 'done refused --json lists them' "$tmp/err" \
	'd["error"]["code"] == "refused" and d["error"]["exit"] == 9 and d["error"]["open_descendant_count"] == 2 and d["error"]["open_descendants"] == [{"id": "WORK-004", "status": "in_progress"}, {"id": "WORK-005", "status": "pending"}]'
expect_run 0 '=in_progress' '' -- sh -c "\"$JERRY\" --json show 3 | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"status\"])'"

# ---- the last open child names its parent ------------------------------------------
expect_run 0 '=WORK-004 done (version 3)' '' -- "$JERRY" done 4
"$JERRY" start 5 >/dev/null
TEST_DESC='done of the last child --json' expect_run 0 '*' '' -- "$JERRY" --json done 5
json_assert 'done --json: parent_ready_to_close' "$tmp/out" 'd["id"] == "WORK-005" and d["status"] == "done" and d["parent_ready_to_close"] == "WORK-003"'
"$JERRY" reopen 5 >/dev/null
expect_run 0 "^WORK-003 has no open children left: close it with 'jerry done WORK-003'$" '' -- "$JERRY" done 5
expect_run 0 '*' '' -- "$JERRY" summary
check_true 'summary lists the parent to close' grep -Eq '^  WORK-003  in_progress  story  Story$' "$tmp/out"
check_true 'summary says what the list is' grep -q '^parents whose children are all closed' "$tmp/out"
TEST_DESC='summary --json' expect_run 0 '*' '' -- "$JERRY" --json summary
json_assert 'summary --json: parents_to_close' "$tmp/out" \
	'[p["id"] for p in d["parents_to_close"]] == ["WORK-003"] and d["parents_to_close_count"] == 1'
expect_run 0 '=WORK-003 in_progress' '' -- sh -c "\"$JERRY\" show 3 --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d[\"id\"], d[\"status\"])'"
expect_run 0 '=WORK-003 done (version 3)' '' -- "$JERRY" done 3

# ---- done --force: recorded ------------------------------------------------------------
"$JERRY" create 'Task C' -t task --parent 6 >/dev/null                 # 7
"$JERRY" start 6 >/dev/null
expect_run 0 '^WORK-006 done' '' -- "$JERRY" done 6 --force
expect_run 0 'notes: \+1 "forced done although' '' -- "$JERRY" history 6
"$JERRY" --json show 6 >"$tmp/item"
json_assert 'the forced done is a note' "$tmp/item" 'd["notes"][-1]["text"] == "forced done although this item below it is open: WORK-007 (pending)"'

# ---- cancel: refused, --cascade, --force ------------------------------------------------
"$JERRY" create 'Story 2' -t story --parent 2 >/dev/null               # 8
"$JERRY" create 'Task D' -t task --parent 8 >/dev/null                 # 9
"$JERRY" create 'Task E' -t task --parent 8 >/dev/null                 # 10
expect_run 9 '' "^jerry: cannot cancel 'WORK-002': 4 items below it are open: WORK-007 \(pending\), WORK-008 \(pending\), WORK-009 \(pending\) and WORK-010 \(pending\)$" -- \
	"$JERRY" cancel 2
check_true 'cancel refusal hints at --cascade' grep -q '^hint: .*--cascade' "$tmp/err"
env JERRY_INSTANCE=bob JERRY_SESSION=b1 "$JERRY" claim 10 >/dev/null
expect_run 4 '' "^jerry: cannot cancel 'WORK-002' with what is below it: 'WORK-010' is claimed by bob" -- \
	"$JERRY" cancel 2 --cascade
expect_run 0 '=pending pending' '' -- sh -c "for i in 2 9; do \"$JERRY\" show \$i --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"status\"])'; done | tr '\n' ' ' | sed 's/ \$//'"
env JERRY_INSTANCE=bob JERRY_SESSION=b1 "$JERRY" release 10 >/dev/null
TEST_DESC='cancel --cascade --json' expect_run 0 '*' '' -- "$JERRY" --json cancel 2 --cascade
json_assert 'cancel --cascade --json: what it cancelled' "$tmp/out" \
	'd["status"] == "cancelled" and d["cancelled_below"] == ["WORK-007", "WORK-008", "WORK-009", "WORK-010"] and d["parent_ready_to_close"] == "WORK-001"'
for i in 7 8 9 10; do
	expect_run 0 'status: "pending" -> "cancelled"; notes: \+1 "cancelled with WORK-002 \(--cascade\)"' '' -- "$JERRY" history $i
done
TEST_DESC='the epic is ready to close' expect_run 0 '*' '' -- "$JERRY" --json summary
json_assert 'summary: the epic' "$tmp/out" '[p["id"] for p in d["parents_to_close"]] == ["WORK-001"]'
"$JERRY" create 'Feature 2' -t feature --parent 1 >/dev/null           # 11
expect_run 0 '^WORK-001 cancelled' '' -- "$JERRY" cancel 1 --force
"$JERRY" --json show 1 >"$tmp/item"
json_assert 'the forced cancel is a note' "$tmp/item" 'd["notes"][-1]["text"] == "forced cancelled although this item below it is open: WORK-011 (pending)" and d["status"] == "cancelled"'
expect_run 0 '=pending' '' -- sh -c "\"$JERRY\" show 11 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"status\"])'"
expect_run 0 '^0 problems|, 0 problems$' '' -- "$JERRY" check

test_done
