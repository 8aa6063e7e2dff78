#!/bin/bash
# 64 processes claim one item at the same moment, 20 rounds (a fresh item
# each round): exactly one wins (exit 0) and 63 get exit 4 naming the
# winner; the item holds the winner's claim, and its history has exactly
# one claim.  Without the item lock (build/broken-locks) several win.
#
# The racers wait behind a barrier: each polls for the round's "go" file
# (sleeping 2 ms between looks, without forking) and starts `jerry claim`
# the moment it appears.
. "$(dirname "$0")/../lib.sh"
jerry_init
R=${STRESS_ROUNDS:-20}
N=${STRESS_CLAIMERS:-64}
export JERRY_LOCK_TIMEOUT=60000
mkfifo "$tmp/sleeper"
for r in $(seq 1 "$R"); do "$JERRY" create "prize $r" >/dev/null; done

racer() {
	# $1 round, $2 racer: announce, wait for the go file, claim.
	timeout -k 2 120 bash -c '
		exec 9<>"$1/sleeper"
		: >"$1/ready.$2.$3"
		until [ -e "$1/go.$2" ]; do read -t 0.002 -u 9 _; done
		JERRY_INSTANCE=agent-$3 JERRY_SESSION=s$3 "$JERRY" claim "$2" \
			>"$1/c.$2.$3.out" 2>"$1/c.$2.$3.err"
		echo $? >"$1/c.$2.$3.rc"' sh "$tmp" "$1" "$2" &
}

total_winners=0
for r in $(seq 1 "$R"); do
	for k in $(seq 1 "$N"); do racer "$r" "$k"; done
	# Every racer is at the barrier before the go.
	for _ in $(seq 1 600); do
		[ "$(find "$tmp" -maxdepth 1 -name "ready.$r.*" | wc -l)" -ge "$N" ] && break
		sleep 0.05
	done
	sleep 0.1
	touch "$tmp/go.$r"
	wait
	wins=0 fours=0 other=
	winner=
	for k in $(seq 1 "$N"); do
		rc=$(cat "$tmp/c.$r.$k.rc" 2>/dev/null || echo none)
		case $rc in
		0) wins=$((wins + 1)); winner="$winner agent-$k" ;;
		4) fours=$((fours + 1)) ;;
		*) other="$other agent-$k:$rc" ;;
		esac
	done
	total_winners=$((total_winners + wins))
	winner=${winner# }
	check_true "round $r: exactly 1 winner and $((N - 1)) exits of 4 (got $wins winners [$winner], $fours fours, other:${other:- none})" \
		test "$wins" = 1 -a "$fours" = $((N - 1))
	[ "$wins" = 1 ] || continue
	k=${winner#agent-}
	id=$(printf 'WORK-%03d' "$r")
	check_true "round $r: the winner's output" \
		grep -Eq "^$id claimed by $winner until .* \\(in_progress, version 2\\)\$" "$tmp/c.$r.$k.out"
	bad=0
	for j in $(seq 1 "$N"); do
		[ "$j" = "$k" ] && continue
		grep -q "^jerry: cannot claim '$id': claimed by $winner (session s$k) until " "$tmp/c.$r.$j.err" ||
			bad=$((bad + 1))
	done
	check_true "round $r: all $((N - 1)) losers name the winner ($bad do not)" test "$bad" = 0
	"$JERRY" show "$r" --json >"$tmp/item"
	json_assert "round $r: the item holds the winner's claim, version 2" "$tmp/item" \
		"d['claim']['by'] == '$winner' and d['claim']['session'] == 's$k' and d['assignee'] == '$winner' and d['version'] == 2 and d['status'] == 'in_progress'"
	"$JERRY" history "$r" --json >"$tmp/hist"
	json_assert "round $r: history has the create and one claim" "$tmp/hist" \
		"[e['version'] for e in d] == [1, 2] and d[1]['by'] == '$winner'"
done
echo "# $total_winners winners in $R rounds of $N claimers (want $R)"
expect_run 0 "^$R items checked, 0 problems\$" '' -- "$JERRY" check
test_done
