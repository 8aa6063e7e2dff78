#!/bin/bash
# A create or an import that has taken its numbers, while a sync brings in
# items under the same numbers (issue 11).  The numbers are the local
# writer's - it was handed them - but unpublished, so the sync renumbers
# them after the writer is done; it never writes under a number a writer
# holds.  Before the lock order of store.h, the sync wrote the remote's
# WORK-002 in the gap between the create's number and its item lock: the
# create failed ("refusing to overwrite"), having appended its create entry
# to the remote item's history - two creations in one history file (s0140
# saw them under load).
# The gap is held open by strace (a delay on the create's look at its
# number's file), and the sync is started once the create holds the
# sequence lock (/proc/locks).
. "$(dirname "$0")/../lib.sh"
git_sandbox || exit 1

if ! command -v strace >/dev/null; then
	test_fail 'strace' 'strace is needed to hold the gap open (make deps-test installs it)'
	test_done
fi
# LeakSanitizer cannot stop the world under ptrace (see t0286).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

two_clones || exit 1
at a "$JERRY" create 'a one' >/dev/null
at a "$JERRY" sync >/dev/null
at b "$JERRY" sync >/dev/null

# Wait (at most 20 s) until someone holds the sequence lock of store $1.
seq_held() {
	ino=$(stat -c %i "$1/locks/sequence.lock") || return 1
	for _ in $(seq 200); do
		grep -qE "OFDLCK +ADVISORY +WRITE +[-0-9]+ +[0-9a-f]+:[0-9a-f]+:$ino 0 0\$" /proc/locks &&
			return 0
		sleep 0.1
	done
	return 1
}

# The Nth faccessat2 a command makes is its look at items/$2 (strace's
# when=N): counted in a run on a copy of store $1.
nth_look() {
	rm -rf "$tmp/ref" && cp -a "$1" "$tmp/ref" || return 1
	shift 2
	JERRY_DATA=$tmp/ref strace -f -qq -o "$tmp/ref.trace" -e trace=faccessat2 "$@" \
		>/dev/null 2>&1 || return 1
	grep -n "\"$look\"" "$tmp/ref.trace" | head -1 | cut -d: -f1
}

# $1: what; $2: the file the writer looks at; then the writer's command.
# The writer is delayed 4 s after that look, holding its numbers; the sync
# runs meanwhile.
race() {
	what=$1 look=$2
	shift 2
	n=$(nth_look "$PWD/b/.jerry/data" "$look" "$@")
	if [ -z "$n" ]; then
		test_fail "$what: the writer looks at $look" "$(cat "$tmp/ref.trace")"
		return 1
	fi
	JERRY_DATA=$PWD/b/.jerry/data strace -f -qq -o /dev/null -e trace=faccessat2 \
		-e inject="faccessat2:delay_exit=4000000:when=$n" "$@" \
		>"$tmp/w.out" 2>"$tmp/w.err" &
	wpid=$!
	if seq_held b/.jerry/data; then
		test_ok "$what: the writer holds its numbers"
	else
		test_fail "$what: the writer holds its numbers" "$(cat "$tmp/w.err")"
	fi
	TEST_DESC="$what: the sync meanwhile" expect_run 0 '*' '' -- at b "$JERRY" sync --json
	cp "$tmp/out" "$tmp/sync.json"
	wait "$wpid"
	wrc=$?
	if [ "$wrc" -eq 0 ]; then
		test_ok "$what: the writer succeeds"
	else
		test_fail "$what: the writer succeeds" "exit $wrc: $(cat "$tmp/w.err")"
	fi
}

# Every history file of clone $1 holds exactly one creation.
one_create_each() {
	python3 - "$1/.jerry/data/history" <<'PY'
import glob, json, sys
bad = []
for f in sorted(glob.glob(sys.argv[1] + "/*.jsonl")):
    ops = [json.loads(l).get("op") for l in open(f) if l.strip().startswith('{"version"')]
    if ops.count("create") != 1:
        bad.append("%s: %s" % (f.rsplit("/", 1)[1], ops))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
}

# 1. A create: b's next number is WORK-002, which a publishes first.
at a "$JERRY" create 'a two' >/dev/null
at a "$JERRY" create 'a three' >/dev/null
at a "$JERRY" sync >/dev/null
race 'a create' WORK-002.json "$JERRY" create 'b local'
check_true 'the create got WORK-002' grep -qx 'WORK-002' "$tmp/w.out"
json_assert 'the sync renumbered it to WORK-004' "$tmp/sync.json" \
	"[(r['from'], r['to']) for r in d['renumbered']] == [('WORK-002', 'WORK-004')]"
TEST_DESC='b has all four' expect_run 0 '*' '' -- at b "$JERRY" list --json
json_assert 'a one, a two, a three, b local as WORK-004' "$tmp/out" \
	"sorted((i['id'], i['title']) for i in d) == [('WORK-001', 'a one'), ('WORK-002', 'a two'), \
	 ('WORK-003', 'a three'), ('WORK-004', 'b local')]"
if out=$(one_create_each b); then
	test_ok 'one creation in every history file'
else
	test_fail 'one creation in every history file' "$out"
fi
TEST_DESC='check is clean' expect_run 0 ' 0 problems$' '' -- at b "$JERRY" check

# 2. An import: b's next numbers are WORK-005 and on; a publishes WORK-005 and WORK-006.
at a "$JERRY" sync >/dev/null
at a "$JERRY" create 'a five' >/dev/null
at a "$JERRY" create 'a six' >/dev/null
at a "$JERRY" sync >/dev/null
python3 - "$tmp/in.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(3):
        f.write(json.dumps({"id": "bd-%d" % i, "title": "imported %d" % i, "status": "open",
                            "priority": 2, "issue_type": "task"}) + "\n")
PY
race 'an import' WORK-005.json "$JERRY" import "$tmp/in.jsonl"
json_assert 'the sync renumbered the two imported under published numbers' "$tmp/sync.json" \
	"[(r['from'], r['to']) for r in d['renumbered']] == \
	 [('WORK-005', 'WORK-008'), ('WORK-006', 'WORK-009')]"
TEST_DESC='b has all nine' expect_run 0 '*' '' -- at b "$JERRY" list --json
json_assert 'the third imported keeps WORK-007, the others WORK-008 and WORK-009' "$tmp/out" \
	"sorted((i['id'], i['title']) for i in d)[4:] == [('WORK-005', 'a five'), \
	 ('WORK-006', 'a six'), ('WORK-007', 'imported 2'), ('WORK-008', 'imported 0'), \
	 ('WORK-009', 'imported 1')]"
if out=$(one_create_each b); then
	test_ok 'one creation in every history file after the import'
else
	test_fail 'one creation in every history file after the import' "$out"
fi
TEST_DESC='check is clean after the import' expect_run 0 ' 0 problems$' '' -- at b "$JERRY" check
TEST_DESC='a gets all nine' expect_run 0 '*' '' -- at a "$JERRY" sync
TEST_DESC='check is clean in a' expect_run 0 ' 0 problems$' '' -- at a "$JERRY" check

# 3. check and check --repair in the same gap: they take the sequence lock
# before the item locks as well.  (check held every item lock, shared, and
# then waited for the sequence lock to read it, while the create held that
# one and waited for its item's: neither moved until a lock timed out.)
num=10
for cmd in check 'check --repair'; do
	look=WORK-0$num.json
	n=$(nth_look "$PWD/b/.jerry/data" "$look" "$JERRY" create 'next one')
	JERRY_DATA=$PWD/b/.jerry/data strace -f -qq -o /dev/null -e trace=faccessat2 \
		-e inject="faccessat2:delay_exit=3000000:when=$n" "$JERRY" create "during $cmd" \
		>"$tmp/w.out" 2>"$tmp/w.err" &
	wpid=$!
	seq_held b/.jerry/data || test_fail "$cmd: the create holds its number" "$(cat "$tmp/w.err")"
	TEST_DESC="$cmd while a create holds its number" JERRY_DATA=$PWD/b/.jerry/data \
		expect_run 0 ' 0 problems$' '' -- "$JERRY" --lock-timeout 8000 $cmd
	wait "$wpid"
	wrc=$?
	if [ "$wrc" -eq 0 ] && grep -qx "WORK-0$num" "$tmp/w.out"; then
		test_ok "$cmd: the create succeeds"
	else
		test_fail "$cmd: the create succeeds" "exit $wrc: $(cat "$tmp/w.out" "$tmp/w.err")"
	fi
	num=$((num + 1))
done

test_done
