#!/bin/bash
# Two imports of one file at once: the import lock (byte 1 of deps.lock)
# serialises them, so one creates the items and the other finds them by
# external_ref - never two items for one source ID.  A held import lock
# is waited for as long as the lock timeout, then exit 5 naming it.
. "$(dirname "$0")/../lib.sh"
jerry_init
D=$JERRY_DATA
J=$JERRY

python3 -c '
import json
print(json.dumps([{"number": i, "title": "issue %d" % i, "state": "OPEN"} for i in range(1, 51)]))' >"$tmp/gh.json"

# Two rounds of three imports at once: on a jerry without the lock the
# first round already made every item two or three times.
for round in 1 2; do
	for k in 1 2 3; do
		"$J" import "$tmp/gh.json" >"$tmp/i$k" 2>&1 &
	done
	wait
	for k in 1 2 3; do
		check_true "round $round, import $k succeeded" grep -q '^imported from github' "$tmp/i$k"
	done
done
"$J" export -o "$tmp/all.jsonl" >/dev/null
check_true 'one item for each of the 50 issues' test "$(($(wc -l <"$tmp/all.jsonl") - 1))" = 50
check_true 'no external_ref is there twice' sh -c \
	'test -z "$(grep -o "\"external_ref\":\"[^\"]*\"" "$1" | sort | uniq -d)"' sh "$tmp/all.jsonl"
expect_run 0 '^imported from github: 0 created, 0 updated, 50 unchanged$' '' -- "$J" import "$tmp/gh.json"
expect_run 0 '*' '' -- "$J" check

# hold: an OFD write lock on byte 1 of locks/deps.lock (the import lock) until killed.
python3 - "$D/locks/deps.lock" >"$tmp/holder.out" 2>&1 <<'PY' &
import fcntl, os, struct, sys, time
F_OFD_SETLK = 37
fd = os.open(sys.argv[1], os.O_RDWR)
# struct flock on Linux x86_64/aarch64: short type, short whence, off_t start,
# off_t len, pid_t pid (0 for OFD locks), padding.
fcntl.fcntl(fd, F_OFD_SETLK, struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, 1, 1, 0))
print("locked", flush=True)
time.sleep(600)
PY
holder=$!
for _ in $(seq 1 100); do
	grep -q locked "$tmp/holder.out" 2>/dev/null && break
	sleep 0.05
done
check_true 'the holder took the import lock' grep -q locked "$tmp/holder.out"
echo '[{"number":99,"title":"late","state":"OPEN"}]' >"$tmp/late.json"
expect_run 5 '' "^jerry: timed out waiting for the lock on imports \('$D/locks/deps.lock'\)" -- \
	"$J" --lock-timeout 300 import "$tmp/late.json"
check_true 'nothing was imported' sh -c '! "$1" list --all | grep -q late' sh "$J"
expect_run 0 '^dry run, nothing written: would create 1,' '' -- "$J" --lock-timeout 300 import --dry-run "$tmp/late.json"
expect_run 0 '^WORK-051$' '' -- "$J" --lock-timeout 300 create other
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
expect_run 0 '^imported from github: 1 created' '' -- "$J" import "$tmp/late.json"

test_done
