#!/bin/bash
# jerry mcp under the official MCP TypeScript SDK (issue 12, ADR 0019):
# its Client and StdioClientTransport drive `jerry mcp` through
# initialize, tools/list (under 2,000 tokens), every tool and refusals
# (the CLI's error object), identity shared with the CLI, paging and the
# 25,000-token result budget (tests/mcp/sdk.mjs).
mcp_dir=$(cd "$(dirname "$0")/../mcp" && pwd)
. "$(dirname "$0")/../lib.sh"
. "$mcp_dir/run.sh"
jerry_init
mcp_run sdk.mjs
test_done
