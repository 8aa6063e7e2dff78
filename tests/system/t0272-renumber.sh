#!/bin/bash
# What a renumbering leaves behind (issue 11, ADR 0020).  Two clones create
# under the same numbers offline; the one that syncs second has its items
# renumbered.  What that clone wrote since the last sync meant its own items
# and follows them (a child's parent, a dependency, a mention in a note);
# what the remote published means the remote's items and stays.
. "$(dirname "$0")/../lib.sh"
git_sandbox || exit 1

two_clones || exit 1

# a publishes WORK-001 and its child WORK-002.
at a "$JERRY" create 'published parent' -t feature >/dev/null
at a "$JERRY" create 'published child' --parent 1 >/dev/null
at a "$JERRY" sync >/dev/null
# b, offline, made its own WORK-001 .. WORK-003, referring to its WORK-001.
at b "$JERRY" create 'b parent' -t feature >/dev/null
at b "$JERRY" create 'b child' --parent 1 >/dev/null
at b "$JERRY" note 2 'split from WORK-001, not WORK-0010' >/dev/null
at b "$JERRY" create 'b follower' >/dev/null
at b "$JERRY" dep add 3 --on 1 >/dev/null
TEST_DESC='b syncs: its WORK-001 and WORK-002 move' \
	expect_run 0 '^renumbered WORK-001 → WORK-004' '' -- at b "$JERRY" sync
check_true 'and WORK-002 to WORK-005' grep -q '^renumbered WORK-002 → WORK-005' "$tmp/out"

TEST_DESC='b'"'"'s child follows its parent' expect_run 0 '*' '' -- at b "$JERRY" show 5 --json
json_assert 'parent WORK-004, the note says where WORK-001 went' "$tmp/out" \
	"d['title'] == 'b child' and d['parent'] == 'WORK-004' and \
	 any(n['text'] == 'split from WORK-001 (now WORK-004), not WORK-0010' for n in d['notes'])"
TEST_DESC='b'"'"'s dependency follows' expect_run 0 '*' '' -- at b "$JERRY" show 3 --json
json_assert 'depends on WORK-004' "$tmp/out" \
	"d['title'] == 'b follower' and d['depends_on'] == ['WORK-004']"
TEST_DESC='the published child stays with the published parent' \
	expect_run 0 '*' '' -- at b "$JERRY" show 2 --json
json_assert 'parent WORK-001' "$tmp/out" \
	"d['title'] == 'published child' and d['parent'] == 'WORK-001'"

# The renumbered item records its former number, and its history says so.
TEST_DESC='WORK-004 records where it came from' expect_run 0 '*' '' -- at b "$JERRY" show 4 --json
json_assert 'renumbered_from WORK-001, a version of its own' "$tmp/out" \
	"d['title'] == 'b parent' and d['renumbered_from'] == ['WORK-001'] and d['version'] == 2"
TEST_DESC='the history of WORK-004 says WORK-001 → WORK-004' \
	expect_run 0 '^v2 .*renumbered: WORK-001 → WORK-004$' '' -- at b "$JERRY" history 4
TEST_DESC='and so does its --json' expect_run 0 '*' '' -- at b "$JERRY" history 4 --json
json_assert 'a renumber entry, id from and to' "$tmp/out" \
	"[e['op'] for e in d] == ['create', 'renumber'] and \
	 d[1]['changes']['id'] == {'from': 'WORK-001', 'to': 'WORK-004'} and \
	 d[1]['changes']['renumbered_from'] == {'from': None, 'to': ['WORK-001']}"
TEST_DESC='an item never renumbered has no renumbered_from' expect_run 0 '*' '' -- at b "$JERRY" show 1 --json
json_assert 'no key' "$tmp/out" "'renumbered_from' not in d"

# An old number finds both candidates; a uid finds its item.
TEST_DESC='show of the old number names the item that had it too' \
	expect_run 0 'published parent' \
	"^note: WORK-001 was also the number of WORK-004, which 'jerry sync' renumbered\$" \
	-- at b "$JERRY" show 1
TEST_DESC='and --json says so' expect_run 0 '*' '' -- at b "$JERRY" show 1 --json
json_assert 'renumbered_away WORK-004' "$tmp/out" \
	"d['title'] == 'published parent' and [a['id'] for a in d['renumbered_away']] == ['WORK-004']"
TEST_DESC='an item no one was renumbered from has no renumbered_away' \
	expect_run 0 '*' '' -- at b "$JERRY" show 3 --json
json_assert 'no key' "$tmp/out" "'renumbered_away' not in d"
at b "$JERRY" show 4 --json >b4.json
uid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["uid"])' b4.json)
TEST_DESC='show uid:N shows the item of that uid' \
	expect_run 0 '^WORK-004  b parent' '' -- at b "$JERRY" show "uid:$uid"
TEST_DESC='show uid:N --json too' expect_run 0 '*' '' -- at b "$JERRY" show "uid:$uid" --json
json_assert 'WORK-004' "$tmp/out" "d['id'] == 'WORK-004'"
TEST_DESC='a uid no item has is not found' \
	expect_run 3 '' '^jerry: no item has uid 12345$' -- at b "$JERRY" show uid:12345
TEST_DESC='a uid that is not a number is a usage error' \
	expect_run 2 '' "'uid:x' is not a uid" -- at b "$JERRY" show uid:x
TEST_DESC='check is clean in b' expect_run 0 ' 0 problems$' '' -- at b "$JERRY" check

TEST_DESC='a gets all five' expect_run 0 '*' '' -- at a "$JERRY" sync
TEST_DESC='a sees b'"'"'s references as b left them' expect_run 0 '*' '' -- at a "$JERRY" list --json
json_assert 'parents and dependencies' "$tmp/out" \
	"{i['title']: (i['parent'], i['depends_on']) for i in d} == { \
	 'published parent': (None, []), 'published child': ('WORK-001', []), \
	 'b follower': (None, ['WORK-004']), 'b parent': (None, []), 'b child': ('WORK-004', [])}"
TEST_DESC='check is clean in a' expect_run 0 ' 0 problems$' '' -- at a "$JERRY" check
TEST_DESC='a second sync changes nothing' \
	expect_run 0 '^synced with origin: 0 files in, nothing to push$' '' -- at b "$JERRY" sync

# History from both sides: two clones change one item offline; each one's
# version-3 entry is there in both clones after syncing both ways.
at a "$JERRY" update 3 --priority high >/dev/null
at b "$JERRY" update 3 --title 'b follower, renamed' >/dev/null
at a "$JERRY" sync >/dev/null
at b "$JERRY" sync >/dev/null
at a "$JERRY" sync >/dev/null
for c in a b; do
	TEST_DESC="the history of WORK-003 in $c" expect_run 0 '*' '' -- at "$c" "$JERRY" history 3 --json
	json_assert 'both clones'"'"' version 3' "$tmp/out" \
		"sorted(next(iter(e['changes'])) for e in d if e['version'] == 3) == ['priority', 'title']"
	TEST_DESC="and in text" expect_run 0 '^v3 .*priority: "medium" -> "high"$' '' \
		-- at "$c" "$JERRY" history 3
	check_true 'the other side too' grep -q '^v3 .*title: "b follower" -> "b follower, renamed"$' "$tmp/out"
	TEST_DESC="check is clean in $c" expect_run 0 ' 0 problems$' '' -- at "$c" "$JERRY" check
done
check_true 'both clones have one history file' \
	cmp -s a/.jerry/data/history/WORK-003.jsonl b/.jerry/data/history/WORK-003.jsonl
TEST_DESC='syncing again changes nothing' \
	expect_run 0 '^synced with origin: 0 files in, nothing to push$' '' -- at b "$JERRY" sync

test_done
