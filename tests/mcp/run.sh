# tests/mcp/run.sh - sourced by tests/system/t026*-mcp-*.sh after tests/lib.sh:
# mcp_run SCRIPT.mjs runs one node test of `jerry mcp` and adds its
# "ok -" / "FAIL -" lines to the system test's counts.  The script sets
# mcp_dir (this folder, absolute) before lib.sh moves into $tmp.
mcp_run() {
	if ! sh "$mcp_dir/setup.sh" >"$tmp/npm.log" 2>&1; then
		test_fail "npm ci --prefix tests/mcp" "$(tail -n 20 "$tmp/npm.log")"
		return 1
	fi
	TEST_VERBOSE=1 node "$mcp_dir/$1" >"$tmp/node.out" 2>&1
	rc=$?
	grep -v '^ok - \|^# passed ' "$tmp/node.out"
	p=$(grep -c '^ok - ' "$tmp/node.out")
	f=$(grep -c '^FAIL - ' "$tmp/node.out")
	test_passed=$((test_passed + p))
	test_failed=$((test_failed + f))
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && test_fail "node $1 exited $rc" "$(tail -n 20 "$tmp/node.out")"
	return 0
}
