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

# A merge past a limit: each clone adds 2,100 labels to WORK-001, the union
# is past 4,096.  It was exit 2, "the merged item is past a limit", naming
# neither the limit nor the way out, for every sync after; now exit 4 (two
# copies that cannot be one item as they are), the limit named, and the way
# out works.
labels() { # prefix count: --add-label PREFIX1 ... as arguments
	i=1
	while [ "$i" -le "$2" ]; do
		printf -- '--add-label\n%s%d\n' "$1" "$i"
		i=$((i + 1))
	done
}
labels a 2100 >a.args
labels b 2100 >b.args
tr '\n' '\0' <a.args | (cd a && xargs -0 -n 400 "$JERRY" update 1 >/dev/null)
tr '\n' '\0' <b.args | (cd b && xargs -0 -n 400 "$JERRY" update 1 >/dev/null)
at a "$JERRY" sync >/dev/null
(tree_sum b/.jerry/data/items && tree_sum b/.jerry/data/history) >before
TEST_DESC='a merge past the labels limit: exit 4, the limit named' \
	expect_run 4 '' "^jerry: cannot merge 'WORK-001': the two copies together have more than 4096 labels" \
	-- at b "$JERRY" sync
check_true 'the hint says how to get under it' \
	grep -q "^hint: nothing was merged; remove labels here ('jerry update WORK-001 --remove-label LABEL')" "$tmp/err"
(tree_sum b/.jerry/data/items && tree_sum b/.jerry/data/history) >after
check_true 'no item or history file changed in b' cmp -s before after
labels b 2100 | sed 's/^--add-label$/--remove-label/' | head -n 400 | tr '\n' '\0' |
	(cd b && xargs -0 -n 400 "$JERRY" update 1 >/dev/null)
TEST_DESC='200 labels fewer here: the sync goes through' \
	expect_run 0 '^synced with origin: .*changes pushed' '' -- at b "$JERRY" sync
TEST_DESC='the merged item has both sides'"'"' labels' expect_run 0 '*' '' -- at b "$JERRY" show 1 --json
json_assert '2100 + 1900 labels' "$tmp/out" "len(d['labels']) == 4000"

test_done
