#!/bin/bash
# claim, claim --next, heartbeat, release, and the claim guard on done /
# block / cancel (issue 3, "Claims with leases"):
#   - a claim records {by, session, expires_at}, sets the assignee and moves
#     pending -> in_progress; re-claiming by the holder succeeds;
#   - anyone else gets exit 4 naming the holder and the time; an expired
#     lease is free for anyone; done / cancelled items are exit 9;
#   - claim --next takes the best ready item (priority, then age), exit 3
#     when nothing is ready;
#   - heartbeat and release by a non-holder are exit 4; release returns the
#     item to pending; done / block / cancel by a non-holder are exit 4
#     unless --force, which is recorded as a note;
#   - the claimer is JERRY_INSTANCE alone (a name holds its claims from any
#     session: t0170), or user@host plus the session.
. "$(dirname "$0")/../lib.sh"
jerry_init

export JERRY_INSTANCE=alice JERRY_SESSION=a1
TS='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z'
# Another claimer: bob.  alice in a second session is alice (t0170).
BOB="env JERRY_INSTANCE=bob JERRY_SESSION=b1 $JERRY"
ALICE2="env JERRY_INSTANCE=alice JERRY_SESSION=a2 $JERRY"

js() { "$JERRY" show "$1" --json >"$tmp/item"; }
# lease_is ID SECONDS: the claim ends SECONDS after the item's last update (+-2s).
lease_is() {
	js "$1"
	json_assert "$1: lease of ${2}s" "$tmp/item" "
(lambda ms: abs(ms(d['claim']['expires_at']) - ms(d['updated_at']) - $2 * 1000) <= 2000)(
  lambda t: __import__('datetime').datetime.strptime(t, '%Y-%m-%dT%H:%M:%S.%fZ').timestamp() * 1000)"
}

for i in 1 2 3 4 5 6 7 8 9 10; do "$JERRY" create "item $i" >/dev/null; done

# ---- claim: the first claimer wins ------------------------------------------------
expect_run 0 "^WORK-001 claimed by alice until $TS \\(in_progress, version 2\\)\$" '' -- "$JERRY" claim 1
js 1
json_assert 'claim recorded on the item' "$tmp/item" \
	'd["claim"]["by"] == "alice" and d["claim"]["session"] == "a1" and d["assignee"] == "alice" and d["status"] == "in_progress" and d["version"] == 2'
lease_is 1 1800
# The same claimer again: succeeds, still alice's (idempotent).
expect_run 0 "^WORK-001 claimed by alice until $TS \\(in_progress, version [0-9]+\\)\$" '' -- "$JERRY" claim 1
js 1
json_assert 're-claim keeps the holder' "$tmp/item" 'd["claim"]["by"] == "alice" and d["claim"]["session"] == "a1" and d["status"] == "in_progress"'
v=$("$JERRY" show 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
until1=$("$JERRY" show 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["claim"]["expires_at"])')

# Anyone else: exit 4, naming the holder and until when.
expect_run 4 '' "^jerry: cannot claim 'WORK-001': claimed by alice \\(session a1\\) until $until1\$" -- $BOB claim 1
check_true 'refused claim has a hint' grep -q '^hint: ' "$tmp/err"
TEST_DESC='claim held by another --json' expect_run 4 '' '*' -- $BOB claim 1 --json
json_assert 'conflict --json names holder and time' "$tmp/err" \
	"d['error']['code'] == 'conflict' and d['error']['exit'] == 4 and d['error']['item'] == 'WORK-001' and d['error']['holder'] == 'alice' and d['error']['holder_expires_at'] == '$until1'"
js 1
json_assert 'refused claims wrote nothing' "$tmp/item" "d['version'] == $v and d['claim']['by'] == 'alice'"

# --lease
expect_run 0 "^WORK-002 claimed by alice until $TS \\(in_progress, version 2\\)\$" '' -- "$JERRY" claim 2 --lease 2h
lease_is 2 7200
expect_run 0 '^WORK-003 claimed by alice' '' -- "$JERRY" claim 3 --lease 90s
lease_is 3 90
for bad in 0s abc -5m 1y 10 ''; do
	expect_run 2 '' "^jerry: '.*' is not a lease length" -- "$JERRY" claim 4 --lease "$bad"
done
js 4
json_assert 'bad leases wrote nothing' "$tmp/item" 'd["version"] == 1 and d["claim"] is None'
TEST_DESC='claim --json' expect_run 0 '*' '' -- "$JERRY" claim 4 --json
json_assert 'claim --json is the item' "$tmp/out" \
	'd["id"] == "WORK-004" and d["status"] == "in_progress" and d["claim"]["by"] == "alice" and d["claim"]["session"] == "a1" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", d["claim"]["expires_at"]) is not None'

# ---- expired leases are free for anyone -------------------------------------------
expect_run 0 '^WORK-005 claimed by alice' '' -- "$JERRY" claim 5 --lease 1s
expect_run 4 '' 'claimed by alice' -- $BOB claim 5
sleep 1.2
expect_run 0 "^WORK-005 claimed by bob until $TS \\(in_progress, version 3\\)\$" '' -- $BOB claim 5
js 5
json_assert 'expired lease taken over by bob' "$tmp/item" 'd["claim"]["by"] == "bob" and d["claim"]["session"] == "b1" and d["assignee"] == "bob"'
expect_run 4 '' 'claimed by bob \(session b1\)' -- "$JERRY" claim 5
expect_run 0 '^WORK-006 claimed by alice' '' -- "$JERRY" claim 6 --lease 500ms
sleep 0.7
expect_run 0 '^WORK-006 claimed by alice until .*version 3' '' -- $ALICE2 claim 6
js 6
json_assert 'another session takes an expired lease' "$tmp/item" 'd["claim"]["session"] == "a2"'

# ---- done and cancelled cannot be claimed -----------------------------------------
"$JERRY" start 7 >/dev/null && "$JERRY" done 7 >/dev/null
"$JERRY" cancel 8 >/dev/null
expect_run 9 '' "^jerry: cannot claim 'WORK-007': it is done\$" -- "$JERRY" claim 7
expect_run 9 '' "^jerry: cannot claim 'WORK-008': it is cancelled\$" -- $BOB claim 8
TEST_DESC='claim done --json' expect_run 9 '' '*' -- "$JERRY" claim 7 --json
json_assert 'claim done --json: refused, exit 9' "$tmp/err" 'd["error"]["code"] == "refused" and d["error"]["exit"] == 9 and d["error"]["item"] == "WORK-007"'
js 7
json_assert 'refused claim of done wrote nothing' "$tmp/item" 'd["status"] == "done" and d["claim"] is None and d["version"] == 3'

# ---- heartbeat -------------------------------------------------------------------
expect_run 0 "^WORK-002 claimed by alice until $TS \\(in_progress, version 3\\)\$" '' -- "$JERRY" heartbeat 2
lease_is 2 1800
expect_run 0 "^WORK-002 claimed by alice until $TS \\(in_progress, version 4\\)\$" '' -- "$JERRY" heartbeat 2 --lease 3h
lease_is 2 10800
until2=$("$JERRY" show 2 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["claim"]["expires_at"])')
expect_run 4 '' "^jerry: cannot extend 'WORK-002': claimed by alice \\(session a1\\) until $until2\$" -- $BOB heartbeat 2
TEST_DESC='heartbeat by non-holder --json' expect_run 4 '' '*' -- $BOB heartbeat 2 --json
json_assert 'heartbeat conflict --json' "$tmp/err" "d['error']['exit'] == 4 and d['error']['holder'] == 'alice'"
expect_run 4 '' "^jerry: cannot extend 'WORK-009': it is not claimed\$" -- "$JERRY" heartbeat 9
expect_run 2 '' 'is not a lease length' -- "$JERRY" heartbeat 2 --lease 5x
expect_run 3 '' "^jerry: no item 'WORK-099'" -- "$JERRY" heartbeat 99
expect_run 2 '' '^jerry: ' -- "$JERRY" heartbeat
js 2
json_assert 'refused heartbeats wrote nothing' "$tmp/item" 'd["version"] == 4'

# ---- release ----------------------------------------------------------------------
expect_run 4 '' "^jerry: cannot release 'WORK-002': claimed by alice \\(session a1\\) until $until2\$" -- $BOB release 2
expect_run 0 '=WORK-002 released (pending, version 5)' '' -- "$JERRY" release 2
js 2
json_assert 'release: pending, no claim, no assignee' "$tmp/item" 'd["status"] == "pending" and d["claim"] is None and d["assignee"] is None'
expect_run 4 '' "^jerry: cannot release 'WORK-002': it is not claimed\$" -- "$JERRY" release 2
expect_run 3 '' "^jerry: no item 'WORK-099'" -- "$JERRY" release 99
expect_run 2 '' '^jerry: ' -- "$JERRY" release
expect_run 2 '' '^jerry: ' -- "$JERRY" release ../2
# Released work is claimable by anyone at once.
expect_run 0 '^WORK-002 claimed by bob' '' -- $BOB claim 2
TEST_DESC='release --json' expect_run 0 '*' '' -- $BOB release 2 --json
json_assert 'release --json is the item' "$tmp/out" 'd["id"] == "WORK-002" and d["status"] == "pending" and d["claim"] is None'

# ---- done / block / cancel by a non-holder ----------------------------------------
"$JERRY" claim 9 >/dev/null
until9=$("$JERRY" show 9 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["claim"]["expires_at"])')
for c in done block cancel; do
	expect_run 4 '' "^jerry: 'WORK-009' is claimed by alice until $until9\$" -- $BOB $c 9
done
TEST_DESC='done by non-holder --json' expect_run 4 '' '*' -- $BOB done 9 --json
json_assert 'guard --json names holder' "$tmp/err" "d['error']['exit'] == 4 and d['error']['holder'] == 'alice' and d['error']['holder_expires_at'] == '$until9'"
js 9
json_assert 'guarded moves wrote nothing' "$tmp/item" 'd["version"] == 2 and d["status"] == "in_progress"'
# note and start are not guarded (progress notes by others are welcome)
expect_run 0 '=WORK-009 in_progress (version 3)' '' -- $BOB note 9 'looked at it'
# --force acts, and says so in a note
expect_run 0 '=WORK-009 blocked (version 4)' '' -- $BOB block 9 --force
js 9
json_assert 'forced block recorded' "$tmp/item" \
	'any(n["by"] == "bob" and "forced blocked while claimed by alice" in n["text"] for n in d["notes"])'
expect_run 0 '=WORK-009 cancelled (version 5)' '' -- $BOB cancel 9 --force
js 9
json_assert 'forced cancel recorded, claim dropped' "$tmp/item" \
	'any("forced cancelled while claimed by alice" in n["text"] for n in d["notes"]) and d["claim"] is None'
"$JERRY" claim 10 >/dev/null
expect_run 0 '=WORK-010 done (version 3)' '' -- $BOB done 10 -f
js 10
json_assert 'forced done recorded' "$tmp/item" \
	'any(n["by"] == "bob" and "forced done while claimed by alice" in n["text"] for n in d["notes"]) and d["claim"] is None and d["status"] == "done"'
# The holder itself needs no --force; done drops the claim.
"$JERRY" create 'item 11' >/dev/null
"$JERRY" claim 11 >/dev/null
expect_run 0 '=WORK-011 blocked (version 3)' '' -- "$JERRY" block 11 --reason 'waiting'
expect_run 0 '=WORK-011 in_progress (version 4)' '' -- "$JERRY" start 11
expect_run 0 '=WORK-011 done (version 5)' '' -- "$JERRY" done 11
js 11
json_assert 'holder done: no claim left, no forced note' "$tmp/item" \
	'd["claim"] is None and not any("forced" in n["text"] for n in d["notes"])'
# An expired claim guards nothing.
"$JERRY" create 'item 12' >/dev/null
"$JERRY" claim 12 --lease 500ms >/dev/null
sleep 0.7
expect_run 0 '=WORK-012 done (version 3)' '' -- $BOB done 12
js 12
json_assert 'done after expiry needs no force' "$tmp/item" 'not any("forced" in n["text"] for n in d["notes"])'

# ---- claim usage errors ------------------------------------------------------------
expect_run 2 '' '^jerry: which item' -- "$JERRY" claim
expect_run 2 '' '^jerry: give either an ID or --next' -- "$JERRY" claim 1 --next
expect_run 2 '' '^jerry: --type and --label go with --next' -- "$JERRY" claim 1 --type bug
expect_run 2 '' '^jerry: --type and --label go with --next' -- "$JERRY" claim 1 --label web
expect_run 2 '' "^jerry: '\\.\\./x' is not an item ID" -- "$JERRY" claim ../x
expect_run 2 '' '^jerry: ' -- "$JERRY" claim 1 --bogus
expect_run 2 '' '^jerry: ' -- "$JERRY" claim 1 2
expect_run 3 '' "^jerry: no item 'WORK-099'" -- "$JERRY" claim 99
TEST_DESC='claim unknown --json' expect_run 3 '' '*' -- "$JERRY" claim 99 --json
json_assert 'claim unknown --json: not_found, exit 3' "$tmp/err" 'd["error"]["exit"] == 3'

# ---- claim --next: the best ready item, priority then age --------------------------
export JERRY_DATA="$tmp/next/.jerry/data"
jerry_init
"$JERRY" create 'low, oldest' -p low >/dev/null                 # 1
"$JERRY" create 'high, older' -p high >/dev/null                # 2
"$JERRY" create 'medium' >/dev/null                             # 3
"$JERRY" create 'high, newer' -p high >/dev/null                # 4
"$JERRY" create 'critical web bug' -p critical -t bug -l web >/dev/null  # 5
"$JERRY" create 'critical, waits on 3' -p critical >/dev/null   # 6
"$JERRY" create 'critical, claimed by bob' -p critical >/dev/null  # 7
"$JERRY" create 'critical, in progress' -p critical >/dev/null  # 8
"$JERRY" dep add 6 --on 3 >/dev/null
$BOB claim 7 >/dev/null
"$JERRY" start 8 >/dev/null
expect_run 3 '' '^jerry: nothing is ready of type spike$' -- "$JERRY" claim --next --type spike
expect_run 3 '' '^jerry: nothing is ready with label nope$' -- "$JERRY" claim --next --label nope
expect_run 2 '' "^jerry: unknown type 'nope'" -- "$JERRY" claim --next --type nope
expect_run 0 "^WORK-005 claimed by alice until $TS \\(in_progress, version 2\\)\$" '' -- "$JERRY" claim --next --label web
expect_run 0 '^WORK-002 claimed by alice ' '' -- "$JERRY" claim --next
expect_run 0 '^WORK-004 claimed by bob ' '' -- $BOB claim --next
TEST_DESC='claim --next --json' expect_run 0 '*' '' -- "$JERRY" claim --next --json --lease 1h
json_assert 'claim --next --json: medium next' "$tmp/out" 'd["id"] == "WORK-003" and d["claim"]["by"] == "alice" and d["status"] == "in_progress"'
lease_is 3 3600
expect_run 0 '^WORK-001 claimed by alice ' '' -- "$JERRY" claim --next --type task
expect_run 3 '' '^jerry: nothing is ready$' -- "$JERRY" claim --next
check_true 'nothing ready has a hint' grep -q '^hint: ' "$tmp/err"
TEST_DESC='nothing ready --json' expect_run 3 '' '*' -- $BOB claim --next --json
json_assert 'nothing ready --json: exit 3' "$tmp/err" 'd["error"]["exit"] == 3 and d["error"]["code"] == "not_found"'
"$JERRY" show 6 --json >"$tmp/item"
json_assert 'item with an unfinished dependency never handed out' "$tmp/item" 'd["status"] == "pending" and d["claim"] is None'
"$JERRY" show 7 --json >"$tmp/item"
json_assert "bob's claim untouched by --next" "$tmp/item" 'd["claim"]["by"] == "bob" and d["version"] == 2'
# Once its dependency is done, 6 is next.
"$JERRY" done 3 >/dev/null
expect_run 0 '^WORK-006 claimed by alice ' '' -- "$JERRY" claim --next
expect_run 3 '' '^jerry: nothing is ready$' -- "$JERRY" claim --next

# ---- identity: JERRY_INSTANCE unset means user@host, plus the session ----------------
export JERRY_DATA="$tmp/ident/.jerry/data"
jerry_init
"$JERRY" create 'default identity' >/dev/null
expect_run 0 '^WORK-001 claimed by [^ :]+@[^ :]+ until ' '' -- env -u JERRY_INSTANCE JERRY_SESSION=t1 "$JERRY" claim 1
me=$(printf '%s' "$OUT" | sed -n 's/^WORK-001 claimed by \([^ ]*\) until .*/\1/p')
# Successive commands of one agent are one claimer (no pid in the name) ...
expect_run 0 "^WORK-001 claimed by $me until " '' -- env -u JERRY_INSTANCE JERRY_SESSION=t1 "$JERRY" claim 1
expect_run 0 "^WORK-001 claimed by $me until " '' -- env -u JERRY_INSTANCE JERRY_SESSION=t1 "$JERRY" heartbeat 1
# ... whose own done / block / cancel need no --force ...
expect_run 0 '=WORK-001 blocked (version 5)' '' -- env -u JERRY_INSTANCE JERRY_SESSION=t1 "$JERRY" block 1
# ... and another session of the same name is another claimer.
expect_run 4 '' "claimed by $me \\(session t1\\)" -- env -u JERRY_INSTANCE JERRY_SESSION=t2 "$JERRY" claim 1
expect_run 4 '' "claimed by $me" -- env -u JERRY_INSTANCE JERRY_SESSION=t2 "$JERRY" release 1

test_done
