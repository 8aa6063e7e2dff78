#!/bin/bash
# jerry sync with several stores in one repository, and what REMOTE may be
# (ADR 0020, "One ref a store").  Every store synced to refs/jerry/data, so
# a nested store's sync replaced the top one's record on the remote: a
# fresh clone's top store got the nested store's WORK-001.  Now the store
# at the top of the work tree keeps refs/jerry/data and any other store has
# refs/jerry/stores/PATH (its path from the top, %XX-encoded); a store
# outside the work tree is refused.  And a URL or a path as REMOTE worked
# once, then failed for good on a refspec it could not spell: REMOTE must
# be a remote's name (exit 3, with the way to add one).  Two syncs of one
# store at once: git refused the second's fetch (exit 6, "cannot lock ref");
# now the second waits for the first (locks/sync.lock), exit 5 past its
# time limit.
. "$(dirname "$0")/../lib.sh"
git_sandbox || exit 1
two_clones || exit 1

at a "$JERRY" create 'top item' >/dev/null
mkdir a/web b/web
at a/web "$JERRY" init >/dev/null
at a/web "$JERRY" create 'web item' >/dev/null
at a/web "$JERRY" create 'web second' >/dev/null
mkdir -p a/projects/p1
(cd a && JERRY_PROJECT=p1 "$JERRY" init >/dev/null && JERRY_PROJECT=p1 "$JERRY" create 'p1 item' >/dev/null)

TEST_DESC='the top store syncs' expect_run 0 'changes pushed$' '' -- at a "$JERRY" sync
TEST_DESC='the nested store syncs' expect_run 0 'changes pushed$' '' -- at a/web "$JERRY" sync
TEST_DESC='a JERRY_PROJECT store syncs' \
	expect_run 0 'changes pushed$' '' -- env JERRY_PROJECT=p1 at a "$JERRY" sync
git -C origin.git for-each-ref --format='%(refname)' >refs
check_true 'the remote has one ref a store' \
	diff -u - refs <<'REFS'
refs/jerry/data
refs/jerry/stores/projects%2Fp1%2F%2Ejerry%2Fdata
refs/jerry/stores/web%2F%2Ejerry%2Fdata
REFS
check_true 'each ref is a valid ref name' \
	sh -c 'while read -r r; do git check-ref-format "$r" || exit 1; done <refs'

# A fresh clone's stores each get their own record.
TEST_DESC='b: the top store gets the top record' \
	expect_run 0 '^synced with origin: 2 files in' '' -- at b "$JERRY" sync
TEST_DESC='b: its WORK-001 is the top item' \
	expect_run 0 'top item' '' -- at b "$JERRY" show 1
check_true 'b: no nested item came into the top store' test ! -e b/.jerry/data/items/WORK-002.json
at b/web "$JERRY" init >/dev/null
TEST_DESC='b/web: the nested store gets its own record' \
	expect_run 0 '^synced with origin: 4 files in' '' -- at b/web "$JERRY" sync
TEST_DESC='b/web: WORK-002 is the web store'"'"'s' \
	expect_run 0 'web second' '' -- at b/web "$JERRY" show 2

# A change to one store on each side: the other stores stay as they were.
at b/web "$JERRY" note 1 'from b' >/dev/null
at b/web "$JERRY" sync >/dev/null
TEST_DESC='a: the top store has nothing new' \
	expect_run 0 '^synced with origin: 0 files in, nothing to push$' '' -- at a "$JERRY" sync
TEST_DESC='a/web: the note comes in' \
	expect_run 0 '^synced with origin: 2 files in' '' -- at a/web "$JERRY" sync
TEST_DESC='a: the top store still has its item' \
	expect_run 0 'top item' '' -- at a "$JERRY" show 1

# A store outside the work tree (inside .git) has no path every clone shares.
mkdir a/.git/jerry
JERRY_DATA=$tmp/a/.git/jerry/data at a "$JERRY" init >/dev/null 2>&1 ||
	at a "$JERRY" --data "$tmp/a/.git/jerry/data" init >/dev/null
TEST_DESC='a store outside the work tree: refused, named' \
	expect_run 6 '' "^jerry: cannot sync '.*/a/.git/jerry/data': it is not in a git work tree" \
	-- env JERRY_DATA="$tmp/a/.git/jerry/data" at a "$JERRY" sync

# REMOTE is a remote's name: a URL or path is exit 3, and the same again.
for n in 1 2; do
	TEST_DESC="a path as REMOTE ($n): exit 3, named, nothing pushed" \
		expect_run 3 '' "^jerry: '\.\./origin\.git' is not a remote of this repository" \
		-- at a "$JERRY" sync ../origin.git
	check_true "($n) the hint says how to add one" grep -q "^hint: .*git remote add NAME URL" "$tmp/err"
done
check_true 'no tracking ref was made for it' test -z "$(git -C a for-each-ref 'refs/jerry/remotes/..*')"
git -C a remote add up "$tmp/origin.git"
TEST_DESC='the same remote by a name: it syncs' \
	expect_run 0 '^synced with up: 0 files in' '' -- at a "$JERRY" sync up

# Two syncs of one store at once: the second waits for the first, then does
# its own round.  Both fetched into one tracking ref, and git refused the
# second: exit 6, "cannot lock ref 'refs/jerry/remotes/origin/data'".
for n in 1 2 3; do
	at b "$JERRY" create "b's $n" >/dev/null
	at b "$JERRY" sync >/dev/null
	at a "$JERRY" create "a's $n" >/dev/null
	(at a "$JERRY" sync >one.out 2>one.err; echo $? >one.rc) &
	(at a "$JERRY" sync >two.out 2>two.err; echo $? >two.rc) &
	wait
	check_true "($n) two syncs at once: both exit 0" test "$(cat one.rc two.rc)" = "0
0"
	check_true "($n) neither says git's ref-lock words" sh -c '! grep -q "cannot lock ref" one.err two.err'
done
TEST_DESC='then a has every item' expect_run 0 '*' '' -- at a "$JERRY" list --all --json
json_assert "a: 7 items" "$tmp/out" "len(d) == 7"
TEST_DESC='and check is clean' expect_run 0 ' 0 problems$' '' -- at a "$JERRY" check

# A sync that cannot get its turn within its time limit: exit 5, nothing changed.
tree_sum a/.jerry/data >before
TEST_DESC='a sync held off past --timeout: exit 5, named' \
	expect_run 5 '' "^jerry: cannot sync: another 'jerry sync' of '.*/a/.jerry/data' was still running" \
	-- python3 -c '
import fcntl, os, subprocess, sys
fd = os.open("a/.jerry/data/locks/sync.lock", os.O_RDWR | os.O_CREAT, 0o644)
fcntl.lockf(fd, fcntl.LOCK_EX, 1, 0)
r = subprocess.run(sys.argv[1:], cwd="a")
sys.exit(r.returncode)' "$JERRY" sync --timeout 1s
check_true 'the hint names --timeout' grep -q "^hint: .*--timeout" "$tmp/err"
tree_sum a/.jerry/data >after
check_true 'nothing changed in the store' cmp -s before after

test_done
