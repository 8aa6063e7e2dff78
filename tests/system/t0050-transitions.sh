#!/bin/bash
# start / block / done / cancel / reopen along the state machine:
#   pending -> in_progress | cancelled
#   in_progress -> blocked | done | cancelled
#   blocked -> in_progress | cancelled
#   done -> in_progress (reopen)
#   cancelled: final
. "$(dirname "$0")/../lib.sh"
jerry_init
for i in 1 2 3 4 5 6; do "$JERRY" create "item $i" >/dev/null; done

js() { "$JERRY" show "$1" --json >"$tmp/item"; }

expect_run 0 '=WORK-001 in_progress (version 2)' '' -- "$JERRY" start 1
expect_run 0 '=WORK-001 blocked (version 3)' '' -- "$JERRY" block 1 --reason 'waiting for the API key'
js 1; json_assert 'blocked, reason kept' "$tmp/item" 'd["status"] == "blocked" and "waiting for the API key" in json.dumps(d)'
expect_run 9 '' 'in_progress.*cancelled' -- "$JERRY" done 1
expect_run 9 '' '^jerry: ' -- "$JERRY" block 1
expect_run 9 '' '^jerry: ' -- "$JERRY" reopen 1
expect_run 0 '=WORK-001 in_progress (version 4)' '' -- "$JERRY" start 1
js 1; json_assert 'no completed_at before done' "$tmp/item" 'd["completed_at"] is None'
expect_run 0 '=WORK-001 done (version 5)' '' -- "$JERRY" done 1
js 1; json_assert 'completed_at set on done' "$tmp/item" \
	'd["status"] == "done" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", d["completed_at"] or "") is not None'
expect_run 9 '' 'in_progress' -- "$JERRY" cancel 1
expect_run 9 '' 'in_progress' -- "$JERRY" block 1
expect_run 9 '' '^jerry: ' -- "$JERRY" done 1
expect_run 0 '=WORK-001 in_progress (version 6)' '' -- "$JERRY" reopen 1
js 1; json_assert 'completed_at cleared on reopen' "$tmp/item" 'd["status"] == "in_progress" and d["completed_at"] is None'
expect_run 9 '' '^jerry: ' -- "$JERRY" reopen 1
expect_run 9 '' '^jerry: ' -- "$JERRY" start 1
expect_run 0 '=WORK-001 cancelled (version 7)' '' -- "$JERRY" cancel 1

# pending: only in_progress or cancelled
expect_run 9 '' 'in_progress.*cancelled' -- "$JERRY" done 2
expect_run 9 '' 'in_progress.*cancelled' -- "$JERRY" block 2
expect_run 9 '' 'in_progress.*cancelled' -- "$JERRY" reopen 2
expect_run 9 '' '*' -- "$JERRY" done 2 --json
json_assert 'refused --json names allowed' "$tmp/err" \
	'd["error"]["code"] and d["error"]["exit"] == 9 and sorted(d["error"]["allowed"]) == ["cancelled", "in_progress"] and d["error"]["item"] == "WORK-002"'
js 2; json_assert 'refusals wrote nothing' "$tmp/item" 'd["version"] == 1 and d["status"] == "pending"'
expect_run 0 '=WORK-002 cancelled (version 2)' '' -- "$JERRY" cancel 2

# cancelled is final
for c in start block done cancel reopen; do
	expect_run 9 '' 'cancelled' -- "$JERRY" $c 2
done
js 2; json_assert 'cancelled unchanged' "$tmp/item" 'd["version"] == 2 and d["status"] == "cancelled"'

# in_progress: blocked | done | cancelled
"$JERRY" start 3 >/dev/null
expect_run 9 '' 'blocked.*done.*cancelled|blocked, done, cancelled' -- "$JERRY" start 3
expect_run 9 '' 'blocked.*done.*cancelled' -- "$JERRY" reopen 3
expect_run 0 '=WORK-003 cancelled (version 3)' '' -- "$JERRY" cancel 3
# blocked -> cancelled
"$JERRY" start 4 >/dev/null && "$JERRY" block 4 >/dev/null
expect_run 0 '=WORK-004 cancelled (version 4)' '' -- "$JERRY" cancel 4

# --if-version on transitions
expect_run 0 '=WORK-005 in_progress (version 2)' '' -- "$JERRY" start 5 --if-version 1
expect_run 4 '' '^jerry: .*WORK-005' -- "$JERRY" done 5 --if-version 1
expect_run 0 '=WORK-005 done (version 3)' '' -- "$JERRY" done 5 --if-version 2
TEST_DESC='transition --json' expect_run 0 '*' '' -- "$JERRY" reopen 5 --json
json_assert 'reopen --json item' "$tmp/out" 'd["status"] == "in_progress" and d["version"] == 4 and d["completed_at"] is None'

# Bad arguments
expect_run 2 '' '^jerry: ' -- "$JERRY" start
expect_run 3 '' '^jerry: .*WORK-404' -- "$JERRY" start 404
expect_run 2 '' '^jerry: ' -- "$JERRY" start ../6
expect_run 2 '' '^jerry: ' -- "$JERRY" start 6 --bogus

test_done
