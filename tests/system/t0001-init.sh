#!/bin/bash
# jerry init: creates the store, is idempotent, honours JERRY_PROJECT; every
# other command finds the store walking up, and says "jerry init" without one.
. "$(dirname "$0")/../lib.sh"

# In the current directory (no JERRY_DATA): .jerry/data appears.
mkdir w && cd w
TEST_DESC='init in cwd' expect_run 0 "^initialized jerry store in .*/w/\.jerry/data$" '' -- env -u JERRY_DATA "$JERRY" init
check_true 'init made items/' test -d .jerry/data/items
check_true 'init made index.json' test -f .jerry/data/index.json
check_true 'init made sequences.json' test -f .jerry/data/sequences.json
TEST_DESC='init twice is harmless' expect_run 0 "^jerry store already exists in .*/w/\.jerry/data$" '' -- env -u JERRY_DATA "$JERRY" init
check_true 'still exactly the init files' test -d .jerry/data/items -a -f .jerry/data/index.json
TEST_DESC='store usable after second init' expect_run 0 '=WORK-001' '' -- env -u JERRY_DATA "$JERRY" create first
TEST_DESC='third init keeps items' expect_run 0 'already exists' '' -- env -u JERRY_DATA "$JERRY" init
check_true 'item survives init' test -f .jerry/data/items/WORK-001.json

# Walking up from a subdirectory.
mkdir -p a/b/c
cd a/b/c
TEST_DESC='create from a subdirectory' expect_run 0 '=WORK-002' '' -- env -u JERRY_DATA "$JERRY" create second
TEST_DESC='list from a subdirectory' expect_run 0 'WORK-002' '' -- env -u JERRY_DATA "$JERRY" list
check_true 'item landed in the ancestor store' test -f "$tmp/w/.jerry/data/items/WORK-002.json"
check_true 'no store made in the subdirectory' test ! -e .jerry
cd "$tmp"

# init --json
mkdir j && cd j
TEST_DESC='init --json' expect_run 0 '*' '' -- env -u JERRY_DATA "$JERRY" init --json
json_assert 'init --json created true' "$tmp/out" 'd["created"] is True and d["dir"].endswith("/j/.jerry/data")'
TEST_DESC='init --json again' expect_run 0 '*' '' -- env -u JERRY_DATA "$JERRY" init --json
json_assert 'init --json created false' "$tmp/out" 'd["created"] is False and d["dir"].endswith("/j/.jerry/data")'
TEST_DESC='--json before the command' expect_run 0 '*' '' -- env -u JERRY_DATA "$JERRY" --json init
json_assert 'global --json before init' "$tmp/out" 'd["created"] is False'
cd "$tmp"

# JERRY_PROJECT
mkdir pr && cd pr
TEST_DESC='init with JERRY_PROJECT' expect_run 0 'projects/p/\.jerry/data' '' -- env -u JERRY_DATA JERRY_PROJECT=p "$JERRY" init
check_true 'projects/p/.jerry/data/items exists' test -d projects/p/.jerry/data/items
check_true 'no plain .jerry made' test ! -e .jerry
mkdir -p deep/er
TEST_DESC='project store found walking up' expect_run 0 '=WORK-001' '' -- sh -c 'cd deep/er && env -u JERRY_DATA JERRY_PROJECT=p "$JERRY" create inproject'
check_true 'project item in its store' test -f projects/p/.jerry/data/items/WORK-001.json
TEST_DESC='other project has no store' expect_run 3 '' 'jerry init' -- env -u JERRY_DATA JERRY_PROJECT=q "$JERRY" list
cd "$tmp"

# --data DIR
TEST_DESC='init --data DIR' expect_run 0 "^initialized jerry store in $tmp/dd$" '' -- "$JERRY" --data "$tmp/dd" init
check_true '--data made items/' test -d "$tmp/dd/items"
TEST_DESC='--data overrides JERRY_DATA' expect_run 0 '=WORK-001' '' -- "$JERRY" create viadata --data "$tmp/dd"
check_true '--data item is in dd' test -f "$tmp/dd/items/WORK-001.json"

# No store anywhere.
mkdir -p nostore/x
TEST_DESC='no store: list' expect_run 3 '' 'jerry init' -- sh -c 'cd nostore/x && env -u JERRY_DATA "$JERRY" list'
TEST_DESC='no store: create' expect_run 3 '' 'jerry init' -- sh -c 'cd nostore/x && env -u JERRY_DATA "$JERRY" create x'
check_true 'failed create made no store' test ! -e nostore/x/.jerry -a ! -e nostore/.jerry
TEST_DESC='no store: JERRY_DATA missing dir' expect_run 3 '' 'jerry init' -- env JERRY_DATA="$tmp/missing" "$JERRY" show 1
TEST_DESC='no store --json' expect_run 3 '' '"exit": *3' -- env JERRY_DATA="$tmp/missing" "$JERRY" list --json
json_assert 'no store --json error object' "$tmp/err" 'd["error"]["exit"] == 3 and "jerry init" in d["error"]["message"] + d["error"].get("hint", "")'

test_done
