#!/bin/bash
# After the commit point no failure says "nothing changed" (issue 9, item 2).
#
# Exit 6 promises that nothing changed, so an agent retries on it.  Once the
# library has committed a change, a failure to write the result (stdout on
# a full disk, a failed close, out of memory rendering it) is exit 10,
# `output_failed`: the message names the item and the version the change
# made, the hint says not to repeat it, and the store holds the change
# exactly once.  With --json the error object carries "item" and "version".
#
#   - every item-changing command with stdout on /dev/full: exit 10;
#   - init, reindex and check --repair that changed the store: exit 10;
#   - a read command with stdout on /dev/full: still exit 6;
#   - stderr failing as well: still exit 10;
#   - every system call after the commit point failed in turn (strace
#     inject, t0140-committed-output.py): never exit 6, the change once.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
jerry_init
export JERRY_INSTANCE=alice JERRY_SESSION=a1

# Run "$@" with stdout on /dev/full (under expect_run's timeout, so no function).
FULL='exec "$@" >/dev/full'

item() { "$JERRY" show "$1" --json >"$tmp/item" && cat "$tmp/item"; }
count_items() { ls "$JERRY_DATA/items" | grep -c '^WORK-.*\.json$'; }

"$JERRY" create first >/dev/null
"$JERRY" create second >/dev/null

# ---- every item-changing command, stdout on /dev/full ------------------------------
expect_run 10 '' '^jerry: WORK-003 was created \(version 1\), but its result could not be written to standard output: No space left on device$' \
	-- sh -c "$FULL" sh "$JERRY" create third
check_true 'create: the hint says not to repeat it' grep -q "^hint: the change is made: do not repeat it; 'jerry show WORK-003' shows it$" "$tmp/err"
check_true 'create: made once' test "$(count_items)" = 3
expect_run 10 '' '^jerry: WORK-001 was updated \(now version 2\), but its result could not be written' \
	-- sh -c "$FULL" sh "$JERRY" update 1 --title renamed
expect_run 10 '' '^jerry: a note was added to WORK-001 \(now version 3\), but' \
	-- sh -c "$FULL" sh "$JERRY" note 1 'only once'
item 1 >/dev/null
json_assert 'update and note: made once' "$tmp/item" \
	'd["version"] == 3 and d["title"] == "renamed" and [n["text"] for n in d["notes"]] == ["only once"]'
expect_run 10 '' '^jerry: WORK-001 was updated \(now version 4\), but' -- sh -c "$FULL" sh "$JERRY" start 1
expect_run 10 '' '^jerry: WORK-001 was updated \(now version 5\), but' -- sh -c "$FULL" sh "$JERRY" block 1 -r why
expect_run 10 '' '^jerry: WORK-001 was updated \(now version 6\), but' -- sh -c "$FULL" sh "$JERRY" start 1
expect_run 10 '' '^jerry: WORK-001 was updated \(now version 7\), but' -- sh -c "$FULL" sh "$JERRY" done 1
expect_run 10 '' '^jerry: WORK-001 was updated \(now version 8\), but' -- sh -c "$FULL" sh "$JERRY" reopen 1
expect_run 10 '' '^jerry: WORK-002 was claimed \(now version 2\), but' -- sh -c "$FULL" sh "$JERRY" claim 2
expect_run 10 '' '^jerry: the claim on WORK-002 was extended \(now version 3\), but' \
	-- sh -c "$FULL" sh "$JERRY" heartbeat 2
expect_run 10 '' '^jerry: WORK-002 was released \(now version 4\), but' -- sh -c "$FULL" sh "$JERRY" release 2
expect_run 10 '' '^jerry: the dependencies of WORK-002 were changed \(now version 5\), but' \
	-- sh -c "$FULL" sh "$JERRY" dep add 2 --on 3
expect_run 10 '' '^jerry: the dependencies of WORK-002 were changed \(now version 6\), but' \
	-- sh -c "$FULL" sh "$JERRY" dep rm 2 --on 3
item 1 >/dev/null
json_assert 'transitions: made once each' "$tmp/item" 'd["version"] == 8 and d["status"] == "in_progress"'
item 2 >/dev/null
json_assert 'claim, heartbeat, release, dep add, dep rm: made once each' "$tmp/item" \
	'd["version"] == 6 and d["claim"] is None and d["depends_on"] == []'

# ---- --json: one error object with item and version ----------------------------------
TEST_DESC='note --json > /dev/full' expect_run 10 '' '*' -- sh -c "$FULL" sh "$JERRY" note 2 'json note' --json
json_assert 'note --json: output_failed, exit 10, item, version' "$tmp/err" \
	'd["error"]["code"] == "output_failed" and d["error"]["exit"] == 10 and d["error"]["item"] == "WORK-002" and d["error"]["version"] == 7 and "do not repeat" in d["error"]["hint"]'
TEST_DESC='create --json > /dev/full' expect_run 10 '' '*' -- sh -c "$FULL" sh "$JERRY" create fourth --json
json_assert 'create --json: the new ID, version 1' "$tmp/err" \
	'd["error"]["code"] == "output_failed" and d["error"]["item"] == "WORK-004" and d["error"]["version"] == 1'
check_true 'create --json: made once' test "$(count_items)" = 4

# ---- stderr failing too cannot be reported, but the status says it ----------------------
"$JERRY" note 2 'no channel left' >/dev/full 2>/dev/full
rc=$?
check_true "stdout and stderr on /dev/full: exit 10 (got $rc)" test "$rc" = 10
item 2 >/dev/null
json_assert 'that note was made once' "$tmp/item" \
	'[n["text"] for n in d["notes"]].count("no channel left") == 1'

# ---- store-wide changes ------------------------------------------------------------------
expect_run 10 '' '^jerry: the index was rebuilt \(4 items\), but its result could not be written to standard output' \
	-- sh -c "$FULL" sh "$JERRY" reindex
check_true 'reindex: the hint says the change is made' grep -q '^hint: the change is made' "$tmp/err"
expect_run 10 '' '^jerry: the store was initialized in .*/fresh, but' \
	-- sh -c "$FULL" sh "$JERRY" --data "$tmp/fresh" init
check_true 'init: the store is there' test -f "$tmp/fresh/sequences.json"
expect_run 6 '' '^jerry: cannot write output: No space left on device$' \
	-- sh -c "$FULL" sh "$JERRY" --data "$tmp/fresh" init
: >"$JERRY_DATA/items/.WORK-001.json.tmp-1-deadbeef"
rm -f "$JERRY_DATA/index.json"
expect_run 10 '' '^jerry: 1 problem was repaired, but' -- sh -c "$FULL" sh "$JERRY" check --repair
check_true 'check --repair: the index is back' test -s "$JERRY_DATA/index.json"
check_true 'check --repair: the temp file is gone' test ! -e "$JERRY_DATA/items/.WORK-001.json.tmp-1-deadbeef"

# ---- reads still say "nothing changed" ------------------------------------------------------
expect_run 6 '' '^jerry: cannot write output: No space left on device$' -- sh -c "$FULL" sh "$JERRY" list
expect_run 6 '' '^jerry: cannot write output' -- sh -c "$FULL" sh "$JERRY" show 1
expect_run 6 '' '^jerry: cannot write output' -- sh -c "$FULL" sh "$JERRY" check
TEST_DESC='show --json > /dev/full' expect_run 6 '' '*' -- sh -c "$FULL" sh "$JERRY" show 1 --json
json_assert 'a read: storage, exit 6' "$tmp/err" 'd["error"]["exit"] == 6 and d["error"]["code"] == "storage"'

# ---- every system call after the commit point ------------------------------------------------
# A store to copy for each run, so that every run makes the same system calls.
if ! command -v strace >/dev/null; then
	test_fail 'strace' 'strace is needed for the fault walk (make deps-test installs it)'
	test_done
fi
walk() {
	python3 "$here/t0140-committed-output.py" "$tmp/template" "$tmp/walk" "$@" \
		>"$tmp/walk.log" 2>&1
	echo "exit $?" >>"$tmp/walk.log"
	while IFS= read -r line; do
		case $line in
		'ok '*) test_ok "${line#ok }" ;;
		'FAIL '*) test_fail "${line#FAIL }" '' ;;
		'exit 0') ;;
		*) test_fail "walk $*" "$line" ;;
		esac
	done <"$tmp/walk.log"
}
rm -rf "$tmp/template"
"$JERRY" --data "$tmp/template" init >/dev/null
for t in one two three; do JERRY_DATA=$tmp/template "$JERRY" create "$t" >/dev/null; done
JERRY_DATA=$tmp/template "$JERRY" note 3 'x' >/dev/null

walk text WORK-004 1 4 'd["title"] == "walked"' -- create walked
walk json WORK-004 1 4 'd["title"] == "walked"' -- create walked --json
walk text WORK-001 2 3 'd["title"] == "new title"' -- update 1 --title 'new title'
walk text WORK-001 2 3 '[n["text"] for n in d["notes"]] == ["walk note"]' -- note 1 'walk note'
walk json WORK-001 2 3 '[n["text"] for n in d["notes"]] == ["walk note"]' -- note 1 'walk note' --json
walk full WORK-001 2 3 '[n["text"] for n in d["notes"]] == ["walk note"]' -- note 1 'walk note'
walk text WORK-002 2 3 'd["status"] == "in_progress"' -- start 2
walk text WORK-002 2 3 'd["status"] == "in_progress" and d["claim"]["by"] == "alice"' -- claim 2
walk json WORK-002 2 3 'd["status"] == "in_progress" and d["claim"]["by"] == "alice"' -- claim 2 --json
walk text WORK-001 2 3 'd["status"] == "in_progress" and d["claim"]["by"] == "alice"' -- claim --next

test_done
