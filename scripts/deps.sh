#!/bin/sh
# deps.sh build|demo|test|bench - make sure the Debian packages jerry needs are
# installed.  As root it installs what is missing; otherwise it prints the
# exact apt-get line and fails.
set -eu
what=${1:-build}
pkgs="gcc make pkg-config libjansson-dev"
case $what in
build) ;;
demo)  pkgs="$pkgs python3" ;;
test)  pkgs="$pkgs libcmocka-dev clang libclang-rt-14-dev python3 python3-behave strace valgrind util-linux mount procps" ;;
bench) pkgs="$pkgs hyperfine sqlite3 python3" ;;
*) echo "usage: deps.sh build|demo|test|bench" >&2; exit 2 ;;
esac
missing=
for p in $pkgs; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case $st in ii*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "deps: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: run: sudo apt-get install -y$missing" >&2
	exit 1
fi
