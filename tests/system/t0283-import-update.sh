#!/bin/bash
# A re-import that changes an item's status goes by the state machine and
# respects claims: a move the state machine refuses is not made, a live
# claim of another than the importer keeps the status (and the assignee)
# it gave, and each is named on the row (text, --json, --dry-run).  A
# move to done or cancelled clears the claim, as 'jerry done' does.
# A known field of a type the reader does not read is kept under ext and
# named in lost, never dropped; so are Backlog.md's other assignees.
. "$(dirname "$0")/../lib.sh"
jerry_init
J=$JERRY

echo '[{"number":1,"title":"a","state":"OPEN"},{"number":2,"title":"b","state":"CLOSED","stateReason":"COMPLETED"},{"number":3,"title":"c","state":"OPEN"}]' >"$tmp/v1.json"
echo '[{"number":1,"title":"a","state":"CLOSED","stateReason":"COMPLETED"},{"number":2,"title":"b","state":"OPEN"},{"number":3,"title":"c","state":"CLOSED","stateReason":"NOT_PLANNED"}]' >"$tmp/v2.json"
expect_run 0 '^imported from github: 3 created' '' -- "$J" import "$tmp/v1.json"
expect_run 0 '*' '' -- "$J" --as agent-A claim WORK-001
before=$(tree_sum "$JERRY_DATA")

# Another's live claim: WORK-001 stays in_progress, claimed, assigned.
# done -> pending is refused: WORK-002 stays done.  pending -> cancelled is made.
expect_run 0 'would create 0, update 1, leave 2 unchanged' '' -- "$J" --as ci import --dry-run "$tmp/v2.json"
check_true 'the dry run names the claim' grep -q 'the status done: WORK-001 is claimed by agent-A until .*, so it stays in_progress' "$tmp/out"
check_true 'the dry run names the refused move' grep -q 'the status pending: WORK-002 cannot move from done to pending, so it stays done' "$tmp/out"
check_true 'the dry run wrote nothing' test "$before" = "$(tree_sum "$JERRY_DATA")"
expect_run 0 '^imported from github: 0 created, 1 updated, 2 unchanged$' '' -- "$J" --as ci import "$tmp/v2.json"
check_true 'the claim is named' grep -q '^    kept under ext or left out: the status done: WORK-001 is claimed by agent-A' "$tmp/out"
check_true 'the refused move is named' grep -q '^    kept under ext or left out: the status pending: WORK-002 cannot move from done to pending' "$tmp/out"
expect_run 0 '*' '' -- "$J" show WORK-001 --json
json_assert 'WORK-001 stays in_progress, claimed by agent-A and assigned to it' "$tmp/out" 'd["status"] == "in_progress" and d["claim"]["by"] == "agent-A" and d["assignee"] == "agent-A"'
expect_run 0 '*' '' -- "$J" show WORK-002 --json
json_assert 'WORK-002 stays done' "$tmp/out" 'd["status"] == "done" and d["completed_at"]'
expect_run 0 '*' '' -- "$J" show WORK-003 --json
json_assert 'WORK-003 is cancelled' "$tmp/out" 'd["status"] == "cancelled"'
expect_run 0 '*' '' -- "$J" --as ci import --json "$tmp/v2.json"
json_assert '--json names both on their rows' "$tmp/out" 'd["unchanged"] == 3 and "claimed by agent-A" in d["items"][0]["lost"] and "cannot move from done to pending" in d["items"][1]["lost"]'
expect_run 0 '*' '' -- "$J" --as agent-A heartbeat WORK-001
expect_run 0 '*' '' -- "$J" --as agent-A release WORK-001

# Unclaimed now: pending -> done goes through in_progress, and the claim is gone.
expect_run 0 '^update    WORK-001 ' '' -- "$J" --as ci import "$tmp/v2.json"
expect_run 0 '*' '' -- "$J" show WORK-001 --json
json_assert 'WORK-001 is done, unclaimed' "$tmp/out" 'd["status"] == "done" and d["claim"] is None and d["completed_at"]'

# The claimer's own import finishes its claimed item and clears the claim.
echo '[{"number":4,"title":"d","state":"OPEN"}]' >"$tmp/w1.json"
echo '[{"number":4,"title":"d","state":"CLOSED"}]' >"$tmp/w2.json"
expect_run 0 '*' '' -- "$J" import "$tmp/w1.json"
expect_run 0 '*' '' -- "$J" --as agent-B claim WORK-004
expect_run 0 '^update    WORK-004 ' '' -- "$J" --as agent-B import "$tmp/w2.json"
expect_run 0 '*' '' -- "$J" show WORK-004 --json
json_assert 'WORK-004 is done, its claim cleared' "$tmp/out" 'd["status"] == "done" and d["claim"] is None'
expect_run 0 '^4 items checked, 0 problems$' '' -- "$J" check

# ---- values of a type the reader does not read -----------------------------------------
echo '[{"number":10,"title":"t","state":"OPEN","labels":"bug","assignees":"bob","body":42,"comments":{"body":"c"},"createdAt":12345},{"number":11,"title":"u","state":"OPEN","labels":[{"name":"x"},"y"],"closedAt":null}]' >"$tmp/types.json"
expect_run 0 '*' '' -- "$J" import --json "$tmp/types.json"
json_assert 'github: each wrong type is named in lost' "$tmp/out" 'all(k + ": " in d["items"][0]["lost"] for k in ("labels", "assignees", "body", "comments", "createdAt")) and "labels: an array holding a string" in d["items"][1]["lost"]'
expect_run 0 '*' '' -- "$J" show WORK-005 --json
json_assert 'github: each is kept under ext as it was' "$tmp/out" 'd["ext"] == {"labels": "bug", "assignees": "bob", "body": 42, "comments": {"body": "c"}, "createdAt": 12345}'
expect_run 0 '*' '' -- "$J" show WORK-006 --json
json_assert 'github: a wrong element keeps the whole array' "$tmp/out" 'd["ext"] == {"labels": [{"name": "x"}, "y"]} and d["labels"] == []'
printf '{"id":"bd-1","title":"b","status":"open","priority":"1","issue_type":"task","labels":"a","assignee":7,"dependencies":{},"description":["d"]}\n' >"$tmp/types.jsonl"
expect_run 0 '^    kept under ext or left out: .*priority: a string where jerry reads a whole number' '' -- "$J" import "$tmp/types.jsonl"
expect_run 0 '*' '' -- "$J" show WORK-007 --json
json_assert 'beads: each is kept under ext' "$tmp/out" 'd["ext"] == {"priority": "1", "labels": "a", "assignee": 7, "dependencies": {}, "description": ["d"]}'
mkdir -p "$tmp/bl"
printf -- '---\nid: task-1\ntitle: Two owners\nstatus: To Do\nassignee: [alice, bob]\nlabels: bug\n---\nbody\n' >"$tmp/bl/task-1.md"
expect_run 0 '^    kept under ext or left out: labels: a string where jerry reads an array; assignee bob$' '' -- "$J" import "$tmp/bl"
expect_run 0 '*' '' -- "$J" show WORK-008 --json
json_assert 'backlog: the first assignee, labels kept under ext' "$tmp/out" 'd["assignee"] == "alice" and d["ext"] == {"labels": "bug"}'

test_done
