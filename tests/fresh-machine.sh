#!/bin/sh
# fresh-machine.sh [REV] - the README's two commands on a fresh Debian 12,
# as a new user meets it: a debootstrap minbase chroot with only git, make
# and ca-certificates, the repository cloned (at REV, default HEAD) into
# root's home (mode 0700), then, inside it:
#
#   1. as an unprivileged user, `make demo` must fail naming every missing
#      package in one "run as root: apt-get install" line;
#   2. as root, `make demo`, then `make check`, must pass;
#   3. `make install PREFIX=/usr/local` must leave a program linked with
#      `pkg-config --libs jerry` able to start; `make uninstall` after.
#
# Needs root (debootstrap, chroot, mount) and the Debian mirror this machine
# uses (FRESH_MIRROR overrides it).  The minbase tree is cached as
# build/fresh/bookworm-minbase.tar.gz, so a rerun skips debootstrap; each run
# unpacks it afresh into build/fresh/root (kept after a failure).  Logs:
# build/fresh/*.log.  FRESH_TARGETS="demo" runs only make demo in step 2.
# Part of make validate (too slow for make check).  The last line is
# "fresh-machine: N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1
src=$(pwd)
rev=$(git rev-parse --verify "${1:-HEAD}^{commit}") || exit 1
out=$src/build/fresh
ch=$out/root
tarball=$out/bookworm-minbase.tar.gz
pass=0 fail=0

ok() { echo "ok    $1"; pass=$((pass + 1)); }
bad() { echo "FAIL  $1"; fail=$((fail + 1)); }
finish() {
	echo "fresh-machine: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

if [ "$(id -u)" -ne 0 ]; then
	echo "fresh-machine: SKIP (needs root for debootstrap, chroot and mount)"
	finish
fi
mkdir -p "$out" || exit 1
sh scripts/deps.sh fresh || { bad "the packages this check needs (scripts/deps.sh fresh)"; finish; }

# ---- the mounts: always undone, and nothing is removed while one is there --------
mounted() { grep -q " ${ch}[/ ]" /proc/self/mounts; }
umount_all() {
	for m in $(awk -v p="$ch" '$2 == p || index($2, p "/") == 1 { print $2 }' /proc/self/mounts | sort -r); do
		umount -l "$m" || echo "fresh-machine: cannot unmount $m" >&2
	done
}
# Only ever rm -rf the chroot when nothing is mounted inside it (a bound
# /dev would be emptied), and never across a file system boundary.
remove_root() {
	umount_all
	if mounted; then
		echo "fresh-machine: $ch still has mounts; not removing it" >&2
		return 1
	fi
	rm -rf --one-file-system "$ch"
}
trap 'umount_all' EXIT
trap 'exit 1' INT TERM HUP

# ---- a minbase Debian 12, cached --------------------------------------------------
mirror=${FRESH_MIRROR:-}
if [ -z "$mirror" ]; then
	mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }')
fi
if [ -z "$mirror" ]; then
	mirror=$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
fi
mirror=${mirror:-http://deb.debian.org/debian}
if [ ! -s "$tarball" ]; then
	echo "fresh-machine: debootstrap --variant=minbase bookworm from $mirror"
	stage=$out/debootstrap
	rm -rf --one-file-system "$stage"
	if debootstrap --variant=minbase --include=git,make,ca-certificates bookworm \
		"$stage" "$mirror" >"$out/debootstrap.log" 2>&1 &&
		tar -C "$stage" --numeric-owner -czf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"; then
		rm -rf --one-file-system "$stage"
	else
		tail -n 20 "$out/debootstrap.log"
		rm -f "$tarball.tmp"
		bad "debootstrap bookworm minbase (log: $out/debootstrap.log)"
		finish
	fi
fi
remove_root || { bad "remove the last run's chroot"; finish; }
mkdir -p "$ch" && tar -C "$ch" --numeric-owner -xzf "$tarball" ||
	{ bad "unpack $tarball"; finish; }
# Name resolution for apt-get inside (the chroot has no resolver of its own).
cp -L /etc/resolv.conf "$ch/etc/resolv.conf" 2>/dev/null || :

# ---- the clone, where the README's reader has it: root's home, mode 0700 ------------
chmod 700 "$ch/root"
if ! git clone -q --no-hardlinks "$src" "$ch/root/jerry" ||
	! git -C "$ch/root/jerry" -c advice.detachedHead=false checkout -q --detach "$rev"; then
	bad "git clone $src at $rev"
	finish
fi
git -C "$ch/root/jerry" log -1 --format='fresh-machine: testing %h %s'

# What the tests need of a machine: /proc, /sys, the real /dev (loop devices
# and /dev/fuse), and a writable /dev/shm.
for d in proc sys dev; do
	mount --rbind "/$d" "$ch/$d" && mount --make-rslave "$ch/$d" ||
		{ bad "bind /$d into the chroot"; finish; }
done

inside() {  # inside USER LOG COMMAND - a login-like environment, no inherited variables
	user=$1 log=$2
	shift 2
	chroot --userspec="$user" "$ch" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/sh -c "$*" >"$out/$log" 2>&1
}

# 1. a user who is not root is told every missing package at once
mkdir -p "$ch/tmp/user" && chown 65534:65534 "$ch/tmp/user" &&
	git clone -q "$ch/root/jerry" "$ch/tmp/user/jerry" && chown -R 65534:65534 "$ch/tmp/user/jerry"
inside 65534:65534 user-demo.log 'cd /tmp/user/jerry && HOME=/tmp/user make demo'
msg=$(grep '^deps: run as root: apt-get install' "$out/user-demo.log")
missing_all=yes
for p in gcc libc6-dev pkg-config libjansson-dev python3; do
	case " $msg " in *" $p "*) ;; *) missing_all=no ;; esac
done
if [ "$missing_all" = yes ] && ! grep -q sudo "$out/user-demo.log"; then
	ok "make demo as a user names every missing package in one line: ${msg#deps: }"
else
	bad "make demo as a user: want one 'run as root' line naming gcc libc6-dev pkg-config libjansson-dev python3 (log: $out/user-demo.log)"
	sed 's/^/    /' "$out/user-demo.log" | tail -n 10
fi

# 2. the README's two commands, as root
for target in ${FRESH_TARGETS:-demo check}; do
	start=$(date +%s)
	if inside root "make-$target.log" "cd /root/jerry && make $target"; then
		ok "make $target ($(($(date +%s) - start)) s; log: $out/make-$target.log)"
	else
		bad "make $target (log: $out/make-$target.log)"
		grep -E '^(check: |deps: |make: \*\*\*)' "$out/make-$target.log" | tail -n 20 | sed 's/^/    /'
		[ "$target" = demo ] && tail -n 20 "$out/make-$target.log" | sed 's/^/    /'
	fi
done
[ -f "$out/make-check.log" ] && grep '^check: ' "$out/make-check.log" | sed 's/^/    /'

# 3. an installed library a program can start with, then a clean uninstall
cat >"$ch/tmp/hello.c" <<'EOF'
#include <stdio.h>
#include <jerry/jerry.h>
int main(void) { return puts(jerry_code_name(0)) < 0; }
EOF
if inside root install.log 'cd /root/jerry && make install PREFIX=/usr/local &&
	cc -o /tmp/hello /tmp/hello.c $(pkg-config --cflags --libs jerry) &&
	/tmp/hello && make uninstall PREFIX=/usr/local && ! test -e /usr/local/lib/libjerry.so.0'; then
	ok "make install; a program linked with pkg-config --libs jerry starts; make uninstall"
else
	bad "make install / link / run / uninstall (log: $out/install.log)"
	tail -n 10 "$out/install.log" | sed 's/^/    /'
fi

# A failed run keeps the chroot to look into (chroot build/fresh/root).
if [ "$fail" -eq 0 ]; then
	remove_root || echo "fresh-machine: cannot remove $ch" >&2
else
	umount_all
fi
finish
