#!/usr/bin/env bash
# demo.sh JERRY - jerry's main job, shown: several agents at once on one
# store, then the result and an integrity check.  Durability stays on.
set -euo pipefail
jerry=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d /tmp/jerry-demo.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export NO_COLOR=${NO_COLOR-}
unset JERRY_DATA JERRY_PROJECT JERRY_SYNC

agents=8 per_agent=25 noters=8 notes_each=10
say() { printf '\n== %s\n' "$*"; }

say "a fresh store in $tmp"
"$jerry" init

say "one shared epic, then $agents agents create $per_agent tasks each, all at once"
epic=$("$jerry" create "Ship the demo" -t epic -p high)
echo "created $epic"
start=$(date +%s%N)
for a in $(seq 1 "$agents"); do
	(
		export JERRY_INSTANCE="agent-$a"
		for i in $(seq 1 "$per_agent"); do
			"$jerry" create "task $i of agent $a" --parent "$epic" -l "agent-$a" >/dev/null
		done
	) &
done
wait
ms=$(( ($(date +%s%N) - start) / 1000000 ))
created=$(ls .jerry/data/items | grep -c '^WORK-.*\.json$')
echo "$((agents * per_agent)) creates by $agents processes in ${ms} ms; item files now: $created"

say "$noters agents append $notes_each notes each to $epic at the same time"
for a in $(seq 1 "$noters"); do
	(
		export JERRY_INSTANCE="agent-$a"
		for i in $(seq 1 "$notes_each"); do
			"$jerry" note "$epic" "progress $i from agent $a" >/dev/null
		done
	) &
done
wait
notes=$("$jerry" show "$epic" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["notes"]))')
version=$("$jerry" show "$epic" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
echo "notes on $epic: $notes of $((noters * notes_each)); version $version"

say "two agents race to start the same task with --if-version 1: exactly one wins"
"$jerry" show 2 --json >/dev/null
set +e
JERRY_INSTANCE=agent-a "$jerry" update 2 --status in_progress --assignee agent-a --if-version 1 >"$tmp/a.out" 2>"$tmp/a.err" &
pa=$!
JERRY_INSTANCE=agent-b "$jerry" update 2 --status in_progress --assignee agent-b --if-version 1 >"$tmp/b.out" 2>"$tmp/b.err" &
pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
set -e
echo "agent-a exit $ra $(cat "$tmp/a.out" "$tmp/a.err")"
echo "agent-b exit $rb $(cat "$tmp/b.out" "$tmp/b.err")"

say "what the store holds now (first lines of 'jerry list')"
"$jerry" list --limit 5
echo "... $("$jerry" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') open items"

say "integrity: jerry check"
"$jerry" check

say "the verdict"
ids=$("$jerry" list --all --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d), len({x["id"] for x in d}), len({x["uid"] for x in d}))')
set -- $ids
ok=1
[ "$1" -eq $((agents * per_agent + 1)) ] || ok=0
[ "$1" -eq "$2" ] && [ "$1" -eq "$3" ] || ok=0
[ "$notes" -eq $((noters * notes_each)) ] || ok=0
[ $((ra + rb)) -eq 4 ] || ok=0
printf 'items %s, distinct IDs %s, distinct uids %s, notes kept %s/%s, race winners %s\n' \
	"$1" "$2" "$3" "$notes" $((noters * notes_each)) "$(( (ra == 0) + (rb == 0) ))"
if [ "$ok" -eq 1 ]; then echo "demo: nothing lost, nothing duplicated"; else echo "demo: FAILED"; exit 1; fi
