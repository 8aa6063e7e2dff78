#!/bin/bash
# jerry sync reads the remote's files through one `git cat-file --batch`
# per round (issue 11).  A cat-file that dies, stops listening, ends in the
# middle of a file, answers garbage or has none of the files asked for is a
# storage error (exit 6) that changes nothing here: the record, its history,
# refs/jerry/data, no stage left behind, the index whole (check is clean); jerry is not killed by a SIGPIPE;
# and the next sync with a sound git brings everything in.  Files bigger
# than 64 KiB (an item with many notes, its history) arrive whole.
. "$(dirname "$0")/../lib.sh"
git_sandbox || exit 1

git init -q --bare origin.git
for c in a b; do
	git clone -q origin.git "$c" 2>/dev/null
	at "$c" "$JERRY" init >/dev/null
done
for i in 1 2 3; do
	at a "$JERRY" create "item $i" >/dev/null
done
at a "$JERRY" sync >/dev/null
at b "$JERRY" sync >/dev/null
# What b does not have yet: changes and a new item.
for i in 1 2 3; do
	at a "$JERRY" update "$i" --title "item $i, changed" >/dev/null
done
at a "$JERRY" create 'item 4' >/dev/null
at a "$JERRY" sync >/dev/null

# A git whose cat-file (any form) is broken in one way, $BREAK: it exits at
# once; it answers one request and stops listening (the next request is
# EPIPE, a SIGPIPE without MSG_NOSIGNAL); it ends in the middle of a file;
# its headers are garbage; it has no object at all.
real=$(command -v git)
mkdir brokengit
cat >brokengit/git <<EOF
#!/bin/bash
[ "\$3" = cat-file ] || exec "$real" "\$@"
case \$BREAK in
dies) exit 128 ;;
deaf) read -r l; exec 0<&-; printf '%s\n' "\$l" | "$real" "\$@" ;;
short) exec "$real" "\$@" > >(head -c 300) ;;
garbage) "$real" "\$@" | sed -u 's/^\([0-9a-f]\{40,\}\) blob \([0-9]*\)\$/\1 blob \2 x/' ;;
missing) while read -r l; do echo "\$l missing"; done ;;
esac
EOF
chmod +x brokengit/git

state() { # clone: the record, its history and refs, the stages left
	tree_sum "$1/.jerry/data/items"
	tree_sum "$1/.jerry/data/history"
	git -C "$1" for-each-ref refs/jerry/data
	ls "$1/.jerry/data/tmp" 2>/dev/null | grep '^sync-stage-'
}

for mode in dies deaf short garbage missing; do
	rm -rf w && cp -a b w
	state w >before
	TEST_DESC="cat-file that $mode: a storage error" \
	expect_run 6 '' "'git cat-file --batch' failed|git has no object" -- \
		env BREAK=$mode PATH="$tmp/brokengit:$PATH" at w "$JERRY" sync
	state w >after
	check_true "cat-file that $mode: nothing changed here" cmp -s before after
	TEST_DESC="cat-file that $mode: check is clean after it" \
	expect_run 0 ' 0 problems' '' -- at w "$JERRY" check
	TEST_DESC="cat-file that $mode: the next sync brings it all in" \
	expect_run 0 'synced with origin' '' -- at w "$JERRY" sync
	check_true "cat-file that $mode: the items are the remote's" \
		diff -r a/.jerry/data/items w/.jerry/data/items
	check_true "cat-file that $mode: the history is the remote's" \
		diff -r a/.jerry/data/history w/.jerry/data/history
done

# An item and a history over 64 KiB arrive whole (jr_git's output stops there).
note=$(head -c 2000 /dev/zero | tr '\0' 'n')
for i in $(seq 1 36); do
	at a "$JERRY" note 1 "note $i $note" >/dev/null
done
at a "$JERRY" sync >/dev/null
check_true 'the item and its history are over 64 KiB' \
	test "$(wc -c <a/.jerry/data/items/WORK-001.json)" -gt 65536 -a \
	"$(wc -c <a/.jerry/data/history/WORK-001.jsonl)" -gt 65536
TEST_DESC='a sync bringing in a long history' \
expect_run 0 'synced with origin' '' -- at b "$JERRY" sync
check_true 'the long history arrives whole' \
	cmp a/.jerry/data/history/WORK-001.jsonl b/.jerry/data/history/WORK-001.jsonl
check_true 'the long item arrives whole' \
	cmp a/.jerry/data/items/WORK-001.json b/.jerry/data/items/WORK-001.json
expect_run 0 ' 0 problems' '' -- at b "$JERRY" check

test_done
