#!/bin/sh
# validate.sh [JERRY] [ci|full|sensitivity] - the seed's validation matrix,
# executable (doc/adr/0004-validation.md).
#
#   ci           every scenario, CI-sized rounds (a few minutes on 2 cores)
#   full         every scenario, thorough rounds, plus the fault loop under
#                AddressSanitizer/LeakSanitizer/UBSan
#   sensitivity  build jerry without locks, without fsync and with in-place
#                writes, and show the scenarios that exist for each break fail
#
# Installs the Debian packages it needs when run as root (otherwise prints
# the apt-get line), builds the fault-injection build and the FUSE delay
# filesystem, runs behave on tests/features, and prints a table: scenario,
# what was tried, how many times, what was lost, PASS/FAIL/SKIP(reason).
# The last line is `validate: N passed, N failed` (`, N skipped` may follow).
set -u
JERRY=${1:-build/jerry}
MODE=${2:-ci}
case $JERRY in /*) ;; *) JERRY=$(pwd)/$JERRY ;; esac
cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)
OUT=$ROOT/build/validate
mkdir -p "$OUT/bin"

case $MODE in ci|full|sensitivity) ;; *)
	echo "usage: sh tests/validate.sh [JERRY] [ci|full|sensitivity]" >&2; exit 2 ;;
esac

# ---- Debian packages ------------------------------------------------------------
# scripts/deps.sh probes and installs them (as root) or names them all; a
# scenario whose tool is still missing says SKIP with the reason.
sh scripts/deps.sh build validate ||
	echo "validate: going on without them; scenarios needing them will SKIP"
PATH=$PATH:/usr/sbin:/sbin
export PATH
BEHAVE=$(command -v behave || true)
if [ -z "$BEHAVE" ]; then
	echo "validate: behave (python3-behave) is not installed"
	echo "validate: 0 passed, 1 failed"
	exit 1
fi

snapshot() {  # $1 source $2 name
	rm -f "$OUT/bin/$2"
	[ -x "$1" ] && cp "$1" "$OUT/bin/$2"
}

# ---- what the scenarios need -----------------------------------------------------------
# The binary under test is copied, so a rebuild during the run cannot change it.
build_helpers() {
	if [ -e /usr/include/fuse3/fuse.h ]; then
		cc -O2 -Wall -o "$OUT/delayfs" tests/features/delayfs.c \
			$(pkg-config --cflags --libs fuse3) || echo "validate: cannot build delayfs (FS-003 will SKIP)"
	fi
	# libFuzzer target for the codec (HI-004): the library built with coverage
	if make -s B=build/fuzz CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined" \
		build/fuzz/libjerry.a >"$OUT/make-fuzz.log" 2>&1; then
		clang -O1 -g -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
			$(pkg-config --cflags jansson 2>/dev/null) tests/features/fuzz_codec.c \
			build/fuzz/libjerry.a -ljansson -o "$OUT/fuzz_codec" >>"$OUT/make-fuzz.log" 2>&1 ||
			{ rm -f "$OUT/fuzz_codec"; echo "validate: cannot link the fuzzer (HI-004 will SKIP)"; }
	else
		rm -f "$OUT/fuzz_codec"
		echo "validate: cannot build the fuzz library (HI-004 will SKIP):"; tail -5 "$OUT/make-fuzz.log"
	fi
	# A stale binary from an older tree must not stand in for a failed build.
	if make -s fault >"$OUT/make-fault.log" 2>&1; then
		snapshot build/fault/jerry jerry-fault
	else
		rm -f "$OUT/bin/jerry-fault"
		echo "validate: make fault failed (fault scenarios will SKIP):"; tail -5 "$OUT/make-fault.log"
	fi
	rm -f "$OUT/bin/jerry-fault-asan"
	if [ "$MODE" = full ]; then
		if make -s B=build/fault-asan CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer" \
			EXTRA_CFLAGS="-DJERRY_FAULT_INJECTION -fsanitize=address,undefined" \
			build/fault-asan/jerry >"$OUT/make-asan.log" 2>&1; then
			snapshot build/fault-asan/jerry jerry-fault-asan
		else
			echo "validate: the ASan fault build failed (FL-004 will SKIP):"; tail -5 "$OUT/make-asan.log"
		fi
	fi
}

run_behave() {  # $1 binary  $2 results file  $3 mode  $4.. behave options
	bin=$1 res=$2 m=$3
	shift 3
	rm -f "$res"
	JERRY=$bin VALIDATE_MODE=$m VALIDATE_RESULTS=$res \
	JERRY_FAULT_BIN=$OUT/bin/jerry-fault JERRY_ASAN_BIN=$OUT/bin/jerry-fault-asan \
		"$BEHAVE" --no-capture --no-capture-stderr --no-logcapture -k \
		-f progress -o /dev/stdout -f plain -o "$res.log" "$@" tests/features
}


start=$(date +%s)
if [ "$MODE" != sensitivity ]; then
	if [ ! -x "$JERRY" ]; then
		echo "validate: no jerry binary at $JERRY (run make first)"
		echo "validate: 0 passed, 1 failed"
		exit 1
	fi
	snapshot "$JERRY" jerry
	build_helpers
	tags=
	[ "$MODE" = ci ] && tags="--tags=~@full"
	run_behave "$OUT/bin/jerry" "$OUT/results-$MODE.jsonl" "$MODE" $tags
	brc=$?
	echo
	echo "jerry validation matrix ($MODE mode, $(($(date +%s) - start)) s, binary $JERRY)"
	echo
	python3 tests/features/report.py matrix "$OUT/results-$MODE.jsonl" "$brc"
	exit $?
fi

# ---- sensitivity: each harness must fail a deliberately broken build ----------------------
# variant:define:scenario tags it must fail (every listed ID has to catch it)
specs=
for v in locks:JERRY_BREAK_LOCKS:HP-001,EC-001,EC-004,HC-001 \
	 inplace:JERRY_BREAK_INPLACE:HP-002,EC-002 \
	 fsync:JERRY_BREAK_FSYNC:PC-001,PC-002; do
	name=${v%%:*} rest=${v#*:}
	def=${rest%%:*} ids=${rest#*:}
	b=build/broken-$name
	echo "validate: building $b (-D$def)"
	if make -s B=$b EXTRA_CFLAGS=-D$def $b/jerry >"$OUT/make-$name.log" 2>&1; then
		snapshot $b/jerry "jerry-broken-$name"
	else
		rm -f "$OUT/bin/jerry-broken-$name"
		echo "validate: cannot build $b:"; tail -5 "$OUT/make-$name.log"
	fi
	tagargs=
	for id in $(echo "$ids" | tr ',' ' '); do tagargs="$tagargs,@$id"; done
	echo "validate: running ${ids} against $b"
	run_behave "$OUT/bin/jerry-broken-$name" "$OUT/sens-$name.jsonl" ci "--tags=${tagargs#,}" >"$OUT/sens-$name.out" 2>&1
	case $name in
	locks) label="no-locks" ;; inplace) label="in-place-write" ;; fsync) label="no-fsync" ;;
	esac
	specs="$specs $label=$OUT/sens-$name.jsonl:$ids"
done
echo
echo "jerry sensitivity controls ($(($(date +%s) - start)) s): each broken build must FAIL these scenarios"
echo
# Scenarios that fail against the real build as well (a product bug) are left
# out of the verdict: only a scenario that passes there proves anything here.
ref=
[ -s "$OUT/results-ci.jsonl" ] && ref="--reference=$OUT/results-ci.jsonl" &&
	echo "(scenarios that also fail in $OUT/results-ci.jsonl are not counted)" && echo
python3 tests/features/report.py sensitivity $ref $specs
