#!/bin/bash
# A sync that brings in many files at once (issue 11): a fresh clone's
# first sync of a store of 600 items (1,200 files: items and histories).
# git's list of what changed is then some 150 KiB; jerry read at most 64
# KiB of a git command's output and silently dropped the rest, so the
# clone got the first 534 history files and no item - and its next sync
# pushed that as the deletion of everything else.  Now the whole output is
# read (and output too large to read is an error, never a cut): every item
# arrives, check is clean, and a second clone agrees.
. "$(dirname "$0")/../lib.sh"
git_sandbox || exit 1
two_clones || exit 1

N=600
python3 - "$tmp/in.jsonl" "$N" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write(json.dumps({"id": "bd-%d" % i, "title": "item %d" % i, "status": "open",
                            "priority": 2, "issue_type": "task"}) + "\n")
PY
at a "$JERRY" import "$tmp/in.jsonl" >/dev/null
at a "$JERRY" sync >/dev/null

TEST_DESC='a fresh clone'"'"'s first sync brings in every file' \
	expect_run 0 "^synced with origin: $((2 * N)) files in" '' -- at b "$JERRY" sync
TEST_DESC='every item is there' expect_run 0 '*' '' -- at b "$JERRY" list --all --json
json_assert "$N items, the last one whole" "$tmp/out" \
	"len(d) == $N and d[-1]['title'] == 'item $((N - 1))'"
TEST_DESC='check is clean in b' expect_run 0 ' 0 problems$' '' -- at b "$JERRY" check

# A change on each side, then both sync: nothing of the store goes missing.
at a "$JERRY" note 1 'from a' >/dev/null
at b "$JERRY" note 2 'from b' >/dev/null
at a "$JERRY" sync >/dev/null
at b "$JERRY" sync >/dev/null
at a "$JERRY" sync >/dev/null
for c in a b; do
	TEST_DESC="$c still has every item" expect_run 0 '*' '' -- at "$c" "$JERRY" list --all --json
	json_assert "$c: $N items" "$tmp/out" "len(d) == $N"
done
check_true 'both clones hold the same item files' diff -r a/.jerry/data/items b/.jerry/data/items

test_done
