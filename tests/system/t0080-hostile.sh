#!/bin/bash
# Hostile input and hostile environments: bad IDs, planted symlinks, huge
# input, closed or full standard streams, a read-only store.
. "$(dirname "$0")/../lib.sh"
jerry_init
D=$JERRY_DATA
"$JERRY" create 'the one item' >/dev/null
# Bait outside the store: nothing may read, write or create it.
mkdir -p "$tmp/outside"
echo 'bait' >"$tmp/outside/bait.json"
before=$(tree_sum "$tmp/outside"; tree_sum "$D")

for id in ../../etc/passwd /etc/passwd WORK-1/../2 '' ' 7' 7abc WORK--1 0 -1 WORK- WORK-0 \
	'WORK-1 ' $'7\n' '../outside/bait' 'WORK-1.json' 1e3 0x10 '+7' \
	"$(printf 'WORK-\3771')" 'WORK-1;rm' '*'; do
	for cmd in show 'update --title x' start 'note' ; do
		set -- $cmd
		if [ "$1" = note ]; then
			TEST_DESC="$1 '$id'" expect_run 2 '' '^jerry: ' -- "$JERRY" note "$id" text
		else
			TEST_DESC="$* '$id'" expect_run 2 '' '^jerry: ' -- "$JERRY" "$@" "$id"
		fi
	done
	# --parent "" means "no parent" (doc/CLI.md), so it is no hostile ID there.
	if [ -n "$id" ]; then
		TEST_DESC="create --parent '$id'" expect_run 2 '' '^jerry: ' -- "$JERRY" create child --parent "$id"
	fi
done
# Too large to be an ID: invalid (2), or at worst absent (3).
for id in 99999999999 WORK-99999999999999999999999; do
	TEST_DESC="show '$id'" expect_run '[23]' '' '^jerry: ' -- "$JERRY" show "$id"
done
# Syntactically valid but absent: 3.
for id in 999999999 WORK-5 work-0005 42; do
	TEST_DESC="show '$id' (absent)" expect_run 3 '' '^jerry: ' -- "$JERRY" show "$id"
	TEST_DESC="update '$id' (absent)" expect_run 3 '' '^jerry: ' -- "$JERRY" update "$id" --title x
done
after=$(tree_sum "$tmp/outside"; tree_sum "$D")
check_true 'hostile IDs changed nothing' test "$before" = "$after"
check_true 'no file created outside the store' test "$(find "$tmp" -newer "$tmp/outside/bait.json" -type f ! -path "$D/*" ! -name out ! -name err | wc -l)" -eq 0

# A symlink planted as an item file: refused, target untouched.
echo '{"secret": true}' >"$tmp/outside/target.json"
cp "$tmp/outside/target.json" "$tmp/target.copy"
ln -s "$tmp/outside/target.json" "$D/items/WORK-002.json"
expect_run 7 '' '^jerry: .*WORK-002' -- "$JERRY" show 2
expect_run 7 '' '^jerry: .*WORK-002' -- "$JERRY" update 2 --title pwned
expect_run 7 '' '^jerry: .*WORK-002' -- "$JERRY" note 2 pwned
check_true 'symlink target untouched' cmp -s "$tmp/outside/target.json" "$tmp/target.copy"
check_true 'symlink still a symlink' test -L "$D/items/WORK-002.json"
expect_run 7 'WORK-002' '*' -- "$JERRY" check
check_true 'check did not follow the symlink' cmp -s "$tmp/outside/target.json" "$tmp/target.copy"
# A new item must not be created through a symlink either.
ln -s "$tmp/outside/new.json" "$D/items/WORK-003.json"
"$JERRY" create 'next one' >"$tmp/out" 2>"$tmp/err"
check_true 'create never writes through a planted symlink' test ! -e "$tmp/outside/new.json"
check_true 'create left the other target alone' cmp -s "$tmp/outside/target.json" "$tmp/target.copy"
rm -f "$D/items/WORK-002.json" "$D/items/WORK-003.json"
"$JERRY" check --repair >/dev/null 2>&1

# Huge input.  One argv string cannot pass 128 KiB on Linux (MAX_ARG_STRLEN),
# so the huge titles are just under that; 1 MB goes through stdin.
head -c 1048576 /dev/zero | tr '\0' a >"$tmp/huge"
big=$(head -c 131000 "$tmp/huge")
TEST_DESC='create with a 128 KiB title' expect_run 2 '' '^jerry: ' -- "$JERRY" create "$big"
TEST_DESC='update with a 128 KiB title' expect_run 2 '' '^jerry: ' -- "$JERRY" update 1 --title "$big"
TEST_DESC='create with a 1 MB description from stdin' expect_run 2 '' '^jerry: ' -- "$JERRY" create huge -d - <"$tmp/huge"
TEST_DESC='update with a 1 MB description from stdin' expect_run 2 '' '^jerry: ' -- "$JERRY" update 1 --description - <"$tmp/huge"
TEST_DESC='note with 1 MB from stdin' expect_run 2 '' '^jerry: ' -- "$JERRY" note 1 - <"$tmp/huge"
TEST_DESC='label of 65 bytes' expect_run 2 '' '^jerry: ' -- "$JERRY" update 1 --add-label "$(head -c 65 "$tmp/huge")"
TEST_DESC='label with a comma' expect_run 2 '' '^jerry: ' -- "$JERRY" update 1 --add-label 'a,b'

# Closed standard streams: no crash, and no message lands in a data file.
before=$(tree_sum "$D")
"$JERRY" list >&- 2>"$tmp/err"; rc=$?
check_true "list with stdout closed exits 0..9 (got $rc)" test "$rc" -le 9
after=$(tree_sum "$D")
check_true 'list with stdout closed changed nothing' test "$before" = "$after"
"$JERRY" show 1 >&- 2>&-; rc=$?
check_true "show with stdout and stderr closed exits 0..9 (got $rc)" test "$rc" -le 9
"$JERRY" create 'closed stdin' <&- >"$tmp/out" 2>"$tmp/err"; rc=$?
check_true "create with stdin closed exits 0..9 (got $rc)" test "$rc" -le 9
"$JERRY" create 'closed stdout' >&- 2>"$tmp/err"; rc=$?
check_true "create with stdout closed exits 0..9 (got $rc)" test "$rc" -le 9
"$JERRY" note 1 'closed both' >&- 2>&-; rc=$?
check_true "note with stdout and stderr closed exits 0..9 (got $rc)" test "$rc" -le 9
"$JERRY" create 'closed everything' <&- >&- 2>&-; rc=$?
check_true "create with all closed exits 0..9 (got $rc)" test "$rc" -le 9
"$JERRY" note 1 - <&- >"$tmp/out" 2>"$tmp/err"; rc=$?
check_true "note - with stdin closed is refused (got $rc)" test "$rc" -ne 0 -a "$rc" -le 9
check_true 'no message inside any data file' sh -c '! grep -rlE "jerry:|WORK-[0-9]+ (pending|in_progress) \(version" "$1"/items "$1"/index.json "$1"/sequences.json' sh "$D"
check_true 'every item file, index.json and sequences.json still parse' python3 -c '
import glob, json, sys
for f in glob.glob(sys.argv[1] + "/items/*.json") + [sys.argv[1] + "/index.json", sys.argv[1] + "/sequences.json"]:
    json.load(open(f))' "$D"
expect_run 0 '^[0-9]+ items checked, 0 problems$' '' -- "$JERRY" check

# A full disk on stdout is an error too.
"$JERRY" list --all >/dev/full 2>"$tmp/err"; rc=$?
check_true "list > /dev/full exits non-zero (got $rc)" test "$rc" -ne 0
check_true 'list > /dev/full says so on stderr' grep -q '^jerry: ' "$tmp/err"
"$JERRY" show 1 --json >/dev/full 2>"$tmp/err"; rc=$?
check_true "show --json > /dev/full exits non-zero (got $rc)" test "$rc" -ne 0
"$JERRY" create full >/dev/full 2>"$tmp/err"; rc=$?
check_true "create > /dev/full exits non-zero (got $rc)" test "$rc" -ne 0

# A read-only store: reads work, writes exit 6 and change nothing.
"$JERRY" reindex >/dev/null
chmod -R a+rX "$tmp"
before=$(tree_sum "$D")
cat >"$tmp/nob" <<EOF2
#!/bin/sh
exec setpriv --reuid=nobody --regid=nogroup --clear-groups env JERRY_DATA="$D" JERRY_SYNC=off HOME=/ "\$@"
EOF2
chmod 755 "$tmp/nob"
nob=$tmp/nob
# nobody runs a copy: the clone (and $JERRY in it) may be in a 0700 home.
mkdir "$tmp/nobody-bin" && cp "$JERRY" "$tmp/nobody-bin/jerry" && chmod 755 "$tmp/nobody-bin/jerry" || exit 1
NJ=$tmp/nobody-bin/jerry
chmod -R a-w "$D"
expect_run 0 'WORK-001' '' -- "$nob" "$NJ" list
expect_run 0 '^WORK-001  ' '' -- "$nob" "$NJ" show 1
expect_run 0 '*' '' -- "$nob" "$NJ" list --json
json_assert 'read-only list --json' "$tmp/out" 'len(d) >= 1'
expect_run 6 '' '^jerry: ' -- "$nob" "$NJ" create 'ro create'
expect_run 6 '' '^jerry: ' -- "$nob" "$NJ" update 1 --title 'ro update'
expect_run 6 '' '^jerry: ' -- "$nob" "$NJ" note 1 'ro note'
expect_run 6 '' '^jerry: ' -- "$nob" "$NJ" start 1
expect_run 6 '' '*' -- "$nob" "$NJ" create 'ro json' --json
json_assert 'read-only --json error' "$tmp/err" 'd["error"]["exit"] == 6 and d["error"]["code"]'
after=$(tree_sum "$D")
check_true 'read-only store unchanged (chmod)' test "$before" = "$after"
chmod -R u+w "$D"

# The same with a read-only bind mount, as root.
mkdir -p "$tmp/ro"
if mount --bind "$D" "$tmp/ro" 2>/dev/null && mount -o remount,bind,ro "$tmp/ro" 2>/dev/null; then
	expect_run 0 'WORK-001' '' -- "$JERRY" --data "$tmp/ro" list
	expect_run 6 '' '^jerry: ' -- "$JERRY" --data "$tmp/ro" create 'rofs create'
	expect_run 6 '' '^jerry: ' -- "$JERRY" --data "$tmp/ro" update 1 --title 'rofs'
	after=$(tree_sum "$D")
	check_true 'read-only mount unchanged' test "$before" = "$after"
	umount "$tmp/ro"
else
	umount "$tmp/ro" 2>/dev/null
	echo "# skipped: no read-only bind mount here"
fi
test_done
