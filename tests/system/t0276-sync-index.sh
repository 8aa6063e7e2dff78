#!/bin/bash
# The index follows a sync's merge as it follows any write (issue 11): a put
# for each item file the merge writes, durable before the stage's commit
# point, and an ok after the renames - not a rebuild that reads every item
# file (what made a sync's cost grow with the store).
#   - a merge that takes the remote's change and merges one both made:
#     index.json is not rewritten, the sync opened no item file it
#     did not write, and list/show/check give the merged items;
#   - a merge that renumbers (both clones created under one number): the
#     same, and the renumbered item's old number holds the remote's item
#     in the index, its history the remote's only;
#   - killed (strace -e inject on openat, jerry alone traced) before the
#     puts, at the commit mark (the puts written), right after the
#     publish's renames (the committed stage still there: the next command
#     rolls it forward and rebuilds the index) and at the oks (the stage
#     gone, the puts unconfirmed): the next command - jerry check - finds
#     the index equal to the item files, old or merged, and the next syncs
#     converge.
. "$(dirname "$0")/../lib.sh"
git_sandbox || exit 1

if ! command -v strace >/dev/null; then
	test_fail 'strace' 'strace is needed (make deps-test installs it)'
	test_done
fi
# LeakSanitizer cannot stop the world under ptrace (see t0286).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

two_clones || exit 1
for i in $(seq 1 30); do
	at a "$JERRY" create "item $i" >/dev/null || exit 1
done
at a "$JERRY" sync >/dev/null && at b "$JERRY" sync >/dev/null || exit 1

# index.json's generation and checksum: the same when it was not rewritten.
gen() {
	printf '%s %s' "$(sed -n 2p "$1/.jerry/data/index.json" | sed 's/.*"generation":\([0-9]*\).*/\1/')" \
		"$(cksum <"$1/.jerry/data/index.json")"
}

# b's sync traced: what it opened in items/, and index.json's generation before and after.
traced_sync() {
	before=$(gen b)
	(cd b && strace -qq -o "$tmp/sync.trace" -e trace=openat "$JERRY" sync) >/dev/null 2>"$tmp/sync.err"
	rc=$?
	after=$(gen b)
	opened=$(grep -o '"\(items/\)\{0,1\}WORK-[0-9]*\.json"' "$tmp/sync.trace" | tr -d '"' |
		sed 's,^items/,,' | sort -u | tr '\n' ' ')
}

only_opened() {
	for f in $opened; do
		case " $* " in *" $f "*) ;; *) return 1 ;; esac
	done
}

# 1. a changes WORK-005 and WORK-007, b changes WORK-007 and WORK-009.
at a "$JERRY" update 5 --title 'five from a' >/dev/null
at a "$JERRY" update 7 --assignee alice >/dev/null
at a "$JERRY" sync >/dev/null
at b "$JERRY" update 7 --title 'seven from b' >/dev/null
at b "$JERRY" update 9 --title 'nine from b' >/dev/null
traced_sync
check_true 'the merge sync succeeded' test "$rc" -eq 0
check_true "index.json not rewritten ($before, then $after): no rebuild" \
	test -n "$before" -a "$before" = "$after"
check_true "the sync opened no item file but the merge's ($opened)" \
	only_opened WORK-005.json WORK-007.json
TEST_DESC='list: the merged items' expect_run 0 "*" "" -- at b "$JERRY" list --all --json
json_assert 'five and seven merged, nine kept' "$tmp/out" \
	"len(d) == 30 and {i['id']: i['title'] for i in d}['WORK-005'] == 'five from a' and \
	 {i['id']: (i['title'], i['assignee']) for i in d}['WORK-007'] == ('seven from b', 'alice') and \
	 {i['id']: i['title'] for i in d}['WORK-009'] == 'nine from b'"
TEST_DESC='check: clean after the merge' expect_run 0 ' 0 problems$' "" -- at b "$JERRY" check

# 2. Both create under WORK-031: b's is renumbered, a's takes the number.
at a "$JERRY" create 'a new' >/dev/null
at a "$JERRY" sync >/dev/null
at b "$JERRY" create 'b new' >/dev/null
traced_sync
check_true 'the renumbering sync succeeded' test "$rc" -eq 0
check_true "the sync opened no item file but the merge's ($opened)" \
	only_opened WORK-031.json WORK-032.json
TEST_DESC='show: WORK-031 is a'"'"'s item' expect_run 0 "*" "" -- at b "$JERRY" show 31 --json
json_assert "a's item under its number" "$tmp/out" "d['title'] == 'a new'"
TEST_DESC='show: WORK-032 is b'"'"'s item, renumbered' expect_run 0 "*" "" -- at b "$JERRY" show 32 --json
json_assert "b's item under the next number" "$tmp/out" \
	"d['title'] == 'b new' and d['renumbered_from'] == ['WORK-031']"
TEST_DESC="history: WORK-031's is a's alone" expect_run 0 "*" "" -- at b "$JERRY" history 31 --json
json_assert 'one create, not b'"'"'s' "$tmp/out" "len(d) == 1 and d[0]['op'] == 'create'"
TEST_DESC='check: clean after the renumbering' expect_run 0 ' 0 problems$' "" -- at b "$JERRY" check
at b "$JERRY" reindex >/dev/null
TEST_DESC='the index equals a rebuilt one' expect_run 0 ' 0 problems$' "" -- at b "$JERRY" check

# 3. Kill points, each from a fresh copy of a merge about to happen.
at a "$JERRY" update 3 --title 'three from a' >/dev/null
at a "$JERRY" sync >/dev/null
at b "$JERRY" update 4 --title 'four from b' >/dev/null
rm -rf tpl && mkdir tpl && cp -a origin.git a b tpl/ || exit 1
fresh() {
	rm -rf w && cp -a tpl w &&
		git -C w/a remote set-url origin "$tmp/w/origin.git" &&
		git -C w/b remote set-url origin "$tmp/w/origin.git"
}
fresh
(cd w/b && strace -qq -o "$tmp/ref.trace" -e trace=openat,renameat "$JERRY" sync) >/dev/null
# Ordinals among the reference sync's openat calls: its last open of
# index.log for appending before the commit mark (the puts'), the mark's, and
# the first such open after the publish's renames (the oks').
puts=$(awk 'index($0, "openat(") == 1 { k++ } /^openat\(.*"commit"/ { exit }
	    /^openat\(.*"index\.log", O_RDWR/ { m = k } END { print m }' "$tmp/ref.trace")
mark=$(awk 'index($0, "openat(") == 1 { k++; if ($0 ~ /"commit"/) { print k; exit } }' "$tmp/ref.trace")
oks=$(awk 'index($0, "openat(") == 1 { k++ } /^renameat\(.*"(items|history)\.WORK-/ { r = 1 }
	   r && /^openat\(.*"index\.log", O_RDWR/ { print k; exit }' "$tmp/ref.trace")
last=$(awk 'index($0, "openat(") == 1 { k++ } /^renameat\(.*"(items|history)\.WORK-/ { m = k + 1 }
	    END { print m }' "$tmp/ref.trace")
check_true "the reference sync appended to the log before the commit mark (#$puts < #$mark) and after the renames (#$oks)" \
	test -n "$puts" -a -n "$mark" -a -n "$oks" -a -n "$last" && test "$puts" -lt "$mark"
for point in "$puts:the puts:item 3" "$mark:the commit mark, the puts written:item 3" \
	     "$last:the first open after the publish's renames, the stage still there:three from a" \
	     "$oks:the oks, the files published:three from a"; do
	IFS=: read -r at what three <<<"$point"
	fresh
	{ (cd w/b && exec strace -qq -o /dev/null -e trace=openat \
		-e inject="openat:signal=SIGKILL:when=$at" "$JERRY" sync) >/dev/null 2>&1; } 2>/dev/null
	check_true "killed at $what (openat #$at): the sync died" test $? -eq 137
	stage=$(ls -d w/b/.jerry/data/tmp/sync-stage-* 2>/dev/null)
	case $what in
	'the puts') ;;
	*commit*|*renames*)
		# Away from the commit point until the files are in: a writer that
		# had the store open rebuilds it (rolling the stage forward) first.
		check_true "killed at $what: index.json waits in the stage" \
			test ! -e w/b/.jerry/data/index.json -a -f "$stage/index.json" ;;
	*) check_true "killed at $what: index.json is back, the stage gone" \
			test -f w/b/.jerry/data/index.json -a -z "$stage" ;;
	esac
	TEST_DESC="killed at $what: check is clean" \
		expect_run 0 ' 0 problems$' "" -- at w/b "$JERRY" check
	if [ "$at" = "$mark" ]; then
		check_true "killed at $what: the stage removed, index.json put back as it was" \
			cmp -s w/b/.jerry/data/index.json tpl/b/.jerry/data/index.json
	fi
	TEST_DESC="killed at $what: list" expect_run 0 "*" "" -- at w/b "$JERRY" list --all --json
	json_assert "killed at $what: the index is as the files are" "$tmp/out" \
		"{i['id']: i['title'] for i in d}['WORK-003'] == '$three' and \
		 {i['id']: i['title'] for i in d}['WORK-004'] == 'four from b'"
	at w/b "$JERRY" sync >/dev/null 2>"$tmp/resync.err" && at w/a "$JERRY" sync >/dev/null 2>>"$tmp/resync.err"
	check_true "killed at $what: the next syncs succeed" test $? -eq 0
	TEST_DESC="killed at $what: check is clean after them" \
		expect_run 0 ' 0 problems$' "" -- at w/b "$JERRY" check
	TEST_DESC="killed at $what: WORK-003 merged" expect_run 0 "*" "" -- at w/b "$JERRY" show 3 --json
	json_assert "killed at $what: a's title" "$tmp/out" "d['title'] == 'three from a'"
done

test_done
