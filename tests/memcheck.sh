#!/usr/bin/env bash
# memcheck.sh JERRY - every command once under valgrind: no invalid access,
# no leak ("definite" or "possible"), no fd left open that we opened.
set -uo pipefail
jerry=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
command -v valgrind >/dev/null || { echo "memcheck: valgrind missing (sh scripts/deps.sh test)"; echo "memcheck: 0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export JERRY_DATA=$tmp/.jerry/data JERRY_SYNC=off
pass=0 fail=0
vg() {
	local name=$1
	shift
	if valgrind -q --leak-check=full --errors-for-leak-kinds=definite,possible \
		--show-leak-kinds=definite,possible --error-exitcode=99 \
		"$jerry" "$@" >"$tmp/out" 2>"$tmp/err"; then rc=0; else rc=$?; fi
	verdict "$name" "$rc" "$([ "$rc" -ne 99 ] && echo ok)"
}
# verdict NAME RC OK: valgrind's report in $tmp/err, and OK empty when the
# run itself failed.
verdict() {
	if [ -z "$3" ] || grep -q '==[0-9]*==' "$tmp/err"; then
		echo "FAIL memcheck: $1 (exit $2)"
		sed 's/^/    /' "$tmp/err" | head -40
		fail=$((fail + 1))
	else
		echo "ok   memcheck: $1 (exit $2)"
		pass=$((pass + 1))
	fi
}
# Before init: main.c's open of the store fails, and nothing is left behind.
vg no-store list --all
vg no-store-json claim 1 --json
vg init init
vg create create "first item" -p high -l a -l b -d "some text"
vg create-child create "child" -t subtask --parent 1 --json
"$jerry" update 1 -t story >/dev/null 2>&1
vg show show 1
vg show-json show 1 --json
vg list list --all
vg list-json list --json --sort priority
vg update update 1 --title "renamed" --add-label c --remove-label a --if-version 1
vg stale update 1 --title x --if-version 1
vg start start 1
vg block block 1 --reason "waiting"
vg note note 1 "a note"
vg bad-transition reopen 1
vg bad-id show ../../etc/passwd
vg missing show 999
vg claim claim 2 --lease 1h
vg claim-json claim 2 --json
vg claim-next claim --next
vg heartbeat heartbeat 2 --lease 2h
vg release release 2
vg claim-as --as agent-m claim 2
tok=$("$jerry" show 2 --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["claim"]["token"])' 2>/dev/null)
vg heartbeat-token heartbeat 2 --claim "$tok" --as someone
vg heartbeat-bad-token heartbeat 2 --claim wrong
vg block-bad-token block 2 --claim wrong --json
CLAUDE_CODE_SESSION_ID=0f3c9a7e-5b1d vg claude-name release 2 --claim "$tok"
vg dep-add dep add 1 --on 2
vg dep-cycle dep add 2 --on 1
vg dep-tree dep tree 1 --json
vg dep-rm dep rm 1 --on 2
"$jerry" create "third" -l a >/dev/null 2>&1
vg dep-add-many dep add 1 --on 2 --on 3 --json
vg dep-many-cycle dep add 2 --on 3 --on 1
vg dep-rm-many dep rm 1 --on 2 --on 3
vg list-repeated list -t task,story -t bug -l a -l b --any-label -p high,low --assignee x --assignee y --parent 1 --parent 2 -s pending -s in_progress,blocked
vg list-bad-in-list list -t task -t chore
vg given-twice update 1 --title a --title b
vg claim-next-none claim --next -t bug -t spike -l a -l b
vg ready ready --json
vg blocked blocked --json
# Text tables: blocked reads a blocked item's reason; a narrow terminal cuts titles.
id=$("$jerry" create "blocked with a reason, 中文の題名" -l a 2>/dev/null)
"$jerry" start "$id" >/dev/null 2>&1 && "$jerry" block "$id" --reason "vendor" >/dev/null 2>&1
vg blocked-text blocked
COLUMNS=40 vg list-narrow list --all
vg search search "FIRST" --all
vg summary summary --since 1h
vg summary-json summary --json
vg prime prime
# A stale claim (issue 10): ready marks it, summary and prime list it, claim --next takes it over.
"$jerry" create "pooled" -p critical >/dev/null 2>&1
JERRY_INSTANCE=gone "$jerry" claim --next --lease 1500ms >/dev/null 2>&1
sleep 1.6
vg ready-stale ready
vg ready-stale-json ready --json --mine --unassigned --assignee x
vg summary-stale summary --json
vg prime-stale prime
vg claim-next-stale claim --next --skip 1 --any --json
vg history history 1
vg history-json history 1 --json
vg prime-json prime --json
vg exit-codes help exit-codes
vg exit-codes-json help exit-codes --json
vg show-related show 2 --json
vg list-tree list --tree --all
vg list-tree-json list --tree --json --all
vg log log
vg log-json log --json --since 1h --by nobody --by "$(whoami)" --item 1 --item 2 --limit 3
vg log-missing log --item 999
vg log-bad-since log --since xx
vg check check
vg reindex reindex
# Containers (t0180): the gate, the cascade, the parent to close.
"$jerry" create "epic" -t epic >/dev/null 2>&1
"$jerry" create "feature" -t feature --parent 4 >/dev/null 2>&1
"$jerry" create "story" -t story --parent 5 >/dev/null 2>&1
"$jerry" create "task" --parent 6 >/dev/null 2>&1
"$jerry" create "task two" --parent 6 >/dev/null 2>&1
vg ready-containers ready --containers --json
vg claim-next-containers claim --next --containers -t epic
vg done-open-below done 4 --json
vg cancel-open-below cancel 5
"$jerry" start 7 >/dev/null 2>&1
vg done-child done 7 --json
vg cancel-last-child cancel 8
vg summary-closable summary
vg summary-closable-json summary --json
vg done-force done 4 --force
# Getting out (t0220): release unclaimed, --reason, several IDs (text, --json, errors).
m1=$("$jerry" create "by mistake" 2>/dev/null)
m2=$("$jerry" create "by mistake too" 2>/dev/null)
vg start-many start "$m1" "$m2" 999
vg release-unclaimed release "$m1"
vg release-many-json release "$m1" "$m2" 999 --json
vg start-many-json start "$m1" "$m2" --json
vg done-many-reason done "$m1" "$m2" ../x --reason "shipped"
vg cancel-reason-json cancel "$m1" "$m2" --reason "dup" --json
vg cancel-cascade cancel 5 --cascade --json
# An item WORK-999999999 and a name past the largest number (t0150).
sed 's/"WORK-002"/"WORK-999999999"/' "$JERRY_DATA/items/WORK-002.json" >"$JERRY_DATA/items/WORK-999999999.json"
cp "$JERRY_DATA/items/WORK-001.json" "$JERRY_DATA/items/WORK-123456789012345678901234567890.json"
vg big-reindex reindex
vg big-list list --json
vg big-dep-add dep add 1 --on 999999999
vg big-dep-tree dep tree 1 --json
vg big-check check
vg big-show show WORK-123456789012345678901234567890
mv "$JERRY_DATA/sequences.json" "$tmp/sequences.json"
vg big-exhausted create "no number left"
mv "$tmp/sequences.json" "$JERRY_DATA/sequences.json"
"$jerry" dep rm 1 --on 999999999 >/dev/null 2>&1
rm "$JERRY_DATA/items/WORK-999999999.json" "$JERRY_DATA/items/WORK-123456789012345678901234567890.json"
"$jerry" reindex >/dev/null 2>&1
# jerry mcp (t0260, t0261): a session through every tool, refusals, bad lines, a batch.
{
	echo '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","clientInfo":{"name":"vg"}}}'
	echo '{"jsonrpc":"2.0","method":"notifications/initialized"}'
	echo '{"jsonrpc":"2.0","id":2,"method":"tools/list"}'
	for call in '"ready","arguments":{"limit":2}' '"ready","arguments":{"cursor":"ready.o1","limit":1}' \
		'"list","arguments":{"all":true,"limit":2}' '"list","arguments":{"cursor":"list.a1"}' \
		'"search","arguments":{"text":"item","all":true}' '"show","arguments":{"id":"1"}' \
		'"create","arguments":{"title":"from mcp","labels":["a","b"],"description":"d"}' \
		'"update","arguments":{"id":"1","if_version":1,"title":"stale"}' \
		'"update","arguments":{"id":"1","add_labels":["z"],"remove_labels":["z"],"priority":"low"}' \
		'"note","arguments":{"id":"1","text":"from mcp"}' \
		'"transition","arguments":{"id":"1","action":"reopen"}' \
		'"transition","arguments":{"id":"2","action":"done","reason":"r","force":true}' \
		'"claim","arguments":{"action":"next","lease":"1h","type":"task"}' \
		'"claim","arguments":{"action":"heartbeat","id":"1","as":"other"}' \
		'"claim","arguments":{"action":"release","id":"1","force":true}' \
		'"dep","arguments":{"action":"add","id":"1","on":["2"]}' \
		'"dep","arguments":{"action":"tree","id":"1"}' '"dep","arguments":{"action":"rm","id":"1","on":["2"]}' \
		'"dep","arguments":{"action":"add","id":"1"}' '"show","arguments":{"id":"x","bogus":1}' \
		'"nonesuch"'; do
		echo "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":$call}}"
	done
	echo 'garbage'
	echo '[{"jsonrpc":"2.0","id":4,"method":"ping"},{"jsonrpc":"2.0","method":"x"},{"jsonrpc":"2.0","id":5,"method":"nope"}]'
	echo '{"jsonrpc":"2.0","id":6,"method":"ping"'
} >"$tmp/mcp-in"
vg mcp mcp <"$tmp/mcp-in"
# export and import (issue 14, t0280, t0285)
vg export export --all --history
vg export-file export --all -o "$tmp/export.jsonl"
# the export cache (t0281): built, read, read up to a torn record
touch -d '1 hour ago' "$JERRY_DATA/items"
vg export-cache-build export --all
vg export-cache-read export --all
head -c 700 "$JERRY_DATA/tmp/export.cache" >"$tmp/torn" && cat "$tmp/torn" >"$JERRY_DATA/tmp/export.cache"
vg export-cache-torn export --all
vg import-again import "$tmp/export.jsonl"
vg import-dry import --dry-run --json "$tmp/export.jsonl"
printf '[{"number":1,"title":"gh","state":"CLOSED","stateReason":"NOT_PLANNED","labels":[{"name":"a b"}],"assignees":[{"login":"x"},{"login":"y"}],"comments":[{"author":{"login":"z"},"body":"hi","createdAt":"2026-01-01T00:00:00Z"}],"extra":1}]' >"$tmp/gh.json"
vg import-github import "$tmp/gh.json"
printf '{"id":"bd-1","title":"a","status":"deferred","priority":4,"issue_type":"chore","dependencies":[{"depends_on_id":"bd-2","type":"blocks"},{"depends_on_id":"bd-1","type":"parent-child"}]}\n{"id":"bd-2","title":"b","status":"open","priority":1,"issue_type":"task","dependencies":[{"depends_on_id":"bd-1","type":"blocks"}]}\n' >"$tmp/beads.jsonl"
vg import-beads import "$tmp/beads.jsonl"
printf '{"id":"bd-1","title":"a"}\n{"id":"bd-1","title":"a"}\n{"id":' >"$tmp/bad.jsonl"
vg import-bad import "$tmp/bad.jsonl"
mkdir -p "$tmp/backlog"
printf -- '---\nid: task-1\ntitle: t\nstatus: Done\nassignee: [a, b]\nlabels: [x]\nmilestone: m\n---\n\nbody\n' >"$tmp/backlog/task-1.md"
printf -- '---\nid: task-2\ntitle: u\nparent_task_id: task-1\ndependencies:\n  - task-1\n---\n' >"$tmp/backlog/task-2.md"
vg import-backlog import "$tmp/backlog"
printf -- '---\nid: [unclosed\n---\n' >"$tmp/backlog/task-3.md"
vg import-backlog-bad import "$tmp/backlog"
printf '{ "id": broken' >"$JERRY_DATA/items/WORK-003.json"
vg corrupt show 3
vg check-corrupt check --json
vg repair check --repair
vg usage create
# jerry serve (t0275): the server under valgrind, each kind of request
# (jerry-serve itself: valgrind follows no exec from `jerry serve`)
# through curl, an event stream, then SIGTERM.
vg_serve() {
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,possible \
		--show-leak-kinds=definite,possible --error-exitcode=99 \
		"$(dirname "$jerry")/jerry-serve" serve --port 0 >"$tmp/serve.out" 2>"$tmp/err" &
	local pid=$! url="" i
	for i in $(seq 600); do
		url=$(sed -n 's/.* at //p' "$tmp/serve.out")
		[ -n "$url" ] && break
		sleep 0.1
	done
	local base=${url%%/\?*} tok=${url##*token=}
	local get=(curl -s -o /dev/null --max-time 60)
	local post=(curl -s -o /dev/null --max-time 60 -X POST -H 'Content-Type: application/json' -H "X-Jerry-Token: $tok")
	for i in / /board.js /nothing '/api/board?q=first&cancelled=1&label=a&limit=1' /api/ready \
		/api/blocked '/api/item?id=1' '/api/item?id=999' /api/nothing; do
		"${get[@]}" "$base$i"
	done
	"${get[@]}" -H 'Host: evil.example' "$base/"
	"${post[@]}" -d '{"title":"from the board","labels":["x","y"]}' "$base/api/create"
	"${post[@]}" -d '{"if_version":1}' "$base/api/item/1/start"
	"${post[@]}" -d '{"if_version":99,"title":"t","add_labels":["z"],"remove_labels":["a"]}' "$base/api/item/1/edit"
	"${post[@]}" -d '{"if_version":99}' "$base/api/item/2/release"
	"${post[@]}" -d '{nope' "$base/api/item/1/note"
	"${post[@]}" -H 'Origin: http://evil.example' -d '{}' "$base/api/create"
	curl -s -o /dev/null -N --max-time 3 "$base/api/events"
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	verdict serve "$rc" "$([ -n "$url" ] && [ "$rc" -eq 0 ] && echo ok)"
}
vg_serve
# git (issue 11, t0250): a linked worktree's store is the main worktree's;
# a broken gitfile; a checkout of a store (its record only) made whole.
mkdir -p "$tmp/g/main/.git/worktrees/wt" "$tmp/g/wt/sub" "$tmp/g/bad"
echo "../.." >"$tmp/g/main/.git/worktrees/wt/commondir"
echo "gitdir: ../main/.git/worktrees/wt" >"$tmp/g/wt/.git"
echo "garbage" >"$tmp/g/bad/.git"
cd "$tmp/g/wt/sub" || exit 1
JERRY_DATA= vg worktree-init init
JERRY_DATA= vg worktree-create create "in a worktree"
cd "$tmp/g/bad" || exit 1
JERRY_DATA= vg bad-gitfile list
cd "$tmp/g/main/sub/.jerry/data" || exit 1
rm -rf index.json index.log sequences.json locks tmp
JERRY_DATA= vg checkout-list list
rm -rf index.json index.log sequences.json locks tmp items
JERRY_DATA= vg checkout-empty list --json
# Sharing across clones (ADR 0020, t0265, t0270): the merge driver, git
# setup and sync, between two clones of a bare repository.
cd "$tmp" || exit 1
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=t \
	GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
git init -q --bare "$tmp/s/origin.git"
git clone -q "$tmp/s/origin.git" "$tmp/s/a" 2>/dev/null
git clone -q "$tmp/s/origin.git" "$tmp/s/b" 2>/dev/null
cd "$tmp/s/a" || exit 1
JERRY_DATA= "$jerry" init >/dev/null 2>&1
JERRY_DATA= "$jerry" create "shared" -l x >/dev/null 2>&1
JERRY_DATA= vg git-setup git setup
JERRY_DATA= vg git-setup-json git setup --json
JERRY_DATA= vg sync-first sync
JERRY_DATA= vg sync-unreachable sync nowhere
cd "$tmp/s/b" || exit 1
JERRY_DATA= "$jerry" init >/dev/null 2>&1
JERRY_DATA= "$jerry" create "also two" >/dev/null 2>&1
JERRY_DATA= vg sync-renumber sync --json
cd "$tmp/s/a" || exit 1
JERRY_DATA= "$jerry" update 1 --title "from a" --remove-label x >/dev/null 2>&1
cd "$tmp/s/b" || exit 1
JERRY_DATA= "$jerry" update 1 --title "from b" -p high >/dev/null 2>&1
cd "$tmp/s/a" || exit 1
JERRY_DATA= "$jerry" sync >/dev/null 2>&1
cd "$tmp/s/b" || exit 1
JERRY_DATA= vg sync-merge sync
d=.jerry/data
cp "$d/items/WORK-001.json" "$tmp/s/ours"
sed 's/"high"/"low"/' "$d/items/WORK-001.json" >"$tmp/s/theirs"
: >"$tmp/s/base"
vg merge-file merge-file "$tmp/s/base" "$tmp/s/ours" "$tmp/s/theirs" items/WORK-001.json
vg merge-file-json merge-file "$tmp/s/base" "$tmp/s/ours" "$tmp/s/theirs" items/WORK-001.json --json
cp "$d/history/WORK-001.jsonl" "$tmp/s/hours"
vg merge-file-history merge-file "$tmp/s/base" "$tmp/s/hours" "$d/history/WORK-001.jsonl" history/WORK-001.jsonl
vg merge-file-bad merge-file "$tmp/s/base" "$tmp/s/ours" "$tmp/s/missing" items/WORK-001.json
cd "$tmp" || exit 1
echo "memcheck: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
