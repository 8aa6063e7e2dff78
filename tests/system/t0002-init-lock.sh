#!/bin/bash
# jerry init on an existing store takes the index lock, then the sequence
# lock: a timeout on either names the lock file it waited for.
. "$(dirname "$0")/../lib.sh"
jerry_init
D=$JERRY_DATA

# hold FILE: take an OFD write lock on byte 0 of FILE and sleep until killed.
hold() {
	python3 - "$1" >"$tmp/holder.out" 2>&1 <<'PY' &
import fcntl, os, struct, sys, time
F_OFD_SETLK = 37
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
# struct flock on Linux x86_64/aarch64: short type, short whence, off_t start,
# off_t len, pid_t pid (0 for OFD locks), padding.
fcntl.fcntl(fd, F_OFD_SETLK, struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, 0, 1, 0))
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
release() {
	kill "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
}

hold "$D/locks/sequence.lock"
expect_run 5 '' '^jerry: .*sequence\.lock' -- "$JERRY" --lock-timeout 300 init
check_true 'the message does not name the index lock' sh -c '! grep -q "index\.lock" "$1/err"' sh "$tmp"
release

hold "$D/locks/index.lock"
expect_run 5 '' '^jerry: .*index\.lock' -- "$JERRY" --lock-timeout 300 init
release

expect_run 0 '*' '' -- "$JERRY" init
test_done
