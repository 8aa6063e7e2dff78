#!/bin/bash
# ready, blocked, search (issue 3):
#   - ready: pending, unclaimed items (and stale claims) whose dependencies are all done, best
#     first (priority, then age); --type, --label, --limit; a table like list;
#   - blocked: items waiting on others (and on what), and items marked
#     blocked; --json adds waiting_on [{id, status}];
#   - search TEXT: case-insensitive in title, description and notes; open
#     items only unless --all.
. "$(dirname "$0")/../lib.sh"
jerry_init
export JERRY_INSTANCE=alice JERRY_SESSION=a1
BOB="env JERRY_INSTANCE=bob JERRY_SESSION=b1 $JERRY"

# ids FILE: the first column of a table, without the header, space-separated.
ids() { awk 'NR > 1 { printf "%s ", $1 }' "$1"; }
HEADER='^ID +STATUS +PRI +TYPE +TITLE'

# Nothing at all: empty output, exit 0.
expect_run 0 '' '' -- "$JERRY" ready
TEST_DESC='ready --json, empty store' expect_run 0 '=[]' '' -- "$JERRY" ready --json
expect_run 0 '' '' -- "$JERRY" blocked
TEST_DESC='blocked --json, empty store' expect_run 0 '=[]' '' -- "$JERRY" blocked --json

"$JERRY" create 'alpha low' -p low >/dev/null                          # 1
"$JERRY" create 'beta web bug' -t bug -l web >/dev/null                # 2
"$JERRY" create 'gamma high' -p high >/dev/null                        # 3
"$JERRY" create 'delta critical, claimed' -p critical >/dev/null       # 4
"$JERRY" create 'epsilon, started' -p critical >/dev/null              # 5
"$JERRY" create 'zeta, waits on gamma' -p critical >/dev/null          # 6
"$JERRY" create 'eta, done' -p critical >/dev/null                     # 7
"$JERRY" create 'theta, marked blocked' -p critical >/dev/null         # 8
"$JERRY" create 'iota, cancelled' -p critical >/dev/null               # 9
"$JERRY" create 'kappa medium' -l web >/dev/null                       # 10
"$JERRY" create 'lambda, waits on eta (done)' -p high >/dev/null       # 11
$BOB claim 4 >/dev/null
"$JERRY" start 5 >/dev/null
"$JERRY" dep add 6 --on 3 >/dev/null
"$JERRY" start 7 >/dev/null && "$JERRY" done 7 >/dev/null
"$JERRY" start 8 >/dev/null && "$JERRY" block 8 --reason 'vendor' >/dev/null
"$JERRY" cancel 9 >/dev/null
"$JERRY" dep add 11 --on 7 >/dev/null

# ---- ready ------------------------------------------------------------------------
# critical ones are claimed / started / waiting / done / blocked / cancelled;
# then high by age (3, 11), medium by age (2, 10), low (1).
expect_run 0 "$HEADER" '' -- "$JERRY" ready
check_true "ready: best first, only ready items (got $(ids "$tmp/out"))" \
	test "$(ids "$tmp/out")" = 'WORK-003 WORK-011 WORK-002 WORK-010 WORK-001 '
expect_run 0 '^WORK-002 +pending +medium +bug +beta web bug  #web$' '' -- "$JERRY" ready
TEST_DESC='ready --json' expect_run 0 '*' '' -- "$JERRY" ready --json
json_assert 'ready --json: summaries in order' "$tmp/out" \
	'[x["id"] for x in d] == ["WORK-003", "WORK-011", "WORK-002", "WORK-010", "WORK-001"] and all(x["status"] == "pending" and x["claim"] is None for x in d) and "notes" not in d[0]'
expect_run 0 "$HEADER" '' -- "$JERRY" ready --type bug
check_true 'ready --type bug' test "$(ids "$tmp/out")" = 'WORK-002 '
expect_run 0 "$HEADER" '' -- "$JERRY" ready -l web
check_true 'ready --label web' test "$(ids "$tmp/out")" = 'WORK-002 WORK-010 '
expect_run 0 "$HEADER" '' -- "$JERRY" ready --limit 2
check_true 'ready --limit 2: the best two' test "$(ids "$tmp/out")" = 'WORK-003 WORK-011 '
expect_run 0 "$HEADER" '' -- "$JERRY" ready -n 1 --label web --type task
check_true 'ready filters together' test "$(ids "$tmp/out")" = 'WORK-010 '
expect_run 0 '' '' -- "$JERRY" ready --type epic
TEST_DESC='ready --type epic --json' expect_run 0 '=[]' '' -- "$JERRY" ready --type epic --json
expect_run 2 '' "^jerry: --limit '0' is not a positive whole number" -- "$JERRY" ready --limit 0
expect_run 2 '' '^jerry: ' -- "$JERRY" ready --limit x
expect_run 2 '' "^jerry: unknown type 'nope'" -- "$JERRY" ready --type nope
expect_run 2 '' '^jerry: ' -- "$JERRY" ready 1
expect_run 2 '' '^jerry: ' -- "$JERRY" ready --all

# Changes move items in and out.
"$JERRY" start 3 >/dev/null && "$JERRY" done 3 >/dev/null          # 6 may start now
$BOB release 4 >/dev/null                                            # 4 back to the pool
"$JERRY" claim 10 >/dev/null                                         # 10 out
expect_run 0 "$HEADER" '' -- "$JERRY" ready
check_true "ready follows changes (got $(ids "$tmp/out"))" \
	test "$(ids "$tmp/out")" = 'WORK-004 WORK-006 WORK-011 WORK-002 WORK-001 '
# A claim moved the item to in_progress; when its lease ends it is ready
# work again, marked (issue 10: claim --next takes it over).
"$JERRY" create 'mu, short lease' -p critical >/dev/null              # 12
"$JERRY" claim 12 --lease 500ms >/dev/null
sleep 0.7
expect_run 0 '^WORK-012  in_progress .* \[stale claim by alice\]$' '' -- "$JERRY" ready
"$JERRY" release 12 >/dev/null

# ---- blocked ----------------------------------------------------------------------
"$JERRY" create 'nu, waits on two' >/dev/null                          # 13
"$JERRY" dep add 13 --on 5 >/dev/null
"$JERRY" dep add 13 --on 7 >/dev/null
"$JERRY" dep add 13 --on 9 >/dev/null
expect_run 0 '=WORK-008  blocked  theta, marked blocked
    marked blocked: vendor
WORK-013  pending  nu, waits on two
    waits on WORK-005 (in_progress) epsilon, started
    waits on WORK-009 (cancelled) iota, cancelled' '' -- "$JERRY" blocked
TEST_DESC='blocked --json' expect_run 0 '*' '' -- "$JERRY" blocked --json
json_assert 'blocked --json: items with waiting_on' "$tmp/out" \
	'[x["id"] for x in d] == ["WORK-008", "WORK-013"] and d[0]["waiting_on"] == [] and d[0]["status"] == "blocked" and d[1]["waiting_on"] == [{"id": "WORK-005", "status": "in_progress"}, {"id": "WORK-009", "status": "cancelled"}] and d[1]["depends_on"] == ["WORK-005", "WORK-007", "WORK-009"]'
expect_run 2 '' "^jerry: 'blocked' takes no arguments" -- "$JERRY" blocked x
expect_run 2 '' '^jerry: ' -- "$JERRY" blocked --limit 2
# Waiting ends when the dependency is done; done items never wait.
"$JERRY" done 5 >/dev/null
"$JERRY" dep rm 13 --on 9 >/dev/null
expect_run 0 '=WORK-008  blocked  theta, marked blocked
    marked blocked: vendor' '' -- "$JERRY" blocked
expect_run 0 '^WORK-013 ' '' -- "$JERRY" ready

# ---- search -----------------------------------------------------------------------
"$JERRY" update 2 -d 'The login PAGE times out after a Minute' >/dev/null
"$JERRY" note 1 'Found a Needle in the logs' >/dev/null
"$JERRY" note 7 'needle here too, but this one is done' >/dev/null
"$JERRY" note 9 'NEEDLE in a cancelled one' >/dev/null
expect_run 0 "$HEADER" '' -- "$JERRY" search ALPHA
check_true 'search: title, any case' test "$(ids "$tmp/out")" = 'WORK-001 '
expect_run 0 "$HEADER" '' -- "$JERRY" search 'page times'
check_true 'search: description, any case' test "$(ids "$tmp/out")" = 'WORK-002 '
expect_run 0 "$HEADER" '' -- "$JERRY" search needle
check_true 'search: notes, open items only' test "$(ids "$tmp/out")" = 'WORK-001 '
expect_run 0 "$HEADER" '' -- "$JERRY" search nEeDlE --all
check_true 'search --all: done and cancelled too' test "$(ids "$tmp/out")" = 'WORK-001 WORK-007 WORK-009 '
expect_run 0 "$HEADER" '' -- "$JERRY" search 'eta, done' -a
check_true 'search -a finds a done title' test "$(ids "$tmp/out")" = 'WORK-007 '
expect_run 0 '' '' -- "$JERRY" search 'eta, done'
expect_run 0 '' '' -- "$JERRY" search 'no such text anywhere'
TEST_DESC='search --json' expect_run 0 '*' '' -- "$JERRY" search needle --all --json
json_assert 'search --json: an array of items' "$tmp/out" \
	'[x["id"] for x in d] == ["WORK-001", "WORK-007", "WORK-009"] and all("title" in x and "status" in x for x in d)'
TEST_DESC='search --json, no match' expect_run 0 '=[]' '' -- "$JERRY" search zzzz --json
expect_run 2 '' '^jerry: ' -- "$JERRY" search
expect_run 2 '' '^jerry: search for what' -- "$JERRY" search ''
expect_run 2 '' '^jerry: ' -- "$JERRY" search a b

test_done
