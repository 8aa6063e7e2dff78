#!/bin/bash
# jerry show: any ID spelling, refusals, --json, and a corrupt item file.
. "$(dirname "$0")/../lib.sh"
jerry_init
for i in 1 2 3 4 5 6 7; do "$JERRY" create "item $i" >/dev/null; done
"$JERRY" note 7 'a note on seven' >/dev/null

expect_run 0 '^WORK-007  item 7$' '' -- "$JERRY" show 7
# The card's times are relative ("3s ago"): compare cards without them.
card() { sed -E 's/(just now|[0-9]+[smhdwy] ago)/WHEN/g' "$1"; }
same_card() { card "$tmp/out" | cmp -s - "$tmp/show7"; }
card "$tmp/out" >"$tmp/show7"
check_true 'card has status line' grep -Eq '^status: *pending' "$tmp/show7"
check_true 'card has version line' grep -Eq '^version: *2' "$tmp/show7"
check_true 'card shows the note' grep -q 'a note on seven' "$tmp/show7"
expect_run 0 '^WORK-007  item 7$' '' -- "$JERRY" show work-7
check_true 'show work-7 is the same card' same_card
expect_run 0 '^WORK-007  item 7$' '' -- "$JERRY" show WORK-007
check_true 'show WORK-007 is the same card' same_card
expect_run 0 '^WORK-007  item 7$' '' -- "$JERRY" show WORK-7
expect_run 0 '^WORK-007  item 7$' '' -- "$JERRY" show 007

expect_run 2 '' '^jerry: ' -- "$JERRY" show ../../etc/passwd
check_true 'nothing about /etc/passwd content' sh -c '! grep -q "root:" "$1/out" "$1/err"' sh "$tmp"
expect_run 3 '' "^jerry: .*WORK-999" -- "$JERRY" show 999
expect_run 2 '' '^jerry: ' -- "$JERRY" show
expect_run 2 '' '^jerry: ' -- "$JERRY" show 1 2

TEST_DESC='show --json' expect_run 0 '*' '' -- "$JERRY" show 7 --json
json_assert 'show --json item' "$tmp/out" \
	'd["id"] == "WORK-007" and d["title"] == "item 7" and d["version"] == 2 and len(d["notes"]) == 1 and d["notes"][0]["text"] == "a note on seven"'
expect_run 3 '' '"code"' -- "$JERRY" show 999 --json
json_assert 'show 999 --json error' "$tmp/err" 'd["error"]["exit"] == 3 and d["error"]["code"] == "not_found"'

# A hand-broken item file.
printf '{"id": "WORK-002",\n  "title": oops\n}\n' >"$JERRY_DATA/items/WORK-002.json"
expect_run 7 '' 'WORK-002\.json.*line [0-9]+.*column [0-9]+' -- "$JERRY" show 2
check_true 'names line 2' grep -q 'line 2' "$tmp/err"
expect_run 7 '' '*' -- "$JERRY" show 2 --json
json_assert 'corrupt --json error has path/line/column' "$tmp/err" \
	'd["error"]["exit"] == 7 and d["error"]["path"].endswith("items/WORK-002.json") and d["error"]["line"] == 2 and isinstance(d["error"]["column"], int)'
expect_run 0 '^WORK-003  item 3$' '' -- "$JERRY" show 3
expect_run 0 'WORK-007' '*' -- "$JERRY" list
check_true 'list still shows the good items' grep -q 'WORK-001' "$tmp/out"
expect_run 0 '=WORK-008' '' -- "$JERRY" create 'still creating'

test_done
