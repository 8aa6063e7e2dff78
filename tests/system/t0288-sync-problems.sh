#!/bin/bash
# What only a merge can make, reported by the sync that made it (issue 11):
# a dependency cycle (each clone added half) and a parent the rules refuse
# (one clone changed the parent's type, the other put a task below it).
# The sync succeeds - the merge is sound, field by field - and says what
# it made, in text and --json; it repairs nothing (which link goes is a
# person's decision), and check reports the same until someone does.
. "$(dirname "$0")/../lib.sh"
git_sandbox || exit 1

two_clones || exit 1
at a "$JERRY" create one >/dev/null
at a "$JERRY" create two >/dev/null
at a "$JERRY" create three -t story >/dev/null
at a "$JERRY" sync >/dev/null
at b "$JERRY" sync >/dev/null

TEST_DESC='a sync that brings in nothing wrong reports nothing' \
	expect_run 0 '*' '' -- at b "$JERRY" sync --json
json_assert 'problems: []' "$tmp/out" "d['problems'] == []"

at a "$JERRY" dep add 1 --on 2 >/dev/null
at a "$JERRY" create four -t task --parent 3 >/dev/null
at a "$JERRY" sync >/dev/null
at b "$JERRY" dep add 2 --on 1 >/dev/null
at b "$JERRY" update 3 --type task >/dev/null

TEST_DESC='the sync that merges both halves says what it made' \
	expect_run 0 '^problem: WORK-00[12] depends on WORK-00[12], which depends back on it \(a dependency cycle\)$' '' \
	-- at b "$JERRY" sync
check_true 'and the parent the rules refuse' \
	grep -q '^problem: a task (WORK-004) cannot have a task (WORK-003) as its parent$' "$tmp/out"
check_true 'and what to do' \
	grep -q "^the merge made 2 problems no command would: fix them by hand ('jerry dep remove', 'jerry update --parent'); 'jerry check' lists them\$" "$tmp/out"
TEST_DESC='check reports the same' expect_run 7 '*' '' -- at b "$JERRY" check --json
json_assert 'a cycle and a parent rule' "$tmp/out" \
	"sorted(p['kind'] for p in d['problems']) == ['dependency_cycle', 'parent_rule']"

# a gets b's half: its sync reports the same, in --json.
TEST_DESC='the other clone'"'"'s sync, --json' expect_run 0 '*' '' -- at a "$JERRY" sync --json
json_assert 'problems: the cycle and the parent, by item' "$tmp/out" \
	"sorted((p['kind'], p['id']) for p in d['problems'])[1] == ('parent_rule', 'WORK-004') and \
	 sorted(p['kind'] for p in d['problems']) == ['dependency_cycle', 'parent_rule'] and \
	 all(p['message'] for p in d['problems'])"

# Fixed by hand, the next sync that brings it in reports nothing.
at a "$JERRY" dep remove 2 --on 1 >/dev/null
at a "$JERRY" update 3 --type story >/dev/null
at a "$JERRY" sync >/dev/null
TEST_DESC='after the fix, the sync that brings it reports nothing' \
	expect_run 0 '*' '' -- at b "$JERRY" sync --json
json_assert 'problems: []' "$tmp/out" "d['incoming'] > 0 and d['problems'] == []"
TEST_DESC='check is clean' expect_run 0 ' 0 problems$' '' -- at b "$JERRY" check

test_done
