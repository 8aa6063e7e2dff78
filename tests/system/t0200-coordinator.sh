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
test_done
