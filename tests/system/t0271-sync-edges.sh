#!/bin/bash
# jerry sync at the edges (issue 11, ADR 0020), beside t0270's main cases:
# a repository with no remote, a branch with no upstream, a detached HEAD,
# a dirty working tree with a staged index (nothing of the code moves, byte
# for byte), clones whose clocks disagree (the later edit by the wall clock
# loses no note, label or status), a second sync right after one that
# merged changes nothing, byte for byte, and a git lock left by a killed
# sync does not stop the next.  t0270 has the unreachable remote.
. "$(dirname "$0")/../lib.sh"
git_sandbox || exit 1

# One clone's clock a day behind the others' (libfaketime; an ASan build
# allows the preload).
printf '#!/bin/sh\nASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 exec faketime -f -1d "$@"\n' \
	>bin/skewed
chmod +x bin/skewed

# What sync must never touch: HEAD, the index, the working tree.
code_state() { # clone: HEAD, what git says, and every file outside .git and .jerry
	git -C "$1" rev-parse HEAD
	git -C "$1" symbolic-ref -q HEAD || echo detached
	git -C "$1" status --porcelain
	git -C "$1" diff --cached
	git -C "$1" diff
	git -C "$1" ls-files -s
	(cd "$1" && find . -path ./.git -prune -o -path ./.jerry -prune -o -type f -print |
		LC_ALL=C sort | while IFS= read -r f; do printf '%s ' "$f"; cksum <"$f"; done)
}

git init -q --bare origin.git
for c in a b; do
	git clone -q origin.git "$c" 2>/dev/null
	printf 'code of %s\n' "$c" >"$c/code.txt"
	printf 'more code\n' >"$c/lib.txt"
	at "$c" git add code.txt lib.txt
	at "$c" git commit -q -m "$c: code"
	at "$c" "$JERRY" init >/dev/null
done

# No remote at all: a clear error, nothing written.
git init -q lonely
at lonely "$JERRY" init >/dev/null
at lonely "$JERRY" create 'kept here' >/dev/null
tree_sum lonely/.jerry/data >before
TEST_DESC='no remote: exit 3, named' \
	expect_run 3 '' "^jerry: no remote named 'origin' to sync with" -- at lonely "$JERRY" sync
check_true 'the hint says how to name one' grep -q "^hint: .*jerry sync REMOTE" "$tmp/err"
tree_sum lonely/.jerry/data >after
check_true 'nothing changed in that store' cmp -s before after
check_true 'no sync ref was made' test -z "$(git -C lonely for-each-ref refs/jerry)"
# A remote under another name is used when named.
git -C lonely remote add up "$tmp/origin.git"
TEST_DESC='a remote not named origin: still exit 3 without REMOTE' \
	expect_run 3 '' "no remote named 'origin'" -- at lonely "$JERRY" sync
TEST_DESC='named, it syncs' \
	expect_run 0 '^synced with up: 0 files in, changes pushed$' '' -- at lonely "$JERRY" sync up

# A branch with no upstream: the default remote is origin all the same.
git -C a checkout -q -b topic
check_true 'topic has no upstream' test -z "$(git -C a rev-parse -q --verify '@{upstream}' 2>/dev/null)"
code_state a >a.code
TEST_DESC='no upstream: sync uses origin' \
	expect_run 0 '^synced with origin: 2 files in, changes pushed$' '' -- at a "$JERRY" sync
code_state a >a.code.after
check_true 'a: no code moved' cmp -s a.code a.code.after
TEST_DESC='a has lonely'"'"'s item' expect_run 0 'kept here' '' -- at a "$JERRY" show 1

TEST_DESC='b syncs' expect_run 0 '*' '' -- at b "$JERRY" sync

# b: a detached HEAD, a dirty working tree, a staged index - and changes
# both ways, so the sync fetches, merges, commits and pushes.
at b git checkout -q --detach
echo 'staged line' >>b/lib.txt
at b git add lib.txt
echo 'unstaged line on top' >>b/lib.txt
echo 'uncommitted' >>b/code.txt
echo 'new, staged' >b/new.txt
at b git add new.txt
echo 'untracked' >b/scratch.txt
code_state b >b.code
at a "$JERRY" create 'from a' >/dev/null
at a "$JERRY" sync >/dev/null
at b "$JERRY" create 'from b' >/dev/null
at b "$JERRY" update 1 --add-label seen-in-b >/dev/null
TEST_DESC='detached, dirty, staged: sync merges' \
	expect_run 0 '^renumbered WORK-002 → WORK-003' '' -- at b "$JERRY" sync
code_state b >b.code.after
check_true 'b: HEAD, index, working tree and every code file as they were' cmp -s b.code b.code.after
check_true 'b: HEAD is still detached' test "$(sed -n 2p b.code.after)" = detached
TEST_DESC='check is clean in b' expect_run 0 ' 0 problems$' '' -- at b "$JERRY" check

# A second sync right after one that merged changes nothing, byte for byte.
tree_sum b/.jerry/data >before
git -C b for-each-ref refs/jerry >refs.before
git -C origin.git for-each-ref refs/jerry >remote.before
TEST_DESC='a second sync right after: nothing' \
	expect_run 0 '^synced with origin: 0 files in, nothing to push$' '' -- at b "$JERRY" sync
tree_sum b/.jerry/data >after
check_true 'the store is byte-identical' cmp -s before after
check_true 'no local ref moved' test "$(git -C b for-each-ref refs/jerry)" = "$(cat refs.before)"
check_true 'the remote did not move' test "$(git -C origin.git for-each-ref refs/jerry)" = "$(cat remote.before)"
code_state b >b.code.after
check_true 'b: still no code moved' cmp -s b.code b.code.after
TEST_DESC='a syncs' expect_run 0 '*' '' -- at a "$JERRY" sync

# A git killed with its sync (kill -9 of the process group) leaves the
# private index's lock behind: the next sync, which holds every item lock,
# knows it is stale and goes on, instead of failing every sync after.
: >b/.jerry/data/tmp/sync-index.lock
at b "$JERRY" note 1 'after a killed git' >/dev/null
TEST_DESC='a stale tmp/sync-index.lock: the sync goes on' \
	expect_run 0 '^synced with origin: 0 files in, changes pushed$' '' -- at b "$JERRY" sync
check_true 'and the stale lock is gone' test ! -e b/.jerry/data/tmp/sync-index.lock
TEST_DESC='a gets the note' expect_run 0 '*' '' -- at a "$JERRY" sync

# Clock skew: b's clock is a day behind.  a edits item 1 first; b edits it
# later by the wall clock, but with older stamps.  Nothing either wrote is
# lost: both notes, both labels, the status further along, and the title
# the merge did not keep is a note.
# libfaketime cannot preload into an ASan build (it hangs in ASan's start):
# there the skew is left to the plain build's run.
skew() {
	at a "$JERRY" update 1 --title 'title from a' --add-label from-a >/dev/null
	at a "$JERRY" note 1 'note from a' >/dev/null
	at b skewed "$JERRY" update 1 --title 'title from b' --add-label from-b --remove-label seen-in-b >/dev/null
	at b skewed "$JERRY" note 1 'note from b, a day behind' >/dev/null
	at b skewed "$JERRY" start 1 >/dev/null
	at b skewed "$JERRY" done 1 >/dev/null
	TEST_DESC='a syncs first' expect_run 0 '*' '' -- at a "$JERRY" sync
	TEST_DESC='skewed b merges' expect_run 0 '^merged WORK-001' '' -- at b skewed "$JERRY" sync
	TEST_DESC='a gets the merge' expect_run 0 '*' '' -- at a "$JERRY" sync
	check_true 'one item in both clones' \
		cmp -s a/.jerry/data/items/WORK-001.json b/.jerry/data/items/WORK-001.json
	TEST_DESC='show the merged item' expect_run 0 '*' '' -- at a "$JERRY" show 1 --json
	json_assert 'no note, label or status lost to the skew' "$tmp/out" \
		"[n['text'] for n in d['notes']].count('note from a') == 1 and \
		 [n['text'] for n in d['notes']].count('note from b, a day behind') == 1 and \
		 sorted(d['labels']) == ['from-a', 'from-b'] and d['status'] == 'done' and \
		 d['completed_at'] is not None and \
		 {d['title']} | {n['text'].split(': ', 1)[1] for n in d['notes'] \
			if n['text'].startswith('title (the other side')} == {'title from a', 'title from b'}"
	for c in a b; do
		TEST_DESC="check is clean in $c after the skewed merge" \
			expect_run 0 ' 0 problems$' '' -- at "$c" "$JERRY" check
		tree_sum "$c/.jerry/data" >"$c.before"
		TEST_DESC="$c: the sync after changes nothing" \
			expect_run 0 '^synced with origin: 0 files in, nothing to push$' '' -- at "$c" "$JERRY" sync
		tree_sum "$c/.jerry/data" >"$c.after"
		check_true "$c: the store is byte-identical" cmp -s "$c.before" "$c.after"
	done
}
if timeout 20 skewed "$JERRY" --version >/dev/null 2>&1; then
	skew
else
	echo "# skipped the clock skew: faketime does not preload into $JERRY"
fi
code_state b >b.code.after
check_true 'b: no code moved through all of it' cmp -s b.code b.code.after

# A push the remote refuses after the merge: what merged here is reported
# all the same - it said only "'git push' failed", and the renumbering it
# had done went untold, that sync and every one after.
git init -q --bare refusing.git
for c in p q; do
	git clone -q refusing.git "$c" 2>/dev/null
	at "$c" "$JERRY" init >/dev/null
done
at p "$JERRY" create "p's item" >/dev/null
at p "$JERRY" sync >/dev/null
printf '#!/bin/sh\necho denied >&2\nexit 1\n' >refusing.git/hooks/pre-receive
chmod +x refusing.git/hooks/pre-receive
at q "$JERRY" create "q's item" >/dev/null
TEST_DESC='a refused push: exit 6, the renumbering reported' \
	expect_run 6 '^merged with origin: 2 files in, changes kept here, not pushed
renumbered WORK-001 → WORK-002: origin had another WORK-001$' "^jerry: 'git push' failed.*denied
hint: this copy keeps the merge; the next 'jerry sync' pushes it" -- at q "$JERRY" sync
TEST_DESC="q keeps the merge: WORK-002 is q's item" expect_run 0 "q's item" '' -- at q "$JERRY" show 2
# Again with --json: p publishes a WORK-002 of its own meanwhile.
rm refusing.git/hooks/pre-receive
at p "$JERRY" create "p's second" >/dev/null
at p "$JERRY" sync >/dev/null
printf '#!/bin/sh\necho denied >&2\nexit 1\n' >refusing.git/hooks/pre-receive
chmod +x refusing.git/hooks/pre-receive
TEST_DESC='--json: exit 6, the report on stdout, the error on stderr' \
	expect_run 6 '*' '^{"error":{"code":"storage"' -- at q "$JERRY" --json sync
json_assert 'the report says what was renumbered and that nothing was pushed' "$tmp/out" \
	"d['pushed'] is False and d['incoming'] == 2 and d['renumbered'][0]['from'] == 'WORK-002' and d['renumbered'][0]['to'] == 'WORK-003'"
rm refusing.git/hooks/pre-receive
TEST_DESC='the hook gone, the next sync pushes the merge' \
	expect_run 0 '^synced with origin: 0 files in, changes pushed$' '' -- at q "$JERRY" sync
TEST_DESC='p gets it' expect_run 0 '*' '' -- at p "$JERRY" sync
TEST_DESC='p has all three items' expect_run 0 '*' '' -- at p "$JERRY" list --all --json
json_assert "three items, q's renumbered to WORK-003" "$tmp/out" \
	"len(d) == 3 and [i['title'] for i in d if i['id'] == 'WORK-003'] == [\"q's item\"]"

test_done
