#!/bin/bash
# jerry sync and a git that never answers (issue 11): a remote that hangs,
# a push that hangs, a local git that hangs while the sync holds every item
# lock.  Each git the sync runs is bounded by --timeout (default 5m): a git
# still running then is stopped and the sync fails with a storage error
# (exit 6), its locks released at once; before the merge nothing changed
# here, after it this copy keeps the merge and the next sync pushes it.
# Without the limit each of these waits for ever (expect_run's own timeout
# then fails the test with exit 124).
. "$(dirname "$0")/../lib.sh"
git_sandbox || exit 1
two_clones || exit 1
REAL_GIT=$(command -v git)

# A git on PATH that sleeps instead of running the subcommand named in
# $tmp/hang (one word, e.g. "push"); any other command is the real git.
# `exec sleep`: the process jerry stops is the sleeper itself.
cat >"$tmp/bin/git" <<EOF
#!/bin/sh
if [ -f "$tmp/hang" ]; then
	hang=\$(cat "$tmp/hang")
	for a in "\$@"; do
		[ "\$a" = "\$hang" ] && exec sleep 60
	done
fi
exec "$REAL_GIT" "\$@"
EOF
chmod +x "$tmp/bin/git"
hang() { printf '%s\n' "$1" >"$tmp/hang"; }
unhang() { rm -f "$tmp/hang"; }

at a "$JERRY" create 'from a' >/dev/null
at a "$JERRY" sync >/dev/null
at b "$JERRY" sync >/dev/null
at b "$JERRY" create 'from b' >/dev/null

# ---- the limit itself ---------------------------------------------------
TEST_DESC='--timeout takes a duration, not anything' \
	expect_run 2 '' "'soon' is not a time limit" -- at b "$JERRY" sync --timeout soon
TEST_DESC='--timeout 0 is no limit' \
	expect_run 0 '^synced with origin' '' -- at b "$JERRY" sync --timeout 0

# ---- a remote that never answers: nothing changes here --------------------
at a "$JERRY" note 1 'a note from a' >/dev/null
at a "$JERRY" sync >/dev/null
at b "$JERRY" note 2 'a note from b' >/dev/null
before=$(tree_sum b/.jerry/data)
hang ls-remote
TEST_DESC='a remote that hangs: the sync stops at its limit, exit 6' \
	expect_run 6 '' "'git ls-remote' was stopped in .*: the time limit ran out" -- \
	at b "$JERRY" sync --timeout 1s
expect_run 6 '' 'hint: nothing changed here' -- at b "$JERRY" sync --timeout 1s
TEST_DESC='... and as JSON: a storage error' \
	expect_run 6 '' '"code": *"storage"' -- at b "$JERRY" --json sync --timeout 1s
if [ "$before" = "$(tree_sum b/.jerry/data)" ]; then
	test_ok 'the hung fetch changed nothing in b'
else
	test_fail 'the hung fetch changed nothing in b' "$(tree_sum b/.jerry/data)"
fi
unhang

# ---- a local git that hangs under every item lock ---------------------------
# (10 s: the steps before the hung one must fit in it on a loaded machine.)
# cat-file --batch reads the remote's files while the sync holds the locks;
# write-tree is the snapshot.  Either way the sync stops, the merge is not
# written, and the locks are free again: a write right after goes through.
for step in cat-file write-tree; do
	hang "$step"
	TEST_DESC="a hung 'git $step' under the item locks is stopped, exit 6" \
		expect_run 6 '' "'git $step.*' was stopped in .*: the time limit ran out" -- \
		at b "$JERRY" sync --timeout 10s
	TEST_DESC="after it, a write takes the lock at once" \
		expect_run 0 '*' '' -- at b "$JERRY" --lock-timeout 0 note 2 "after the hung $step"
	TEST_DESC="b's own note is there, a's is not merged" \
		expect_run 0 '*' '' -- at b "$JERRY" show 1 --json
	json_assert "b has not taken a's note to WORK-001 ($step)" "$tmp/out" \
		"not any(n['text'] == 'a note from a' for n in d.get('notes', []))"
	TEST_DESC="check is clean after the hung $step" \
		expect_run 0 ' 0 problems$' '' -- at b "$JERRY" check
	unhang
done

# ---- a push that hangs: the merge is kept here, the next sync pushes it -----
hang push
TEST_DESC='a hung push is stopped, exit 6, and says the merge is kept' \
	expect_run 6 '^merged with origin: 2 files in, changes kept here, not pushed$' "'git push' was stopped.*
hint: this copy keeps the merge; the next 'jerry sync' pushes it" -- \
	at b "$JERRY" sync --timeout 15s
TEST_DESC="the merge is in b: a's note to WORK-001" \
	expect_run 0 '*' '' -- at b "$JERRY" show 1 --json
json_assert "b has a's note" "$tmp/out" "any(n['text'] == 'a note from a' for n in d['notes'])"
unhang
TEST_DESC='the next sync pushes it' expect_run 0 'changes pushed' '' -- at b "$JERRY" sync
TEST_DESC='a gets b'"'"'s notes' expect_run 0 '*' '' -- at a "$JERRY" sync
at a "$JERRY" show 2 --json >"$tmp/out"
json_assert "a has every note of b" "$tmp/out" \
	"{'a note from b', 'after the hung cat-file', 'after the hung write-tree'} <= {n['text'] for n in d['notes']}"
for c in a b; do
	TEST_DESC="check is clean in $c" expect_run 0 ' 0 problems$' '' -- at "$c" "$JERRY" check
done
test_done
