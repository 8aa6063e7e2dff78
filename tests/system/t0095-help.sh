#!/bin/bash
# Help, version and usage errors.
. "$(dirname "$0")/../lib.sh"

expect_run 0 'create' '' -- "$JERRY" --help
check_true '--help lists the commands' sh -c 'for c in init create show list update start block done cancel reopen note check reindex; do grep -q "$c" "$1/out" || exit 1; done' sh "$tmp"
expect_run 0 'create' '' -- "$JERRY" -h
expect_run 0 'jerry create' '' -- "$JERRY" help create
expect_run 0 'jerry create' '' -- "$JERRY" create --help
expect_run 0 'jerry create' '' -- "$JERRY" create -h
for c in init show list update start block done cancel reopen note check reindex; do
	expect_run 0 "$c" '' -- "$JERRY" $c --help
	expect_run 0 "$c" '' -- "$JERRY" help $c
done
expect_run 0 '^jerry 0\.1\.0$' '' -- "$JERRY" --version
expect_run 2 '' '^jerry: |[Uu]sage' -- "$JERRY"
expect_run 2 '' '^jerry: .*frobnicate' -- "$JERRY" frobnicate
expect_run 2 '' '^jerry: ' -- "$JERRY" help frobnicate
expect_run 2 '' '^jerry: .*--frob' -- "$JERRY" --frob list
expect_run 2 '' '^jerry: ' -- "$JERRY" --lock-timeout abc list
expect_run 2 '' '^jerry: ' -- "$JERRY" --data
TEST_DESC='unknown command --json' expect_run 2 '' '*' -- "$JERRY" frobnicate --json
json_assert 'unknown command --json error' "$tmp/err" 'd["error"]["exit"] == 2'
# Help needs no store.
check_true 'no store here' test ! -e "$tmp/.jerry"
test_done
