#!/bin/bash
# Identity that survives how agents really run (issue 10, point 3; ADR 0012):
#   - --as NAME is a global option, before or after the command, and wins
#     over JERRY_INSTANCE, which wins over CLAUDE_CODE_SESSION_ID
#     ("claude-" and its first 8 characters), which wins over user@host;
#   - a name holds its claims from any shell: the same name in a new kernel
#     session (setsid) can heartbeat, block, release and finish its claim;
#     two names never both hold one;
#   - subagents sharing one CLAUDE_CODE_SESSION_ID but passing different
#     --as names are different claimers;
#   - claim prints a claim token (text: a "token:" line; --json:
#     claim.token), which heartbeat, release, done and block take as
#     --claim TOKEN from a caller under any name; a wrong token is exit 4.
. "$(dirname "$0")/../lib.sh"
jerry_init

TS='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z'
SID=0f3c9a7e-5b1d-4c2a-9e8f-1234567890ab
# A new terminal: a new kernel session, as a fresh shell per command may be.
NEW="setsid -w"
js() { "$JERRY" show "$1" --json >"$tmp/item"; }
token_of() { "$JERRY" show "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["claim"]["token"])'; }

for i in 1 2 3 4 5 6 7 8 9 10; do "$JERRY" create "item $i" >/dev/null; done

# ---- --as, before or after the command -------------------------------------------
expect_run 0 "^WORK-001 claimed by a1 until $TS \\(in_progress, version 2\\)\$" '' -- "$JERRY" --as a1 claim 1
expect_run 0 "^WORK-002 claimed by a1 until $TS \\(in_progress, version 2\\)\$" '' -- "$JERRY" claim 2 --as a1
js 2
json_assert '--as names the claimer, the assignee and the writer' "$tmp/item" \
	'd["claim"]["by"] == "a1" and d["assignee"] == "a1" and d["updated_by"] == "a1"'
expect_run 0 '^WORK-003 claimed by a1 ' '' -- env JERRY_INSTANCE=someone-else "$JERRY" claim 3 --as a1
expect_run 2 '' "^jerry: option '--as' needs a name" -- "$JERRY" --as '' claim 4
expect_run 2 '' "given twice" -- "$JERRY" --as a1 claim 4 --as a2
js 4
json_assert 'refused --as wrote nothing' "$tmp/item" 'd["version"] == 1 and d["claim"] is None'

# ---- the same name from a new shell finishes its own claim ---------------------------
expect_run 0 "^WORK-001 claimed by a1 until $TS \\(in_progress, version 3\\)\$" '' -- $NEW "$JERRY" --as a1 heartbeat 1
expect_run 0 '^WORK-001 claimed by a1 ' '' -- $NEW "$JERRY" claim 1 --as a1
expect_run 0 '=WORK-002 blocked (version 3)' '' -- $NEW "$JERRY" block 2 --as a1
expect_run 0 '=WORK-002 released (blocked, version 4)' '' -- $NEW "$JERRY" release 2 --as a1
expect_run 0 '=WORK-001 done (version 5)' '' -- $NEW "$JERRY" done 1 --as a1
expect_run 0 '^WORK-005 claimed by agent-j ' '' -- env JERRY_INSTANCE=agent-j "$JERRY" claim 5
expect_run 0 '^WORK-005 claimed by agent-j ' '' -- $NEW env JERRY_INSTANCE=agent-j "$JERRY" heartbeat 5
expect_run 0 '=WORK-005 done (version 4)' '' -- $NEW env JERRY_INSTANCE=agent-j "$JERRY" done 5

# ---- two names never share a claim -----------------------------------------------
expect_run 4 '' "^jerry: cannot claim 'WORK-003': claimed by a1 " -- "$JERRY" --as a2 claim 3
expect_run 4 '' "^jerry: cannot extend 'WORK-003': claimed by a1 " -- "$JERRY" --as a2 heartbeat 3
expect_run 4 '' "^jerry: cannot release 'WORK-003': claimed by a1 " -- "$JERRY" --as a2 release 3
expect_run 4 '' "^jerry: 'WORK-003' is claimed by a1 until $TS\$" -- "$JERRY" --as a2 done 3
TEST_DESC='another name --json' expect_run 4 '' '*' -- "$JERRY" --as a2 done 3 --json
json_assert 'another name: conflict naming the holder' "$tmp/err" \
	"d['error']['exit'] == 4 and d['error']['code'] == 'conflict' and d['error']['holder'] == 'a1'"

# ---- CLAUDE_CODE_SESSION_ID alone names the agent, in any shell ---------------------
CL="env CLAUDE_CODE_SESSION_ID=$SID"
expect_run 0 "^WORK-006 claimed by claude-0f3c9a7e until $TS" '' -- $NEW $CL "$JERRY" claim 6
expect_run 0 '^WORK-006 claimed by claude-0f3c9a7e ' '' -- $NEW $CL "$JERRY" heartbeat 6
expect_run 0 '=WORK-006 done (version 4)' '' -- $NEW $CL "$JERRY" done 6
js 6
json_assert 'the derived name wrote the item' "$tmp/item" 'd["updated_by"] == "claude-0f3c9a7e"'
# JERRY_INSTANCE and --as come first.
expect_run 0 '^WORK-007 claimed by bob ' '' -- $CL env JERRY_INSTANCE=bob "$JERRY" claim 7
expect_run 0 '^WORK-008 claimed by carol ' '' -- $CL env JERRY_INSTANCE=bob "$JERRY" claim 8 --as carol
# Another Claude session is another agent.
expect_run 4 '' 'claimed by bob' -- env CLAUDE_CODE_SESSION_ID=99999999-0000 "$JERRY" done 7

# ---- subagents: one CLAUDE_CODE_SESSION_ID, different --as names ----------------------
expect_run 0 '^WORK-009 claimed by sub-a ' '' -- $CL "$JERRY" --as sub-a claim 9
expect_run 4 '' "claimed by sub-a" -- $CL "$JERRY" --as sub-b claim 9
expect_run 4 '' "claimed by sub-a" -- $CL "$JERRY" --as sub-b done 9
expect_run 4 '' "claimed by sub-a" -- $CL "$JERRY" done 9
# At once: 16 subagents of one Claude session, each under its own --as, claim
# one item behind a barrier; exactly one wins, 15 get exit 4.  Without the
# item lock (make B=build/broken-locks EXTRA_CFLAGS=-DJERRY_BREAK_LOCKS)
# several win.
N=16
for round in 1 2 3; do
	id=$("$JERRY" create "race $round")
	for k in $(seq 1 $N); do
		(
			: >"$tmp/ready.$round.$k"
			until [ -e "$tmp/go.$round" ]; do sleep 0.005; done
			$CL "$JERRY" --as "sub-$k" claim "$id" >/dev/null 2>&1
			echo $? >"$tmp/rc.$round.$k"
		) &
	done
	for _ in $(seq 1 600); do
		[ "$(find "$tmp" -maxdepth 1 -name "ready.$round.*" | wc -l)" -ge $N ] && break
		sleep 0.05
	done
	touch "$tmp/go.$round"
	wait
	wins=$(cat "$tmp"/rc.$round.* | grep -c '^0$')
	fours=$(cat "$tmp"/rc.$round.* | grep -c '^4$')
	check_true "subagents race, round $round: 1 winner, $((N - 1)) exits of 4 (got $wins and $fours)" \
		test "$wins" = 1 -a "$fours" = $((N - 1))
done

# ---- claim tokens -----------------------------------------------------------------
expect_run 0 '^token: ct-[0-9a-f]{24}$' '' -- "$JERRY" --as a1 claim 10
tok=$(sed -n 's/^token: //p' "$tmp/out")
check_true 'the text output: the usual line, then the token' \
	grep -Eq "^WORK-010 claimed by a1 until $TS \\(in_progress, version 2\\)\$" "$tmp/out"
check_true 'the token is the item'"'"'s' [ "$(token_of 10)" = "$tok" ]
expect_run 0 '!^token:' '' -- "$JERRY" --as a1 heartbeat 10
expect_run 0 "^token: $tok\$" '' -- $NEW "$JERRY" --as a1 claim 10
# A caller under another name (or none) proves the claim with the token.
expect_run 0 '^WORK-010 claimed by a1 ' '' -- $NEW "$JERRY" --as helper heartbeat 10 --claim "$tok"
expect_run 0 '=WORK-010 blocked (version 6)' '' -- $NEW "$JERRY" block 10 --claim "$tok"
expect_run 4 '' "^jerry: cannot extend 'WORK-010': the claim token is not its claim's" -- "$JERRY" --as a1 heartbeat 10 --claim ct-000000000000000000000000
expect_run 4 '' "the claim token is not its claim's" -- "$JERRY" --as helper release 10 --claim wrong
expect_run 4 '' "^jerry: cannot change 'WORK-010': the claim token is not its live claim's" -- "$JERRY" --as a1 done 10 --claim wrong
TEST_DESC='wrong token --json' expect_run 4 '' '*' -- "$JERRY" done 10 --claim wrong --json
json_assert 'wrong token: conflict, exit 4' "$tmp/err" "d['error']['exit'] == 4 and d['error']['code'] == 'conflict'"
js 10
json_assert 'wrong tokens wrote nothing' "$tmp/item" 'd["version"] == 6 and d["claim"]["by"] == "a1"'
expect_run 0 '=WORK-010 released (blocked, version 7)' '' -- "$JERRY" --as helper release 10 --claim "$tok"
expect_run 4 '' "it is not claimed" -- "$JERRY" --as a1 heartbeat 10 --claim "$tok"
TEST_DESC='claim --json' expect_run 0 '*' '' -- "$JERRY" --as a1 claim 10 --json
json_assert 'claim --json: the claim holds its token' "$tmp/out" \
	're.fullmatch(r"ct-[0-9a-f]{24}", d["claim"]["token"]) is not None and d["claim"]["token"] != "'"$tok"'"'
tok2=$(token_of 10)
expect_run 0 '=WORK-010 in_progress (version 9)' '' -- "$JERRY" start 10 --claim "$tok2"
expect_run 0 '=WORK-010 done (version 10)' '' -- "$JERRY" done 10 --claim "$tok2"
expect_run 4 '' "not its live claim's" -- "$JERRY" --as a1 reopen 10 --claim "$tok2"
# Proof lives in the item file only: not in the index, not in the history.
check_true 'no token in the index or the history' \
	sh -c "! grep -rq 'ct-' '$JERRY_DATA/index' '$JERRY_DATA/history'"

test_done
