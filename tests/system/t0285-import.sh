#!/bin/bash
# jerry import: a jerry export round trip, and real files of other trackers
# (a Taskwarrior export made by Debian's `task` here, a beads JSONL, a
# Backlog.md folder and a `gh issue list --json` sample written as those
# tools document them); re-import updates instead of duplicating; links the
# rules refuse are reported, not fatal; bad input changes nothing.
. "$(dirname "$0")/../lib.sh"
jerry_init
D=$JERRY_DATA
J=$JERRY

# A source store with a hierarchy, dependencies, notes, a done item.
src=$tmp/src
JERRY_DATA=$src "$J" init >/dev/null
(
	export JERRY_DATA=$src
	"$J" create 'the epic' -t epic -p high >/dev/null                       # 1
	"$J" create 'a story' -t story --parent 1 -l ui >/dev/null               # 2
	"$J" create 'a task' --parent 2 -d 'with a description' >/dev/null       # 3
	"$J" create 'a bug' -t bug --assignee ann >/dev/null                     # 4
	"$J" dep add 3 --on 4 >/dev/null
	"$J" note 3 'a note' >/dev/null
	"$J" start 4 >/dev/null && "$J" done 4 --reason fixed >/dev/null
	"$J" export --all --history -o "$tmp/src.jsonl" >/dev/null
)

# Round trip: export -> import into an empty store -> export: the same
# items (the store's own uid, version, updated_* and external_ref aside).
expect_run 0 '^imported from jerry: 4 created, 0 updated, 0 unchanged$' '' -- "$J" import "$tmp/src.jsonl"
"$J" export --all -o "$tmp/dst.jsonl" >/dev/null
same_items() {
	python3 - "$1" "$2" <<'PY'
import json, sys
def items(p):
    out = []
    for l in open(p).readlines()[1:]:
        d = json.loads(l)
        for k in ("uid", "version", "updated_at", "updated_by", "external_ref", "history"):
            d.pop(k, None)
        out.append(d)
    return out
a, b = items(sys.argv[1]), items(sys.argv[2])
if a != b:
    for x, y in zip(a, b):
        if x != y:
            print("differs:", x, y)
    sys.exit(1)
PY
}
check_true 'round trip: export, import, export gives the same items' same_items "$tmp/src.jsonl" "$tmp/dst.jsonl"
expect_run 0 '*' '' -- "$J" --json show 3
json_assert 'round trip: parent and dependency on the new numbers, external_ref kept' "$tmp/out" \
	'd["parent"] == "WORK-002" and d["depends_on"] == ["WORK-004"] and d["external_ref"].startswith("jerry:")'

# Again: nothing is duplicated, nothing changes.
before=$(tree_sum "$D")
expect_run 0 '^imported from jerry: 0 created, 0 updated, 4 unchanged$' '' -- "$J" import "$tmp/src.jsonl"
check_true 'importing the same file again changes nothing' test "$before" = "$(tree_sum "$D")"
expect_run 0 '*' '' -- "$J" check
# A changed source updates the item it made.
sed 's/"title":"a bug"/"title":"a bug, renamed"/' "$tmp/src.jsonl" >"$tmp/src2.jsonl"
expect_run 0 '^update  *WORK-004 ' '' -- "$J" import "$tmp/src2.jsonl"
expect_run 0 '^WORK-004  a bug, renamed$' '' -- sh -c "'$J' show 4 | head -1"

# --dry-run: what would happen, nothing written.
sed 's/"title":"a task"/"title":"a task, renamed"/' "$tmp/src2.jsonl" >"$tmp/src3.jsonl"
before=$(tree_sum "$D")
expect_run 0 '^dry run, nothing written: would create 0, update 1, leave 3 unchanged \(from jerry\)$' '' -- \
	"$J" import --dry-run "$tmp/src3.jsonl"
check_true '--dry-run: the changed item is update' grep -qE '^update +WORK-003 ' "$tmp/out"
check_true '--dry-run: the others are unchanged' test "$(grep -cE '^unchanged +WORK-00[124] ' "$tmp/out")" = 3
expect_run 0 '*' '' -- "$J" --json import --dry-run "$tmp/src3.jsonl"
json_assert '--dry-run --json: unchanged counted apart' "$tmp/out" \
	'd["dry_run"] and (d["created"], d["updated"], d["unchanged"]) == (0, 1, 3) and [i["action"] for i in d["items"]].count("unchanged") == 3'
check_true '--dry-run writes nothing' test "$before" = "$(tree_sum "$D")"

# ---- Taskwarrior: a real export by Debian's task ------------------------------------
if command -v task >/dev/null; then
	export TASKRC=$tmp/taskrc TASKDATA=$tmp/taskdata
	: >"$TASKRC"
	tw() { task rc.confirmation=off rc.verbose=nothing "$@" >/dev/null 2>&1; }
	tw add 'Write the parser' project:jerry priority:H +core
	tw add 'Test it' depends:1 +test
	tw 1 annotate 'first note'
	tw add 'Finished one'
	tw 3 done
	task rc.verbose=nothing export >"$tmp/task.json" 2>/dev/null
	expect_run 0 'imported from taskwarrior: 3 created' '' -- "$J" import "$tmp/task.json"
	expect_run 0 '*' '' -- "$J" --json list --all --label core
	json_assert 'taskwarrior: project and tags as labels, H as high' "$tmp/out" \
		'len(d) == 1 and d[0]["labels"] == ["core", "jerry"] and d[0]["priority"] == "high"'
	expect_run 0 '*' '' -- "$J" --json list --all --label test
	json_assert 'taskwarrior: depends on the new number' "$tmp/out" \
		'len(d) == 1 and len(d[0]["depends_on"]) == 1'
	expect_run 0 '*' '' -- "$J" --json list --status done
	json_assert 'taskwarrior: completed is done' "$tmp/out" \
		'[i["title"] for i in d if i["external_ref"] and "-" in i["external_ref"]] == ["Finished one"]'
	expect_run 0 ' 0 created, 0 updated, 3 unchanged$' '' -- "$J" import "$tmp/task.json"
else
	test_fail 'taskwarrior' 'task is not installed (scripts/deps.sh test lists it)'
fi

# ---- beads: .beads/issues.jsonl ----------------------------------------------------
cat >"$tmp/issues.jsonl" <<'EOF2'
{"id":"bd-a1","title":"Epic of beads","description":"big","status":"open","priority":1,"issue_type":"epic","created_at":"2026-01-02T10:00:00.123456-07:00","updated_at":"2026-01-02T10:00:00Z"}
{"id":"bd-a2","title":"Deferred chore","status":"deferred","priority":4,"issue_type":"chore","labels":["ops"],"assignee":"bob","design":"kept under ext","dependencies":[{"issue_id":"bd-a2","depends_on_id":"bd-a1","type":"parent-child"},{"issue_id":"bd-a2","depends_on_id":"bd-a3","type":"blocks"},{"issue_id":"bd-a2","depends_on_id":"bd-a3","type":"related"}],"created_at":"2026-01-03T00:00:00Z","updated_at":"2026-01-03T00:00:00Z"}
{"id":"bd-a3","title":"Closed bug","status":"closed","priority":0,"issue_type":"bug","close_reason":"fixed it","comments":[{"id":1,"issue_id":"bd-a3","author":"carl","text":"looked","created_at":"2026-01-04T00:00:00Z"}],"created_at":"2026-01-03T00:00:00Z","updated_at":"2026-01-05T00:00:00Z","closed_at":"2026-01-05T00:00:00Z"}
EOF2
expect_run 0 'imported from beads: 3 created' '' -- "$J" import "$tmp/issues.jsonl"
expect_run 0 '*' '' -- "$J" --json search 'Deferred chore'
json_assert 'beads: deferred and chore as labels, priority 4 low, parent and blocks rebuilt, design under ext' "$tmp/out" \
	'len(d) == 1 and d[0]["status"] == "pending" and d[0]["type"] == "task" and d[0]["priority"] == "low" and d[0]["labels"] == ["backlog", "chore", "deferred", "ops"] and d[0]["assignee"] == "bob" and d[0]["ext"]["design"] == "kept under ext" and d[0]["parent"] is not None and len(d[0]["depends_on"]) == 1'
expect_run 0 '*' '' -- "$J" --json search 'Closed bug' --all
json_assert 'beads: closed is done; comments and close reason as notes; offset times in UTC' "$tmp/out" \
	'd[0]["status"] == "done" and d[0]["priority"] == "critical" and [n["text"] for n in d[0]["notes"]] == ["looked", "done: fixed it"] and d[0]["completed_at"] == "2026-01-05T00:00:00.000Z"'
expect_run 0 '*' '' -- "$J" --json search 'Epic of beads'
json_assert 'beads: a time with an offset is read in UTC' "$tmp/out" 'd[0]["created_at"] == "2026-01-02T17:00:00.123Z"'

# ---- gh issue list --json number,title,body,state,stateReason,labels,assignees,createdAt,closedAt,comments
cat >"$tmp/gh.json" <<'EOF2'
[{"number":12,"title":"Crash on start","body":"It crashes.","state":"OPEN","stateReason":"","labels":[{"id":"L1","name":"bug","description":"","color":"d73a4a"},{"id":"L2","name":"good first issue","description":"","color":"7057ff"}],"assignees":[{"id":"U1","login":"octocat","name":"The Octocat"},{"id":"U2","login":"hubot","name":""}],"createdAt":"2026-02-01T08:00:00Z","closedAt":null,"comments":[{"id":"C1","author":{"login":"hubot"},"authorAssociation":"MEMBER","body":"Seen it too.","createdAt":"2026-02-02T08:00:00Z","includesCreatedEdit":false,"reactionGroups":[],"url":"https://example.invalid/c1","viewerDidAuthor":false}]},
 {"number":13,"title":"Won't do","body":"","state":"CLOSED","stateReason":"NOT_PLANNED","labels":[],"assignees":[],"createdAt":"2026-02-01T09:00:00Z","closedAt":"2026-02-03T09:00:00Z","comments":[]},
 {"number":14,"title":"Done it","body":"","state":"CLOSED","stateReason":"COMPLETED","labels":[],"assignees":[],"createdAt":"2026-02-01T10:00:00Z","closedAt":"2026-02-04T10:00:00Z","comments":[]}]
EOF2
expect_run 0 'imported from github: 3 created' '' -- "$J" import "$tmp/gh.json"
expect_run 0 '*' '' -- "$J" --json search 'Crash on start'
json_assert 'github: labels made valid, first assignee, comment as a note, gh-N as external_ref' "$tmp/out" \
	'd[0]["external_ref"] == "gh-12" and d[0]["labels"] == ["bug", "good-first-issue"] and d[0]["assignee"] == "octocat" and d[0]["notes"][0]["by"] == "hubot" and d[0]["ext"]["assignees"][1]["login"] == "hubot"'
expect_run 0 '*' '' -- "$J" --json list --all --status cancelled,done
json_assert 'github: NOT_PLANNED is cancelled, other closed is done' "$tmp/out" \
	'{i["external_ref"]: i["status"] for i in d if (i.get("external_ref") or "").startswith("gh-")} == {"gh-13": "cancelled", "gh-14": "done"}'

# ---- Backlog.md: backlog/tasks/ --------------------------------------------------------
mkdir -p "$tmp/backlog/tasks"
cat >"$tmp/backlog/tasks/task-1 - Set-up.md" <<'EOF2'
---
id: task-1
title: Set up the project
status: Done
assignee: ['@alice']
created_date: '2026-03-01 10:00'
labels: [setup, meta]
dependencies: []
priority: high
milestone: M0
---

## Description

Make the folders.
EOF2
cat >"$tmp/backlog/tasks/task-2 - Child.md" <<'EOF2'
---
id: task-2
title: A child task
status: In Progress
assignee:
  - '@bob'
  - '@carol'
created_date: '2026-03-02'
labels:
  - core
dependencies:
  - task-1
parent_task_id: task-1
---

## Description

Do the thing.
EOF2
expect_run 0 'imported from backlog: 2 created' '' -- "$J" import "$tmp/backlog/tasks"
expect_run 0 '*' '' -- "$J" --json search 'A child task' --all
json_assert 'backlog: front matter and body; second assignee and milestone kept' "$tmp/out" \
	'd[0]["status"] == "in_progress" and d[0]["type"] == "subtask" and d[0]["assignee"] == "@bob" and d[0]["labels"] == ["core"] and len(d[0]["depends_on"]) == 1 and d[0]["parent"] is not None and d[0]["description"].startswith("## Description")'
expect_run 0 '*' '' -- "$J" --json search 'Set up the project' --all
json_assert 'backlog: Done, high, milestone under ext, date read' "$tmp/out" \
	'd[0]["status"] == "done" and d[0]["priority"] == "high" and d[0]["ext"]["milestone"] == "M0" and d[0]["created_at"] == "2026-03-01T10:00:00.000Z"'

# ---- links the rules refuse: reported, the items imported -------------------------------
cat >"$tmp/links.jsonl" <<'EOF2'
{"id":"bd-l1","title":"one","status":"open","priority":2,"issue_type":"task","dependencies":[{"issue_id":"bd-l1","depends_on_id":"bd-l2","type":"blocks"}]}
{"id":"bd-l2","title":"two","status":"open","priority":2,"issue_type":"task","dependencies":[{"issue_id":"bd-l2","depends_on_id":"bd-l1","type":"blocks"},{"issue_id":"bd-l2","depends_on_id":"bd-nope","type":"blocks"}]}
{"id":"bd-l3","title":"an epic under a task","status":"open","priority":2,"issue_type":"epic","dependencies":[{"issue_id":"bd-l3","depends_on_id":"bd-l1","type":"parent-child"}]}
EOF2
expect_run 0 'imported from beads: 3 created' '' -- "$J" import "$tmp/links.jsonl"
check_true 'a cycle is reported' grep -q "dependency on 'bd-l1' .*would close a cycle" "$tmp/out"
check_true 'a missing item is reported' grep -q "dependency on 'bd-nope': no such item" "$tmp/out"
check_true 'a parent the type rules refuse is reported' grep -q "parent 'bd-l1': a epic cannot be under a task" "$tmp/out"
expect_run 0 '*' '' -- "$J" check

# ---- bad input: a clear error with the line, nothing changed ---------------------------
before=$(tree_sum "$D")
expect_run 2 '' "^jerry: .*gh.json: element 1: .*--from" -- "$J" import --from beads "$tmp/gh.json"
head -c 300 "$tmp/issues.jsonl" >"$tmp/cut.jsonl"
expect_run 2 '' "^jerry: .*cut.jsonl: line 2: .*cut short" -- "$J" import "$tmp/cut.jsonl"
{ head -1 "$tmp/issues.jsonl"; printf '{"id":"bd-x","title":"bad \xff utf-8","status":"open","priority":1,"issue_type":"task"}\n'; } >"$tmp/utf8.jsonl"
expect_run 2 '' "^jerry: .*utf8.jsonl: line 2: not valid UTF-8" -- "$J" import "$tmp/utf8.jsonl"
{ head -1 "$tmp/issues.jsonl"; head -2 "$tmp/issues.jsonl" | tail -1; head -2 "$tmp/issues.jsonl" | tail -1 | sed 's/Deferred chore/again/'; } >"$tmp/dup.jsonl"
expect_run 2 '' "^jerry: .*dup.jsonl: line 3: the ID 'bd-a2' is there twice \(line 2 too\)" -- "$J" import "$tmp/dup.jsonl"
# A JSON array names the element (pretty-printed, its line would be another
# number); a Backlog.md folder names the task's file.
python3 -c 'import json; print(json.dumps([{"number": 1, "title": "a", "state": "OPEN"}, {"number": 2, "title": "", "state": "OPEN"}], indent=2))' >"$tmp/notitle.json"
expect_run 2 '' "^jerry: .*notitle.json: element 2: 'gh-2' has no title" -- "$J" import "$tmp/notitle.json"
python3 -c 'import json; print(json.dumps([{"number": 1, "title": "a", "state": "OPEN"}, {"number": 3, "title": "b", "state": "OPEN"}, {"number": 1, "title": "c", "state": "OPEN"}], indent=2))' >"$tmp/twice.json"
expect_run 2 '' "^jerry: .*twice.json: element 3: the ID 'gh-1' is there twice \(element 1 too\)" -- "$J" import "$tmp/twice.json"
mkdir -p "$tmp/blbad"
printf -- '---\nid: task-1\ntitle: A\n---\n' >"$tmp/blbad/task-1.md"
printf -- '---\nid: task-3\ntitle: ""\n---\n' >"$tmp/blbad/task-3.md"
expect_run 2 '' "^jerry: .*blbad/task-3.md: 'task-3' has no title" -- "$J" import "$tmp/blbad"
printf -- '---\nid: task-1\ntitle: B\n---\n' >"$tmp/blbad/task-3.md"
expect_run 2 '' "^jerry: .*blbad/task-3.md: the ID 'task-1' is there twice \(.*blbad/task-1.md too\)" -- "$J" import "$tmp/blbad"
python3 -c '
import sys
sys.stdout.write(open(sys.argv[1]).readline())
sys.stdout.write("{\"id\":\"bd-big\",\"title\":\"" + "x" * (50 * 1024 * 1024) + "\"}\n")' "$tmp/issues.jsonl" >"$tmp/big.jsonl"
expect_run 2 '' "^jerry: .*big.jsonl: line 2: the line is longer than 32 MiB" -- "$J" import "$tmp/big.jsonl"
rm -f "$tmp/big.jsonl"
printf '[\n {"number": 1, "title": "a", "state": "OPEN"},\n {"number": 99999999999999999999, "title": "b", "state": "OPEN"}\n]\n' >"$tmp/bignum.json"
expect_run 2 '' "^jerry: .*bignum.json: line 3: a number too big for jerry" -- "$J" import "$tmp/bignum.json"
printf 'just some text\n' >"$tmp/text.txt"
expect_run 2 '' "^jerry: .*text.txt: line 1: not valid JSON" -- "$J" import "$tmp/text.txt"
expect_run 3 '' "^jerry: cannot open '$tmp/none.json'" -- "$J" import "$tmp/none.json"
expect_run 2 '' "^jerry: unknown format 'trello'" -- "$J" import --from trello "$tmp/gh.json"
check_true 'bad input changed nothing' test "$before" = "$(tree_sum "$D")"

test_done
