#!/bin/bash
# jerry note: append-only notes with at/by/text.
. "$(dirname "$0")/../lib.sh"
jerry_init
"$JERRY" create 'noted' >/dev/null

expect_run 0 '=WORK-001 pending (version 2)' '' -- env JERRY_INSTANCE=agent-7 "$JERRY" note 1 'first note'
expect_run 0 '=WORK-001 pending (version 3)' '' -- env JERRY_INSTANCE=agent-8 "$JERRY" note WORK-001 'second note'
printf 'from\nstdin\n' >"$tmp/n"
expect_run 0 '=WORK-001 pending (version 4)' '' -- "$JERRY" note 1 - <"$tmp/n"
"$JERRY" show 1 --json >"$tmp/item"
json_assert 'notes appended in order' "$tmp/item" \
	'[n["text"].rstrip("\n") for n in d["notes"]] == ["first note", "second note", "from\nstdin"]'
json_assert 'JERRY_INSTANCE sets by' "$tmp/item" 'd["notes"][0]["by"] == "agent-7" and d["notes"][1]["by"] == "agent-8"'
json_assert 'default by is user@host:pid' "$tmp/item" 're.fullmatch(r".+@.+:\d+", d["notes"][2]["by"]) is not None'
json_assert 'note at is RFC3339 ms' "$tmp/item" \
	'all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", n["at"]) for n in d["notes"])'
expect_run 0 'second note' '' -- "$JERRY" show 1
expect_run 0 '*' '' -- "$JERRY" note 1 'json note' --json
json_assert 'note --json item' "$tmp/out" 'd["version"] == 5 and d["notes"][-1]["text"] == "json note"'

expect_run 2 '' '^jerry: ' -- "$JERRY" note 1 ''
printf '' >"$tmp/empty"
expect_run 2 '' '^jerry: ' -- "$JERRY" note 1 - <"$tmp/empty"
expect_run 2 '' '^jerry: ' -- "$JERRY" note 1
expect_run 2 '' '^jerry: ' -- "$JERRY" note
expect_run 2 '' '^jerry: ' -- "$JERRY" note 1 "$(printf 'bad\377')"
expect_run 3 '' '^jerry: .*WORK-009' -- "$JERRY" note 9 'nowhere'
"$JERRY" show 1 --json >"$tmp/item"
json_assert 'refusals wrote nothing' "$tmp/item" 'd["version"] == 5 and len(d["notes"]) == 4'

test_done
