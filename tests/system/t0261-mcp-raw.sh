#!/bin/bash
# Raw lines on `jerry mcp`'s stdin (issue 12, ADR 0019): garbage, a
# truncated message, a huge one, an unknown method, notifications (never
# answered), batches (2025-03-26 only), a request after each bad one,
# version negotiation; the server answers each as JSON-RPC says, writes
# nothing but messages on stdout and never dies (tests/mcp/raw.mjs).
mcp_dir=$(cd "$(dirname "$0")/../mcp" && pwd)
. "$(dirname "$0")/../lib.sh"
. "$mcp_dir/run.sh"
jerry_init
mcp_run raw.mjs

# An answer that cannot be written: exit 10 when its change was committed
# (do not repeat it), exit 6 when nothing changed - as the command's.
CREATE='{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"create","arguments":{"title":"lost answer"}}}'
expect_run 10 '' 'WORK-[0-9]+ \(version 1\) was changed, but its answer could not be written' -- \
	sh -c 'printf "%s\n" "$1" | "$JERRY" mcp >/dev/full' sh "$CREATE"
check_true 'a lost answer of a change is said once' test "$(grep -c . "$tmp/err")" = 1
expect_run 6 '' 'cannot write an answer' -- \
	sh -c 'printf "%s\n" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}" | "$JERRY" mcp >/dev/full'
check_true 'a lost answer is said once, not again as "cannot write output"' \
	test "$(grep -c . "$tmp/err")" = 1
test_done
