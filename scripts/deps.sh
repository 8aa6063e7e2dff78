#!/bin/sh
# deps.sh LIST... - make sure what jerry needs from Debian is there and works.
#
# LIST is any of build, demo, test, validate, bench, fresh (several at once:
# `make demo` asks for "build demo" in one call, so one message names every
# missing package).  Each package is checked by probing what we use from it,
# not by asking dpkg: the compiler must compile and link #include <stdint.h>
# (libc6-dev, only a recommendation of gcc), a header must compile, a command
# must be on PATH.  A package dpkg calls installed whose probe fails is named
# with the reason, so a half-installed system is not reported as fine.
#
# As root it runs apt-get install for everything missing, then probes again;
# otherwise it prints "run as root: apt-get install ..." and fails.
# Exit: 0 all there, 1 missing or broken, 2 usage.
set -u

[ $# -eq 0 ] && set -- build
for l in "$@"; do
	case $l in build|demo|test|validate|bench|fresh) ;;
	*) echo "usage: sh scripts/deps.sh build|demo|test|validate|bench|fresh..." >&2; exit 2 ;;
	esac
done

# "package probe" lines.  Probes:  cmd:NAME (on PATH or in /sbin, /usr/sbin),
# file:PATH, libc (cc compiles and links a program including <stdint.h> and
# <stdio.h>), c:HEADER,...:LIBS (the same with these headers and libraries),
# san:FLAGS (clang links a program with -fsanitize=FLAGS).
list() {
	case $1 in
	build) cat <<-'EOF'
		gcc cmd:cc
		libc6-dev libc
		make cmd:make
		pkg-config cmd:pkg-config
		libjansson-dev c:jansson.h:-ljansson
		libmicrohttpd-dev c:microhttpd.h:-lmicrohttpd
		libyaml-dev c:yaml.h:-lyaml
		EOF
		;;
	demo) cat <<-'EOF'
		python3 cmd:python3
		EOF
		;;
	test) cat <<-'EOF'
		libcmocka-dev c:stdarg.h,stddef.h,stdint.h,setjmp.h,cmocka.h:-lcmocka
		clang cmd:clang
		libclang-rt-14-dev san:address,undefined
		libclang-rt-14-dev san:fuzzer,address,undefined
		python3 cmd:python3
		python3-behave cmd:behave
		strace cmd:strace
		valgrind cmd:valgrind
		util-linux cmd:setpriv
		mount cmd:losetup
		procps cmd:pgrep
		curl cmd:curl
		chromium cmd:chromium
		nodejs cmd:node
		npm cmd:npm
		git cmd:git
		faketime cmd:faketime
		taskwarrior cmd:task
		EOF
		;;
	validate) cat <<-'EOF'
		python3-behave cmd:behave
		strace cmd:strace
		fuse3 cmd:fusermount3
		libfuse3-dev file:/usr/include/fuse3/fuse.h
		xfsprogs cmd:mkfs.xfs
		xfsprogs cmd:xfs_io
		e2fsprogs cmd:mkfs.ext4
		util-linux cmd:setpriv
		mount cmd:losetup
		clang cmd:clang
		libclang-rt-14-dev san:fuzzer,address,undefined
		EOF
		;;
	bench) cat <<-'EOF'
		hyperfine cmd:hyperfine
		sqlite3 cmd:sqlite3
		curl cmd:curl
		python3 cmd:python3
		EOF
		;;
	fresh) cat <<-'EOF'
		debootstrap cmd:debootstrap
		git cmd:git
		EOF
		;;
	esac
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jerry-deps.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

has() {
	command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]
}

# errors - the compiler's first error in $tmp/cc.log, without the file name
errors() {
	grep -m 1 -E 'error|cannot find' "$tmp/cc.log" | sed -E 's/^[^ :]*(:[0-9]+)*: //'
}

# libc_works - cc compiles and links against the C library's headers (asked
# once; the reason is kept in $tmp/libc.why)
libc_works() {
	if [ -z "${libc_ok:-}" ]; then
		printf '#include <stdint.h>\n#include <stdio.h>\nint main(void) { return 0; }\n' >"$tmp/libc.c"
		if cc -o "$tmp/libc" "$tmp/libc.c" >"$tmp/cc.log" 2>&1; then
			libc_ok=yes
		else
			libc_ok=no
			{ echo "cc cannot compile and link #include <stdint.h>, <stdio.h>:"; errors; } >"$tmp/libc.why"
		fi
	fi
	[ "$libc_ok" = yes ]
}

# probe PROBE - 0 works, 1 does not (reason in $tmp/why), 2 cannot tell
# (the compiler or C library that would test it is missing itself).
probe() {
	: >"$tmp/why"
	case $1 in
	cmd:*)
		has "${1#cmd:}" && return 0
		echo "no ${1#cmd:} command" >"$tmp/why"
		return 1 ;;
	file:*)
		[ -e "${1#file:}" ] && return 0
		echo "no ${1#file:}" >"$tmp/why"
		return 1 ;;
	libc)
		has cc || return 2
		libc_works && return 0
		cp "$tmp/libc.why" "$tmp/why"
		return 1 ;;
	c:*)
		# without a working C library every header fails: blame only that
		has cc && libc_works || return 2
		spec=${1#c:}
		hdrs=${spec%%:*} libs=${spec#*:}
		: >"$tmp/p.c"
		for h in $(echo "$hdrs" | tr ',' ' '); do echo "#include <$h>" >>"$tmp/p.c"; done
		echo 'int main(void) { return 0; }' >>"$tmp/p.c"
		# shellcheck disable=SC2086 # libs is a word list
		cc -o "$tmp/p" "$tmp/p.c" $libs >"$tmp/cc.log" 2>&1 && return 0
		{ echo "cc cannot compile and link #include <$(echo "$hdrs" | sed 's/,/>, </g')>${libs:+ with $libs}:"
		  errors; } >"$tmp/why"
		return 1 ;;
	san:*)
		# clang links with the C library's start files too
		has clang && { ! has cc || libc_works; } || return 2
		flags=${1#san:}
		case $flags in
		*fuzzer*) src='#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' ;;
		*) src='int main(void) { return 0; }' ;;
		esac
		echo "$src" >"$tmp/s.c"
		clang -fsanitize="$flags" -o "$tmp/s" "$tmp/s.c" >"$tmp/cc.log" 2>&1 && return 0
		{ echo "clang cannot link with -fsanitize=$flags:"
		  errors; } >"$tmp/why"
		return 1 ;;
	esac
	echo "unknown probe $1" >"$tmp/why"
	return 1
}

dpkg_status() {
	dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | tr -d ' '
}

# check - sets $missing (packages to install) and writes $tmp/report: one
# line per package dpkg calls installed that still does not work.
check() {
	missing='' libc_ok=''
	: >"$tmp/report"
	for l in "$@"; do list "$l"; done | awk '!seen[$0]++' >"$tmp/need"
	while read -r pkg pr; do
		case " $missing " in *" $pkg "*) continue ;; esac
		probe "$pr"
		rc=$?
		st=$(dpkg_status "$pkg")
		if [ "$rc" -eq 2 ]; then
			# no compiler or C library to try it with: that one is
			# missing too, and dpkg is all there is to ask about this
			[ "$st" = ii ] && continue
			rc=1
		fi
		[ "$rc" -eq 0 ] && continue
		missing="$missing $pkg"
		case $st in
		ii) printf '%s is installed but does not work: %s\n' "$pkg" \
			"$(tr '\n' ' ' <"$tmp/why" | sed 's/ *$//')" >>"$tmp/report" ;;
		'' | un | n*) ;;
		*) printf '%s is half-installed (dpkg status %s): run dpkg --configure -a as root\n' \
			"$pkg" "$st" >>"$tmp/report" ;;
		esac
	done <"$tmp/need"
	missing=${missing# }
}

check "$@"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	sed 's/^/deps: /' "$tmp/report" >&2
	reinstall=
	[ -s "$tmp/report" ] && reinstall='--reinstall '
	echo "deps: missing Debian packages: $missing" >&2
	echo "deps: run as root: apt-get install -y --no-install-recommends $reinstall$missing" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	sed 's/^/deps: /' "$tmp/report" >&2
	echo "deps: missing: $missing (no apt-get here: install them with your package manager)" >&2
	exit 1
fi

echo "deps: installing $missing" >&2
export DEBIAN_FRONTEND=noninteractive
reinstall=
[ -s "$tmp/report" ] && reinstall=--reinstall
# shellcheck disable=SC2086 # word lists
if ! apt-get install -y -q --no-install-recommends $reinstall $missing >"$tmp/apt.log" 2>&1; then
	# stale or absent package lists (a fresh debootstrap has none)
	if ! { apt-get update -q && apt-get install -y -q --no-install-recommends $reinstall $missing; } \
		>"$tmp/apt.log" 2>&1; then
		tail -n 15 "$tmp/apt.log" >&2
		echo "deps: apt-get install -y --no-install-recommends $missing failed" >&2
		exit 1
	fi
fi
check "$@"
[ -z "$missing" ] && exit 0
sed 's/^/deps: /' "$tmp/report" >&2
echo "deps: still missing after apt-get install: $missing" >&2
exit 1
