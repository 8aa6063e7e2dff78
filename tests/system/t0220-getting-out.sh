#!/bin/bash
# Getting out of a wrong state (issue 10, point 5; ADR 0016):
#   - `release ID` gives an item back whether or not it is claimed: in
#     progress returns to pending, the claim and the holder's (or the
#     caller's) assignee are cleared, the history says who did it; the
#     in_progress -> pending move is release's alone;
#   - another's live claim is refused (exit 4) unless --force (noted); an
#     expired one may be cleared (noted); pending or blocked and unclaimed
#     is exit 4, done or cancelled exit 9;
#   - done and cancel take --reason, kept as a note ("done: why") that show,
#     history and log carry, and that reopen does not erase;
#   - start, block, done, cancel, reopen, release, heartbeat take several
#     IDs: each decided on its own, a line per item, errors per item on
#     stderr, --json an array of per-item results, the exit status the
#     highest; one ID keeps the single shape.
. "$(dirname "$0")/../lib.sh"
jerry_init

ME="env JERRY_INSTANCE=me JERRY_SESSION=m1 $JERRY"
BOB="env JERRY_INSTANCE=bob JERRY_SESSION=b1 $JERRY"

for t in one two three four five six seven eight; do "$JERRY" create "$t" >/dev/null; done
"$JERRY" update 4 --assignee dana >/dev/null

# ---- started by mistake: release, no claim needed ------------------------------------
$ME start 1 >/dev/null
$ME update 1 --assignee me >/dev/null
expect_run 9 '' "^jerry: cannot move 'WORK-001' from in_progress to pending" -- $ME update 1 --status pending
expect_run 0 '=WORK-001 released (pending, version 4)' '' -- $ME release 1
"$JERRY" show 1 --json >"$tmp/item"
json_assert 'unclaimed in_progress released: pending, no assignee, no claim' "$tmp/item" \
	'd["status"] == "pending" and d["assignee"] is None and d["claim"] is None'
expect_run 0 '*' '' -- "$JERRY" history 1
check_true 'history: the release, by who did it' \
	grep -Eq '^v4 .*  me  status: "in_progress" -> "pending"; assignee: "me" -> null' "$tmp/out"
# Someone else's assignment is not the releaser's to erase.
$ME start 4 >/dev/null
TEST_DESC='release --json: the item' expect_run 0 '*' '' -- $ME release 4 --json
json_assert 'release keeps an assignment that is not the holder'"'"'s or the caller'"'"'s' "$tmp/out" \
	'd["id"] == "WORK-004" and d["status"] == "pending" and d["assignee"] == "dana"'

# ---- what release refuses ---------------------------------------------------------------
expect_run 4 '' "^jerry: cannot release 'WORK-002': it is not claimed\$" -- $ME release 2
$BOB claim 2 >/dev/null
expect_run 4 '' "^jerry: cannot release 'WORK-002': claimed by bob " -- $ME release 2
check_true 'the hint names --force' grep -q -- '--force' "$tmp/err"
expect_run 0 '=WORK-002 released (pending, version 3)' '' -- $ME release 2 --force
"$JERRY" show 2 --json >"$tmp/item"
json_assert 'a forced release is noted' "$tmp/item" \
	'd["claim"] is None and d["assignee"] is None and d["notes"][-1]["by"] == "me" and d["notes"][-1]["text"].startswith("released while claimed by bob until ")'
# An expired claim is nobody's: no --force needed, and it is noted.
$BOB claim 3 --lease 1s >/dev/null
for _ in $(seq 1 100); do
	"$JERRY" ready --json | grep -q '"stale_claim"' && break
	sleep 0.1
done
expect_run 0 '=WORK-003 released (pending, version 3)' '' -- $ME release 3
"$JERRY" show 3 --json >"$tmp/item"
json_assert 'releasing an expired claim is noted' "$tmp/item" \
	'd["notes"][-1]["text"].startswith("released the claim of bob (lease expired at ")'
$ME start 5 >/dev/null
$ME done 5 >/dev/null
expect_run 9 '' "^jerry: cannot release 'WORK-005': it is done\$" -- $ME release 5
"$JERRY" cancel 6 >/dev/null
expect_run 9 '' "^jerry: cannot release 'WORK-006': it is cancelled\$" -- $ME release 6
TEST_DESC='release done --json' expect_run 9 '' '*' -- $ME release 5 --json
json_assert 'release done --json: refused, exit 9' "$tmp/err" \
	'd["error"]["code"] == "refused" and d["error"]["exit"] == 9 and d["error"]["item"] == "WORK-005"'

# ---- done and cancel --reason ------------------------------------------------------------
$ME start 7 >/dev/null
expect_run 0 '=WORK-007 done (version 3)' '' -- $ME done 7 --reason 'shipped in v2'
expect_run 0 '*' '' -- "$JERRY" show 7
check_true 'show: the reason' grep -Eq 'me: done: shipped in v2$' "$tmp/out"
"$JERRY" show 7 --json >"$tmp/item"
json_assert 'show --json: the reason is a note' "$tmp/item" \
	'd["status"] == "done" and d["notes"][-1]["text"] == "done: shipped in v2" and d["notes"][-1]["by"] == "me"'
expect_run 0 '*' '' -- "$JERRY" history 7
check_true 'history: the reason with the move' \
	grep -Eq '^v3 .*status: "in_progress" -> "done".*notes: \+1 "done: shipped in v2"' "$tmp/out"
expect_run 0 '*' '' -- "$JERRY" log --item 7 --json
json_assert 'log --json: the reason in the done entry' "$tmp/out" \
	'any(e["changes"]["notes"]["added"][0]["text"] == "done: shipped in v2" for e in d if "notes" in e.get("changes", {}))'
expect_run 0 '=WORK-008 cancelled (version 2)' '' -- $ME cancel 8 --reason 'duplicate of WORK-007'
expect_run 0 '*' '' -- "$JERRY" log --item 8
check_true 'log: the cancel reason' grep -q 'notes: +1 "cancelled: duplicate of WORK-007"' "$tmp/out"
# Reopen keeps why it was closed: notes only grow.
$ME reopen 7 >/dev/null
"$JERRY" show 7 --json >"$tmp/item"
json_assert 'reopen keeps the reason' "$tmp/item" \
	'd["status"] == "in_progress" and any(n["text"] == "done: shipped in v2" for n in d["notes"])'
expect_run 2 '' '^jerry: ' -- $ME start 1 --reason 'no'

# ---- several IDs ----------------------------------------------------------------------------
for t in a b c d e; do "$JERRY" create "$t" >/dev/null; done        # 9..13
expect_run 0 '=WORK-009 in_progress (version 2)
WORK-010 in_progress (version 2)
WORK-011 in_progress (version 2)' '' -- $ME start 9 10 11
# Each on its own: 12 is pending (refused, 9), 99 does not exist (3); the rest are done.
expect_run 9 '=WORK-009 done (version 3)
WORK-011 done (version 3)' '*' -- $ME done 9 12 11 99 --reason 'batch'
check_true 'an error line per failed item' test "$(grep -c '^jerry: ' "$tmp/err")" = 2
check_true 'stderr names WORK-012' grep -q "^jerry: cannot move 'WORK-012' from pending to done" "$tmp/err"
check_true 'stderr names WORK-099' grep -q "^jerry: no item 'WORK-099'" "$tmp/err"
"$JERRY" show 11 --json >"$tmp/item"
json_assert 'each item gets the reason' "$tmp/item" 'd["notes"][-1]["text"] == "done: batch"'
# The worst is the highest exit status: 3 and 4 give 4.
$BOB claim 13 >/dev/null
expect_run 4 '' '*' -- $ME release 13 98
TEST_DESC='done several --json' expect_run 9 '*' '' -- $ME done 10 12 x --json
json_assert 'done --json: an array, in order, items and errors' "$tmp/out" \
	'len(d) == 3 and d[0]["id"] == "WORK-010" and d[0]["status"] == "done" and "parent_ready_to_close" in d[0] and d[1] == dict(d[1], id="WORK-012") and d[1]["error"]["code"] == "refused" and d[1]["error"]["exit"] == 9 and d[2]["id"] == "x" and d[2]["error"]["exit"] == 2'
TEST_DESC='done one --json is the object' expect_run 9 '' '*' -- $ME done 12 --json
json_assert 'one ID: the single error shape' "$tmp/err" 'd["error"]["exit"] == 9'
expect_run 2 '' '^jerry: --if-version goes with one ID' -- $ME done 9 10 --if-version 3
expect_run 0 '=WORK-009 in_progress (version 4)
WORK-010 in_progress (version 4)' '' -- $ME reopen 9 10
expect_run 0 '*' '' -- $ME block 9 10 --reason 'waiting' --json
json_assert 'block several --json' "$tmp/out" \
	'[x["status"] for x in d] == ["blocked", "blocked"] and all(x["notes"][-1]["text"] == "blocked: waiting" for x in d)'
$ME claim 9 >/dev/null
$ME claim 10 >/dev/null
expect_run 0 '^WORK-009 claimed by me until .*
WORK-010 claimed by me until ' '' -- $ME heartbeat 9 10 --lease 1h
expect_run 4 '^WORK-009 claimed by me ' "^jerry: cannot extend 'WORK-013': claimed by bob" -- $ME heartbeat 9 13
expect_run 0 '=WORK-009 released (blocked, version 9)
WORK-010 released (blocked, version 8)' '' -- $ME release 9 10
expect_run 0 '*' '' -- $ME cancel 9 10 12 --reason 'not needed' --json
json_assert 'cancel several --json' "$tmp/out" \
	'[x["status"] for x in d] == ["cancelled"] * 3 and all(x["notes"][-1]["text"] == "cancelled: not needed" for x in d)'
# A lost result after several changes is exit 10, whatever else failed.
FULL='exec "$@" >/dev/full'
for t in f g h i; do "$JERRY" create "$t" >/dev/null; done        # 14..17
expect_run 10 '' '^jerry: WORK-015 was updated \(now version 2\), but its result could not be written' \
	-- sh -c "$FULL" sh "$JERRY" start 14 15 99
check_true 'the failed item still has its own error' grep -q "^jerry: no item 'WORK-099'" "$tmp/err"
expect_run 10 '' '"exit":10' -- sh -c "$FULL" sh "$JERRY" start 16 17 --json
expect_run 0 '*' '' -- "$JERRY" list --status in_progress --json
json_assert 'every change was made once' "$tmp/out" \
	'sorted(x["id"] for x in d if x["id"] >= "WORK-014") == ["WORK-014", "WORK-015", "WORK-016", "WORK-017"] and all(x["version"] == 2 for x in d if x["id"] >= "WORK-014")'
expect_run 0 '*' '' -- "$JERRY" check
test_done
