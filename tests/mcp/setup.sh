#!/bin/sh
# tests/mcp/setup.sh - install the pinned MCP SDK (package-lock.json) into
# tests/mcp/node_modules when it is not there yet.  Needs node and npm
# (scripts/deps.sh test).
#
# The MCP system tests run in parallel (tests/run-system.sh) and each calls
# this script, so the check and the install happen under one lock: `npm ci`
# first empties node_modules, and two of them at once fail on each other's
# half-made tree.  A stamp written after a whole install (holding the lock
# file's checksum) marks it done; an install that died half-way leaves no
# stamp and the next caller installs again.
here=$(cd "$(dirname "$0")" && pwd)
stamp=$here/node_modules/.jerry-installed
want=$(cksum <"$here/package-lock.json") || exit 1
exec 9>>"$here/.install.lock" || exit 1
flock -w 600 9 || { echo "setup.sh: could not lock $here/.install.lock in 600 s" >&2; exit 1; }
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && exit 0
npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >&2 || exit 1
echo "$want" >"$stamp.tmp" && mv "$stamp.tmp" "$stamp"
