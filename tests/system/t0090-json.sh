#!/bin/bash
# --json everywhere: stdout is exactly one JSON document; on failure stdout
# is empty and stderr is one JSON object whose error.exit is the exit code.
. "$(dirname "$0")/../lib.sh"

# ok_json EXPR CMD...: exit 0, stdout one JSON document satisfying EXPR,
# stderr empty.
ok_json() {
	o_expr=$1
	shift
	expect_run 0 '*' '' -- "$JERRY" --json "$@"
	json_assert "--json $* -> document" "$tmp/out" "$o_expr"
}
# err_json CODE NAME CMD...: exit CODE, stdout empty, stderr one JSON object
# {"error": {"code": NAME, "exit": CODE, "message": ...}}.
err_json() {
	e_c=$1 e_n=$2
	shift 2
	expect_run "$e_c" '' '*' -- "$JERRY" "$@" --json
	json_assert "--json $* -> error $e_n" "$tmp/err" \
		"set(d) == {'error'} and d['error']['code'] == '$e_n' and d['error']['exit'] == $e_c and isinstance(d['error']['message'], str) and len(d['error']['message']) > 0 and ('hint' not in d['error'] or isinstance(d['error']['hint'], str))"
}

err_json 3 not_found list
ok_json 'd["created"] is True' init
ok_json 'd["id"] == "WORK-001" and d["version"] == 1' create one
ok_json 'd["id"] == "WORK-002" and d["type"] == "epic"' create two -t epic -l x -d desc
ok_json 'd["id"] == "WORK-001" and "notes" in d and "description" in d' show 1
ok_json 'isinstance(d, list) and len(d) == 2' list
ok_json 'd == []' list --status done
ok_json 'd["title"] == "uno" and d["version"] == 2' update 1 --title uno
ok_json 'd["status"] == "in_progress"' start 1
ok_json 'd["status"] == "blocked"' block 1 --reason why
ok_json 'd["status"] == "in_progress"' start 1
ok_json 'd["status"] == "done" and d["completed_at"]' done 1
ok_json 'd["status"] == "in_progress" and d["completed_at"] is None' reopen 1
ok_json 'd["status"] == "cancelled"' cancel 2
ok_json 'd["notes"][-1]["text"] == "hello"' note 1 hello
ok_json 'd["ok"] is True and d["items"] == 2 and d["problems"] == []' check
ok_json 'd["ok"] is True' check --repair
ok_json 'd == {"items": 2}' reindex
ok_json 'd["created"] is False' init

err_json 2 invalid show ../../etc/passwd
err_json 2 invalid create ''
err_json 2 invalid list --limit 0
err_json 2 invalid update 1
err_json 2 invalid create x --bogus
err_json 3 not_found show 99
err_json 3 not_found create x --parent 99
err_json 4 conflict update 1 --title t --if-version 1
json_assert 'conflict error has its facts' "$tmp/err" \
	'd["error"]["item"] == "WORK-001" and d["error"]["expected_version"] == 1 and isinstance(d["error"]["current_version"], int)'
err_json 9 refused start 2
json_assert 'refused error has allowed' "$tmp/err" 'd["error"].get("allowed", []) == [] and d["error"]["item"] == "WORK-002"'
err_json 9 refused create sub -t subtask
printf '{"id": oops}\n' >"$JERRY_DATA/items/WORK-003.json"
err_json 7 corrupt show 3
json_assert 'corrupt error has path/line/column' "$tmp/err" \
	'd["error"]["path"].endswith("WORK-003.json") and isinstance(d["error"]["line"], int) and isinstance(d["error"]["column"], int)'
expect_run 7 '*' '' -- "$JERRY" check --json
json_assert 'check with problems: --json report on stdout, exit 7' "$tmp/out" 'd["ok"] is False and len(d["problems"]) >= 1'
rm "$JERRY_DATA/items/WORK-003.json"

# The exit code always equals error.exit.
for args in 'show 0' 'show 12345' 'update 2 --title' 'done 2' 'list --sort nope'; do
	"$JERRY" --json $args >"$tmp/out" 2>"$tmp/err"; rc=$?
	json_assert "exit $rc == error.exit for '$args'" "$tmp/err" "d['error']['exit'] == $rc and $rc != 0"
	check_true "stdout empty for failing '$args'" test ! -s "$tmp/out"
done
test_done
