#!/bin/sh
# tests/mcp/setup.sh - install the pinned MCP SDK (package-lock.json) into
# tests/mcp/node_modules when it is not there yet.  Needs node and npm
# (scripts/deps.sh test).
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$here/node_modules/@modelcontextprotocol/sdk/package.json" ] && exit 0
npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >&2
