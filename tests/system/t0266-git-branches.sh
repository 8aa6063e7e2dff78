#!/bin/bash
# A committed store across branches (doc/adr/0020-sharing-across-clones.md):
# index.log is local and outlives a `git checkout`, so its history entries
# may be of writes another branch holds.  A rebuild (what the hooks of
# `jerry git setup` run after a checkout, and what a compaction does) writes
# back only entries of writes that happened in this tree: switching branches
# and rebuilding leaves the work tree clean, so git can switch back.
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

test_done
