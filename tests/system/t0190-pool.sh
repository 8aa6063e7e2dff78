#!/bin/bash
# Expired leases come back into the pool; people's assignments are respected
# (issue 10, points 2 and 4):
#   - an in_progress item whose lease ran out is ready again: ready marks it
#     ([stale claim by NAME], "stale_claim" in --json), claim --next takes it
#     in its priority order, and the history says who lost it;
#   - summary and prime list stale claims (text and --json);
#   - claim --next --skip ID never takes ID;
#   - claim --next leaves items assigned to someone else alone unless --any;
#     an assignee a claim set lapses with the lease;
#   - ready --assignee, --mine and --unassigned.
. "$(dirname "$0")/../lib.sh"
jerry_init

A1="env JERRY_INSTANCE=a1 JERRY_SESSION=s1 $JERRY"
A2="env JERRY_INSTANCE=a2 JERRY_SESSION=s2 $JERRY"
TS='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z'

# wait_stale ID: until ID's lease has run out (by the item's own expires_at;
# the machine may be slow, so no fixed sleep decides it).
wait_stale() {
	for _ in $(seq 1 200); do
		"$JERRY" show "$1" --json | python3 -c '
import datetime, json, sys
d = json.load(sys.stdin)
t = datetime.datetime.strptime(d["claim"]["expires_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
sys.exit(0 if datetime.datetime.utcnow() > t + datetime.timedelta(milliseconds=50) else 1)' && return 0
		sleep 0.2
	done
	test_fail "wait_stale $1" 'the lease never ran out'
}

"$JERRY" create 'critical work' -p critical >/dev/null   # 1
"$JERRY" create 'high work' -p high >/dev/null           # 2
"$JERRY" create 'low work' -p low >/dev/null             # 3
"$JERRY" create "dana's work" -p high --assignee dana >/dev/null  # 4

# ---- a1 claims the critical item with a short lease and goes away ---------------------
expect_run 0 '^WORK-001 claimed by a1 ' '' -- $A1 claim 1 --lease 5s
# While the lease lives, the item is not ready and claim --next passes it by.
expect_run 0 '*' '' -- "$JERRY" ready --json
json_assert 'a live claim is not ready' "$tmp/out" '"WORK-001" not in [x["id"] for x in d]'
wait_stale 1

# ---- ready marks the stale claim -----------------------------------------------------
expect_run 0 '^WORK-001  in_progress  critical  task  a1 +critical work  \[stale claim by a1\]$' '' -- \
	"$JERRY" ready
check_true 'only the stale item is marked' test "$(grep -c 'stale claim' "$tmp/out")" = 1
expect_run 0 '*' '' -- "$JERRY" ready --json
json_assert 'ready --json: the stale item first, with stale_claim' "$tmp/out" \
	'd[0]["id"] == "WORK-001" and d[0]["stale_claim"]["by"] == "a1" and d[0]["stale_claim"]["expired_at"] == d[0]["claim"]["expires_at"] and all("stale_claim" not in x for x in d[1:])'

# ---- summary and prime list it ---------------------------------------------------------
expect_run 0 '*' '' -- "$JERRY" summary
check_true 'summary lists the stale claim' \
	grep -Eq "^  WORK-001  in_progress  by a1 +expired ([0-9]+[smhdwy] ago|just now)\$" "$tmp/out"
expect_run 0 '*' '' -- "$JERRY" summary --json
json_assert 'summary --json: stale_claims' "$tmp/out" \
	'd["stale_count"] == 1 and d["stale_claims"][0]["id"] == "WORK-001" and d["stale_claims"][0]["by"] == "a1" and d["stale_claims"][0]["status"] == "in_progress"'
expect_run 0 '*' '' -- $A2 prime
check_true 'prime lists the stale claim' grep -Eq "^  WORK-001  in_progress  by a1, expired $TS\$" "$tmp/out"
expect_run 0 '*' '' -- $A2 prime --json
json_assert 'prime --json: stale_claims' "$tmp/out" \
	'd["state"]["stale_count"] == 1 and d["state"]["stale_claims"][0]["id"] == "WORK-001"'

# ---- a2's claim --next takes it before the lower-priority items --------------------------
expect_run 0 "^WORK-001 claimed by a2 until $TS \\(in_progress, version 3\\)\$" '' -- $A2 claim --next
expect_run 0 '*' '' -- "$JERRY" history 1 --json
json_assert 'the history says who lost it' "$tmp/out" \
	'd[-1]["by"] == "a2" and d[-1]["changes"]["claim"]["from"]["by"] == "a1" and d[-1]["changes"]["claim"]["to"]["by"] == "a2" and d[-1]["changes"]["assignee"] == {"from": "a1", "to": "a2"} and d[-1]["changes"]["notes"]["added"][0]["text"].startswith("reclaimed from a1 (lease expired at ")'
expect_run 0 '*' '' -- "$JERRY" history 1
check_true 'history text shows the reclaim' grep -q 'reclaimed from a1 (lease expired at' "$tmp/out"
# The old holder cannot finish it any more.
expect_run 4 '' 'claimed by a2' -- $A1 heartbeat 1
expect_run 0 '*' '' -- "$JERRY" summary --json
json_assert 'no stale claim once reclaimed' "$tmp/out" 'd["stale_count"] == 0 and d["stale_claims"] == []'
expect_run 0 '!^stale claims' '' -- "$JERRY" summary

# ---- assignments: claim --next leaves dana's item alone -------------------------------------
# Ready best first: 4 (high, dana's, older), 2 (high), 3 (low).
expect_run 0 '^WORK-002 claimed by a2 ' '' -- $A2 claim --next
expect_run 0 '^WORK-003 claimed by a2 ' '' -- $A2 claim --next
TEST_DESC='claim --next: only an item assigned to another is left' expect_run 3 '' \
	'^jerry: nothing is ready$' -- $A2 claim --next
check_true 'the hint names --any' grep -q 'need --any' "$tmp/err"
expect_run 0 '*' '' -- "$JERRY" show 4 --json
json_assert "dana's item untouched" "$tmp/out" 'd["status"] == "pending" and d["claim"] is None and d["version"] == 1'
# dana herself takes it without --any.
"$JERRY" create 'for dana too' -p low --assignee dana >/dev/null   # 5
expect_run 0 '^WORK-004 claimed by dana ' '' -- env JERRY_INSTANCE=dana "$JERRY" claim --next
# --any takes someone else's.
expect_run 0 '*' '' -- $A2 claim --next --any --json
json_assert 'claim --next --any --json' "$tmp/out" 'd["id"] == "WORK-005" and d["claim"]["by"] == "a2" and d["assignee"] == "a2"'

# ---- --skip ---------------------------------------------------------------------------------
"$JERRY" create 'skip me' -p critical >/dev/null   # 6
"$JERRY" create 'take me' -p low >/dev/null        # 7
expect_run 0 '^WORK-007 claimed by a1 ' '' -- $A1 claim --next --skip 6
expect_run 0 '*' '' -- $A1 release 7
TEST_DESC='claim --next --skip: nothing else' expect_run 3 '' '^jerry: nothing is ready' -- \
	$A1 claim --next --skip 6 --skip WORK-007
expect_run 2 '' '^jerry: --skip and --any go with --next' -- $A1 claim 6 --skip 7
expect_run 2 '' '^jerry: --skip and --any go with --next' -- $A1 claim 6 --any
expect_run 2 '' '^jerry: ' -- $A1 claim --next --skip nonsense

# ---- an assignee that a claim set lapses with the lease ---------------------------------------
# 6 (critical) is claimed by a1 with a short lease: the claim makes a1 its assignee.
expect_run 0 '^WORK-006 claimed by a1 ' '' -- $A1 claim 6 --lease 2s
wait_stale 6
expect_run 0 '*' '' -- "$JERRY" ready --unassigned --json
json_assert 'ready --unassigned: the stale claim assigned nobody' "$tmp/out" \
	'[x["id"] for x in d] == ["WORK-006", "WORK-007"] and d[0]["assignee"] == "a1"'
expect_run 0 '^WORK-006 claimed by a2 ' '' -- $A2 claim --next

# ---- ready --assignee, --mine, --unassigned ------------------------------------------------------
"$JERRY" create 'for ann' --assignee ann >/dev/null   # 8
"$JERRY" create 'for a1' --assignee a1 >/dev/null     # 9
expect_run 0 '*' '' -- "$JERRY" ready --json
json_assert 'ready lists every assignment' "$tmp/out" '[x["id"] for x in d] == ["WORK-008", "WORK-009", "WORK-007"]'
expect_run 0 '*' '' -- "$JERRY" ready --assignee ann --json
json_assert 'ready --assignee ann' "$tmp/out" '[x["id"] for x in d] == ["WORK-008"]'
expect_run 0 '*' '' -- $A1 ready --mine --json
json_assert 'ready --mine (a1)' "$tmp/out" '[x["id"] for x in d] == ["WORK-009"]'
expect_run 0 '*' '' -- $A1 ready --mine --unassigned --json
json_assert 'ready --mine --unassigned: any of' "$tmp/out" '[x["id"] for x in d] == ["WORK-009", "WORK-007"]'
expect_run 0 '^WORK-007  pending  low  task  take me$' '' -- "$JERRY" ready --unassigned
# claim --next by a1 takes a1's own and the unassigned, not ann's.
expect_run 0 '^WORK-009 claimed by a1 ' '' -- $A1 claim --next
expect_run 0 '^WORK-007 claimed by a1 ' '' -- $A1 claim --next
expect_run 3 '' '^jerry: nothing is ready$' -- $A1 claim --next
test_done
