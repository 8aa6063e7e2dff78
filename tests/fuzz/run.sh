#!/bin/sh
# run.sh SECONDS - build the libFuzzer targets (clang, ASan+UBSan) and run
# each for SECONDS: the command-line parser (tests/fuzz/fuzz_cli.c) and the
# item codec (tests/features/fuzz_codec.c, seeded from tests/fuzz/seeds-codec/
# with index lines and an item file).  A finding keeps its input in
# build/fuzz/artifacts/ and fails the run.  make fuzz: 300 s each;
# make check: a short run.
set -u
secs=${1:-300}
cd "$(dirname "$0")/../.."
B=build/fuzz
art=$B/artifacts
mkdir -p "$art" "$B/corpus-cli" "$B/corpus-codec"
sh scripts/deps.sh build test || exit 1
# Every face's objects but main's, as the jerry binary links them (the
# board's server is in jerry-serve, not here: src/cli/serve_exec.c).
objs="$(ls src/cli/*.c src/mcp/*.c | grep -v '/main\.c$' | grep -v '/serve_here\.c$' |
	sed "s|^|$B/obj/|; s|\.c\$|.o|")"
if ! make -s B=$B CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined" $B/libjerry.a $objs >"$B/make.log" 2>&1; then
	cat "$B/make.log"
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi
pass=0 fail=0
fuzz() {
	name=$1 src=$2 extra=$3
	shift 3
	if ! clang -O1 -g -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
		$(pkg-config --cflags jansson) "$src" $extra $B/libjerry.a \
		$(pkg-config --libs jansson yaml-0.1) -o "$B/$name" 2>"$B/$name.log"; then
		cat "$B/$name.log"
		echo "FAIL fuzz: $name does not build"
		fail=$((fail + 1))
		return
	fi
	if "$B/$name" -max_total_time="$secs" -artifact_prefix="$art/$name-" -close_fd_mask=2 \
		-print_final_stats=1 "$@" >"$B/$name.out" 2>&1; then
		echo "ok   fuzz: $name, $(grep -o 'Done [0-9]* runs' "$B/$name.out" || echo 'no run count'), ${secs}s"
		pass=$((pass + 1))
	else
		tail -40 "$B/$name.out"
		echo "FAIL fuzz: $name found a problem; the input is in $art/"
		fail=$((fail + 1))
	fi
}
fuzz fuzz_cli tests/fuzz/fuzz_cli.c "$objs" -max_len=1024 "$B/corpus-cli"
# Seeds: jerry's own index lines, so the fast path's accepting side is
# reached at once (new inputs go to the first directory only).
fuzz fuzz_codec tests/features/fuzz_codec.c "" -max_len=16384 "$B/corpus-codec" tests/fuzz/seeds-codec
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
