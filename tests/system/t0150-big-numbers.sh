#!/bin/bash
# One big number must not take the machine down: an item WORK-999999999
# (a hand edit, a merge from another clone) costs what WORK-004 does, and
# names past the largest number - 10 digits, 30 digits, 30 digits of
# leading zeros - are reported by check, refused by show, never parsed.
# Every command runs under a 200 MB address-space limit: memory that
# follows the largest number instead of the number of items (8 GB of
# pointers for WORK-999999999) fails there with out_of_memory.
. "$(dirname "$0")/../lib.sh"
jerry_init
D=$JERRY_DATA
for t in one two three; do "$JERRY" create "$t" >/dev/null; done
"$JERRY" dep add 2 --on 1 >/dev/null

# `small CMD...` runs CMD under the limit.  A sanitizer build reserves
# terabytes of address space at start and cannot run under it: there the
# commands run without the limit (their answers are still checked).
limit='ulimit -v 204800 && '
if ! bash -c 'ulimit -v 204800 && exec "$0" --version' "$JERRY" >/dev/null 2>&1; then
	echo "# $JERRY cannot start under a 200 MB address-space limit (a sanitizer build?): no limit"
	limit=
fi
printf '#!/bin/bash\n%sexec "$@"\n' "$limit" >"$tmp/small" && chmod +x "$tmp/small"
small=$tmp/small

# WORK-999999999, written by hand the way another clone would have it.
python3 - "$D/items/WORK-002.json" "$D/items/WORK-999999999.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d.update(id="WORK-999999999", uid=str(int(d["uid"]) + 999), title="far away",
         depends_on=[], version=1)
open(sys.argv[2], "w").write(json.dumps(d, indent=2) + "\n")
PY
big30=WORK-123456789012345678901234567890
zero30=WORK-000000000000000000000000000007
for f in "$big30" WORK-1000000000 "$zero30"; do cp "$D/items/WORK-001.json" "$D/items/$f.json"; done

# An update puts it in index.log: every reader of the index meets it.
expect_run 0 '^WORK-999999999 ' '' -- "$small" "$JERRY" update WORK-999999999 --title 'far away' --priority high
expect_run 0 '^WORK-999999999 +pending +high .*far away$' '' -- "$small" "$JERRY" list
check_true 'list: the big number last' sh -c 'tail -n 1 "$1/out" | grep -q "^WORK-999999999 "' sh "$tmp"
check_true 'list: four items, no stray file among them' test "$(grep -c '^WORK-' "$tmp/out")" -eq 4
expect_run 0 '*' '' -- "$small" "$JERRY" list --json
json_assert 'list --json: ids in number order' "$tmp/out" \
	'[x["id"] for x in d] == ["WORK-001", "WORK-002", "WORK-003", "WORK-999999999"]'
expect_run 0 '^WORK-999999999 ' '' -- "$small" "$JERRY" show WORK-999999999
expect_run 0 '^WORK-999999999 ' '' -- "$small" "$JERRY" ready

# Dependencies on it: the graph, the cycle check, the tree.
expect_run 0 '*' '' -- "$small" "$JERRY" dep add 3 --on WORK-999999999
expect_run 9 '' 'would close a cycle: WORK-999999999 -> WORK-003 -> WORK-999999999' -- \
	"$small" "$JERRY" dep add WORK-999999999 --on 3
expect_run 0 '^  WORK-999999999 ' '' -- "$small" "$JERRY" dep tree 3
expect_run 0 '*' '' -- "$small" "$JERRY" dep tree 3 --json
json_assert 'dep tree --json' "$tmp/out" \
	'[(x["id"], x["depth"]) for x in d] == [("WORK-003", 0), ("WORK-999999999", 1)]'
expect_run 0 'waits on WORK-999999999' '' -- "$small" "$JERRY" blocked
expect_run 0 '*' '' -- "$small" "$JERRY" ready --json
json_assert 'ready: the big one, not the one waiting on it' "$tmp/out" \
	'sorted(x["id"] for x in d) == ["WORK-001", "WORK-999999999"]'

# check names every file past the largest number; the big item is fine.
expect_run 7 '*' '' -- "$small" "$JERRY" check
for f in "$big30" WORK-1000000000; do
	check_true "check: $f.json is past the largest number" \
		grep -q "^stray_file .*items/$f\.json .*item number past the largest jerry can hold (999999999)" "$tmp/out"
done
check_true "check: $zero30.json is not WORK-007's name" \
	grep -q "^stray_file .*items/$zero30\.json .*item WORK-007 is named WORK-007\.json" "$tmp/out"
check_true 'check: three problems, the stray files' grep -q '^4 items checked, 3 problems$' "$tmp/out"
expect_run 0 '^reindexed 4 items$' '' -- "$small" "$JERRY" reindex
expect_run 0 '*' '' -- "$small" "$JERRY" list --json
json_assert 'after reindex: the same four' "$tmp/out" \
	'[x["id"] for x in d] == ["WORK-001", "WORK-002", "WORK-003", "WORK-999999999"]'

# IDs past the largest number: invalid input, never a path.
for id in "$big30" WORK-1000000000 1234567890123; do
	TEST_DESC="show '$id'" expect_run 2 '' "not an item ID: numbers have at most 9 digits \\(the largest is WORK-999999999\\)" -- \
		"$small" "$JERRY" show "$id"
done

# The sequence goes on from where it is, not from the big number.
expect_run 0 '=WORK-004' '' -- "$small" "$JERRY" create four
# Without it, numbering starts from the highest item - which has no next.
rm "$D/sequences.json"
expect_run 9 '' "^jerry: the sequence is exhausted: WORK-999999999 is the largest number jerry can hold" -- \
	"$small" "$JERRY" create five
check_true 'exhausted: the hint names the file' grep -q "items/WORK-999999999.json' does not belong" "$tmp/err"
check_true 'exhausted: nothing created' test "$(ls "$D/items" | grep -c '^WORK-[0-9]\{3,9\}\.json$')" -eq 5
# A sequence past the largest number is damage, not a number to go on from.
printf '{"format": 1, "WORK": 99999999999999, "last_uid": "1"}\n' >"$D/sequences.json"
expect_run 7 '^corrupt_sequence ' '' -- "$small" "$JERRY" check
expect_run 9 '' 'the sequence is exhausted' -- "$small" "$JERRY" create five
# The way out the hint gives.
mv "$D/items/WORK-999999999.json" "$tmp/"
rm "$D/sequences.json"
expect_run 0 '=WORK-005' '' -- "$small" "$JERRY" create five
test_done
