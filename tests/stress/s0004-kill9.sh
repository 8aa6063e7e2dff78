#!/bin/bash
# Writers (create / update / note in loops) are killed with kill -9 at
# random moments, several rounds.  After each round: every item file parses
# (no partial file); after the next jerry command, `jerry check` exits 0 -
# temp files of writers that are dead are notices, not problems - and after
# one more write it finds nothing at all (ADR 0011).  Index drift after the
# next command is a failure.
. "$(dirname "$0")/../lib.sh"
jerry_init
D=$JERRY_DATA
ROUNDS=${STRESS_ROUNDS:-8}
W=${STRESS_WRITERS:-4}
export JERRY_LOCK_TIMEOUT=30000
for i in 1 2 3 4 5 6; do "$JERRY" create "seed $i" >/dev/null; done
# A description of ~48 KB makes every write of an item take a while, which
# widens the window a kill can land in.
python3 -c 'print("lorem ipsum dolor sit amet " * 1800)' >"$tmp/desc"

writer() {
	# $1: writer number.  Its own session and process group, so that
	# kill -9 -PGID reaches the jerry it is running right now.
	setsid timeout -s KILL 60 bash -c '
		n=0
		while :; do
			n=$((n + 1))
			it=$(( (n + $1) % 6 + 1 ))
			case $((n % 4)) in
			0) "$JERRY" create "w$1 item $n" -d - <"$2/desc" ;;
			1) "$JERRY" update "$it" --title "w$1 title $n" --add-label "w$1-$n" ;;
			2) "$JERRY" note "$it" "w$1 note $n" ;;
			3) "$JERRY" update "$it" --description - <"$2/desc" ;;
			esac >/dev/null 2>&1
		done' sh "$1" "$tmp" &
	pids="$pids $!"
}

for r in $(seq 1 "$ROUNDS"); do
	pids=
	for w in $(seq 1 "$W"); do writer "$w"; done
	# Let them run between 0.3 and 1.5 s, then kill -9 every process group.
	sleep "$(python3 -c 'import random; print(round(random.uniform(0.3, 1.5), 2))')"
	# (stderr off meanwhile: bash reports each killed job there)
	exec 3>&2 2>/dev/null
	for p in $pids; do kill -9 -- "-$p"; done
	wait
	exec 2>&3 3>&-
	# Every file that carries an item name must be a whole item.
	python3 - "$D" >"$tmp/parse" 2>&1 <<'PY'
import glob, json, os, sys
bad = []
for f in sorted(glob.glob(sys.argv[1] + "/items/WORK-*.json")):
    try:
        d = json.load(open(f))
        if d.get("id") != os.path.basename(f)[:-5] or not isinstance(d.get("version"), int):
            bad.append("%s: wrong content" % f)
    except Exception as e:
        bad.append("%s: %s" % (f, e))
for f in ("index.json", "sequences.json"):
    try:
        json.load(open(os.path.join(sys.argv[1], f)))
    except Exception as e:
        bad.append("%s: %s" % (f, e))
if bad:
    print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
	check_true "round $r: every item file is whole JSON $(head -c 400 "$tmp/parse")" test ! -s "$tmp/parse"
	# The next jerry command settles what the kill interrupted.
	expect_run 0 '*' '' -- "$JERRY" list --all --json
	cp "$tmp/out" "$tmp/list"
	"$JERRY" check --json >"$tmp/check" 2>"$tmp/check.err"
	rc=$?
	check_true "round $r: after the next command, check exits 0 (exit $rc)" test "$rc" -eq 0
	json_assert "round $r: after the next command, check finds no problem" "$tmp/check" \
		'd["ok"] and d["problems"] == [] and all(p["kind"] == "temp_file" for p in d["notices"])'
	# One write removes the dead writers' temp files: no --repair.
	expect_run 0 '*' '' -- "$JERRY" note 1 "after round $r"
	expect_run 0 '^[0-9]+ items checked, 0 problems$' '' -- "$JERRY" check
	nfiles=$(ls "$D/items" | grep -c '^WORK-[0-9]*\.json$')
	json_assert "round $r: list shows all $nfiles item files" "$tmp/list" "len(d) == $nfiles"
done
json_assert 'sequence covers every item' "$D/sequences.json" "d['WORK'] >= $(ls "$D/items" | sed -n 's/^WORK-0*\([0-9]*\)\.json$/\1/p' | sort -n | tail -n 1)"
test_done
