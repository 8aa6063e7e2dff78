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
	if [ "$rc" -eq 99 ] || grep -q '==[0-9]*==' "$tmp/err"; then
		echo "FAIL memcheck: $name"
		sed 's/^/    /' "$tmp/err" | head -40
		fail=$((fail + 1))
	else
		echo "ok   memcheck: $name (exit $rc)"
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
# export and import (issue 14, t0260, t0270)
vg export export --all --history
vg export-file export --all -o "$tmp/export.jsonl"
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
cd "$tmp" || exit 1
echo "memcheck: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
