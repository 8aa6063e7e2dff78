#!/bin/sh
# tests/browser/run.sh JERRY - jerry serve in a real browser (make browser,
# part of make check): Debian's chromium, driven by playwright-core, which
# this directory pins (package.json, package-lock.json) and `npm ci`
# installs into tests/browser/node_modules when it is missing.  Nothing is
# downloaded but that package: PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1, the
# browser is /usr/bin/chromium (CHROMIUM overrides it).  Screenshots of each
# view go to build/browser/.  Ends with "browser: N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$(dirname "$here")")
jerry=${1:?usage: tests/browser/run.sh path/to/jerry}
case $jerry in /*) ;; *) jerry=$(cd "$(dirname "$jerry")" && pwd)/$(basename "$jerry") ;; esac
out=${BROWSER_OUT:-$root/build/browser}

fail() {
	echo "browser: $*" >&2
	echo "browser: 0 passed, 1 failed"
	exit 1
}
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || fail "no chromium: run sh scripts/deps.sh test (as root)"
command -v node >/dev/null 2>&1 || fail "no node: run sh scripts/deps.sh test (as root)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
	npm ci --prefix "$here" --no-audit --no-fund >&2 || fail "npm ci --prefix tests/browser failed"
fi
exec node "$here/board.test.mjs" "$jerry" "$out"
