#!/bin/bash
# Teams that commit the store with their code (issue 11, ADR 0020): `jerry
# git setup` installs `jerry merge-file` as git's merge driver for the
# record, and a `git merge` of two clones' changes to one item then merges
# it field by field - both sides' fields, notes and history entries kept,
# a label removal kept, the same field decided the same in either order,
# `jerry check` clean - where git's line merge conflicts.
. "$(dirname "$0")/../lib.sh"
git_sandbox || exit 1
git config --global pull.rebase false

# git runs the merge driver as `jerry` from PATH.
ln -s "$JERRY" bin/jerry

git init -q --bare origin.git
git clone -q origin.git a 2>/dev/null
at a "$JERRY" init >/dev/null
TEST_DESC='git setup installs the driver and the attributes' \
	expect_run 0 'installed in the repository' '' -- at a "$JERRY" git setup
check_true 'the driver is in the config' \
	test "$(git -C a config merge.jerry.driver)" = 'jerry merge-file %O %A %B %P'
check_true 'the attributes route the record to it' \
	grep -qx 'items/\*.json merge=jerry' a/.jerry/data/.gitattributes
cp a/.jerry/data/.gitattributes attrs.before
TEST_DESC='git setup again changes nothing' \
	expect_run 0 'already in the repository' '' -- at a "$JERRY" git setup
check_true 'the attributes file is as it was' cmp -s attrs.before a/.jerry/data/.gitattributes
TEST_DESC='git setup --json' expect_run 0 '*' '' -- at a "$JERRY" git setup --json
json_assert 'nothing changed the second time' "$tmp/out" \
	"d['config_changed'] is False and d['attributes_changed'] is False and \
	 d['hooks'] == {'post-merge': 'present', 'post-checkout': 'present', 'post-rewrite': 'present'}"
check_true 'the post-merge hook rebuilds the index' grep -q 'reindex' a/.git/hooks/post-merge

at a "$JERRY" create shared -l base -l keep >/dev/null
echo 'int main(void) { return 0; }' >a/main.c
at a git add -A
at a git commit -q -m 'code and the store'
at a git push -q origin main 2>/dev/null
git clone -q origin.git b
printf '#!/bin/sh\necho mine\n' >b/.git/hooks/post-rewrite
cp b/.git/hooks/post-rewrite hook.mine
TEST_DESC='a clone sets up its config; the attributes came with the record' \
	expect_run 0 'attributes: .* \(already there\)' '' -- at b "$JERRY" git setup
check_true 'a hook of the user is named' grep -q "post-rewrite (yours, left alone" "$tmp/out"
check_true 'and left alone' cmp -s hook.mine b/.git/hooks/post-rewrite

# Different fields on each side, notes on both, a label removed on one.
at a "$JERRY" update 1 --title 'title from a' --add-label from-a >/dev/null
at a "$JERRY" note 1 'note from a' >/dev/null
at a git commit -q -am 'a: title'
at a git push -q origin main 2>/dev/null
at b "$JERRY" update 1 --priority high --remove-label base >/dev/null
at b "$JERRY" note 1 'note from b' >/dev/null
echo '/* b */' >>b/main.c
at b git commit -q -am 'b: priority'
TEST_DESC='git pull merges the item with the driver' expect_run 0 '*' '*' -- at b git pull -q --no-edit
check_true 'no conflict left' test -z "$(git -C b diff --name-only --diff-filter=U)"
TEST_DESC='show the merged item' expect_run 0 '*' '' -- at b "$JERRY" show 1 --json
json_assert 'both sides kept, the removal too' "$tmp/out" \
	"d['title'] == 'title from a' and d['priority'] == 'high' and \
	 sorted(d['labels']) == ['from-a', 'keep'] and \
	 sorted(n['text'] for n in d['notes']) == ['note from a', 'note from b'] and d['version'] == 4"
TEST_DESC='check is clean after the merge' expect_run 0 ' 0 problems$' '' -- at b "$JERRY" check
check_true 'the code file is git'"'"'s merge, untouched by jerry' grep -q '/\* b \*/' b/main.c
check_true 'history entries from both sides survive' \
	test "$(grep -c '^{"version":' b/.jerry/data/history/WORK-001.jsonl)" -eq 5
TEST_DESC='history lists both sides' expect_run 0 'note from b' '' -- at b "$JERRY" history 1 --json
json_assert 'every entry of both sides, versions 2 and 3 twice' "$tmp/out" \
	"[e['version'] for e in d] == [1, 2, 2, 3, 3]"
at b git push -q origin main 2>/dev/null
at a git pull -q --no-edit 2>/dev/null
check_true 'a fast-forwards to the same item' \
	cmp -s a/.jerry/data/items/WORK-001.json b/.jerry/data/items/WORK-001.json

# The same field on both sides, merged in both orders: the same item.
at a "$JERRY" update 1 --title 'a says' >/dev/null
at a git commit -q -am 'a: title again'
at a git push -q origin main:side-a 2>/dev/null
sleep 0.01
at b "$JERRY" update 1 --title 'b says' --status in_progress >/dev/null
at b git commit -q -am 'b: title again'
at b git push -q origin main:side-b 2>/dev/null
at a git fetch -q origin
at b git fetch -q origin
TEST_DESC='a merges b' expect_run 0 '*' '*' -- at a git merge -q --no-edit origin/side-b
TEST_DESC='b merges a' expect_run 0 '*' '*' -- at b git merge -q --no-edit origin/side-a
check_true 'one item whichever merged which' \
	cmp -s a/.jerry/data/items/WORK-001.json b/.jerry/data/items/WORK-001.json
TEST_DESC='show after the title conflict' expect_run 0 '*' '' -- at a "$JERRY" show 1 --json
json_assert 'the later title, the other kept as a note, the status' "$tmp/out" \
	"d['title'] == 'b says' and d['status'] == 'in_progress' and \
	 any(n['text'] == 'title (the other side of a merge): a says' for n in d['notes'])"
TEST_DESC='check is clean in a' expect_run 0 ' 0 problems$' '' -- at a "$JERRY" check
TEST_DESC='check is clean in b' expect_run 0 ' 0 problems$' '' -- at b "$JERRY" check

# Unknown keys are kept through the merge.
at a git reset -q --hard origin/side-a
python3 - a/.jerry/data/items/WORK-001.json <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d['x_team'] = {'sprint': 7}
open(p, 'w').write(json.dumps(d, indent=2) + '\n')
PY
at a git commit -q -am 'a: a newer jerry key'
at a git push -q origin main:side-a 2>/dev/null
at b git reset -q --hard origin/side-b
at b git fetch -q origin
TEST_DESC='a merge with an unknown key' expect_run 0 '*' '*' -- at b git merge -q --no-edit origin/side-a
check_true 'the unknown key survived' grep -q '"x_team"' b/.jerry/data/items/WORK-001.json

# What only a merge can make: a dependency cycle (each side added half),
# a parent the parent rules refuse (one side changed the parent's type,
# the other put a task below it).  check reports both (exit 7).
at b git reset -q --hard origin/side-b
at b "$JERRY" reindex >/dev/null
at b "$JERRY" create two >/dev/null
at b "$JERRY" create three >/dev/null
at b "$JERRY" create four -t story >/dev/null
at b git add -A
at b git commit -q -m 'b: three more'
at b git push -q -f origin main:graph 2>/dev/null
at a git fetch -q origin
at a git reset -q --hard origin/graph
at a "$JERRY" reindex >/dev/null
at a "$JERRY" dep add 2 --on 3 >/dev/null
at a "$JERRY" create five -t task --parent 4 >/dev/null
at a git add -A
at a git commit -q -m 'a: 2 waits on 3, a task below 4'
at a git push -q origin main:graph-a 2>/dev/null
at b "$JERRY" dep add 3 --on 2 >/dev/null
at b "$JERRY" update 4 --type task >/dev/null
at b git commit -q -am 'b: 3 waits on 2, 4 is a task'
at b git fetch -q origin
TEST_DESC='the merge itself goes through' expect_run 0 '*' '*' -- at b git merge -q --no-edit origin/graph-a
TEST_DESC='check reports what the merge made' expect_run 7 '*' '' -- at b "$JERRY" check --json
json_assert 'a cycle and a parent rule' "$tmp/out" \
	"sorted(p['kind'] for p in d['problems']) == ['dependency_cycle', 'parent_rule']"

# Both clones created one number offline: two items, not two versions of
# one.  The driver does not merge them into one: the merge stops with a
# conflict that says so (jerry sync renumbers; the driver cannot add a file).
at b git merge -q --abort 2>/dev/null
at b git reset -q --hard origin/graph-a
at b "$JERRY" reindex >/dev/null
at a git reset -q --hard origin/graph-a
at a "$JERRY" reindex >/dev/null
at a "$JERRY" create 'made in a' >/dev/null
at a git add -A
at a git commit -q -m 'a: a new item'
at a git push -q origin main:addadd 2>/dev/null
at b "$JERRY" create 'made in b' >/dev/null
at b git add -A
at b git commit -q -m 'b: a new item'
at b git fetch -q origin
TEST_DESC='two items under one number: a conflict, not one item' \
	expect_run '[1-9]*' '*' 'both sides created WORK-006 as two different items' -- at b git merge --no-edit origin/addadd
check_true 'git lists the item and its history as conflicted' \
	test "$(git -C b diff --name-only --diff-filter=U | tr '\n' ' ')" = \
	'.jerry/data/history/WORK-006.jsonl .jerry/data/items/WORK-006.json '
check_true 'ours is left as it was' grep -q 'made in b' b/.jerry/data/items/WORK-006.json
at b git merge -q --abort

# The driver on its own.
printf '' >base
TEST_DESC='merge-file refuses a file that is not of the record' \
	expect_run 2 '' 'not an item or history file' -- "$JERRY" merge-file base base base main.c
cp b/.jerry/data/items/WORK-001.json ours
cp b/.jerry/data/items/WORK-001.json theirs
TEST_DESC='merge-file of two equal sides' \
	expect_run 0 '^merged WORK-001 \(version [0-9]+\)$' '' -- "$JERRY" merge-file base ours theirs items/WORK-001.json
echo '{' >theirs
TEST_DESC='merge-file: a side that is not an item is exit 7' \
	expect_run 7 '' 'theirs' -- "$JERRY" merge-file base ours theirs items/WORK-001.json
check_true 'ours is left as it was' cmp -s ours b/.jerry/data/items/WORK-001.json

test_done
