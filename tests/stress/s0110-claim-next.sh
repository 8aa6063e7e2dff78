#!/bin/bash
# 200 ready items; 16 processes each run `jerry claim --next` in a loop
# until it says "nothing ready" (exit 3): exactly 200 successful claims,
# 200 distinct IDs, none twice, and every item claimed once - by the
# process that was told it won, with one claim in its history.
# Without the item lock (build/broken-locks) items are handed out twice.
. "$(dirname "$0")/../lib.sh"
jerry_init
N=${STRESS_ITEMS:-200}
P=${STRESS_PROCS:-16}
export JERRY_LOCK_TIMEOUT=60000
for i in $(seq 1 "$N"); do "$JERRY" create "job $i" >/dev/null; done
mkfifo "$tmp/sleeper"

for p in $(seq 1 "$P"); do
	timeout -k 2 300 bash -c '
		exec 9<>"$1/sleeper"
		until [ -e "$1/go" ]; do read -t 0.002 -u 9 _; done
		export JERRY_INSTANCE=agent-$2 JERRY_SESSION=s$2
		while :; do
			"$JERRY" claim --next >>"$1/n.$2.out" 2>>"$1/n.$2.err"
			rc=$?
			echo $rc >>"$1/n.$2.rcs"
			[ $rc = 0 ] || break
		done' sh "$tmp" "$p" &
done
sleep 0.3
touch "$tmp/go"
wait

cat "$tmp"/n.*.out >"$tmp/all.out" 2>/dev/null
wins=$(grep -c ' claimed by ' "$tmp/all.out")
distinct=$(sed -n 's/^\(WORK-[0-9]*\) claimed by .*/\1/p' "$tmp/all.out" | sort -u | wc -l)
dups=$(sed -n 's/^\(WORK-[0-9]*\) claimed by .*/\1/p' "$tmp/all.out" | sort | uniq -d | head -n 5 | tr '\n' ' ')
echo "# $wins successful claims, $distinct distinct items (want $N and $N)"
check_true "exactly $N successful claims (got $wins)" test "$wins" = "$N"
check_true "$N distinct IDs (got $distinct)" test "$distinct" = "$N"
check_true "no item claimed twice (twice: ${dups:-none})" test -z "$dups"
# Every process ended on exit 3 "nothing is ready", and exited nothing else.
ends=$(for p in $(seq 1 "$P"); do tail -n 1 "$tmp/n.$p.rcs" 2>/dev/null || echo none; done | sort -u | tr '\n' ' ')
check_true "every process stopped on exit 3 (last codes: $ends)" test "$ends" = '3 '
others=$(cat "$tmp"/n.*.rcs | grep -cv '^[03]$')
check_true "no exit but 0 and 3 (got $others others)" test "$others" = 0
check_true 'the last word is "nothing is ready"' \
	sh -c "for p in \$(seq 1 $P); do tail -n 2 '$tmp'/n.\$p.err | grep -qx 'jerry: nothing is ready' || exit 1; done"

# The items agree with what the processes were told.
for p in $(seq 1 "$P"); do
	sed -n "s/^\\(WORK-[0-9]*\\) claimed by agent-$p until .*/\\1 agent-$p/p" "$tmp/n.$p.out"
done | LC_ALL=C sort >"$tmp/told"
"$JERRY" list --all --json >"$tmp/list"
python3 - "$tmp/list" "$tmp/told" "$N" >"$tmp/verdict" 2>&1 <<'EOF'
import json, sys
items = json.load(open(sys.argv[1]))
told = dict(line.split() for line in open(sys.argv[2]) if line.strip())
n = int(sys.argv[3])
bad = []
if len(items) != n:
    bad.append("%d items, want %d" % (len(items), n))
for it in items:
    c = it.get("claim")
    if it["status"] != "in_progress" or not c:
        bad.append("%s: %s, claim %s" % (it["id"], it["status"], c))
    elif told.get(it["id"]) != c["by"]:
        bad.append("%s: held by %s, told %s" % (it["id"], c["by"], told.get(it["id"])))
    elif it["version"] != 2:
        bad.append("%s: version %d, want 2" % (it["id"], it["version"]))
print("; ".join(bad[:5]) if bad else "ok")
EOF
check_true "every item in_progress, claimed once, by the process told it won ($(head -c 300 "$tmp/verdict"))" \
	grep -qx ok "$tmp/verdict"
# One claim per item in the history, too.
hist_bad=0
for i in $(seq 1 "$N"); do
	"$JERRY" history "$i" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if [e["version"] for e in d] == [1, 2] else 1)' || hist_bad=$((hist_bad + 1))
done
check_true "every history is create + one claim ($hist_bad are not)" test "$hist_bad" = 0
expect_run 3 '' '^jerry: nothing is ready$' -- "$JERRY" claim --next
expect_run 0 "^$N items checked, 0 problems\$" '' -- "$JERRY" check
test_done
