#!/bin/bash
# A sync killed in the middle of a merge does not break sync for good
# (issue 11, ADR 0020).  Both clones create under one number; a publishes
# first, so b's sync renumbers its item and writes the remote's under the
# old number.  b's sync is killed with SIGKILL:
#   - at every git step, each sync starting again from what the last left
#     (a git on PATH that kills its parent jerry at step N, as s0140);
#   - from a fresh copy each time, at points of the merge's own writes
#     (strace -e inject, jerry alone traced): staging a file, the commit
#     mark, the first and the last rename of the publish;
# then b syncs, a syncs, b syncs again: every sync succeeds, both clones hold
# a's item under WORK-001 and b's two items under other numbers (the child
# still under its parent), the same item files, `jerry check` is clean and
# no stage directory is left.
. "$(dirname "$0")/../lib.sh"
git_sandbox || exit 1

if ! command -v strace >/dev/null; then
	test_fail 'strace' 'strace is needed for the kill points (make deps-test installs it)'
	test_done
fi

in_clone() { (cd "$1" && shift && "$@"); }

mkdir tpl
git init -q --bare tpl/origin.git
for c in a b; do
	git clone -q tpl/origin.git "tpl/$c" 2>/dev/null
	in_clone "tpl/$c" "$JERRY" init >/dev/null
done
in_clone tpl/a "$JERRY" create 'a item' >/dev/null
in_clone tpl/a "$JERRY" sync >/dev/null
in_clone tpl/b "$JERRY" create 'b item' -t feature >/dev/null
in_clone tpl/b "$JERRY" create 'b child' --parent 1 >/dev/null
fresh() { # a copy of both clones and their remote, the clones pointing at it
	rm -rf w && cp -a tpl w &&
		git -C w/a remote set-url origin "$tmp/w/origin.git" &&
		git -C w/b remote set-url origin "$tmp/w/origin.git"
}

# After a kill: b, a, b sync, and both clones agree and are sound.
converges() {
	local name=$1 c failed=0
	for c in b a b; do
		in_clone "w/$c" "$JERRY" sync >/dev/null 2>>"w/$c.err" || failed=1
	done
	if [ $failed -ne 0 ]; then
		test_fail "$name: the syncs after the kill" "$(cat w/a.err w/b.err)"
		return
	fi
	for c in a b; do
		in_clone "w/$c" "$JERRY" list --all --json >"w/$c.json" || failed=1
		if ! in_clone "w/$c" "$JERRY" check >"w/$c.check" 2>&1 ||
		   ! grep -q ' 0 problems$' "w/$c.check"; then
			test_fail "$name: check in $c" "$(cat "w/$c.check")"
			return
		fi
		if ls "w/$c/.jerry/data/tmp" | grep -q '^sync-stage-'; then
			test_fail "$name: a stage directory is left in $c" "$(ls "w/$c/.jerry/data/tmp")"
			return
		fi
	done
	if ! python3 - w/a.json w/b.json <<'PY'
import json, sys
for f in sys.argv[1:]:
    items = {i["title"].replace("edited child", "b child"): i for i in json.load(open(f))}
    assert sorted(items) == ["a item", "b child", "b item"], (f, sorted(items))
    assert items["a item"]["id"] == "WORK-001", (f, items["a item"]["id"])
    assert items["b item"]["id"] not in ("WORK-001", items["b child"]["id"]), f
    assert items["b child"]["parent"] == items["b item"]["id"], (f, items["b child"])
PY
	then
		test_fail "$name: the items after the syncs" ''
		return
	fi
	if ! diff -r w/a/.jerry/data/items w/b/.jerry/data/items >w/diff 2>&1; then
		test_fail "$name: both clones hold the same items" "$(cat w/diff)"
		return
	fi
	test_ok "$name: the next syncs converge"
}

# Every git step a kill point, the kills one after another (s0140's walk).
mkdir killgit
cat >killgit/git <<EOF
#!/bin/sh
read -r n <"$tmp/kill.count"
n=\$((n + 1))
echo "\$n" >"$tmp/kill.count"
[ "\$n" -eq "\$KILL_AT" ] && { kill -9 "\$PPID"; exit 137; }
exec $(command -v git) "\$@"
EOF
chmod +x killgit/git
fresh
n=0 steps=0 rc=0
while [ $n -lt 80 ]; do
	n=$((n + 1))
	echo 0 >kill.count
	(cd w/b && PATH=$tmp/killgit:$PATH KILL_AT=$n exec "$JERRY" sync) >/dev/null 2>>kill.err
	rc=$?
	if [ "$rc" -ne 137 ]; then
		read -r steps <kill.count
		break
	fi
done
check_true "a sync killed at each git step in turn finishes ($((n - 1)) kills, the last took $steps steps)" \
	test "$rc" -eq 0 -a "$((n - 1))" -gt 10 -a "$steps" -lt "$n"
converges 'killed at every git step'

# The merge's own writes: a reference run counts jerry's calls (its git
# children untraced), then each point is a kill from a fresh copy.
fresh
in_clone w/b strace -qq -o "$tmp/ref.trace" -e trace=openat,renameat "$JERRY" sync >/dev/null
nth() { # the number of the first (or, with -l, last) call $1 matching $2
	awk -v call="$1(" -v pat="$2" -v last="$3" \
		'index($0, call) == 1 { k++; if ($0 ~ pat) { m = k; if (!last) { print m; exit } } }
		 END { if (last && m) print m }' "$tmp/ref.trace"
}
stage_file=$(nth openat '"(items|history)\\.WORK-')
mark=$(nth openat '"commit"')
first=$(nth renameat '"(items|history)\\.WORK-')
last=$(nth renameat '"(items|history)\\.WORK-' 1)
check_true 'the reference sync staged, committed and published' \
	test -n "$stage_file" -a -n "$mark" -a -n "$first" -a -n "$last"
for point in "openat:$stage_file:staging a file" "openat:$mark:the commit mark" \
	     "renameat:$first:the first rename of the publish" \
	     "renameat:$last:the last rename of the publish"; do
	IFS=: read -r call at what <<<"$point"
	fresh
	in_clone w/b strace -qq -o /dev/null -e trace="$call" \
		-e inject="$call:signal=SIGKILL:when=$at" "$JERRY" sync >/dev/null 2>&1
	check_true "killed at $what ($call #$at): the sync died" test $? -eq 137
	converges "killed at $what"
done

# A process that had the store open before the kill - a long-lived jerry
# mcp - and then writes an item the dead sync's committed stage holds: the
# write finds the index dropped, and its rebuild rolls the stage forward
# first, so the write lands on the merged item and the roll-forward never
# replaces it.  (Before, the write landed on the old file and the next
# process's roll-forward replaced it: the new title was lost.)
fresh
python3 - "$JERRY" "$first" >mcp.out 2>mcp.err <<'PY'
import json, subprocess, sys
jerry, at = sys.argv[1], sys.argv[2]
p = subprocess.Popen([jerry, "mcp"], cwd="w/b", stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, text=True)
def rpc(i, method, params):
    p.stdin.write(json.dumps({"jsonrpc": "2.0", "id": i, "method": method,
                              "params": params}) + "\n")
    p.stdin.flush()
    return json.loads(p.stdout.readline())
rpc(1, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                      "clientInfo": {"name": "t0273", "version": "1"}})
p.stdin.write(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}) + "\n")
rpc(2, "tools/call", {"name": "show", "arguments": {"id": "WORK-002"}})
sync = subprocess.run(["strace", "-qq", "-o", "/dev/null", "-e", "trace=renameat",
                       "-e", "inject=renameat:signal=SIGKILL:when=" + at, jerry, "sync"],
                      cwd="w/b", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
r = rpc(3, "tools/call", {"name": "update", "arguments": {"id": "WORK-002",
                                                          "title": "edited child"}})
p.stdin.close()
p.wait()
print(sync.returncode, r["result"].get("isError", False))
PY
check_true 'the sync died past its commit point; the mcp update succeeded' \
	grep -qx -- '-9 False' mcp.out
converges 'a long-lived writer after the kill'
TEST_DESC='the update kept, on the merged item' expect_run 0 "*" "" -- at w/b "$JERRY" show 2 --json
json_assert 'WORK-002: the new title, the parent followed' "$tmp/out" \
	"d['title'] == 'edited child' and d['parent'] == 'WORK-003'"

test_done
