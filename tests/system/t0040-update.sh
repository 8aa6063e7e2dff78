#!/bin/bash
# jerry update: every field, --if-version, labels, clearing, refusals.
. "$(dirname "$0")/../lib.sh"
jerry_init
"$JERRY" create 'original' >/dev/null   # 1
"$JERRY" create 'epic one' -t epic >/dev/null   # 2

get() { "$JERRY" show 1 --json >"$tmp/item"; }

expect_run 0 '=WORK-001 pending (version 2)' '' -- "$JERRY" update 1 --title 'new title'
get; json_assert 'title updated' "$tmp/item" 'd["title"] == "new title" and d["version"] == 2'
expect_run 0 '=WORK-001 pending (version 3)' '' -- "$JERRY" update 1 --description 'some text'
get; json_assert 'description updated' "$tmp/item" 'd["description"] == "some text"'
printf 'from stdin\n' >"$tmp/d"
expect_run 0 '=WORK-001 pending (version 4)' '' -- "$JERRY" update 1 --description - <"$tmp/d"
get; json_assert 'description from stdin' "$tmp/item" 'd["description"].rstrip("\n") == "from stdin"'
expect_run 0 '=WORK-001 pending (version 5)' '' -- "$JERRY" update 1 --description ''
get; json_assert 'description cleared' "$tmp/item" 'd["description"] in (None, "")'
expect_run 0 '=WORK-001 pending (version 6)' '' -- "$JERRY" update 1 --type bug
get; json_assert 'type updated' "$tmp/item" 'd["type"] == "bug"'
expect_run 0 '=WORK-001 pending (version 7)' '' -- "$JERRY" update 1 --priority critical
get; json_assert 'priority updated' "$tmp/item" 'd["priority"] == "critical"'
expect_run 0 '=WORK-001 pending (version 8)' '' -- "$JERRY" update 1 --assignee carol
get; json_assert 'assignee set' "$tmp/item" 'd["assignee"] == "carol"'
expect_run 0 '=WORK-001 pending (version 9)' '' -- "$JERRY" update 1 --assignee ''
get; json_assert 'assignee cleared' "$tmp/item" 'd["assignee"] is None'
expect_run 0 '=WORK-001 pending (version 10)' '' -- "$JERRY" update 1 --parent 2
get; json_assert 'parent set' "$tmp/item" 'd["parent"] == "WORK-002"'
expect_run 0 '=WORK-001 pending (version 11)' '' -- "$JERRY" update 1 --parent ''
get; json_assert 'parent cleared' "$tmp/item" 'd["parent"] is None'
expect_run 0 '=WORK-001 in_progress (version 12)' '' -- "$JERRY" update 1 --status in_progress
get; json_assert 'status via update' "$tmp/item" 'd["status"] == "in_progress"'
expect_run 9 '' '^jerry: .*' -- "$JERRY" update 1 --status pending
expect_run 0 '=WORK-001 in_progress (version 13)' '' -- "$JERRY" update 1 --add-label x --add-label y --add-label z
get; json_assert 'labels added, sorted' "$tmp/item" 'd["labels"] == ["x", "y", "z"]'
expect_run 0 '=WORK-001 in_progress (version 14)' '' -- "$JERRY" update 1 --remove-label y --add-label w
get; json_assert 'label removed and added' "$tmp/item" 'd["labels"] == ["w", "x", "z"]'
expect_run 0 '=WORK-001 in_progress (version 15)' '' -- "$JERRY" update 1 --title 't2' --priority low --assignee dan
get; json_assert 'several fields at once' "$tmp/item" 'd["title"] == "t2" and d["priority"] == "low" and d["assignee"] == "dan" and d["version"] == 15'

# --if-version
expect_run 0 '=WORK-001 in_progress (version 16)' '' -- "$JERRY" update 1 --title matched --if-version 15
expect_run 4 '' "^jerry: .*WORK-001.*15.*16|^jerry: .*WORK-001.*16.*15" -- "$JERRY" update 1 --title stale --if-version 15
get; json_assert 'stale update wrote nothing' "$tmp/item" 'd["title"] == "matched" and d["version"] == 16'
expect_run 4 '' '*' -- "$JERRY" update 1 --title stale --if-version 3 --json
json_assert 'conflict --json error' "$tmp/err" \
	'd["error"]["code"] == "conflict" and d["error"]["exit"] == 4 and d["error"]["expected_version"] == 3 and d["error"]["current_version"] == 16 and d["error"]["item"] == "WORK-001"'
expect_run 2 '' '^jerry: ' -- "$JERRY" update 1 --title x --if-version abc
expect_run 2 '' '^jerry: ' -- "$JERRY" update 1 --title x --if-version
TEST_DESC='update --json' expect_run 0 '*' '' -- "$JERRY" update 1 --title viajson --json --if-version 16
json_assert 'update --json item' "$tmp/out" 'd["title"] == "viajson" and d["version"] == 17 and d["updated_at"] >= d["created_at"]'

# Refusals
expect_run 2 '' '^jerry: ' -- "$JERRY" update 1
expect_run 2 '' '^jerry: ' -- "$JERRY" update
expect_run 2 '' '^jerry: ' -- "$JERRY" update 1 --title ''
expect_run 2 '' '^jerry: ' -- "$JERRY" update 1 --type nonsense
expect_run 2 '' '^jerry: ' -- "$JERRY" update 1 --priority nonsense
expect_run 2 '' '^jerry: ' -- "$JERRY" update 1 --status nonsense
expect_run 2 '' '^jerry: ' -- "$JERRY" update 1 --bogus x
expect_run 3 '' "^jerry: .*WORK-404" -- "$JERRY" update 404 --title x
expect_run 3 '' "^jerry: .*WORK-404" -- "$JERRY" update 1 --parent 404
expect_run 9 '' '^jerry: ' -- "$JERRY" update 1 --parent 1
"$JERRY" update 1 --parent 2 >/dev/null
expect_run 9 '' '^jerry: ' -- "$JERRY" update 2 --parent 1
get; json_assert 'refusals wrote nothing' "$tmp/item" 'd["version"] == 18 and d["title"] == "viajson"'

test_done
