#!/bin/bash
# jerry sync under load (issue 11, ADR 0020): in two clones of one bare
# repository, agents create and edit while two syncs run at once in each
# clone, and some syncs are killed with kill -9 at random moments.  Then a
# few plain syncs must converge: both clones hold every acknowledged create
# exactly once (renumbered where both took one number), the same items, and
# `jerry check` is clean in both.
. "$(dirname "$0")/../lib.sh"
unset JERRY_DATA
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com \
	GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com JERRY_LOCK_TIMEOUT=60000
SECONDS_PER_CLONE=${STRESS_SECONDS:-12}
git init -q --bare origin.git
for c in a b; do
	git clone -q origin.git "$c" 2>/dev/null
	(cd "$c" && "$JERRY" init >/dev/null)
done

writer() { # clone, writer number: creates (titles logged when acknowledged) and notes
	(
		cd "$1" || exit 1
		end=$((SECONDS + SECONDS_PER_CLONE))
		n=0
		while [ $SECONDS -lt $end ]; do
			n=$((n + 1))
			if "$JERRY" create "$1-w$2-$n" >/dev/null 2>>"$tmp/$1.err"; then
				echo "$1-w$2-$n" >>"$tmp/acked.$1.$2"
			fi
			if "$JERRY" note 1 "$1-w$2 note $n" >/dev/null 2>>"$tmp/$1.err"; then
				echo "$1-w$2 note $n" >>"$tmp/noted.$1.$2"
			fi
		done
	)
}

syncer() { # clone, number: syncs in a loop; every third one is killed mid-way
	(
		cd "$1" || exit 1
		end=$((SECONDS + SECONDS_PER_CLONE))
		k=0
		while [ $SECONDS -lt $end ]; do
			k=$((k + 1))
			if [ $((k % 3)) -eq 0 ]; then
				setsid "$JERRY" sync >/dev/null 2>&1 &
				p=$!
				sleep "0.$((RANDOM % 4))$((RANDOM % 10))"
				kill -9 -- -"$p" 2>/dev/null
				wait "$p" 2>/dev/null
			else
				"$JERRY" sync >/dev/null 2>>"$tmp/sync.$1.$2.err" ||
					echo "sync exit $?" >>"$tmp/sync.$1.$2.err"
			fi
		done
	)
}

(cd a && "$JERRY" create 'the shared one' >/dev/null && "$JERRY" sync >/dev/null)
(cd b && "$JERRY" sync >/dev/null)
for c in a b; do
	writer "$c" 1 &
	writer "$c" 2 &
	syncer "$c" 1 &
	syncer "$c" 2 &
done
wait

# Converge: a, b, a (the last one takes b's merge back).
for c in a b a b; do
	TEST_DESC="converging sync in $c" expect_run 0 '*' '' -- bash -c "cd $c && exec \"\$JERRY\" sync"
done
cat "$tmp"/acked.* | LC_ALL=C sort >acked
check_true 'the writers got creates through' test "$(wc -l <acked)" -gt 10
for c in a b; do
	(cd "$c" && "$JERRY" list --all --json) >"$c.json"
	python3 -c 'import json,sys; print("\n".join(sorted(i["title"] for i in json.load(open(sys.argv[1])) if i["title"] != "the shared one")))' \
		"$c.json" | LC_ALL=C sort >"$c.titles"
	check_true "$c holds every acknowledged create exactly once" cmp -s acked "$c.titles"
	TEST_DESC="check is clean in $c" expect_run 0 ' 0 problems$' '' -- bash -c "cd $c && exec \"\$JERRY\" check"
done
check_true 'both clones hold the same items' \
	test "$(python3 -c 'import json,sys; print(sorted((i["id"], i["uid"]) for i in json.load(open(sys.argv[1]))))' a.json)" = \
	"$(python3 -c 'import json,sys; print(sorted((i["id"], i["uid"]) for i in json.load(open(sys.argv[1]))))' b.json)"
TEST_DESC='notes from both clones on the shared item' expect_run 0 '*' '' -- bash -c 'cd a && exec "$JERRY" show 1 --json'
cat "$tmp"/noted.* | LC_ALL=C sort >noted
python3 -c 'import json,sys; print("\n".join(n["text"] for n in json.load(sys.stdin)["notes"]))' \
	<"$tmp/out" | LC_ALL=C sort >notes.a
check_true 'every acknowledged note of either clone, exactly once' cmp -s noted notes.a
(cd b && "$JERRY" show 1 --json) >b.show
check_true 'the shared item is the same in both clones' \
	cmp -s a/.jerry/data/items/WORK-001.json b/.jerry/data/items/WORK-001.json
test_done
