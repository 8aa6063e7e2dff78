#!/bin/bash
# Issue 9, item 1: a dead writer's leftovers are no corruption.  Six writers
# create, note and label for a few seconds while a killer sends SIGKILL to
# one of their jerry processes every 10-120 ms.  Then one more create, and
# `jerry check` must exit 0 - no --repair - with every acknowledged write
# in the item files.
. "$(dirname "$0")/../lib.sh"
jerry_init
D=$JERRY_DATA
W=${STRESS_WRITERS:-6}
SECS=${STRESS_SECONDS:-6}
export JERRY_LOCK_TIMEOUT=30000
for i in 1 2 3 4 5 6; do "$JERRY" create "seed $i" >/dev/null; done

# writer N: loops until killed; each write jerry acknowledged (exit 0) goes
# to $tmp/acked.N as "create ID TITLE", "note ID TEXT" or "label ID LABEL".
# The jerry it runs is its direct child, which is how the killer finds it.
writer() {
	bash -c '
		n=0
		while :; do
			n=$((n + 1))
			it=WORK-00$(( (n * 7 + $1) % 6 + 1 ))
			case $((n % 3)) in
			0) "$JERRY" create "w$1 item $n" >"$2/o.$1" 2>/dev/null &&
				echo "create $(cat "$2/o.$1") w$1 item $n" >>"$2/acked.$1" ;;
			1) "$JERRY" note "$it" "w$1 note $n" >/dev/null 2>&1 &&
				echo "note $it w$1 note $n" >>"$2/acked.$1" ;;
			2) "$JERRY" update "$it" --add-label "w$1-$n" >/dev/null 2>&1 &&
				echo "label $it w$1-$n" >>"$2/acked.$1" ;;
			esac
		done' sh "$1" "$tmp" 2>/dev/null &
	pids="$pids $!"
}

pids=
for w in $(seq 1 "$W"); do writer "$w"; done
# The killer: every 10-120 ms, SIGKILL one jerry process run by a writer.
python3 - "$SECS" "$JERRY" $pids >"$tmp/killer" 2>&1 <<'PY'
import os, random, signal, sys, time
secs, jerry, writers = float(sys.argv[1]), os.path.realpath(sys.argv[2]), sys.argv[3:]
kills, end = 0, time.monotonic() + secs
while time.monotonic() < end:
    time.sleep(random.uniform(0.010, 0.120))
    victims = []
    for w in writers:
        try:
            kids = open("/proc/%s/task/%s/children" % (w, w)).read().split()
        except OSError:
            continue
        for k in kids:
            try:
                if os.path.realpath("/proc/%s/exe" % k) == jerry:
                    victims.append(int(k))
            except OSError:
                pass
    if victims:
        try:
            os.kill(random.choice(victims), signal.SIGKILL)
            kills += 1
        except ProcessLookupError:
            pass
print(kills)
PY
exec 3>&2 2>/dev/null
for p in $pids; do kill -9 "$p"; done
wait
exec 2>&3 3>&-
kills=$(cat "$tmp/killer")
acked=$(cat "$tmp"/acked.* 2>/dev/null | wc -l)
echo "# $kills kills, $acked acknowledged writes"
check_true "the killer killed jerry processes ($kills)" test "$kills" -gt 10 2>/dev/null
check_true "writes were acknowledged ($acked)" test "$acked" -gt 10

kinds() {
	python3 -c 'import collections, json, sys
d = json.load(open(sys.argv[1]))
print(dict(collections.Counter(p["kind"] for p in d.get("problems", []))),
      "notices:", dict(collections.Counter(p["kind"] for p in d.get("notices", []))))' "$1" 2>&1
}
# Right after the storm, before anything cleaned up: the dead writers'
# temp files are information, not problems.
"$JERRY" check --json >"$tmp/check0" 2>&1
rc=$?
echo "# check right after the storm: exit $rc, problems: $(kinds "$tmp/check0")"
check_true "check exits 0 right after the storm (exit $rc)" test "$rc" -eq 0

# One more command; it must succeed and leave nothing behind.
expect_run 0 '^WORK-[0-9]+$' '' -- "$JERRY" create 'after the storm'
"$JERRY" check --json >"$tmp/check" 2>"$tmp/check.err"
rc=$?
echo "# check after one more create: exit $rc, problems: $(kinds "$tmp/check")"
check_true "check exits 0 after the storm, no --repair (exit $rc: $(head -c 600 "$tmp/check") $(head -c 300 "$tmp/check.err"))" test "$rc" -eq 0
json_assert 'check reports no problem, and no temp file is left' "$tmp/check" \
	'd["ok"] and d["problems"] == [] and d["notices"] == []'
expect_run 0 '^[0-9]+ items checked, 0 problems$' '' -- "$JERRY" check

# Every acknowledged write is in the item files.
cat "$tmp"/acked.* >"$tmp/acked" 2>/dev/null
python3 - "$D" "$tmp/acked" >"$tmp/missing" 2>&1 <<'PY'
import json, sys
d, acked = sys.argv[1], sys.argv[2]
def item(i):
    return json.load(open("%s/items/%s.json" % (d, i)))
bad = []
for line in open(acked):
    op, i, rest = line.rstrip("\n").split(" ", 2)
    try:
        it = item(i)
    except Exception as e:
        bad.append("%s %s: %s" % (op, i, e))
        continue
    if op == "create" and it["title"] != rest:
        bad.append("%s has title %r, not %r" % (i, it["title"], rest))
    if op == "note" and rest not in [n["text"] for n in it["notes"]]:
        bad.append("%s lacks note %r" % (i, rest))
    if op == "label" and rest not in it["labels"]:
        bad.append("%s lacks label %r" % (i, rest))
if bad:
    print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
check_true "every acknowledged write is there $(head -c 600 "$tmp/missing")" test ! -s "$tmp/missing"
# No temp file is left anywhere a tool walking items/ would pick it up.
check_true 'no temp file in items/ after the next command' \
	sh -c "! ls -A '$D/items' | grep -q tmp"
test_done
