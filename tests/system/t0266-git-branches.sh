#!/bin/bash
# A committed store across branches (doc/adr/0020-sharing-across-clones.md):
# index.log is local and outlives a `git checkout`, so its history entries
# may be of writes another branch holds.  A rebuild (what the hooks of
# `jerry git setup` run after a checkout, and what a compaction does) writes
# back only entries of writes that happened in this tree: switching branches
# and rebuilding leaves the work tree clean, so git can switch back.
# The hooks find the store from the work tree git runs them in, never by an
# absolute path: they keep working when the repository moves, one committed
# hooks directory serves every clone, a path with a quote is no problem, and
# a hook never fails git's command (jerry not on PATH: a warning).
. "$(dirname "$0")/../lib.sh"
git_sandbox || exit 1

git init -q r
at r "$JERRY" init >/dev/null
at r "$JERRY" create one >/dev/null
at r git add -A
at r git commit -q -m base
at r git checkout -q -b feat
at r "$JERRY" update 1 --title 'one on feat' >/dev/null
at r "$JERRY" create 'feat only' >/dev/null
at r git add -A
at r git commit -q -m feat
at r git checkout -q main

# feat's v2 of WORK-001 (the item is at v1 here) and its WORK-002 (no item
# here) are in the log: neither goes into main's history.
TEST_DESC='reindex after a checkout' expect_run 0 '^reindexed 1 items$' '' -- at r "$JERRY" reindex
TEST_DESC='the tree is clean' expect_run 0 '' '' -- at r git status --short
TEST_DESC='git can switch back' expect_run 0 '*' '*' -- at r git checkout -q feat
TEST_DESC='reindex on feat' expect_run 0 '^reindexed 2 items$' '' -- at r "$JERRY" reindex
TEST_DESC='the tree is clean on feat' expect_run 0 '' '' -- at r git status --short

# main's v2 is in the log; feat's item is at v2 too, with its own v2.
at r git checkout -q main
at r "$JERRY" reindex >/dev/null
at r "$JERRY" update 1 --title 'one on main' >/dev/null
at r git commit -q -am 'main: v2'
at r git checkout -q feat
TEST_DESC='reindex where the item went on differently' expect_run 0 '*' '' -- at r "$JERRY" reindex
TEST_DESC='feat keeps its own history' expect_run 0 '' '' -- at r git status --short
TEST_DESC='history on feat' expect_run 0 '*' '' -- at r "$JERRY" history 1 --json
json_assert "feat's v2, not main's" "$tmp/out" \
	"[e['version'] for e in d] == [1, 2] and d[1]['changes']['title']['to'] == 'one on feat'"

# No rebuild between: feat's v2 and then main's v2 are both in the log;
# main's, written later, is the one main's history has.
at r "$JERRY" update 1 --title 'one on feat, v3' >/dev/null
at r git commit -q -am 'feat: v3'
at r git checkout -q main
at r "$JERRY" update 1 --title 'one on main, v3' >/dev/null
at r git commit -q -am 'main: v3'
TEST_DESC='reindex after writes on both branches' expect_run 0 '*' '' -- at r "$JERRY" reindex
TEST_DESC='main keeps its own history' expect_run 0 '' '' -- at r git status --short
TEST_DESC='history on main' expect_run 0 '*' '' -- at r "$JERRY" history 1 --json
json_assert "main's entries only" "$tmp/out" \
	"[e['changes']['title']['to'] for e in d[1:]] == ['one on main', 'one on main, v3']"
TEST_DESC='check is clean' expect_run 0 ' 0 problems$' '' -- at r "$JERRY" check

# ---- the hooks ------------------------------------------------------------------
# git runs them with `jerry` from PATH.
ln -s "$JERRY" bin/jerry
gen() { head -n 1 "$1/.jerry/data/index.log" | grep -o '"generation":[0-9]*' | cut -d: -f2; }

# A hook of an older setup, with the store's absolute path in it.
printf '#!/bin/sh\n# Written by '"'"'jerry git setup'"'"': git may have changed the store'"'"'s\njerry --data '"'"'%s'"'"' reindex >/dev/null\n' \
	"$tmp/r/.jerry/data" >r/.git/hooks/post-merge
chmod +x r/.git/hooks/post-merge
TEST_DESC='setup brings its own older hook up to date' \
	expect_run 0 'post-merge \(written' '' -- at r "$JERRY" git setup
check_true 'no hook names an absolute path' test -z "$(grep -l "$tmp" r/.git/hooks/post-*)"
check_true 'each runs jerry reindex' test "$(grep -l '^jerry reindex' r/.git/hooks/post-* | wc -l)" -eq 3
TEST_DESC='setup again: every hook already there' \
	expect_run 0 '*' '' -- at r "$JERRY" git setup --json
json_assert 'present' "$tmp/out" \
	"d['hooks'] == {'post-merge': 'present', 'post-checkout': 'present', 'post-rewrite': 'present'}"
at r git add -A
at r git commit -q -m setup

# The repository moves: the hooks go on rebuilding its index.
mv r moved
g0=$(gen moved)
TEST_DESC='a checkout in the moved repository' expect_run 0 '' '*' -- at moved git checkout -q main
check_true 'its hook rebuilt the index' test "$(gen moved)" -gt "$g0"
TEST_DESC='setup in the moved repository' \
	expect_run 0 'post-checkout \(already there\)' '' -- at moved "$JERRY" git setup

# jerry not on PATH (a git client's own environment): the checkout goes on.
g0=$(gen moved)
TEST_DESC='a checkout where jerry is not on PATH' \
	expect_run 0 '' "'jerry' is not on PATH: run 'jerry reindex'" -- \
	env PATH=/usr/bin:/bin git -C moved checkout -q feat
check_true 'nothing rebuilt' test "$(gen moved)" = "$g0"

# One hooks directory committed with the code (core.hooksPath): clone b's
# checkouts rebuild b's index, not a's.
git init -q --bare origin.git
git clone -q origin.git a 2>/dev/null
at a git config core.hooksPath .githooks
at a "$JERRY" init >/dev/null
at a "$JERRY" create shared >/dev/null
TEST_DESC='setup writes into the committed hooks directory' \
	expect_run 0 "hook: +$tmp/a/\.githooks/post-checkout \(written" '' -- at a "$JERRY" git setup
at a git add -A
at a git commit -q -m 'hooks and the store'
at a git push -q origin main 2>/dev/null
git clone -q origin.git b 2>/dev/null
at b git config core.hooksPath .githooks
TEST_DESC='clone b: its hooks are already right' \
	expect_run 0 'post-checkout \(already there\)' '' -- at b "$JERRY" git setup
at b "$JERRY" reindex >/dev/null
ga=$(gen a) gb=$(gen b)
TEST_DESC='a checkout in b' expect_run 0 '' '*' -- at b git checkout -q -b topic
check_true "b's index was rebuilt, a's left alone" test "$(gen b) $(gen a)" = "$((gb + 1)) $ga"

# A store that is not the default one is named from the top of the work tree.
at a env JERRY_PROJECT=p "$JERRY" init >/dev/null
TEST_DESC='setup for a project store' expect_run 0 '*' '' -- at a env JERRY_PROJECT=p "$JERRY" git setup
check_true 'the hook names its path in the work tree' \
	grep -q "'projects/p/\.jerry/data' reindex" a/.githooks/post-checkout
g0=$(gen a/projects/p)
TEST_DESC='a checkout rebuilds the project store' expect_run 0 '' '*' -- at a git checkout -q -b other
check_true 'its index was rebuilt' test "$(gen a/projects/p)" -gt "$g0"

# A path with a quote in it: setup finishes, and its hooks run.
mkdir "bob's"
at "bob's" git init -q
at "bob's" "$JERRY" init >/dev/null
TEST_DESC="setup in a path with a quote" expect_run 0 'post-checkout \(written' '' -- at "bob's" "$JERRY" git setup
at "bob's" git commit -q --allow-empty -m root
g0=$(gen "bob's")
TEST_DESC='a checkout there' expect_run 0 '' '*' -- at "bob's" git checkout -q -b topic
check_true 'its hook rebuilt the index' test "$(gen "bob's")" -gt "$g0"

test_done
