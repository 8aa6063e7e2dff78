#!/bin/bash
# jerry create: prints the new ID alone; validates every field.
. "$(dirname "$0")/../lib.sh"
jerry_init

expect_run 0 '=WORK-001' '' -- "$JERRY" create 'First item'
expect_run 0 '=WORK-002' '' -- "$JERRY" create 'Second item' -t epic
TEST_DESC='create with every option' expect_run 0 '=WORK-003' '' -- \
	"$JERRY" create 'Full item' -t bug -p high -l ui -l backend -d 'the description' --parent WORK-002 --assignee alice
TEST_DESC='show the full item' expect_run 0 '*' '' -- "$JERRY" show 3 --json
json_assert 'all fields stored' "$tmp/out" \
	'd["title"] == "Full item" and d["type"] == "bug" and d["priority"] == "high" and sorted(d["labels"]) == ["backend", "ui"] and d["description"] == "the description" and d["parent"] == "WORK-002" and d["assignee"] == "alice"'
check_true 'item file exists' test -f "$JERRY_DATA/items/WORK-003.json"

# -d - reads stdin
printf 'line one\nline two\n' >"$tmp/desc"
TEST_DESC='create -d - from stdin' expect_run 0 '=WORK-004' '' -- "$JERRY" create 'From stdin' -d - <"$tmp/desc"
"$JERRY" show 4 --json >"$tmp/show4"
json_assert 'description read from stdin' "$tmp/show4" 'd["description"].rstrip("\n") == "line one\nline two"'

# Defaults
"$JERRY" show 1 --json >"$tmp/show1"
json_assert 'defaults: task, medium, pending, no labels' "$tmp/show1" \
	'd["type"] == "task" and d["priority"] == "medium" and d["status"] == "pending" and d["labels"] == [] and d["assignee"] is None and d["parent"] is None'

# Refusals: exit 2, nothing created
expect_run 2 '' '^jerry: .*' -- "$JERRY" create 'bad type' -t nonsense
expect_run 2 '' '^jerry: .*' -- "$JERRY" create 'bad priority' -p urgent
expect_run 2 '' '^jerry: .*' -- "$JERRY" create ''
expect_run 2 '' '^jerry: .*' -- "$JERRY" create '   '
TEST_DESC='create: control char in title' expect_run 2 '' '^jerry: .*' -- "$JERRY" create "$(printf 'bell\007here')"
TEST_DESC='create: newline in title' expect_run 2 '' '^jerry: .*' -- "$JERRY" create "$(printf 'two\nlines')"
TEST_DESC='create: invalid UTF-8 title' expect_run 2 '' '^jerry: .*' -- "$JERRY" create "$(printf 'bad\377utf8')"
TEST_DESC='create: invalid UTF-8 label' expect_run 2 '' '^jerry: .*' -- "$JERRY" create ok -l "$(printf '\377')"
long=$(head -c 257 /dev/zero | tr '\0' a)
TEST_DESC='create: title of 257 chars' expect_run 2 '' '^jerry: .*' -- "$JERRY" create "$long"
TEST_DESC='create: title of 256 chars is fine' expect_run 0 '=WORK-005' '' -- "$JERRY" create "${long%a}"
TEST_DESC='create: 256 multibyte chars is fine' expect_run 0 '=WORK-006' '' -- "$JERRY" create "$(python3 -c 'print("é" * 256)')"
expect_run 2 '' '^jerry: .*' -- "$JERRY" create
expect_run 2 '' '^jerry: .*' -- "$JERRY" create x --no-such-option
expect_run 2 '' '^jerry: .*' -- "$JERRY" create x -t
check_true 'no item made by any refusal' test "$(ls "$JERRY_DATA/items" | wc -l)" -eq 6

# Parents
expect_run 3 '' "^jerry: .*WORK-999" -- "$JERRY" create orphan --parent 999
expect_run 2 '' '^jerry: .*' -- "$JERRY" create orphan --parent ../x
expect_run 9 '' '^jerry: .*' -- "$JERRY" create lonely -t subtask
expect_run 0 '=WORK-007' '' -- "$JERRY" create Epic -t epic
expect_run 0 '=WORK-008' '' -- "$JERRY" create 'task under epic' --parent WORK-007
expect_run 0 '=WORK-009' '' -- "$JERRY" create 'subtask under task' -t subtask --parent 8
expect_run 9 '' '^jerry: .*' -- "$JERRY" create 'task under subtask' --parent 9
check_true 'refused creates made no file' test ! -e "$JERRY_DATA/items/WORK-010.json"
expect_run 0 '=WORK-010' '' -- "$JERRY" create 'numbers continue'

# --json
TEST_DESC='create --json' expect_run 0 '*' '' -- "$JERRY" create 'json item' --json -l a
json_assert 'create --json item' "$tmp/out" \
	'd["id"] == "WORK-011" and isinstance(d["uid"], str) and d["uid"].isdigit() and d["version"] == 1 and d["status"] == "pending" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", d["created_at"]) is not None and d["labels"] == ["a"] and d["title"] == "json item"'
json_assert 'create --json has updated_at and notes' "$tmp/out" \
	'd["updated_at"] == d["created_at"] and d["notes"] == [] and d["completed_at"] is None'
"$JERRY" list --all --json >"$tmp/all"
json_assert 'uids distinct' "$tmp/all" 'len(set(x["uid"] for x in d)) == len(d) == 11'

test_done
