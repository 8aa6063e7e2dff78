#!/bin/bash
# Four agents at once through the skill's loop (issue 10, "Done means"):
# each agent is a loop of fresh `jerry` processes under its own --as name,
#   claim --next -> note -> heartbeat -> done,
# and, told "WORK-X has no open children left", it claims and closes that
# parent.  The backlog has an epic, features, stories, tasks, a subtask,
# bugs and dependencies.  Agent a4 is killed (SIGKILL) right after its first
# claim, which has a 3 s lease.  Afterwards, from `jerry log`:
#   - claim --next never handed out a container (an epic, a feature, or an
#     item whose children were not all done);
#   - every item is done exactly once;
#   - a4's item was re-claimed by another agent after its lease, and the
#     history says who lost it;
#   - nothing was claimed before its dependencies were done;
#   - every parent was done only after all its children;
#   - `jerry check` is clean.
. "$(dirname "$0")/../lib.sh"
jerry_init

mk() { "$JERRY" create "$@"; }
E=$(mk 'platform' -t epic -p high)
F1=$(mk 'auth' -t feature --parent "$E")
F2=$(mk 'billing' -t feature --parent "$E")
S1=$(mk 'login' -t story --parent "$F1")
S2=$(mk 'sessions' -t story --parent "$F1")
S3=$(mk 'invoices' -t story --parent "$F2")
T1=$(mk 'login form' --parent "$S1" -p critical)
ST1=$(mk 'form validation' -t subtask --parent "$T1")
T2=$(mk 'password check' --parent "$S1")
T3=$(mk 'session store' --parent "$S2")
B1=$(mk 'session leak' -t bug --parent "$S2" -p high)
T4=$(mk 'invoice model' --parent "$S3")
T5=$(mk 'invoice pdf' --parent "$S3" -p low)
T6=$(mk 'invoice for logged-in user' --parent "$S3")
B2=$(mk 'rounding' -t bug --parent "$F2")
T7=$(mk 'ci pipeline' -t task -p high)
T8=$(mk 'deploy' -t spike)
"$JERRY" dep add "$T5" --on "$T4" >/dev/null
"$JERRY" dep add "$T6" --on "$T2" --on "$T4" >/dev/null
"$JERRY" dep add "$T8" --on "$T7" >/dev/null
"$JERRY" dep add "$B2" --on "$B1" >/dev/null
check_true 'the backlog is set up' test -n "$T8"

# agent NAME: the skill's loop until nothing is open (or the deadline).
agent() {
	me=$1
	log="$tmp/agent-$me.log"
	: >"$log"
	end=$(($(date +%s) + 100))   # a bound for a hang, not a timing assertion
	while [ "$(date +%s)" -lt "$end" ]; do
		out=$("$JERRY" --as "$me" claim --next --lease 1m 2>>"$log.err")
		rc=$?
		if [ $rc -ne 0 ]; then
			# Nothing ready: done when nothing is open, else wait for work.
			[ -z "$("$JERRY" list 2>>"$log.err")" ] && return 0
			sleep 0.2
			continue
		fi
		id=${out%% *}
		echo "next $id" >>"$log"
		"$JERRY" --as "$me" note "$id" "working on it" >/dev/null 2>>"$log.err"
		"$JERRY" --as "$me" heartbeat "$id" >/dev/null 2>>"$log.err"
		close "$id"
	done
	echo "deadline" >>"$log"
}

# close ID: done, then the parents it leaves with no open child, up the tree.
close() {
	c_id=$1
	while [ -n "$c_id" ]; do
		d=$("$JERRY" --as "$me" done "$c_id" 2>>"$log.err") || return 0
		echo "done $c_id" >>"$log"
		c_id=$(printf '%s\n' "$d" | sed -n 's/^\(WORK-[0-9]*\) has no open children left.*/\1/p')
		# Another agent may be closing it too: the claim decides who does.
		[ -n "$c_id" ] && ! "$JERRY" --as "$me" claim "$c_id" >/dev/null 2>>"$log.err" && return 0
	done
}

# a4 claims once with a short lease and dies on the spot.
(
	"$JERRY" --as a4 claim --next --lease 3s >"$tmp/a4.out" 2>&1
	kill -KILL "$BASHPID"
) &
a4=$!
for _ in $(seq 1 100); do
	[ -s "$tmp/a4.out" ] && break
	sleep 0.05
done
agent a1 & p1=$!
agent a2 & p2=$!
agent a3 & p3=$!
wait "$a4"
check_true 'a4 was killed' test $? -ge 128
wait "$p1" "$p2" "$p3"
LOST=$(sed -n 's/^\(WORK-[0-9]*\) claimed by a4 .*/\1/p' "$tmp/a4.out")
check_true 'a4 claimed an item before it died' test -n "$LOST"
for a in a1 a2 a3; do
	check_true "$a finished before the deadline" sh -c "! grep -q deadline '$tmp/agent-$a.log'"
done

expect_run 0 '' '' -- "$JERRY" list
cat "$tmp"/agent-a[123].log >"$tmp/agents"
expect_run 0 '*' '' -- "$JERRY" log --json --limit 100000
cp "$tmp/out" "$tmp/log.json"
expect_run 0 '*' '' -- "$JERRY" list --all --json
cp "$tmp/out" "$tmp/items.json"

python3 - "$tmp/log.json" "$tmp/items.json" "$tmp/agents" "$LOST" >"$tmp/verdict" 2>&1 <<'EOF'
import json, sys
log = list(reversed(json.load(open(sys.argv[1]))))      # oldest first
items = {i["id"]: i for i in json.load(open(sys.argv[2]))}
handed = [l.split()[1] for l in open(sys.argv[3]) if l.startswith("next ")]
lost = sys.argv[4]
bad = []
def status_to(e, s):
    st = e["changes"].get("status")
    return isinstance(st, dict) and st.get("to") == s
done_at = {}
for n, e in enumerate(log):
    if status_to(e, "done"):
        if e["id"] in done_at:
            bad.append("%s done twice" % e["id"])
        done_at[e["id"]] = n
for i in items:
    if i not in done_at:
        bad.append("%s never done" % i)
children = {}
for i in items.values():
    if i["parent"]:
        children.setdefault(i["parent"], []).append(i["id"])
def first_claim(i, after=-1):
    for n, e in enumerate(log):
        c = e["changes"].get("claim")
        if n > after and e["id"] == i and isinstance(c, dict) and c.get("to"):
            return n
    return None
# claim --next never handed out a container
for i in handed + [lost]:
    if items[i]["type"] in ("epic", "feature"):
        bad.append("claim --next handed out the %s %s" % (items[i]["type"], i))
    n = first_claim(i)
    for c in children.get(i, []):
        if done_at.get(c, 1 << 30) > n:
            bad.append("%s handed out before its child %s was done" % (i, c))
# nothing claimed before its dependencies were done
for i in items.values():
    n = first_claim(i["id"])
    for d in i["depends_on"]:
        if n is None or done_at.get(d, 1 << 30) > n:
            bad.append("%s claimed before its dependency %s was done" % (i["id"], d))
# parents done only after their children
for p, cs in children.items():
    for c in cs:
        if done_at.get(c, 1 << 30) > done_at.get(p, -1):
            bad.append("parent %s done before its child %s" % (p, c))
# the dead agent's item: re-claimed by another, after its lease, and noted
n = first_claim(lost)
m = first_claim(lost, n)
if m is None:
    bad.append("%s was never re-claimed" % lost)
else:
    e = log[m]
    notes = [x["text"] for x in e["changes"].get("notes", {}).get("added", [])]
    if e["by"] == "a4" or not any(t.startswith("reclaimed from a4 (lease expired at ") for t in notes):
        bad.append("%s re-claimed without the note: %r" % (lost, e))
    if e["at"] <= log[n]["changes"]["claim"]["to"]["expires_at"]:
        bad.append("%s re-claimed before a4's lease ran out" % lost)
print("\n".join(bad) if bad else "ok")
sys.exit(1 if bad else 0)
EOF
check_true "the run kept every rule: $(head -c 600 "$tmp/verdict")" grep -qx ok "$tmp/verdict"
expect_run 0 '*' '' -- "$JERRY" check
test_done
