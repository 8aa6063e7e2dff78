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
test_done
