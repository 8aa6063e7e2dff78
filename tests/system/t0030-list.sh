#!/bin/bash
# jerry list: filters, sorting, limits, --json, the empty result.
. "$(dirname "$0")/../lib.sh"
jerry_init

TEST_DESC='empty list (text)' expect_run 0 '' '' -- "$JERRY" list
TEST_DESC='empty list (json)' expect_run 0 '^\[ *\]$' '' -- "$JERRY" list --json
json_assert 'empty json list is []' "$tmp/out" 'd == []'

"$JERRY" create 'alpha story' -t story -p low -l red >/dev/null          # 1
"$JERRY" create 'beta bug' -t bug -p critical -l red -l blue >/dev/null # 2
"$JERRY" create 'gamma' --assignee bob -p high >/dev/null               # 3
"$JERRY" create 'delta child' --parent 1 >/dev/null                     # 4
"$JERRY" create 'epsilon done' >/dev/null                               # 5
"$JERRY" create 'zeta cancelled' >/dev/null                             # 6
"$JERRY" start 5 >/dev/null && "$JERRY" done 5 >/dev/null
"$JERRY" cancel 6 >/dev/null
"$JERRY" start 3 >/dev/null

ids() { awk 'NR > 1 { print $1 }' "$tmp/out" | tr '\n' ' ' | sed 's/ $//'; }

expect_run 0 '^ID +STATUS +PRI +TYPE +ASSIGNEE +TITLE$' '' -- "$JERRY" list
check_true 'default hides done/cancelled' test "$(ids)" = 'WORK-001 WORK-002 WORK-003 WORK-004'
expect_run 0 '^ID' '' -- "$JERRY" list --all
check_true '--all shows everything' test "$(ids)" = 'WORK-001 WORK-002 WORK-003 WORK-004 WORK-005 WORK-006'
expect_run 0 '^ID' '' -- "$JERRY" list --status done,cancelled
check_true '--status done,cancelled' test "$(ids)" = 'WORK-005 WORK-006'
expect_run 0 '^ID' '' -- "$JERRY" list --status in_progress
check_true '--status in_progress' test "$(ids)" = 'WORK-003'
expect_run 2 '' '^jerry: ' -- "$JERRY" list --status nonsense
expect_run 0 '^ID +STATUS +PRI +TYPE +TITLE *$' '' -- "$JERRY" list --type bug
check_true '--type bug' test "$(ids)" = 'WORK-002'
check_true 'no ASSIGNEE column without assignees' sh -c '! grep -q ASSIGNEE "$1/out"' sh "$tmp"
expect_run 2 '' '^jerry: ' -- "$JERRY" list --type nonsense
expect_run 0 '^ID' '' -- "$JERRY" list --label red
check_true '--label red' test "$(ids)" = 'WORK-001 WORK-002'
expect_run 0 '^ID' '' -- "$JERRY" list --assignee bob
check_true '--assignee bob' test "$(ids)" = 'WORK-003'
check_true 'assignee shown' grep -q 'bob' "$tmp/out"
expect_run 0 '^ID' '' -- "$JERRY" list --priority critical
check_true '--priority critical' test "$(ids)" = 'WORK-002'
expect_run 2 '' '^jerry: ' -- "$JERRY" list --priority urgent
expect_run 0 '^ID' '' -- "$JERRY" list --parent WORK-001
check_true '--parent WORK-001' test "$(ids)" = 'WORK-004'
expect_run 0 '' '' -- "$JERRY" list --label nosuchlabel
expect_run 0 '^ID' '' -- "$JERRY" list --sort priority
check_true '--sort priority' test "$(ids)" = 'WORK-002 WORK-003 WORK-004 WORK-001'
expect_run 0 '^ID' '' -- "$JERRY" list --sort title --all
check_true '--sort title' test "$(ids)" = 'WORK-001 WORK-002 WORK-004 WORK-005 WORK-003 WORK-006'
expect_run 2 '' '^jerry: ' -- "$JERRY" list --sort nonsense
expect_run 0 '^ID' '' -- "$JERRY" list --limit 2
check_true '--limit 2' test "$(ids)" = 'WORK-001 WORK-002'
expect_run 2 '' '^jerry: ' -- "$JERRY" list --limit 0
expect_run 2 '' '^jerry: ' -- "$JERRY" list --limit -1
expect_run 2 '' '^jerry: ' -- "$JERRY" list --limit abc
expect_run 2 '' '^jerry: ' -- "$JERRY" list --bogus

TEST_DESC='list --json' expect_run 0 '*' '' -- "$JERRY" list --json
json_assert 'list --json is an array of summaries' "$tmp/out" \
	'[x["id"] for x in d] == ["WORK-001", "WORK-002", "WORK-003", "WORK-004"] and all("description" not in x and "notes" not in x for x in d) and all(isinstance(x["uid"], str) for x in d)'
TEST_DESC='list --all --json --status --limit' expect_run 0 '*' '' -- "$JERRY" list --all --json --limit 1 --sort priority
json_assert 'list --json --limit 1 --sort priority' "$tmp/out" '[x["id"] for x in d] == ["WORK-002"]'
TEST_DESC='list --json with no match' expect_run 0 '*' '' -- "$JERRY" --json list --label nosuchlabel
json_assert 'no match --json is []' "$tmp/out" 'd == []'

test_done
