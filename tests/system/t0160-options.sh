#!/bin/bash
# Repeated options, for every option of every command: never a dropped value.
#
# The commands and their options come from `jerry help` and `jerry CMD --help`,
# so a new option is covered the day it is added.  An option with a value
# either says "(repeatable)" in its help and has a documented meaning when
# given twice (one check per option below, none may be missing), or giving it
# twice is exit 2 naming it.  A flag may be given twice (it means the same).
. "$(dirname "$0")/../lib.sh"

# "--name VALUE-OR-EMPTY repeatable-or-once" for each option line of a help text.
options_of() {
	awk '/^  +(-[a-zA-Z], )?--[a-z]/ {
		i = ($1 ~ /^--/) ? 1 : 2
		name = $i
		arg = ($(i + 1) ~ /^[A-Z]/) ? $(i + 1) : "-"
		print name, arg, (/\(repeatable\)$/ ? "repeat" : "once")
	}'
}

commands=$("$JERRY" help | awk '/^Commands:/ { on = 1; next } on && /^$/ { on = 0 } on { print $1 }')
check_true 'jerry help lists commands' test -n "$commands"

# ---- the documented meaning of each repeatable option ----------------------------------

ids() { python3 -c 'import json,sys; print(" ".join(i["id"] for i in json.load(open(sys.argv[1]))))' "$tmp/out"; }

# A store for the filters: numbers in the comments.
fresh_store() {
	rm -rf "$tmp/.jerry"
	"$JERRY" init >/dev/null
	"$JERRY" create 'front' -t task -l frontend -p high >/dev/null          # 1
	"$JERRY" create 'both' -t task -l frontend -l api -p low >/dev/null     # 2
	"$JERRY" create 'api bug' -t bug -l api --assignee ann >/dev/null       # 3
	"$JERRY" create 'spike' -t spike --assignee bob -p critical >/dev/null  # 4
	"$JERRY" create 'story' -t story >/dev/null                             # 5
	"$JERRY" create 'child of 1' -t subtask --parent 1 >/dev/null           # 6
	"$JERRY" create 'child of 5' -t task --parent 5 >/dev/null              # 7
	"$JERRY" create 'done one' >/dev/null                                   # 8
	"$JERRY" create 'cancelled one' >/dev/null                              # 9
	"$JERRY" start 8 >/dev/null && "$JERRY" done 8 >/dev/null
	"$JERRY" cancel 9 >/dev/null
	"$JERRY" list --all | grep -q '^WORK-009  *cancelled' || test_fail 'the test store' 'not made'
}

# expect_ids NAME "IDS" -- jerry ARGS: the command succeeds and lists exactly IDS.
expect_ids() {
	local name=$1 want=$2
	shift 3
	TEST_DESC="$name" expect_run 0 '*' '' -- "$JERRY" --json "$@"
	check_true "$name: $want" test "$(ids)" = "$want"
}

# expect_export NAME "IDS" -- ARGS: jerry export ARGS writes exactly the items IDS.
expect_export() {
	local name=$1 want=$2
	shift 3
	TEST_DESC="$name" expect_run 0 '*' '' -- "$JERRY" export "$@"
	check_true "$name: $want" test "$(python3 -c 'import json,sys
print(" ".join(json.loads(l)["id"] for l in open(sys.argv[1]).readlines()[1:]))' "$tmp/out")" = "$want"
}

repeat_check() {
	case "$1 $2" in
	'export --status')
		expect_export 'export -s done -s cancelled: any of' 'WORK-008 WORK-009' -- -s done -s cancelled ;;
	'export --type')
		expect_export 'export -t bug -t spike: any of' 'WORK-003 WORK-004' -- -t bug -t spike ;;
	'export --label')
		expect_export 'export -l frontend -l api: all of' 'WORK-002' -- -l frontend -l api ;;
	'export --assignee')
		expect_export 'export --assignee ann --assignee bob: any of' 'WORK-003 WORK-004' -- \
			--assignee ann --assignee bob ;;
	'export --priority')
		expect_export 'export -p critical -p low: any of' 'WORK-002 WORK-004' -- -p critical -p low ;;
	'export --parent')
		expect_export 'export --parent 1 --parent 5: any of' 'WORK-006 WORK-007' -- \
			--parent 1 --parent 5 ;;
	'create --label')
		expect_run 0 '*' '' -- "$JERRY" --json create t -l one -l two
		json_assert 'create -l -l keeps both labels' "$tmp/out" 'd["labels"] == ["one", "two"]' ;;
	'list --status')
		expect_ids 'list --status done --status cancelled: any of' 'WORK-008 WORK-009' -- \
			list --status done --status cancelled ;;
	'list --type')
		expect_ids 'list -t bug -t spike: any of' 'WORK-003 WORK-004' -- list -t bug -t spike
		expect_ids 'list -t bug,spike: the same' 'WORK-003 WORK-004' -- list -t bug,spike ;;
	'list --label')
		expect_ids 'list -l frontend -l api: all of' 'WORK-002' -- list -l frontend -l api
		expect_ids 'list -l frontend,api: the same' 'WORK-002' -- list -l frontend,api
		expect_ids 'list -l frontend -l api --any-label: any of' 'WORK-001 WORK-002 WORK-003' -- \
			list -l frontend -l api --any-label ;;
	'list --assignee')
		expect_ids 'list --assignee ann --assignee bob: any of' 'WORK-003 WORK-004' -- \
			list --assignee ann --assignee bob ;;
	'list --priority')
		expect_ids 'list -p critical -p low: any of' 'WORK-002 WORK-004' -- list -p critical -p low ;;
	'list --parent')
		expect_ids 'list --parent 1 --parent 5: any of' 'WORK-006 WORK-007' -- \
			list --parent 1 --parent 5 ;;
	'ready --type')
		# 1 and 5 have open children: --containers lets them count here.
		expect_ids 'ready -t bug -t story: any of' 'WORK-003 WORK-005' -- \
			ready -t bug -t story --containers ;;
	'ready --label')
		expect_ids 'ready -l frontend -l api: all of' 'WORK-002' -- ready -l frontend -l api
		expect_ids 'ready -l api -l frontend --any-label: any of, best first' \
			'WORK-001 WORK-003 WORK-002' -- ready -l api -l frontend --any-label --containers ;;
	'claim --type')
		# The best ready item is the critical spike; of the bug and the story, the bug is older.
		# The bug is ann's: --any lets claim --next take it.
		TEST_DESC='claim --next -t bug -t story' expect_run 0 '*' '' -- \
			"$JERRY" --json claim --next --any -t bug -t story
		json_assert 'claim --next -t bug -t story: any of' "$tmp/out" 'd["id"] == "WORK-003"' ;;
	'claim --label')
		# WORK-001 (high) has frontend only; WORK-002 (low) has both.
		TEST_DESC='claim --next -l api -l frontend' expect_run 0 '*' '' -- \
			"$JERRY" --json claim --next -l api -l frontend
		json_assert 'claim --next -l api -l frontend: all of' "$tmp/out" 'd["id"] == "WORK-002"' ;;
	'ready --assignee')
		expect_ids 'ready --assignee ann --assignee bob: any of, best first' 'WORK-004 WORK-003' -- \
			ready --assignee ann --assignee bob
		expect_ids 'ready --assignee ann --unassigned --containers: any of' 'WORK-001 WORK-003 WORK-005 WORK-006 WORK-007 WORK-002' -- \
			ready --assignee ann --unassigned --containers ;;
	'claim --skip')
		# Best first: 4 (critical, bob's), 1 (high), then 3 (medium, oldest).
		TEST_DESC='claim --next --any --skip 4 --skip 1' expect_run 0 '*' '' -- \
			"$JERRY" --json claim --next --any --skip 4 --skip 1
		json_assert 'claim --next --skip --skip: none of them' "$tmp/out" 'd["id"] == "WORK-003"' ;;
	'dep --on')
		expect_run 0 '*' '' -- "$JERRY" --json dep add 1 --on 3 --on 4
		json_assert 'dep add --on --on adds both' "$tmp/out" 'd["depends_on"] == ["WORK-003", "WORK-004"] and d["version"] == 2'
		TEST_DESC='dep add --on --on: one closing a cycle refuses all' expect_run 9 '' '^jerry: .*cycle' -- \
			"$JERRY" dep add 4 --on 2 --on 1
		expect_run 0 '*' '' -- "$JERRY" --json show 4
		json_assert 'nothing added by the refused dep add' "$tmp/out" 'd["depends_on"] == [] and d["version"] == 1'
		TEST_DESC='dep add --on --on: an unknown one refuses all' expect_run 3 '' '^jerry: ' -- \
			"$JERRY" dep add 2 --on 3 --on 99
		expect_run 0 '*' '' -- "$JERRY" --json dep rm 1 --on 3 --on 4
		json_assert 'dep rm --on --on removes both' "$tmp/out" 'd["depends_on"] == []' ;;
	'update --add-label')
		expect_run 0 '*' '' -- "$JERRY" --json update 5 --add-label x --add-label y
		json_assert 'update --add-label twice adds both' "$tmp/out" 'd["labels"] == ["x", "y"]' ;;
	'update --remove-label')
		expect_run 0 '*' '' -- "$JERRY" --json update 2 --remove-label api --remove-label frontend
		json_assert 'update --remove-label twice removes both' "$tmp/out" 'd["labels"] == []' ;;
	'log --by')
		JERRY_INSTANCE=zoe "$JERRY" note 1 'by zoe' >/dev/null
		JERRY_INSTANCE=yan "$JERRY" note 2 'by yan' >/dev/null
		expect_ids 'log --by zoe --by yan: any of, newest first' 'WORK-002 WORK-001' -- \
			log --by zoe --by yan ;;
	'log --item')
		expect_ids 'log --item 3 --item 4: any of, newest first' 'WORK-004 WORK-003' -- \
			log --item 3 --item 4 ;;
	*)
		test_fail "jerry $1 $2" 'repeatable, but this test knows no meaning for it: add one' ;;
	esac
}

# ---- walk every command's options ---------------------------------------------------

seen_repeat=0
for cmd in $commands; do
	[ "$cmd" = help ] && continue
	"$JERRY" "$cmd" --help | options_of >"$tmp/opts"
	while read -r name arg kind; do
		if [ "$arg" = - ] && [ "$cmd" = serve ]; then
			# The board runs until stopped: a second is enough to parse its
			# options (port 0: any free one; no browser opened).
			TEST_CMD_TIMEOUT=1 BROWSER=true TEST_DESC="jerry serve $name $name (a flag)" \
				expect_run '*' '*' '!given twice' -- "$JERRY" serve --port 0 "$name" "$name"
		elif [ "$arg" = - ]; then
			TEST_DESC="jerry $cmd $name $name (a flag)" expect_run '*' '*' '!given twice' -- \
				"$JERRY" "$cmd" "$name" "$name"
		elif [ "$kind" = once ]; then
			TEST_DESC="jerry $cmd $name twice" expect_run 2 '' "^jerry: option '$name' given twice" -- \
				"$JERRY" "$cmd" "$name" x "$name" y
		else
			seen_repeat=$((seen_repeat + 1))
			fresh_store
			repeat_check "$cmd" "$name"
		fi
	done <"$tmp/opts"
done </dev/null
check_true 'some options are repeatable' test "$seen_repeat" -gt 0

# The global options with a value: given twice, before or after the command.
"$JERRY" help | awk '/^Global options/ { on = 1; next } on && /^$/ { on = 0 } on' | options_of >"$tmp/opts"
while read -r name arg kind; do
	[ "$arg" = - ] && continue
	TEST_DESC="jerry $name twice" expect_run 2 '' "^jerry: option '$name' given twice" -- \
		"$JERRY" "$name" 1 list "$name" 2
done <"$tmp/opts"

# The same rule whichever spelling: -t twice, -tx -t y, --type=x.
TEST_DESC='create -t x -t y' expect_run 2 '' "^jerry: option '--type' given twice" -- \
	"$JERRY" create t -t task -tbug
TEST_DESC='update --title=a --title b' expect_run 2 '' "^jerry: option '--title' given twice" -- \
	"$JERRY" update 1 --title=a --title b
TEST_DESC='given twice, with --json' expect_run 2 '' '*' -- "$JERRY" --json list --limit 1 -n 2
json_assert 'given twice --json names it' "$tmp/err" 'd["error"]["exit"] == 2 and "--limit" in d["error"]["message"]'
TEST_DESC='--any-label alone' expect_run 2 '' '^jerry: --any-label goes with --label' -- "$JERRY" list --any-label
test_done
