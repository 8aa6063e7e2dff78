#!/bin/bash
# Two processes run `update --if-version V` at the same moment, 20 rounds:
# exactly one wins (exit 0), the other gets the conflict (exit 4), and the
# version moves by one.  The item is made big (~2 MB of notes) so that its
# read-modify-write takes milliseconds: without the lock, the two would
# overlap and both succeed.
. "$(dirname "$0")/../lib.sh"
jerry_init
R=${STRESS_ROUNDS:-20}
export JERRY_LOCK_TIMEOUT=60000
"$JERRY" create 'raced' >/dev/null
python3 -c 'print("x" * 60000)' >"$tmp/note"
for i in $(seq 1 "${STRESS_NOTES:-32}"); do "$JERRY" note 1 - <"$tmp/note" >/dev/null; done
v0=$("$JERRY" show 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')

racer() {
	# $1 round, $2 side, $3 version: spin until the start flag, then update.
	timeout -k 2 60 bash -c '
		while [ ! -e "$1/go.$2" ]; do :; done
		"$JERRY" update 1 --title "round $2 side $3" --if-version "$4" >"$1/r.$2.$3.out" 2>"$1/r.$2.$3.err"
		echo $? >"$1/r.$2.$3.rc"' sh "$tmp" "$1" "$2" "$3" &
}

v=$v0
for r in $(seq 1 "$R"); do
	racer "$r" a "$v"
	racer "$r" b "$v"
	sleep 0.2
	touch "$tmp/go.$r"
	wait
	a=$(cat "$tmp/r.$r.a.rc") b=$(cat "$tmp/r.$r.b.rc")
	codes=$(printf '%s\n' "$a" "$b" | sort | tr '\n' ' ')
	check_true "round $r: exits are one 0 and one 4 (got a=$a b=$b)" test "$codes" = '0 4 '
	winner=a loser=b
	[ "$b" = 0 ] && winner=b loser=a
	check_true "round $r: loser says the version is stale" \
		grep -Eq "^jerry: .*WORK-001" "$tmp/r.$r.$loser.err"
	"$JERRY" show 1 --json >"$tmp/item"
	json_assert "round $r: version $v -> $((v + 1)), title from the winner" "$tmp/item" \
		"d['version'] == $((v + 1)) and d['title'] == 'round $r side $winner'"
	v=$((v + 1))
done
expect_run 0 '^1 items checked, 0 problems$' '' -- "$JERRY" check
test_done
