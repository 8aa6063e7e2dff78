#!/bin/bash
# A lock held by another process: the writer gives up after --lock-timeout
# with exit 5 naming the lock, changes nothing, and a kill -9 of the holder
# frees the lock at once.
. "$(dirname "$0")/../lib.sh"
jerry_init
D=$JERRY_DATA
"$JERRY" create one >/dev/null
"$JERRY" create two >/dev/null
# A first write creates the lock files if init did not.
"$JERRY" note 2 'lock files exist now' >/dev/null

# hold FILE BYTE: take an OFD write lock on one byte of FILE and sleep.
hold() {
	python3 - "$1" "$2" >"$tmp/holder.out" 2>&1 <<'PY' &
import fcntl, os, struct, sys, time
F_OFD_SETLK = 37
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
# struct flock on Linux x86_64/aarch64: short type, short whence, off_t start,
# off_t len, pid_t pid (0 for OFD locks), padding.
fl = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, int(sys.argv[2]), 1, 0)
fcntl.fcntl(fd, F_OFD_SETLK, fl)
print("locked", flush=True)
time.sleep(600)
PY
	holder=$!
	for _ in $(seq 1 100); do
		grep -q locked "$tmp/holder.out" 2>/dev/null && return 0
		sleep 0.05
	done
	test_fail "holder took the lock" "$(cat "$tmp/holder.out")"
}

ms() { date +%s%3N; }

hold "$D/locks/items.lock" 1
before=$(tree_sum "$D")
t0=$(ms)
expect_run 5 '' '^jerry: .*lock.*(items\.lock|WORK-001)' -- "$JERRY" --lock-timeout 300 update 1 --title x
t1=$(ms)
check_true "gave up within 2 s ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 2000
check_true "waited about the timeout ($((t1 - t0)) ms >= 250)" test $((t1 - t0)) -ge 250
expect_run 5 '' '^jerry: .*lock' -- env JERRY_LOCK_TIMEOUT=200 "$JERRY" note 1 blocked
expect_run 5 '' '^jerry: .*lock' -- "$JERRY" start 1 --lock-timeout 200
expect_run 5 '' '*' -- "$JERRY" --lock-timeout 200 update 1 --title x --json
json_assert 'lock timeout --json' "$tmp/err" 'd["error"]["code"] == "lock_timeout" and d["error"]["exit"] == 5 and "lock" in d["error"]["message"]'
after=$(tree_sum "$D")
check_true 'store unchanged by the timed-out writes' test "$before" = "$after"
expect_run 0 '=WORK-002 pending (version 3)' '' -- "$JERRY" --lock-timeout 300 update 2 --title 'other item is free'
expect_run 0 '^WORK-001  one$' '' -- "$JERRY" --lock-timeout 300 show 1
kill -9 "$holder"
wait "$holder" 2>/dev/null
t0=$(ms)
expect_run 0 '=WORK-001 pending (version 2)' '' -- "$JERRY" --lock-timeout 300 update 1 --title 'free again'
t1=$(ms)
check_true "lock freed at once by kill -9 ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 1000

# The sequence lock: create waits, then gives up naming it.
hold "$D/locks/sequence.lock" 0
before=$(tree_sum "$D")
expect_run 5 '' '^jerry: .*lock.*(sequence)' -- "$JERRY" --lock-timeout 300 create blocked
after=$(tree_sum "$D")
check_true 'store unchanged by the timed-out create' test "$before" = "$after"
kill -9 "$holder"
wait "$holder" 2>/dev/null
expect_run 0 '=WORK-003' '' -- "$JERRY" --lock-timeout 300 create unblocked

# The index lock.
hold "$D/locks/index.lock" 0
expect_run 5 '' '^jerry: .*lock.*index' -- "$JERRY" --lock-timeout 300 update 3 --title t
kill -9 "$holder"
wait "$holder" 2>/dev/null
expect_run 0 '=WORK-003 pending (version 2)' '' -- "$JERRY" --lock-timeout 300 update 3 --title t
expect_run 0 '^3 items checked, 0 problems$' '' -- "$JERRY" check
test_done
