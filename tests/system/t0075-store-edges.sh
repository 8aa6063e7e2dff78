#!/bin/bash
# The store's edges as an outside tester found them: what is in the data
# directory where a file should be, a hand edit reindex cannot read, the
# highest version, files written into the store from outside, a read-only
# fresh checkout, and what an error echoes to a terminal.
. "$(dirname "$0")/../lib.sh"
jerry_init
D=$JERRY_DATA
"$JERRY" create one >/dev/null
"$JERRY" create two >/dev/null

# A FIFO under an item's name: every reader reports it, none hangs (before:
# check, show, export and note waited for a writer for ever, and a hung
# check held the store's shared lock against every writer).
mkfifo "$D/items/WORK-003.json"
TEST_CMD_TIMEOUT=10
expect_run 7 '^corrupt_item .*WORK-003.json.* is not a regular file$' '' -- "$JERRY" check
expect_run 7 '' "WORK-003.json' is not a regular file" -- "$JERRY" show 3
expect_run 7 '*' "WORK-003.json' is not a regular file" -- "$JERRY" export
expect_run 7 '' "WORK-003.json' is not a regular file" -- "$JERRY" note 3 hello
expect_run 0 'WORK-002' '' -- "$JERRY" note 2 'a write beside it'
rm "$D/items/WORK-003.json"
# A FIFO for the sequence hint is replaced as a lost hint is.
rm "$D/sequences.json"
mkfifo "$D/sequences.json"
expect_run 0 '^WORK-003$' '' -- "$JERRY" create three
check_true 'sequences.json is a file again' test -f "$D/sequences.json"
expect_run 0 '^3 items checked, 0 problems$' '' -- "$JERRY" check
TEST_CMD_TIMEOUT=60

# A hand edit with a typo, then reindex as FORMAT.md says: the item left
# out of the index is not a success (before: "reindexed 2 items", exit 0,
# and WORK-002 gone from list without a word).
cp "$D/items/WORK-002.json" "$tmp/good2"
sed -i 's/"title": "two",/"title": "two (edited)",,/' "$D/items/WORK-002.json"
expect_run 7 '' "^jerry: the index was rebuilt without an item file it could not read: '.*WORK-002.json' is not valid JSON \(line [0-9]+" -- "$JERRY" reindex
check_true 'the hint says what to do' grep -q "^hint: fix or remove it, then run 'jerry reindex' again" "$tmp/err"
expect_run 7 '' '*' -- "$JERRY" --json reindex
json_assert 'reindex --json names the item and the file' "$tmp/err" \
	'd["error"]["code"] == "corrupt" and d["error"]["item"] == "WORK-002" and d["error"]["path"].endswith("items/WORK-002.json") and d["error"]["line"] > 0'
cp "$tmp/good2" "$D/items/WORK-002.json"
expect_run 0 '^reindexed 3 items$' '' -- "$JERRY" reindex

# The highest version: a write never goes past it (before: it wrapped to a
# negative version and wrote a file check then refused); above it, the
# file is damaged.
cp "$D/items/WORK-001.json" "$tmp/good1"
sed -i 's/"version": 1,/"version": 9007199254740991,/' "$D/items/WORK-001.json"
"$JERRY" reindex >/dev/null
expect_run 7 '' 'is at version 9007199254740991, the highest there is' -- "$JERRY" note 1 'one more'
check_true 'the file is as it was' grep -q '"version": 9007199254740991,' "$D/items/WORK-001.json"
expect_run 0 '^3 items checked, 0 problems$' '' -- "$JERRY" check
sed -i 's/"version": 9007199254740991,/"version": 9007199254740992,/' "$D/items/WORK-001.json"
expect_run 7 '' "field 'version' must be an integer from 1 to 9007199254740991" -- "$JERRY" show 1
cp "$tmp/good1" "$D/items/WORK-001.json"
"$JERRY" reindex >/dev/null

# export -o into the data directory is refused, however it is spelled
# (before: the export was renamed over the item file, exit 0).
cp "$D/items/WORK-001.json" "$tmp/before1"
expect_run 2 '' "is inside jerry's data directory" -- "$JERRY" export -o "$D/items/WORK-001.json"
ln -s "$D/items" "$tmp/link"
expect_run 2 '' "is inside jerry's data directory" -- "$JERRY" export -o "$tmp/link/WORK-001.json"
expect_run 2 '' "is inside jerry's data directory" -- "$JERRY" export -o "$D/items/../export.jsonl"
check_true 'the item file is untouched' cmp -s "$tmp/before1" "$D/items/WORK-001.json"
check_true 'nothing was added to the store' test ! -e "$D/export.jsonl"
expect_run 0 'exported 3 items' '' -- "$JERRY" export -o "$tmp/out.jsonl"

# A filter refused before the first line: stdout stays empty (before: the
# header line, then the error).
expect_run 2 '' "unknown status 'bogus'" -- "$JERRY" --json export --status bogus
expect_run 2 '' 'is not an item ID' -- "$JERRY" export --parent ../x
TEST_DESC='an export of nothing still has its header' \
	expect_run 0 '={"jerry_export":1,"format":1}' '' -- "$JERRY" export --status done

# check names the file of an item that holds another ID, and every item
# that shares a uid (before: an empty PATH, and "more than one item").
cp "$D/items/WORK-001.json" "$D/items/WORK-005.json"
expect_run 7 "^corrupt_item  $D/items/WORK-005.json  '.*' holds item WORK-001, not WORK-005\$" '' -- "$JERRY" check
sed -i 's/"WORK-001"/"WORK-005"/' "$D/items/WORK-005.json"
"$JERRY" reindex >/dev/null
expect_run 7 "^duplicate_uid  $D/items/WORK-001.json  uid [0-9]+ is carried by WORK-001, WORK-005: each item needs its own\$" '' -- "$JERRY" check
rm "$D/items/WORK-005.json"
"$JERRY" reindex >/dev/null

# What an error echoes reaches a terminal as \xNN, never as an escape
# sequence (a title change, a colour, a C1 CSI in UTF-8).
TEST_DESC='show ESC]0;x BEL ESC[31mRED: escaped' expect_run 2 '' '^jerry: .\\x1b\]0;x\\x07\\x1b\[31mRED. is not an item ID$' -- "$JERRY" show $'\e]0;x\a\e[31mRED'
check_true 'no ESC byte on stderr' sh -c "! grep -q \$(printf '\\033') '$tmp/err'"
TEST_DESC='list --status C1-CSI: escaped' expect_run 2 '' "^jerry: unknown status '\\\\x9b31m'\$" -- "$JERRY" list --status $'\xc2\x9b31m'
TEST_DESC='--json show ESC[31m' expect_run 2 '' '*' -- "$JERRY" --json show $'\e[31m'
json_assert 'the JSON error keeps the exact bytes' "$tmp/err" 'chr(27) in d["error"]["message"]'

# A fresh checkout that cannot be written (no locks/, read-only, not
# root): check is clean with a notice, a write says the store is read-only.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	ro=$tmp/ro/store
	mkdir -p "$ro"
	cp -r "$D/items" "$D/history" "$ro/"
	chmod -R a-w "$ro"
	chmod 755 "$tmp" "$tmp/ro"
	nobody='setpriv --reuid=65534 --regid=65534 --clear-groups --'
	expect_run 0 '^read_only  .* a checkout that cannot be written here.*\[not a problem\]$' '' -- $nobody "$JERRY" --data "$ro" check
	check_true 'no problem counted' grep -q '^3 items checked, 0 problems, 1 notice$' "$tmp/out"
	expect_run 0 'WORK-003' '' -- $nobody "$JERRY" --data "$ro" list
	expect_run 6 '' "^jerry: the store is read-only: cannot open '.*locks/items.lock'" -- $nobody "$JERRY" --data "$ro" create four
	check_true 'with a hint' grep -q '^hint: reading works; writing needs write access' "$tmp/err"
	chmod -R u+w "$ro"
else
	test_ok 'read-only checkout: needs root and setpriv to run as another user (skipped)'
fi

test_done
