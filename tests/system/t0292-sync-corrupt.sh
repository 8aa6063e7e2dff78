#!/bin/bash
# jerry sync never publishes nor takes a file jerry check would not find
# clean (ADR 0020).  A damaged items/WORK-001.json was pushed with exit 0
# and replaced every other clone's good copy; a hand-pushed commit holding
# `{bad`, items/notes.txt, or WORK-001 under items/WORK-012.json was taken
# with exit 0 and every clone then failed check.  Now: exit 7 naming the
# file, nothing published, nothing written.
. "$(dirname "$0")/../lib.sh"
git_sandbox || exit 1
two_clones || exit 1

at a "$JERRY" create one >/dev/null
at a "$JERRY" sync >/dev/null
at b "$JERRY" sync >/dev/null
good=$(git -C origin.git rev-parse refs/jerry/data)

# Outgoing: a damaged item here is not pushed.
cp a/.jerry/data/items/WORK-001.json one.json
echo '{"oops' >a/.jerry/data/items/WORK-001.json
TEST_DESC='a damaged item here: exit 7, named' \
	expect_run 7 '' "^jerry: '.*/a/.jerry/data/items/WORK-001.json' is not valid JSON" \
	-- at a "$JERRY" sync
check_true 'the hint says nothing was published' grep -q "^hint: nothing was published" "$tmp/err"
check_true 'the remote did not move' test "$(git -C origin.git rev-parse refs/jerry/data)" = "$good"
cp one.json a/.jerry/data/items/WORK-001.json
echo 'scratch' >a/.jerry/data/items/notes.txt
TEST_DESC='a stray file in items/: exit 7, named' \
	expect_run 7 '' "^jerry: cannot sync: '.*/a/.jerry/data/items/notes.txt' is not a file of the record" \
	-- at a "$JERRY" sync
check_true 'the remote did not move' test "$(git -C origin.git rev-parse refs/jerry/data)" = "$good"
rm a/.jerry/data/items/notes.txt
TEST_DESC='repaired, a syncs' expect_run 0 '*' '' -- at a "$JERRY" sync

# Incoming: a commit pushed by hand onto refs/jerry/data with one bad file.
git clone -q origin.git evil 2>/dev/null
git -C evil fetch -q origin "+refs/jerry/data:refs/jerry/good"
push_bad() { # path content-file
	GIT_INDEX_FILE=$tmp/evil.idx git -C evil read-tree refs/jerry/good &&
		blob=$(git -C evil hash-object -w "$tmp/$2") &&
		GIT_INDEX_FILE=$tmp/evil.idx git -C evil update-index --add --cacheinfo "100644,$blob,$1" &&
		tree=$(GIT_INDEX_FILE=$tmp/evil.idx git -C evil write-tree) &&
		commit=$(git -C evil commit-tree "$tree" -p refs/jerry/good -m bad) &&
		git -C evil push -q -f origin "$commit:refs/jerry/data"
}
printf '{bad' >bad.json
while IFS='|' read -r path file msg; do
	push_bad "$path" "$file" || echo "cannot push $path" >&2
	tree_sum b/.jerry/data >before
	TEST_DESC="$path from the remote: exit 7, named" \
		expect_run 7 '' "^jerry: .*origin's $path.* $msg" -- at b "$JERRY" sync
	check_true "($path) the hint says nothing was taken" grep -q "^hint: nothing was taken" "$tmp/err"
	tree_sum b/.jerry/data >after
	check_true "($path) nothing changed in b" cmp -s before after
	TEST_DESC="($path) b's check is clean" expect_run 0 ' 0 problems$' '' -- at b "$JERRY" check
done <<LIST
items/WORK-010.json|bad.json|is not valid JSON
items/notes.txt|bad.json|is not a file of the record
items/WORK-012.json|one.json|holds item WORK-001, not WORK-012
LIST
git -C evil push -q -f origin "refs/jerry/good:refs/jerry/data"
TEST_DESC='the remote repaired, b syncs' expect_run 0 '*' '' -- at b "$JERRY" sync

test_done
