#!/bin/bash
# jerry in a git repository (issue 11, doc/adr/0017-git-repository.md):
# every worktree uses the main worktree's store and locks (4 worktrees
# creating and claiming at once share one sequence and one pool); a `.git`
# file that is not a gitfile is exit 7, layouts without a main worktree keep
# their own store; init writes ignore rules so that only items/ and
# history/ are committed, and a fresh clone of a committed store works at
# once with check clean.
. "$(dirname "$0")/../lib.sh"
git_sandbox || exit 1
git config --global advice.detachedHead false

# ---- one store for every worktree -----------------------------------------

git init -q repo
at repo git commit -q --allow-empty -m root
for w in 1 2 3 4; do
	at repo git worktree add -q -b "b$w" "$tmp/w$w"
done
mkdir -p w2/sub/deeper

TEST_DESC='init in a linked worktree names the main worktree' \
	expect_run 0 "^initialized jerry store in $tmp/repo/\.jerry/data$" '' -- at w1 "$JERRY" init
check_true 'no store made in the linked worktree' test ! -e w1/.jerry
TEST_DESC='init --json from another worktree: the same store' \
	expect_run 0 '*' '' -- at w3 "$JERRY" init --json
json_assert 'the existing main store' "$tmp/out" \
	"d['created'] is False and d['dir'] == '$tmp/repo/.jerry/data'"
TEST_DESC='create in a linked worktree' expect_run 0 '=WORK-001' '' -- at w2/sub/deeper "$JERRY" create from-w2
check_true 'the item is in the main store' test -f repo/.jerry/data/items/WORK-001.json
TEST_DESC='create in the main worktree: the next number' expect_run 0 '=WORK-002' '' -- at repo "$JERRY" create from-main
TEST_DESC='another worktree lists both' expect_run 0 'WORK-002' '' -- at w4 "$JERRY" list
check_true 'both in that list' grep -q 'from-w2' "$tmp/out"
# A store the checkout of w4 brought along (a committed store on its
# branch) is not the one: the main worktree's is.
mkdir -p w4/.jerry/data/items w4/.jerry/data/locks
TEST_DESC='a store inside a linked worktree is not used' expect_run 0 '=WORK-003' '' -- at w4 "$JERRY" create from-w4
check_true 'it went to the main store' test -f repo/.jerry/data/items/WORK-003.json
check_true 'the worktree store got nothing' test -z "$(ls w4/.jerry/data/items)"
rm -rf w4/.jerry
TEST_DESC='JERRY_DATA still decides' expect_run 0 '*' '' -- at w1 env JERRY_DATA="$tmp/own" "$JERRY" init
TEST_DESC='JERRY_DATA: its own numbers' expect_run 0 '=WORK-001' '' -- at w1 env JERRY_DATA="$tmp/own" "$JERRY" create own
TEST_DESC='--data still decides' expect_run 0 'own' '' -- at w1 "$JERRY" --data "$tmp/own" list
TEST_DESC='JERRY_PROJECT in a worktree: the main worktree projects/' \
	expect_run 0 "projects/p/\.jerry/data$" '' -- at w2/sub env JERRY_PROJECT=p "$JERRY" init
check_true 'the project store is in the main worktree' test -d repo/sub/projects/p/.jerry/data/items
TEST_DESC='git is not needed' expect_run 0 'from-w4' '' -- at w3 env PATH=/nonexistent "$JERRY" list

# 4 agents in 4 worktrees, 25 creates each at once: one sequence.  On a
# jerry without this, each worktree's init makes a store of its own and
# the four hand out WORK-001..025 each.
for w in 1 2 3 4; do at "w$w" "$JERRY" init >/dev/null; done
: >go
for w in 1 2 3 4; do
	(
		cd "w$w" || exit 1
		while [ -e "$tmp/go" ]; do sleep 0.01; done
		for _ in $(seq 25); do
			timeout 60 "$JERRY" create "race w$w" >>"$tmp/race.$w" 2>>"$tmp/race.err" ||
				echo fail >>"$tmp/race.err"
		done
	) &
done
rm go
wait
cat race.1 race.2 race.3 race.4 >race.all
check_true '100 creates acknowledged' test "$(wc -l <race.all)" -eq 100
check_true 'no create failed' test ! -s race.err
check_true '100 distinct numbers' test "$(sort -u race.all | wc -l)" -eq 100
check_true 'all in the main store' test "$(ls repo/.jerry/data/items | wc -l)" -eq 103
TEST_DESC='check clean after the race' expect_run 0 ' 0 problems$' '' -- at w2 "$JERRY" check

# 4 agents claiming from one pool: one winner per item.
for w in 1 2 3 4; do
	at "w$w" "$JERRY" list --status pending --json >/dev/null # warm, and shows the store works
done
at repo "$JERRY" list --status pending --json >pool.json
json_assert 'the pool is the 103 items' "$tmp/pool.json" 'len(d) == 103'
: >go
for w in 1 2 3 4; do
	(
		cd "w$w" || exit 1
		while [ -e "$tmp/go" ]; do sleep 0.01; done
		while :; do
			timeout 60 "$JERRY" --as "agent$w" claim --next >"$tmp/claim.$w.one" 2>>"$tmp/claim.$w.err"
			rc=$?
			[ $rc -eq 3 ] && break
			[ $rc -eq 0 ] || { echo "exit $rc" >>"$tmp/claim.bad"; break; }
			head -n 1 "$tmp/claim.$w.one" | cut -d' ' -f1 >>"$tmp/claim.$w"
		done
	) &
done
rm go
wait
cat claim.1 claim.2 claim.3 claim.4 >claim.all 2>/dev/null
check_true 'no claim failed' test ! -e claim.bad
check_true 'every item claimed' test "$(wc -l <claim.all)" -eq 103
check_true 'one winner per item' test "$(sort -u claim.all | wc -l)" -eq 103
winners=0
for w in 1 2 3 4; do
	[ -s "claim.$w" ] && winners=$((winners + 1))
done
check_true 'more than one worktree took work' test "$winners" -ge 2
at repo "$JERRY" list --status in_progress --json >taken.json
json_assert 'each claimed once, by the agent that reported it' "$tmp/taken.json" \
	'len(d) == 103 and all(i["claim"]["by"].startswith("agent") for i in d)'

# ---- layouts without a main worktree, and broken ones ----------------------

# A bare repository's worktrees: no main worktree, each its own store.
git clone -q --bare repo bare.git
git -C bare.git worktree add -q "$tmp/bw" main
TEST_DESC='a bare repository worktree keeps its own store' \
	expect_run 0 "^initialized jerry store in $tmp/bw/\.jerry/data$" '' -- at bw "$JERRY" init

# A gitdir without commondir (a submodule, --separate-git-dir): its own main.
mkdir -p sep/gitdir sep/wt
echo "gitdir: ../gitdir" >sep/wt/.git
TEST_DESC='no commondir: the worktree is its own main' \
	expect_run 0 "^initialized jerry store in $tmp/sep/wt/\.jerry/data$" '' -- at sep/wt "$JERRY" init

# A relative gitdir (git worktree add --relative-paths writes these).
cp w3/.git w3.git.saved
rel=$(python3 -c 'import os,sys; print(os.path.relpath(sys.argv[1], sys.argv[2]))' \
	"$(sed 's/^gitdir: //' w3/.git)" "$tmp/w3")
echo "gitdir: $rel" >w3/.git
TEST_DESC='a relative gitdir finds the main worktree' expect_run 0 '=WORK-104' '' -- at w3 "$JERRY" create relative
cp w3.git.saved w3/.git

# Hostile .git files: exit 7 naming the file, nothing created, no hang.
mkdir -p bad/sub
hostile() {
	local desc=$1 re=$2
	TEST_DESC="$desc: list" expect_run 7 '' "^jerry: '$tmp/bad[^']*' .*$re" -- at bad/sub "$JERRY" list
	TEST_DESC="$desc: init" expect_run 7 '' "$re" -- at bad/sub "$JERRY" init
	check_true "$desc: no store made" test ! -e bad/.jerry -a ! -e bad/sub/.jerry
	TEST_DESC="$desc: JERRY_DATA gets past it" expect_run 0 '*' '' -- \
		at bad/sub env JERRY_DATA="$tmp/own" "$JERRY" list
	rm -f bad/.git
}
echo 'this is not a gitfile' >bad/.git
hostile 'garbage' 'is not a gitfile'
printf 'gitdir: \n' >bad/.git
hostile 'an empty gitdir' 'is not a gitfile'
printf 'gitdir: /nowhere/at/all\n' >bad/.git
hostile 'a gitdir to nowhere' "points to '/nowhere/at/all'"
printf 'gitdir: .git\n' >bad/.git
hostile 'a gitdir naming itself' 'not a directory'
ln -s .git bad/.git
hostile 'a .git symlink loop' 'loop'
mkfifo bad/.git
hostile 'a fifo' 'neither a git directory nor a gitfile'
head -c 100000 /dev/zero | tr '\0' 'a' | sed 's/^/gitdir: /' >bad/.git
hostile 'a huge gitfile' 'too large'
mkdir -p badc/gd
echo "gitdir: $tmp/badc/gd" >bad/.git
echo "/nowhere/common" >badc/gd/commondir
hostile 'a commondir to nowhere' "points to '/nowhere/common'"
printf '' >badc/gd/commondir
echo "gitdir: $tmp/badc/gd" >bad/.git
hostile 'an empty commondir' 'does not hold one path'

# ---- safe to commit ---------------------------------------------------------

git init -q --bare origin.git
git clone -q origin.git c1 2>/dev/null
printf 'build/\n' >c1/.gitignore
TEST_DESC='init in a clone' expect_run 0 'initialized' '' -- at c1 "$JERRY" init
check_true 'the ignore rules are written' test -f c1/.jerry/data/.gitignore
check_true 'the top-level .gitignore is untouched' test "$(cat c1/.gitignore)" = 'build/'
at c1 "$JERRY" create one >/dev/null
at c1 "$JERRY" create two >/dev/null
at c1 "$JERRY" dep add WORK-002 --on WORK-001 >/dev/null
at c1 "$JERRY" note WORK-001 'a note' >/dev/null
at c1 git add -A
at c1 git ls-files >committed
check_true 'only the record and the rules are committed' test "$(tr '\n' ' ' <committed)" = \
	'.gitignore .jerry/data/.gitignore .jerry/data/history/WORK-001.jsonl .jerry/data/history/WORK-002.jsonl .jerry/data/items/WORK-001.json .jerry/data/items/WORK-002.json '
at c1 git commit -q -m store
at c1 git push -q origin HEAD 2>/dev/null

git clone -q origin.git c2 2>/dev/null
TEST_DESC='a fresh clone lists at once' expect_run 0 'WORK-002' '' -- at c2 "$JERRY" list
TEST_DESC='a fresh clone: check clean' expect_run 0 '^2 items checked, 0 problems$' '' -- at c2 "$JERRY" check
TEST_DESC='a fresh clone: history' expect_run 0 'a note' '' -- at c2 "$JERRY" history WORK-001
TEST_DESC='a fresh clone: the next number is past the items' expect_run 0 '=WORK-003' '' -- at c2 "$JERRY" create three
TEST_DESC='check clean after the create' expect_run 0 '^3 items checked, 0 problems$' '' -- at c2 "$JERRY" check
at c2 git status --porcelain --untracked-files=all >status
check_true 'only the new record is new to git' test "$(tr '\n' ' ' <status)" = \
	'?? .jerry/data/history/WORK-003.jsonl ?? .jerry/data/items/WORK-003.json '

# jerry init as the first command of a clone: the items stay listed (it
# used to write an empty index over them).
git clone -q origin.git c3 2>/dev/null
TEST_DESC='init first in a clone' expect_run 0 "initialized jerry store in $tmp/c3/\.jerry/data" '' -- at c3 "$JERRY" init
TEST_DESC='init kept the items in the index' expect_run 0 'WORK-002' '' -- at c3 "$JERRY" list
TEST_DESC='check clean after init in a clone' expect_run 0 '^2 items checked, 0 problems$' '' -- at c3 "$JERRY" check
TEST_DESC='ready after init in a clone' expect_run 0 '^WORK-001 ' '' -- at c3 "$JERRY" ready
TEST_DESC='create after init in a clone' expect_run 0 '=WORK-003' '' -- at c3 "$JERRY" create three

# A store committed before it had items: git keeps no empty directory.
git init -q empty
at empty "$JERRY" init >/dev/null
at empty git add -A
at empty git commit -q -m empty
git clone -q empty empty2 2>/dev/null
check_true 'the clone has the rules and no items/' test -f empty2/.jerry/data/.gitignore -a ! -e empty2/.jerry/data/items
TEST_DESC='an empty committed store: list' expect_run 0 '*' '' -- at empty2 "$JERRY" list
TEST_DESC='an empty committed store: check' expect_run 0 '^0 items checked, 0 problems$' '' -- at empty2 "$JERRY" check
TEST_DESC='an empty committed store: create' expect_run 0 '=WORK-001' '' -- at empty2 "$JERRY" create first

# The rules are added to an existing store that lacks them, never rewritten.
rm c1/.jerry/data/.gitignore
TEST_DESC='init adds missing rules' expect_run 0 'initialized' '' -- at c1 "$JERRY" init
check_true 'the rules are back' grep -qx '/locks/' c1/.jerry/data/.gitignore
echo '# mine' >>c1/.jerry/data/.gitignore
TEST_DESC='init again' expect_run 0 'already exists' '' -- at c1 "$JERRY" init
check_true 'the edited rules are kept' grep -qx '# mine' c1/.jerry/data/.gitignore

test_done
