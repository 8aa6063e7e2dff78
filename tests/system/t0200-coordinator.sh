#!/bin/bash
# A coordinator's view (issue 10, point 6):
#   - prime and prime --json stay under 2,000 tokens (8,000 characters) at
#     any store size: measured at 10,000 items, most changed today, many
#     claimed, long titles; lists are cut with a count of the rest;
#   - show lists an item's children and the items that depend on it;
#   - list --tree shows the hierarchy; filters still apply;
#   - log: every change in the project, newest first, with --since, --by,
#     --item and --limit, text and --json.
. "$(dirname "$0")/../lib.sh"
jerry_init
export JERRY_INSTANCE=alice JERRY_SESSION=a1
TS='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z'

# ---- prime at 10,000 items ----------------------------------------------------------
# Item files written directly (10,000 creates would take minutes), then
# reindex: all changed in the last hour, every third one claimed by one of
# 50 agents, titles at the 256-character limit with non-ASCII text.
big="$tmp/big/.jerry/data"
JERRY_DATA=$big "$JERRY" init >/dev/null
python3 - "$big" <<'PY'
import json, os, sys, time
d = sys.argv[1]
now = time.time()
def ts(t):
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(t)) + '.%03dZ' % int((t % 1) * 1000)
title = ('é' + 'work to do, with a long title ' * 10)[:250]
for n in range(1, 10001):
    claimed = n % 3 == 0
    item = {
        'id': 'WORK-%03d' % n, 'uid': str(122591686629445632 + n), 'version': 2,
        'title': '%d %s' % (n, title)[:256], 'description': None, 'type': 'task',
        'status': 'in_progress' if claimed else 'pending', 'priority': 'medium',
        'labels': [], 'assignee': None, 'parent': None, 'depends_on': [],
        'claim': {'by': 'agent-%02d' % (n % 50), 'session': 's', 'expires_at': ts(now + 3600)} if claimed else None,
        'notes': [], 'created_at': ts(now - 600), 'created_by': 'alice',
        'updated_at': ts(now - 600 + n * 0.01), 'updated_by': 'alice', 'completed_at': None}
    with open(os.path.join(d, 'items', 'WORK-%03d.json' % n), 'w') as f:
        json.dump(item, f, ensure_ascii=False)
with open(os.path.join(d, 'sequences.json'), 'w') as f:
    json.dump({'format': 1, 'WORK': 10000, 'last_uid': str(122591686629445632 + 10000)}, f)
PY
JERRY_DATA=$big "$JERRY" reindex >/dev/null
TEST_DESC='prime at 10,000 items' expect_run 0 '^items: 10000 ' '' -- env JERRY_DATA="$big" "$JERRY" prime
check_true "prime at 10,000 items: under 8,000 characters ($(wc -c <"$tmp/out"))" test "$(wc -c <"$tmp/out")" -lt 8000
check_true 'prime at 10,000 items: the cut lists say how many more' grep -Eq '^  \.\.\. and [0-9]+ more$' "$tmp/out"
TEST_DESC='prime --json at 10,000 items' expect_run 0 '*' '' -- env JERRY_DATA="$big" "$JERRY" prime --json
check_true "prime --json at 10,000 items: under 8,000 characters ($(wc -c <"$tmp/out"))" test "$(wc -c <"$tmp/out")" -lt 8000
json_assert 'prime --json at 10,000 items: counts where lists are cut' "$tmp/out" "(
d['state']['total'] == 10000 and d['state']['changed_total'] == 10000 and d['state']['claimed_total'] == 3333
and 0 < len(d['state']['changed']) < 10 and 0 < len(d['state']['claimed']) < 10
and d['state']['changed'][0]['id'] == 'WORK-10000'
and 0 < len(d['state']['next_up']) <= 5 and all(len(x['title']) <= 60 for x in d['state']['next_up']))"
# ---- show: children and dependents ---------------------------------------------------
"$JERRY" create 'the epic' -t epic >/dev/null                         # 1
"$JERRY" create 'feature one' -t feature --parent 1 >/dev/null        # 2
"$JERRY" create 'story one' -t story --parent 2 >/dev/null            # 3
"$JERRY" create 'task under story' --parent 3 >/dev/null              # 4
"$JERRY" create 'loose task' >/dev/null                               # 5
"$JERRY" create 'feature two' -t feature --parent 1 >/dev/null        # 6
"$JERRY" dep add 5 --on 2 >/dev/null
"$JERRY" dep add 6 --on 2 >/dev/null                                  # 6: child of 1, depends on 2
"$JERRY" dep add 6 --on 1 >/dev/null                                  # and on its parent
"$JERRY" start 4 >/dev/null && "$JERRY" done 4 >/dev/null
expect_run 0 '^Children:$' '' -- "$JERRY" show 2
check_true 'show: the children, with status and title' \
	sh -c "sed -n '/^Children:/,/^\$/p' '$tmp/out' | grep -qx '  WORK-003  pending  story one'"
check_true 'show: the dependents, with status and title' \
	sh -c "sed -n '/^Dependents:/,\$p' '$tmp/out' | sed 1d | tr '\n' '|' | grep -qx '  WORK-005  pending  loose task|  WORK-006  pending  feature two|'"
expect_run 0 '!^(Children|Dependents):' '' -- "$JERRY" show 5
expect_run 0 '^  WORK-004  done  task under story$' '' -- "$JERRY" show 3
TEST_DESC='show --json' expect_run 0 '*' '' -- "$JERRY" show 2 --json
json_assert 'show --json: children and dependents' "$tmp/out" "(
d['id'] == 'WORK-002' and d['children'] == [{'id': 'WORK-003', 'title': 'story one', 'status': 'pending'}]
and d['dependents'] == [{'id': 'WORK-005', 'title': 'loose task', 'status': 'pending'},
                        {'id': 'WORK-006', 'title': 'feature two', 'status': 'pending'}])"
TEST_DESC='show --json, child and dependent at once' expect_run 0 '*' '' -- "$JERRY" show 1 --json
json_assert 'show --json: an item both child and dependent is in both lists' "$tmp/out" \
	"[c['id'] for c in d['children']] == ['WORK-002', 'WORK-006'] and [c['id'] for c in d['dependents']] == ['WORK-006']"
TEST_DESC='show --json, nothing around' expect_run 0 '*' '' -- "$JERRY" show 5 --json
json_assert 'show --json: empty lists when there is nothing around' "$tmp/out" "d['children'] == [] and d['dependents'] == []"

# ---- list --tree ---------------------------------------------------------------------
expect_run 0 '*' '' -- "$JERRY" list --tree --all
check_true 'list --tree: children under their parent, titles indented by level' \
	test "$(awk 'NR > 1 {print $1}' "$tmp/out" | tr '\n' ' ')" = 'WORK-001 WORK-002 WORK-003 WORK-004 WORK-006 WORK-005 '
check_true 'list --tree: two spaces a level' \
	sh -c "grep -Eq '^WORK-001 .* epic +the epic\$' '$tmp/out' && grep -Eq '^WORK-002 .*feature +  feature one\$' '$tmp/out' && grep -Eq '^WORK-004 .*task +      task under story\$' '$tmp/out'"
# Filters still apply; an item whose parent is filtered out goes to the top.
expect_run 0 '*' '' -- "$JERRY" list --tree
check_true 'list --tree: the done task is filtered out' test "$(awk 'NR > 1 {print $1}' "$tmp/out" | tr '\n' ' ')" = 'WORK-001 WORK-002 WORK-003 WORK-006 WORK-005 '
expect_run 0 '*' '' -- "$JERRY" list --tree --type story,task --all
check_true 'list --tree: orphans of the filter at the top level' \
	sh -c "grep -Eq '^WORK-003 .*story +story one\$' '$tmp/out' && grep -Eq '^WORK-004 .*task +  task under story\$' '$tmp/out' && grep -Eq '^WORK-005 .*task +loose task\$' '$tmp/out'"
TEST_DESC='list --tree --json' expect_run 0 '*' '' -- "$JERRY" list --tree --json --all
json_assert 'list --tree --json: nested children arrays' "$tmp/out" "(
[x['id'] for x in d] == ['WORK-001', 'WORK-005']
and [x['id'] for x in d[0]['children']] == ['WORK-002', 'WORK-006']
and d[0]['children'][0]['children'][0]['id'] == 'WORK-003'
and d[0]['children'][0]['children'][0]['children'][0]['id'] == 'WORK-004'
and d[0]['children'][0]['children'][0]['children'][0]['children'] == []
and d[1]['children'] == [] and d[0]['title'] == 'the epic')"
TEST_DESC='list --tree --json, empty' expect_run 0 '*' '' -- "$JERRY" list --tree --json --type bug
json_assert 'list --tree --json: nothing matches' "$tmp/out" 'd == []'

# ---- log ---------------------------------------------------------------------------
BOB="env JERRY_INSTANCE=bob JERRY_SESSION=b1 $JERRY"
sleep 2.2
# The window: from one second before mark (old changes are 2.2 s older than
# mark), however long the machine takes to get to each command.
mark=$(date +%s)
window() { echo "$(($(date +%s) - mark + 1))s"; }
$BOB note 5 'bob was here' >/dev/null                               # WORK-005 v3
"$JERRY" update 3 --title 'story one, renamed' >/dev/null           # WORK-003 v2
expect_run 0 '*' '' -- "$JERRY" log --since "$(window)"
# For people the time is relative to the store's clock (--json and
# --exact-time give the exact one), its column as wide as its widest entry:
# on a slow machine one line may say "just now" and the next "3s ago".
AGO='(just now|[0-9]+[sm] ago) *'
check_true 'log --since (the window): the two changes of the window, newest first' \
	test "$(sed -E "s/^$AGO  //" "$tmp/out" | awk -F '  ' '{print $1, $2}' | tr '\n' '|')" = 'WORK-003 v2 alice|WORK-005 v3 bob|'
check_true 'log: one line per change, when, what, which version, who' \
	grep -Eqx "$AGO  WORK-003 v2  alice  title: \"story one\" -> \"story one, renamed\"" "$tmp/out"
check_true 'log: a note' grep -Eqx "$AGO  WORK-005 v3  bob  notes: \\+1 \"bob was here\"" "$tmp/out"
expect_run 0 "^$TS  WORK-003 v2  alice  title: " '' -- "$JERRY" log --exact-time --limit 1
expect_run 0 "^$TS  WORK-003 v2  alice  title: " '' -- "$JERRY" --exact-time log --limit 1
check_true 'log --exact-time: one line' test "$(wc -l <"$tmp/out")" -eq 1
TEST_DESC='log --json' expect_run 0 '*' '' -- "$JERRY" log --json --limit 1000
cp "$tmp/out" "$tmp/log.json"
total=$("$JERRY" list --all --json | python3 -c 'import json,sys; print(sum(x["version"] for x in json.load(sys.stdin)))')
json_assert 'log --json: every change once, newest first, with who/what/version' "$tmp/log.json" "(
len(d) == $total and len({(e['id'], e['version']) for e in d}) == $total
and [e['at'] for e in d] == sorted((e['at'] for e in d), reverse=True)
and all(set(e) == {'id', 'version', 'at', 'by', 'op', 'changes'} for e in d)
and all(re.fullmatch(r'$TS', e['at']) for e in d)
and (d[0]['id'], d[0]['version'], d[0]['by'], d[0]['op']) == ('WORK-003', 2, 'alice', 'update')
and d[0]['changes']['title'] == {'from': 'story one', 'to': 'story one, renamed'}
and (d[-1]['id'], d[-1]['version'], d[-1]['op']) == ('WORK-001', 1, 'create'))"
TEST_DESC='log --limit 3' expect_run 0 '*' '' -- "$JERRY" log --json --limit 3
python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))[:3]))' "$tmp/log.json" >"$tmp/first3"
json_assert 'log --limit 3: the three newest' "$tmp/out" "d == json.load(open('$tmp/first3'))"
expect_run 0 '*' '' -- "$JERRY" log
check_true 'log: 50 changes by default' test "$(wc -l <"$tmp/out")" -eq "$([ "$total" -lt 50 ] && echo "$total" || echo 50)"
TEST_DESC='log --by bob' expect_run 0 '*' '' -- "$JERRY" log --json --by bob
json_assert 'log --by bob: only bob' "$tmp/out" "[(e['id'], e['version']) for e in d] == [('WORK-005', 3)]"
TEST_DESC='log --by bob --by alice' expect_run 0 '*' '' -- "$JERRY" log --json --by bob --by alice --limit 1000
json_assert 'log --by, twice: either name' "$tmp/out" "len(d) == $total"
TEST_DESC='log --item 3' expect_run 0 '*' '' -- "$JERRY" log --json --item 3
json_assert 'log --item 3: that item, newest first' "$tmp/out" "[(e['id'], e['version']) for e in d] == [('WORK-003', 2), ('WORK-003', 1)]"
TEST_DESC='log --item 3 --item work-5 --since (the window)' expect_run 0 '*' '' -- "$JERRY" log --json --item 3 --item work-5 --since "$(window)"
json_assert 'log --item twice, in the window' "$tmp/out" "[(e['id'], e['version']) for e in d] == [('WORK-003', 2), ('WORK-005', 3)]"
expect_run 0 '' '' -- "$JERRY" log --item 1 --since "$(window)"
expect_run 0 '' '' -- "$JERRY" log --by nobody
# The same log once index.log's records are settled into the history files.
"$JERRY" reindex >/dev/null
TEST_DESC='log --json after reindex' expect_run 0 '*' '' -- "$JERRY" log --json --limit 1000
json_assert 'log: the same after reindex (entries from the files, not index.log)' "$tmp/out" "d == json.load(open('$tmp/log.json'))"
# The window decides what is read: an item untouched in it is not opened.
cp -a "$tmp/.jerry" "$tmp/win" && rm "$tmp/win/data/history/WORK-001.jsonl" && mkdir "$tmp/win/data/history/WORK-001.jsonl"
expect_run 0 ' WORK-003 v2 ' '' -- env JERRY_DATA="$tmp/win/data" "$JERRY" log --since "$(window)"
# --limit alone: reading stops once the newest N are certain (WORK-001 is the
# item changed longest ago).
expect_run 0 ' WORK-003 v2 ' '' -- env JERRY_DATA="$tmp/win/data" "$JERRY" log --limit 3
expect_run 6 '' "^jerry: cannot read the history of 'WORK-001'" -- env JERRY_DATA="$tmp/win/data" "$JERRY" log --limit 1000
expect_run 2 '' "^jerry: 'xx' is not a time span" -- "$JERRY" log --since xx
expect_run 2 '' "^jerry: --limit '0' is not a positive whole number" -- "$JERRY" log --limit 0
expect_run 3 '' "^jerry: no item 'WORK-099'" -- "$JERRY" log --item 99
expect_run 2 '' "^jerry: '\\.\\./2' is not an item ID" -- "$JERRY" log --item ../2
expect_run 2 '' '^jerry: ' -- "$JERRY" log 3

test_done
