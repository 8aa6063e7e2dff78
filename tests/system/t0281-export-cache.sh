#!/bin/bash
# jerry export's cache, tmp/export.cache (doc/FORMAT.md "The export cache",
# ADR 0024): a plain export reads it while items/ is as it was when it was
# built, and otherwise reads the item files and builds it again. Its output
# is always the files' export, byte for byte: after changes, with filters,
# whatever the cache holds - torn, empty, garbage, of another version or
# another directory, a damaged record - and in a store it cannot write.
. "$(dirname "$0")/../lib.sh"
jerry_init
D=$JERRY_DATA
C=$D/tmp/export.cache

"$JERRY" create 'first' -l ui -p high -d 'the description' >/dev/null     # 1
"$JERRY" create 'second' -t bug >/dev/null                               # 2
"$JERRY" create 'third' >/dev/null                                       # 3
"$JERRY" create 'fourth' -d 'tab	and "quotes"' >/dev/null                # 4
"$JERRY" note 1 'a note' >/dev/null
"$JERRY" start 2 >/dev/null && "$JERRY" done 2 >/dev/null

# A directory changed in the clock tick a build begins gets no cache (its
# next change could go unseen): tests that need one date items/ back first.
age() { touch -d '1 hour ago' "$D/items"; }

# same_as_files LABEL ARGS: export ARGS as it is now (with whatever cache
# there is), then again with no cache (the item files): the same bytes.
same_as_files() {
	s_label=$1
	shift
	"$JERRY" export "$@" >"$tmp/with" 2>&1
	mv "$C" "$tmp/aside" 2>/dev/null
	"$JERRY" export "$@" >"$tmp/files" 2>&1
	rm -f "$C"
	mv "$tmp/aside" "$C" 2>/dev/null
	check_true "$s_label" cmp "$tmp/with" "$tmp/files"
}

lacks() { ! grep -q "$1" "$2"; }

# recheck FILE: every record's check recomputed (export_cache.c's), after a
# test changed a line: the cache is then valid and read as it stands.
recheck() {
	python3 - "$1" <<'PY'
import sys
M = (1 << 64) - 1
def check(num, data):
    h = 0x9e3779b97f4a7c15 ^ ((num * 0xff51afd7ed558ccd) & M) ^ len(data)
    i = 0
    while len(data) - i >= 8:
        w = int.from_bytes(data[i:i + 8], "little")
        h = ((h ^ w) * 0x100000001b3) & M
        h ^= h >> 29
        i += 8
    rest = data[i:]
    w = int.from_bytes(rest + b"\0" * (8 - len(rest)), "little")
    h = ((h ^ w ^ (len(rest) << 56)) * 0xc4ceb9fe1a85ec53) & M
    return h ^ (h >> 32)
raw = open(sys.argv[1], "rb").read()
head, rest = raw.split(b"\n", 1)
out = [head + b"\n"]
while rest:
    rh, rest = rest.split(b"\n", 1)
    num, length, _, *stamp = rh.split(b" ")
    line, rest = rest[:int(length)], rest[int(length):]
    line = line.replace(b'"title":"second"', b'"title":"FROM THE CACHE"')
    out.append(b" ".join([b"%d %d %016x" % (int(num), len(line), check(int(num), line))] + stamp) +
               b"\n" + line)
open(sys.argv[1], "wb").write(b"".join(out))
PY
}

# An export builds the cache: its header, then one record an item.
age
expect_run 0 '*' '' -- "$JERRY" export
check_true 'an export builds tmp/export.cache' test -s "$C"
check_true 'the cache: its format and the export format first' \
	grep -q '^jerry-export-cache 1 1 ' "$C"
check_true 'the cache: one record an item, filter or not' \
	test "$(grep -c '^{"id":"WORK-' "$C")" -eq 4
same_as_files 'export with the cache: the bytes of the files' --all
same_as_files 'export of the open items with the cache' 
same_as_files 'a filtered export beside the cache' --all -t bug -s done
check_true 'a .gitignore rule that covers the cache (tmp/)' grep -qx '/tmp/' "$D/.gitignore"

# The cache is what a current plain export reads: a line changed in it (its
# check recomputed) is what comes out, until items/ changes.
age
"$JERRY" export >/dev/null
cp "$C" "$tmp/good"
recheck "$C"
cp "$C" "$tmp/tampered"
expect_run 0 '*' '' -- "$JERRY" export --all
check_true 'a current cache is read' grep -q '"title":"FROM THE CACHE"' "$tmp/out"
same_as_files 'a filtered export reads the files' --all -t bug
# Another item written: items/ changed, so each line is taken only if its
# file is the one it was made from (inode, size, times) - WORK-002's is.
"$JERRY" update 3 -p low >/dev/null
expect_run 0 '*' '' -- "$JERRY" export --all
check_true "after another item's update: an unchanged file's line from the cache" \
	grep -q '"title":"FROM THE CACHE"' "$tmp/out"
check_true "... and the updated item's from its file" grep -q '"id":"WORK-003".*"priority":"low"' "$tmp/out"
# WORK-002 itself written: its line comes from its file.
"$JERRY" update 2 -p low >/dev/null
same_as_files 'after an update of that item: the files again' --all
check_true 'its stale line is not read' lacks 'FROM THE CACHE' "$tmp/with"

# A file changed in the clock tick the build began, or later (here: dated
# an hour ahead), could change again within that tick unseen: its record
# gets no stamp, so its line is never taken once items/ changed.
touch -d '1 hour' "$D/items/WORK-003.json"
age
"$JERRY" export >/dev/null
check_true 'a file dated after the build began: its record has no stamp' \
	grep -qE '^3 [0-9]+ [0-9a-f]{16} 0 0 0 0 0 0$' "$C"
check_true 'a file dated before: its record has one' \
	grep -qE '^2 [0-9]+ [0-9a-f]{16} [1-9][0-9]* [1-9][0-9]* [1-9]' "$C"
# An item file edited in place (same inode, new times) is read from its file
# once items/ changed: its stamp moved.
sed 's/"title": "second"/"title": "edited in place"/' "$D/items/WORK-002.json" >"$tmp/e2"
cat "$tmp/e2" >"$D/items/WORK-002.json"
"$JERRY" note 4 'items/ changes' >/dev/null
expect_run 0 '*' '' -- "$JERRY" export --all
check_true 'an edit in place, then another write: the edit is exported' \
	grep -q '"title":"edited in place"' "$tmp/out"
"$JERRY" reindex >/dev/null
"$JERRY" update 2 --title second >/dev/null

# Each change, after a current cache: the export is the files'.
for change in "update 1 --title renamed" "note 3 later" "create fifth" "start 1" "done 1" \
	"dep add 3 --on 4" "update 4 --add-label x"; do
	age
	"$JERRY" export >/dev/null
	# shellcheck disable=SC2086
	"$JERRY" $change >/dev/null || test_fail "$change" "jerry $change failed"
	same_as_files "export after '$change'" --all
	same_as_files "open items after '$change'"
	same_as_files "export -t task after '$change'" -t task
done

# Two exports at once: each whole, the cache left valid.
age
"$JERRY" export --all >"$tmp/p1" & "$JERRY" export --all >"$tmp/p2"
wait
same_as_files 'after two exports at once' --all
check_true 'two exports at once: the first whole' cmp "$tmp/p1" "$tmp/files"
check_true 'two exports at once: the second whole' cmp "$tmp/p2" "$tmp/files"

# An item file edited in place leaves items/ as it was: `jerry reindex`
# (which drops the cache) makes export see it, as it makes list see it.
age
"$JERRY" export >/dev/null
sed 's/"title": "fifth"/"title": "edited in place"/' "$D/items/WORK-005.json" >"$tmp/e5"
cat "$tmp/e5" >"$D/items/WORK-005.json"
"$JERRY" reindex >/dev/null
check_true 'reindex removes the cache' test ! -e "$C"
expect_run 0 '*' '' -- "$JERRY" export --all
check_true 'after reindex: the edit in place' grep -q '"title":"edited in place"' "$tmp/out"

# A damaged cache is read up to its first bad record, or not at all; each
# case below starts from the tampered cache, whose every record is valid,
# so a check that let the damage through would show "FROM THE CACHE".
age
"$JERRY" export >/dev/null
recheck "$C"
cp "$C" "$tmp/tampered"
hdr=$(head -n 1 "$C")
broken() {
	b_label=$1
	check_true "$b_label: made" test -e "$C"
	same_as_files "$b_label: the files' export" --all
	check_true "$b_label: not read" lacks 'FROM THE CACHE' "$tmp/with"
}
sed '1s/^jerry-export-cache 1 1 /jerry-export-cache 0 1 /' "$tmp/tampered" >"$C"
broken 'a cache of another version'
sed '1s/^jerry-export-cache 1 1 /jerry-export-cache 1 2 /' "$tmp/tampered" >"$C"
broken 'a cache of another export format'
# the inode of items/ (the header's fourth field) another's: a copied store
python3 - "$tmp/tampered" "$C" <<'PY'
import sys
raw = open(sys.argv[1], "rb").read()
head, rest = raw.split(b"\n", 1)
f = head.split(b" ")
f[4] = b"%020d" % (int(f[4]) + 1)
open(sys.argv[2], "wb").write(b" ".join(f) + b"\n" + rest)
PY
broken 'a cache of another directory'
sed 's/FROM THE CACHE/FROM THE CACHF/' "$tmp/tampered" >"$C"
broken 'a record whose check fails'
# torn inside WORK-002's record: the records before it stand, the rest is read
off=$(grep -b -o 'FROM THE CACHE' "$tmp/tampered" | head -n 1 | cut -d: -f1)
head -c "$((off + 4))" "$tmp/tampered" >"$C"
broken 'a torn cache'
# ... and the export after that one too: the torn cache, read again up to
# its tear, never replaced by a cache of the part after it alone.
head -c "$((off + 4))" "$tmp/tampered" >"$C"
"$JERRY" export --all >/dev/null
expect_run 0 '*' '' -- "$JERRY" export --all
check_true 'a torn cache: the second export has every item' \
	test "$(grep -c '^{"id":"WORK-' "$tmp/out")" -eq "$(grep -c '^{"id":"WORK-' "$tmp/files")"
: >"$C"
broken 'an empty cache'
head -c 4096 /dev/urandom >"$C"
broken 'a cache of garbage'
printf '%s\n' "$hdr" >"$C"
broken 'a cache of its header alone'
# the count says four, one record is there
head -n 3 "$tmp/tampered" >"$C"
broken 'a cache that ends early'
cp "$tmp/good" "$C"
same_as_files 'a cache of an older items/ is not read' --all

# A store that cannot be written: export works, from the files, and
# leaves no cache; a cache there is read.
rm -f "$C"
chmod -R a+rX "$tmp"
cat >"$tmp/nob" <<EOF2
#!/bin/sh
exec setpriv --reuid=nobody --regid=nogroup --clear-groups env JERRY_DATA="$D" JERRY_SYNC=off HOME=/ "\$@"
EOF2
chmod 755 "$tmp/nob"
mkdir "$tmp/nobody-bin" && cp "$JERRY" "$tmp/nobody-bin/jerry" && chmod 755 "$tmp/nobody-bin/jerry" || exit 1
"$JERRY" export --all >"$tmp/files"
rm -f "$C"
chmod -R a-w "$D"
expect_run 0 '*' '' -- "$tmp/nob" "$tmp/nobody-bin/jerry" export --all
check_true 'a read-only store: the export' cmp "$tmp/out" "$tmp/files"
check_true 'a read-only store: no cache' test ! -e "$C"
# (root may write there; nobody then reads what root built)
age
"$JERRY" export >/dev/null
recheck "$C"
expect_run 0 '*' '' -- "$tmp/nob" "$tmp/nobody-bin/jerry" export --all
check_true 'a read-only store reads its cache' grep -q 'FROM THE CACHE' "$tmp/out"
chmod -R u+w "$D"

test_done
