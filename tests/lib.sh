# shellcheck shell=bash disable=SC2034
# tests/lib.sh - shared helpers for tests/system/t*.sh and tests/stress/s*.sh.
#
# Sourced (". tests/lib.sh") by every test script.  It gives each script
#
#   - $JERRY: the absolute path of the binary under test (from the runner);
#   - a fresh store in a private temp directory, which is also the current
#     directory: $tmp, $JERRY_DATA=$tmp/.jerry/data, JERRY_SYNC=off unless the
#     script sets TEST_SYNC=on before sourcing;
#   - expect_run CODE OUT ERR -- CMD ARGS...: runs CMD once, with stdout,
#     stderr and exit status captured separately, and asserts all three
#     (CODE is a number or a shell pattern such as [23]);
#   - test_ok NAME / test_fail NAME MSG: the counters every assertion feeds;
#   - json_assert NAME FILE PYEXPR: parses FILE as exactly one JSON document
#     and asserts that the Python expression PYEXPR (with the document as d)
#     is true;
#   - test_done: prints "# passed N failed N" (the runner reads it) and exits
#     non-zero when anything failed.
#
# OUT and ERR patterns:
#   ''        the stream must be empty
#   '*'       anything at all
#   '=TEXT'   the stream is exactly TEXT (one trailing newline ignored)
#   '!RE'     no line matches the extended regex RE
#   RE        some line matches the extended regex RE (grep -E)
#
# After expect_run, $tmp/out and $tmp/err hold the streams, $OUT and $ERR
# their text, $RC the exit status.  Commands read the caller's stdin, so
#   expect_run 0 '^WORK-001$' '' -- "$JERRY" create x -d - <file
# feeds file to the command; the runners start scripts with </dev/null.

: "${JERRY:?JERRY must name the jerry binary (the runners set it)}"
case $JERRY in
/*) ;;
*) JERRY=$(cd "$(dirname "$JERRY")" && pwd)/$(basename "$JERRY") ;;
esac
export JERRY

TEST_NAME=$(basename "$0" .sh)
test_passed=0
test_failed=0
# Seconds one command may take before expect_run calls it hung.
: "${TEST_CMD_TIMEOUT:=30}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jerry-$TEST_NAME.XXXXXX") || exit 1
chmod 755 "$tmp"
test_cleanup() {
	# Undo mounts a test made under $tmp (t0080's read-only bind mount), and
	# restore write bits a test may have taken away, so that rm can work.
	awk -v t="$tmp/" 'index($2, t) == 1 { print $2 }' /proc/mounts 2>/dev/null |
		while IFS= read -r m; do umount "$m" 2>/dev/null; done
	chmod -R u+w "$tmp" 2>/dev/null
	if [ -n "$TEST_KEEP" ]; then
		echo "# kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap test_cleanup EXIT
trap 'exit 130' INT TERM

unset JERRY_PROJECT JERRY_LOCK_TIMEOUT JERRY_INSTANCE JERRY_SESSION CLAUDE_CODE_SESSION_ID NO_COLOR COLUMNS
export JERRY_DATA="$tmp/.jerry/data"
if [ "${TEST_SYNC:-off}" = on ]; then
	unset JERRY_SYNC
else
	export JERRY_SYNC=off
fi
export HOME="$tmp"
cd "$tmp" || exit 1

test_ok() {
	test_passed=$((test_passed + 1))
	[ -n "$TEST_VERBOSE" ] && echo "ok - $1"
	return 0
}

test_fail() {
	test_failed=$((test_failed + 1))
	echo "FAIL - $1"
	[ -n "$2" ] && printf '%s\n' "$2" | sed 's/^/#   /'
	return 1
}

# match_stream PATTERN FILE -> 0 when FILE satisfies PATTERN (see above).
match_stream() {
	case $1 in
	'') [ ! -s "$2" ] ;;
	'*') return 0 ;;
	=*)
		expected=${1#=}
		actual=$(cat "$2"; echo x)
		actual=${actual%x}
		actual=${actual%
}
		[ "$actual" = "$expected" ] ;;
	!*) ! grep -Eq -e "${1#!}" "$2" ;;
	*) grep -Eq -e "$1" "$2" ;;
	esac
}

# Short, printable form of a command line for messages.
show_cmd() {
	out_s=
	for a in "$@"; do
		case $a in
		"$JERRY") a=jerry ;;
		esac
		if [ ${#a} -gt 60 ]; then a="$(printf '%.40s' "$a")...(${#a} chars)"; fi
		out_s="$out_s $a"
	done
	printf '%s' "${out_s# }"
}

# expect_run CODE OUT ERR -- CMD ARGS...
# Give TEST_DESC=... to name the case; otherwise the command line names it.
expect_run() {
	e_code=$1 e_out=$2 e_err=$3
	shift 3
	[ "$1" = -- ] && shift
	e_name=${TEST_DESC:-$(show_cmd "$@")}
	TEST_DESC=
	timeout -k 2 "$TEST_CMD_TIMEOUT" "$@" >"$tmp/out" 2>"$tmp/err"
	RC=$?
	OUT=$(cat "$tmp/out")
	ERR=$(cat "$tmp/err")
	e_why=
	# CODE is a shell pattern: 0, 7, [23] ...
	# shellcheck disable=SC2254
	case $RC in
	$e_code) code_ok=1 ;;
	*) code_ok= ;;
	esac
	if [ -z "$code_ok" ]; then
		if [ "$RC" = 124 ]; then
			e_why="timed out after ${TEST_CMD_TIMEOUT}s (expected exit $e_code)"
		else
			e_why="exit $RC, expected $e_code"
		fi
	fi
	match_stream "$e_out" "$tmp/out" || e_why="$e_why${e_why:+; }stdout does not match '$e_out'"
	match_stream "$e_err" "$tmp/err" || e_why="$e_why${e_why:+; }stderr does not match '$e_err'"
	if [ -z "$e_why" ]; then
		test_ok "$e_name"
	else
		test_fail "$e_name" "$e_why
--- stdout:
$(head -c 1500 "$tmp/out")
--- stderr:
$(head -c 1500 "$tmp/err")"
	fi
}

# json_assert NAME FILE PYEXPR: FILE is exactly one JSON document and PYEXPR
# (d = the document, re = the re module) is true.
json_assert() {
	j_msg=$(python3 - "$2" "$3" <<'EOF' 2>&1
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
try:
    d = json.loads(text)
except Exception as e:
    print("not exactly one JSON document: %s; text: %r" % (e, text[:300]))
    sys.exit(1)
try:
    ok = eval(sys.argv[2], {"d": d, "re": re, "json": json})
except Exception as e:
    print("%s: %r; document: %s" % (type(e).__name__, e, json.dumps(d)[:600]))
    sys.exit(1)
if not ok:
    print("false: %s; document: %s" % (sys.argv[2], json.dumps(d)[:600]))
    sys.exit(1)
EOF
)
	if [ $? -eq 0 ]; then
		test_ok "$1"
	else
		test_fail "$1" "$j_msg"
	fi
}

# check_true NAME CMD...: the command (a shell test, a pipeline in sh -c ...)
# exits 0.
check_true() {
	c_name=$1
	shift
	if "$@" >/dev/null 2>&1; then
		test_ok "$c_name"
	else
		test_fail "$c_name" "false: $(show_cmd "$@")"
	fi
}

# Set up the store every test starts with.
jerry_init() {
	if ! "$JERRY" init >/dev/null 2>"$tmp/init.err"; then
		test_fail "jerry init (setup)" "$(cat "$tmp/init.err")"
		return 1
	fi
}

# git_sandbox: the setting of a test of jerry in git repositories: no store
# from the environment, no system config, a fixed identity, branch main,
# and on PATH `at DIR CMD...`, which runs CMD in DIR (a program, so that
# expect_run's timeout can run it).
git_sandbox() {
	unset JERRY_DATA
	export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com \
		GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
	git config --global init.defaultBranch main || return 1
	mkdir -p "$tmp/bin" &&
		printf '#!/bin/sh\ncd "$1" || exit 1\nshift\nexec "$@"\n' >"$tmp/bin/at" &&
		chmod +x "$tmp/bin/at" || return 1
	PATH=$tmp/bin:$PATH
}

# two_clones: in a git_sandbox, a bare origin.git and two clones of it, a
# and b, each with a jerry store.
two_clones() {
	git init -q --bare origin.git || return 1
	for c in a b; do
		git clone -q origin.git "$c" 2>/dev/null && at "$c" "$JERRY" init >/dev/null ||
			return 1
	done
}

# sha of every file under a directory, for "nothing changed" assertions.
tree_sum() {
	(cd "$1" && find . -type f ! -path './locks/*' -print | LC_ALL=C sort |
		while IFS= read -r f; do printf '%s ' "$f"; cksum <"$f"; done)
}

test_done() {
	echo "# passed $test_passed failed $test_failed"
	[ "$test_failed" -eq 0 ]
	exit $?
}
