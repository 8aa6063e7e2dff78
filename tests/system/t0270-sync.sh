#!/bin/bash
# jerry sync (issue 11, ADR 0020): clones share one backlog through a git
# remote on refs/jerry/data.  Both clones create offline -> both items
# survive under distinct numbers, the unpublished one renumbered and the
# renumbering reported and recorded; fields edited on each side are both
# kept, the same field is decided alike in both clones; notes from both
# sides once; a second sync changes nothing; HEAD, the index and the
# working tree are never touched; an unreachable remote changes nothing;
# check is clean in every clone after every sync.
. "$(dirname "$0")/../lib.sh"
git_sandbox || exit 1

git init -q --bare origin.git
for c in a b; do
	git clone -q origin.git "$c" 2>/dev/null
	echo "code of $c" >"$c/code.txt"
	at "$c" git add code.txt
	at "$c" git commit -q -m "$c: code"
	at "$c" "$JERRY" init >/dev/null
done
# A dirty working tree and a staged change in b: sync must leave them be.
echo 'uncommitted' >>b/code.txt
echo 'staged' >b/staged.txt
at b git add staged.txt
git -C b rev-parse HEAD >b.head
git -C b status --porcelain >b.status

at a "$JERRY" create 'first in a' -l one -l two >/dev/null
TEST_DESC='the first sync pushes' expect_run 0 '^synced with origin: 0 files in, changes pushed$' '' \
	-- at a "$JERRY" sync
check_true 'the remote has refs/jerry/data' git -C origin.git rev-parse -q --verify refs/jerry/data
TEST_DESC='b gets it' expect_run 0 '^synced with origin: 2 files in' '' -- at b "$JERRY" sync
TEST_DESC='b shows the item' expect_run 0 'first in a' '' -- at b "$JERRY" show 1
TEST_DESC='check is clean in b' expect_run 0 ' 0 problems$' '' -- at b "$JERRY" check
check_true 'HEAD did not move' test "$(git -C b rev-parse HEAD)" = "$(cat b.head)"
check_true 'the index and working tree are as they were' \
	test "$(git -C b status --porcelain)" = "$(cat b.status)"
check_true 'the store is not in a commit of the branch' test -z "$(git -C b ls-tree -r HEAD -- .jerry)"

# Both create offline: the published one keeps WORK-002.
at a "$JERRY" create 'second, from a' >/dev/null
at b "$JERRY" create 'second, from b' >/dev/null
at b "$JERRY" note 2 'b wrote WORK-002 in a commit message' >/dev/null
at a "$JERRY" sync >/dev/null
TEST_DESC='b syncs and renumbers its own' \
	expect_run 0 '^renumbered WORK-002 → WORK-003: origin had another WORK-002$' '' -- at b "$JERRY" sync
TEST_DESC='WORK-002 is the published one' expect_run 0 'second, from a' \
	"^note: WORK-002 was also the number of WORK-003, which 'jerry sync' renumbered\$" \
	-- at b "$JERRY" show 2
TEST_DESC='WORK-003 is b'"'"'s, and says where it came from' \
	expect_run 0 'renumbered: WORK-002 → WORK-003' '' -- at b "$JERRY" show 3
check_true 'its notes came along' grep -q 'b wrote WORK-002' "$tmp/out"
TEST_DESC='check is clean in b after the renumbering' expect_run 0 ' 0 problems$' '' -- at b "$JERRY" check
TEST_DESC='a gets both' expect_run 0 '*' '' -- at a "$JERRY" sync
TEST_DESC='a lists three' expect_run 0 '*' '' -- at a "$JERRY" list --json
json_assert 'three items, distinct numbers' "$tmp/out" \
	"sorted(i['title'] for i in d) == ['first in a', 'second, from a', 'second, from b']"
TEST_DESC='check is clean in a' expect_run 0 ' 0 problems$' '' -- at a "$JERRY" check

# Different fields, the same field, a label removed, notes on both sides.
at a "$JERRY" update 1 --title 'a title' --remove-label one >/dev/null
at a "$JERRY" note 1 'from a' >/dev/null
sleep 0.01
at b "$JERRY" update 1 --title 'b title' --priority high >/dev/null
at b "$JERRY" note 1 'from b' >/dev/null
at a "$JERRY" sync >/dev/null
TEST_DESC='b merges both sides' expect_run 0 '^merged WORK-001 \(version [0-9]+\): both sides changed title' '' \
	-- at b "$JERRY" sync
TEST_DESC='a gets the merge' expect_run 0 '*' '' -- at a "$JERRY" sync
check_true 'one item in both clones' \
	cmp -s a/.jerry/data/items/WORK-001.json b/.jerry/data/items/WORK-001.json
TEST_DESC='show the merged item' expect_run 0 '*' '' -- at a "$JERRY" show 1 --json
json_assert 'later title, the other a note, priority, removal, notes once' "$tmp/out" \
	"d['title'] == 'b title' and d['priority'] == 'high' and d['labels'] == ['two'] and \
	 [n['text'] for n in d['notes']].count('from a') == 1 and \
	 [n['text'] for n in d['notes']].count('from b') == 1 and \
	 any(n['text'] == 'title (the other side of a merge): a title' for n in d['notes'])"
for c in a b; do
	TEST_DESC="check is clean in $c" expect_run 0 ' 0 problems$' '' -- at "$c" "$JERRY" check
done
TEST_DESC='a second sync changes nothing' \
	expect_run 0 '^synced with origin: 0 files in, nothing to push$' '' -- at a "$JERRY" sync
TEST_DESC='a second sync --json' expect_run 0 '*' '' -- at b "$JERRY" sync --json
json_assert 'nothing in, nothing out' "$tmp/out" \
	"d['incoming'] == 0 and d['pushed'] is False and d['outgoing'] is False"

# A renumbered clone goes on: its next change to the number it gave up
# (now the remote's item) and its next syncs merge as any other.
at b "$JERRY" update 2 --priority low >/dev/null
at a "$JERRY" update 2 --add-label seen-in-a >/dev/null
TEST_DESC='a syncs after the renumbering' expect_run 0 '*' '' -- at a "$JERRY" sync
TEST_DESC='b syncs after the renumbering' expect_run 0 '^merged WORK-002' '' -- at b "$JERRY" sync
TEST_DESC='the history of WORK-002 is one item'"'"'s' expect_run 0 '*' '' -- at b "$JERRY" history 2 --json
json_assert 'one creation, the published item'"'"'s' "$tmp/out" \
	"[e['op'] for e in d].count('create') == 1 and d[0]['changes']['title'] == 'second, from a'"
for c in a b; do
	TEST_DESC="check is clean in $c after the renumbered item changed" \
		expect_run 0 ' 0 problems$' '' -- at "$c" "$JERRY" check
done

# An unreachable remote: a storage error, nothing changed here.  (A
# remote's name: a path that is not one is t0291's.)
git -C a remote add nowhere "$tmp/nowhere.git"
at a "$JERRY" create 'not shared yet' >/dev/null
tree_sum a/.jerry/data >before
git -C a for-each-ref refs/jerry >refs.before
TEST_DESC='an unreachable remote is exit 6' \
	expect_run 6 '' 'nowhere' -- at a "$JERRY" sync nowhere
tree_sum a/.jerry/data >after
check_true 'nothing changed in the store' cmp -s before after
check_true 'no ref moved' test "$(git -C a for-each-ref refs/jerry)" = "$(cat refs.before)"
check_true 'HEAD, index and working tree of b untouched' \
	test "$(git -C b status --porcelain)" = "$(cat b.status)"

test_done
