#!/bin/bash
# jerry mcp under load (issue 12, ADR 0019): 8 servers and 8 `jerry`
# command loops claim the same items and note the same item at once -
# exactly one winner per claim, no lost note, `check` clean - and a server
# killed with SIGKILL mid-call leaves the store as a killed command would
# (tests/mcp/race.mjs).  With -DJERRY_BREAK_LOCKS it fails.
mcp_dir=$(cd "$(dirname "$0")/../mcp" && pwd)
. "$(dirname "$0")/../lib.sh"
. "$mcp_dir/run.sh"
jerry_init
mcp_run race.mjs
test_done
