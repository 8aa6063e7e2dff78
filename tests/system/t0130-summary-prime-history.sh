#!/bin/bash
# summary, prime, history (issue 3, "What agents need around it"), and the
# rule that read commands never write and work on a read-only store:
#   - summary [--since SPAN]: counts by status, what changed in the window,
#     who claims what, next up;
#   - prime: a compact briefing, well under 2,000 tokens, also on a big store;
#   - history ID: every version once, with who / when / what, also when many
#     processes change the item at once;
#   - show, list, ready, blocked, search, summary, prime, history, dep tree
#     leave every file of the store as it was, and work with the store
#     mounted read-only.
. "$(dirname "$0")/../lib.sh"
jerry_init
export JERRY_INSTANCE=alice JERRY_SESSION=a1
BOB="env JERRY_INSTANCE=bob JERRY_SESSION=b1 $JERRY"
TS='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z'

# ---- summary --------------------------------------------------------------------
expect_run 0 '=items: 0 (pending 0, in_progress 0, blocked 0, done 0, cancelled 0)
changed in the last 1d: 0
claimed:
  (none)
next up:
  (nothing ready)' '' -- "$JERRY" summary

"$JERRY" create 'old one' >/dev/null                  # 1
"$JERRY" create 'old two' -p low >/dev/null           # 2
"$JERRY" create 'old three' >/dev/null                # 3
"$JERRY" create 'old four, done' >/dev/null           # 4
"$JERRY" start 4 >/dev/null && "$JERRY" done 4 >/dev/null
sleep 3.2
"$JERRY" create 'new five' -p high -t bug >/dev/null  # 5
"$JERRY" claim 3 >/dev/null
$BOB claim 1 --lease 2h >/dev/null
# Only the last 3 seconds: 5 created, 3 and 1 claimed (run at once, so the
# window still holds them).
expect_run 0 '^changed in the last 3s: 3$' '' -- "$JERRY" summary --since 3s
sed -n '/^changed in/,/^claimed:/p' "$tmp/out" >"$tmp/changed"
check_true 'summary --since 3s: only the new changes listed' \
	test "$(awk 'NR > 1 && /^  WORK/ {print $1}' "$tmp/changed" | LC_ALL=C sort | tr '\n' ' ')" = 'WORK-001 WORK-003 WORK-005 '
TEST_DESC='summary --json --since 3s' expect_run 0 '*' '' -- "$JERRY" summary --json --since 3s
cp "$tmp/out" "$tmp/summary.json"
until1=$("$JERRY" show 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["claim"]["expires_at"])')
until3=$("$JERRY" show 3 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["claim"]["expires_at"])')

expect_run 0 '^items: 5 \(pending 2, in_progress 2, blocked 0, done 1, cancelled 0\)$' '' -- "$JERRY" summary
check_true 'summary: all five changed in the last day' grep -qx 'changed in the last 1d: 5' "$tmp/out"
check_true 'summary: claims by whom, until when (for people: when the lease ends)' \
	sh -c "grep -Eqx '  WORK-001  in_progress  by bob +lease ends in (1h|119m|120m)' '$tmp/out' && grep -Eqx '  WORK-003  in_progress  by alice +lease ends in [0-9]+m' '$tmp/out'"
check_true 'summary: next up is the top of ready' \
	sh -c "sed -n '/^next up:/,\$p' '$tmp/out' | sed 1d | awk '{print \$1}' | tr '\n' ' ' | grep -qx 'WORK-005 WORK-002 '"
check_true 'summary: recent changes name version, author and when' grep -Eq '^  WORK-001  in_progress  v2  bob +([0-9]+[smh] ago|just now) +old one$' "$tmp/out"
for span in 1h 1d 1w; do
	expect_run 0 "^changed in the last $span: 5\$" '' -- "$JERRY" summary --since $span
done
expect_run 2 '' "^jerry: 'xx' is not a time span" -- "$JERRY" summary --since xx
expect_run 2 '' '^jerry: ' -- "$JERRY" summary --since
expect_run 2 '' '^jerry: ' -- "$JERRY" summary x
json_assert 'summary --json shape' "$tmp/summary.json" "(
d['total'] == 5 and d['counts'] == {'pending': 2, 'in_progress': 2, 'blocked': 0, 'done': 1, 'cancelled': 0}
and re.fullmatch(r'$TS', d['since']) is not None
and sorted(c['id'] for c in d['changed']) == ['WORK-001', 'WORK-003', 'WORK-005']
and all(set(c) >= {'id', 'status', 'title', 'version', 'updated_at', 'updated_by'} for c in d['changed'])
and sorted((c['id'], c['by'], c['session'], c['expires_at'], c['live']) for c in d['claimed']) == [('WORK-001', 'bob', 'b1', '$until1', True), ('WORK-003', 'alice', 'a1', '$until3', True)]
and [x['id'] for x in d['next_up']] == ['WORK-005', 'WORK-002'])"

# ---- prime ----------------------------------------------------------------------
expect_run 0 'claim --next' '' -- "$JERRY" prime
for want in 'heartbeat' 'jerry done' 'jerry release' 'JERRY_INSTANCE' '^Exit codes' ' 4 ' ' 5 ' ' 8 ' \
	'you are alice' '^your claims:' '^  WORK-003  in_progress  by alice' '^claimed by others:' \
	'^  WORK-001  in_progress  by bob' '^ready, best first:' '^  WORK-005 ' '^items: 5 '; do
	check_true "prime mentions '$want'" grep -Eq -e "$want" "$tmp/out"
done
check_true "prime: under 2000 tokens (chars/4 = $(($(wc -c <"$tmp/out") / 4)))" test "$(wc -c <"$tmp/out")" -lt 8000
check_true "prime: under 2000 tokens (words*1.3 = $(($(wc -w <"$tmp/out") * 13 / 10)))" test "$(($(wc -w <"$tmp/out") * 13 / 10))" -lt 2000
TEST_DESC='prime --json' expect_run 0 '*' '' -- "$JERRY" prime --json
json_assert 'prime --json shape' "$tmp/out" \
	'd["instance"] == "alice" and "claim --next" in d["guide"] and d["state"]["total"] == 5 and set(d["state"]) >= {"counts", "changed", "claimed", "next_up", "since"}'
expect_run 2 '' '^jerry: ' -- "$JERRY" prime x
# Still compact on a busy store: 300 items, 60 claims, long titles.
(
	export JERRY_DATA="$tmp/big/.jerry/data"
	"$JERRY" init >/dev/null
	long='a rather long title that goes on and on about what has to be done here'
	# One import, not 300 creates: the same items, a second instead of a minute.
	for i in $(seq 1 300); do
		printf '{"id":"b-%d","title":"%d %s","status":"open","priority":2,"issue_type":"task"}\n' \
			"$i" "$i" "$long"
	done >"$tmp/big.jsonl"
	"$JERRY" import --from beads "$tmp/big.jsonl" >/dev/null
	for i in $(seq 1 30); do "$JERRY" claim "$i" >/dev/null; done
	for i in $(seq 31 60); do $BOB claim "$i" >/dev/null; done
	"$JERRY" prime >"$tmp/prime.big" 2>&1
	echo $? >"$tmp/prime.big.rc"
)
check_true 'prime on a busy store: exit 0' test "$(cat "$tmp/prime.big.rc")" = 0
check_true "prime on a busy store: under 2000 tokens (chars/4 = $(($(wc -c <"$tmp/prime.big") / 4)))" \
	test "$(wc -c <"$tmp/prime.big")" -lt 8000
check_true "prime on a busy store: under 2000 tokens (words*1.3 = $(($(wc -w <"$tmp/prime.big") * 13 / 10)))" \
	test "$(($(wc -w <"$tmp/prime.big") * 13 / 10))" -lt 2000

# ---- history ----------------------------------------------------------------------
"$JERRY" update 2 --title 'old two, renamed' -p high >/dev/null      # v2
$BOB note 2 'bob was here' >/dev/null                               # v3
$BOB claim 2 >/dev/null                                            # v4
$BOB heartbeat 2 --lease 1h >/dev/null                             # v5
$BOB release 2 >/dev/null                                          # v6
"$JERRY" claim 2 >/dev/null                                        # v7
"$JERRY" done 2 >/dev/null                                         # v8
# For people the time is relative (the store's clock), the next column in
# line whatever its width; --exact-time and --json give the exact time.
AGO='(just now|[0-9]+[sm] ago)'
expect_run 0 "^v1 +$AGO +alice  created: \"old two\" \\(task, low, pending\\)\$" '' -- "$JERRY" history 2
check_true 'history: who starts in one column on every line' \
	test "$(sed -E "s/^(v[0-9]+ +$AGO +)alice.*|^(v[0-9]+ +$AGO +)bob.*/\\1\\3/" "$tmp/out" | awk '{print length}' | sort -u | wc -l)" -eq 1
cp "$tmp/out" "$tmp/history.txt"
expect_run 0 "^v1    $TS  alice  created: \"old two\" \\(task, low, pending\\)\$" '' -- "$JERRY" history 2 --exact-time
check_true 'history --exact-time: the same lines, the time exact' \
	test "$(sed -E "s/^(v[0-9]+ +)$TS  /\\1/" "$tmp/out")" = "$(sed -E "s/^(v[0-9]+ +)$AGO +/\\1/" "$tmp/history.txt")"
expect_run 0 "^v1 +$AGO +alice  created: " '' -- "$JERRY" history 2
check_true 'history: 8 lines, v1..v8 once each, in order' \
	test "$(awk '{print $1}' "$tmp/out" | tr '\n' ' ')" = 'v1 v2 v3 v4 v5 v6 v7 v8 '
check_true 'history v2: title and priority, old -> new' \
	grep -Eq '^v2 .* alice  .*title: "old two" -> "old two, renamed".*priority: "low" -> "high"|^v2 .* alice  .*priority: "low" -> "high".*title: "old two" -> "old two, renamed"' "$tmp/out"
check_true 'history v3: the note, by bob' grep -Eq '^v3 .*  bob  notes: \+1 "bob was here"$' "$tmp/out"
check_true 'history v4: the claim' grep -Eq '^v4 .*  bob  .*status: "pending" -> "in_progress".*claim: null -> bob until' "$tmp/out"
check_true 'history v6: the release' grep -Eq '^v6 .*  bob  .*status: "in_progress" -> "pending"' "$tmp/out"
check_true 'history v8: done, by alice' grep -Eq '^v8 .*  alice  .*status: "in_progress" -> "done"' "$tmp/out"
TEST_DESC='history --json' expect_run 0 '*' '' -- "$JERRY" history 2 --json
json_assert 'history --json: every version once, who/when/what' "$tmp/out" "(
[e['version'] for e in d] == list(range(1, 9))
and [e['by'] for e in d] == ['alice', 'alice', 'bob', 'bob', 'bob', 'bob', 'alice', 'alice']
and [e['op'] for e in d] == ['create'] + ['update'] * 7
and all(re.fullmatch(r'$TS', e['at']) for e in d)
and d[0]['changes']['title'] == 'old two'
and d[1]['changes']['title'] == {'from': 'old two', 'to': 'old two, renamed'}
and d[2]['changes']['notes']['added'][0]['text'] == 'bob was here'
and d[3]['changes']['status'] == {'from': 'pending', 'to': 'in_progress'} and d[3]['changes']['claim']['from'] is None and d[3]['changes']['claim']['to']['by'] == 'bob'
and d[5]['changes']['status'] == {'from': 'in_progress', 'to': 'pending'}
and d[7]['changes']['status'] == {'from': 'in_progress', 'to': 'done'})"
expect_run 3 '' "^jerry: no item 'WORK-099'" -- "$JERRY" history 99
expect_run 2 '' "^jerry: '\\.\\./2' is not an item ID" -- "$JERRY" history ../2
expect_run 2 '' '^jerry: ' -- "$JERRY" history
expect_run 2 '' '^jerry: ' -- "$JERRY" history 1 2

# Many writers at once: every acknowledged change has exactly one entry.
"$JERRY" create 'busy' >/dev/null                                  # 6
for w in 1 2 3 4 5 6 7 8; do
	( for k in 1 2 3 4 5 6 7 8 9 10; do
		JERRY_INSTANCE=w$w "$JERRY" note 6 "w$w note $k" >/dev/null || echo "w$w $k failed" >>"$tmp/note-fail"
	done ) &
done
wait
check_true 'concurrent notes all acknowledged' test ! -e "$tmp/note-fail"
TEST_DESC='history --json after 80 concurrent notes' expect_run 0 '*' '' -- "$JERRY" history 6 --json
json_assert 'history: 81 versions, each once, each note once' "$tmp/out" "(
[e['version'] for e in d] == list(range(1, 82))
and sorted(e['changes']['notes']['added'][0]['text'] for e in d[1:]) == sorted('w%d note %d' % (w, k) for w in range(1, 9) for k in range(1, 11))
and all(e['by'] == e['changes']['notes']['added'][0]['text'].split()[0] for e in d[1:]))"

# ---- history whose file lost its tail (a power cut before write-back) ------------
# Each entry's durable copy is in index.log until the log generation is
# compacted; the file itself is synced then.  Simulate a cut that lost the
# file's last entries (and tore one): history still shows every version,
# and a rebuild (like a compaction) writes them back, once.
"$JERRY" create 'cut short' >/dev/null                              # 7
"$JERRY" update 7 --title 'cut short 2' >/dev/null
"$JERRY" note 7 'after the cut' >/dev/null
hf="$tmp/.jerry/data/history/WORK-007.jsonl"
check_true 'history lines go to the file at once' test "$(wc -l <"$hf")" -eq 3
check_true 'and their copies to index.log' test "$(grep -c '^{"id":"WORK-007","history":' "$tmp/.jerry/data/index.log")" -eq 3
head -n 1 "$hf" >"$tmp/h1" && cp "$tmp/h1" "$hf" && printf '{"version":2,"at":"2026-' >>"$hf"
TEST_DESC='history after a lost tail' expect_run 0 '*' '' -- "$JERRY" history 7 --json
json_assert 'history: every version from file + log' "$tmp/out" "[e['version'] for e in d] == [1, 2, 3] and d[2]['changes']['notes']['added'][0]['text'] == 'after the cut'"
expect_run 0 '^reindexed ' '' -- "$JERRY" reindex
check_true 'reindex wrote the lost entries back' test "$(grep -c '"version":[23],.*"op":' "$hf")" -eq 2
check_true 'the torn line was ended, not glued' grep -qx '{"version":2,"at":"2026-' "$hf"
TEST_DESC='history after write-back' expect_run 0 '*' '' -- "$JERRY" history 7 --json
json_assert 'history: still every version once' "$tmp/out" "[e['version'] for e in d] == [1, 2, 3]"
check_true 'the new log holds no history yet' test "$(grep -c '"history":' "$tmp/.jerry/data/index.log")" -eq 0
# Compaction does the same: lose v5 and v6 from the file, then enough
# (unsynced) writes to pass the log's size limit.
for k in 4 5 6; do "$JERRY" update 7 --title "v$k" >/dev/null; done
keep=$(grep -n '"version":4,' "$hf" | cut -d: -f1)
head -n "$keep" "$hf" >"$tmp/h4" && cp "$tmp/h4" "$hf"
gen() { head -n 1 "$tmp/.jerry/data/index.log" | grep -o '"generation":[0-9]*' | cut -d: -f2; }
g0=$(gen)
k=7
while [ "$(gen)" = "$g0" ] && [ $k -lt 3000 ]; do
	JERRY_SYNC=off "$JERRY" update 7 --title "v$k, with a longer title to fill the log" >/dev/null || { echo "# update $k failed"; break; }
	k=$((k + 1))
done
check_true 'compaction started a new log generation' test "$(gen)" -gt "$g0"
TEST_DESC='history after compaction' expect_run 0 '*' '' -- "$JERRY" history 7 --json
json_assert "history: $((k - 1)) versions once each after compaction" "$tmp/out" "[e['version'] for e in d] == list(range(1, $k))"
check_true 'compaction wrote v5 and v6 back, once each' \
	test "$(grep -c '"version":5,' "$hf") $(grep -c '"version":6,' "$hf")" = '1 1'
check_true 'and nothing twice' test "$(grep -c '"op":' "$hf")" -eq $((k - 1))

# ---- a huge version: memory and time follow the entries, not the number ------------------
"$JERRY" create 'far along' >/dev/null                              # 8
"$JERRY" note 8 'one note' >/dev/null
python3 - "$tmp/.jerry/data/items/WORK-008.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d['version'] = 100000000000
open(p, 'w').write(json.dumps(d, indent=2) + '\n')
PY
"$JERRY" reindex >/dev/null
TEST_DESC='history of an item at version 1e11' expect_run 0 '*' '' -- "$JERRY" history 8 --json
json_assert 'its two entries' "$tmp/out" "[e['version'] for e in d] == [1, 2]"
TEST_DESC='log with that item' expect_run 0 'one note' '' -- "$JERRY" log

# ---- read commands never write ----------------------------------------------------------
"$JERRY" dep add 5 --on 3 >/dev/null
"$JERRY" dep add 3 --on 1 >/dev/null
store_sum() { (cd "$tmp" && find .jerry -type f | LC_ALL=C sort | xargs sha256sum); }
READS='show 2|show 2 --json|list|list --all --json|ready|ready --json|blocked|blocked --json|search old|search old --all --json|summary|summary --json --since 1w|prime|prime --json|history 2|history 2 --json|dep tree 5|dep tree 5 --json'
before=$(store_sum)
IFS='|'
for c in $READS; do
	IFS=' '
	# shellcheck disable=SC2086
	expect_run 0 '.' '' -- "$JERRY" $c
	IFS='|'
done
IFS=' '
after=$(store_sum)
check_true 'read commands changed no file of the store' test "$before" = "$after"

# ... and work on a read-only store.
umount_ro() { umount "$tmp/.jerry" 2>/dev/null; }
trap 'umount_ro; test_cleanup' EXIT
if mount --bind "$tmp/.jerry" "$tmp/.jerry" 2>"$tmp/mount.err" &&
	mount -o remount,bind,ro "$tmp/.jerry" 2>>"$tmp/mount.err"; then
	check_true 'the store is read-only now' sh -c "! touch '$tmp/.jerry/data/probe' 2>/dev/null"
	IFS='|'
	for c in $READS; do
		IFS=' '
		# shellcheck disable=SC2086
		TEST_DESC="read-only store: jerry $c" expect_run 0 '.' '' -- "$JERRY" $c
		IFS='|'
	done
	IFS=' '
	expect_run 0 '^WORK-005  pending  new five$' '' -- "$JERRY" dep tree 5
	expect_run 0 "^v8 +$AGO +alice  " '' -- "$JERRY" history 2
	# Writes say why they cannot, and change nothing.
	expect_run 6 '' '^jerry: the store is read-only' -- "$JERRY" claim 5
	expect_run 6 '' '^jerry: the store is read-only' -- "$JERRY" claim --next
	expect_run 6 '' '^jerry: the store is read-only' -- "$JERRY" dep add 5 --on 4
	umount_ro
	check_true 'read-only store unchanged' test "$before" = "$(store_sum)"
else
	echo "# skipped the read-only store checks: cannot bind-mount read-only ($(head -n 1 "$tmp/mount.err"))"
	umount_ro
fi

test_done
