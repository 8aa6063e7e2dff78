#!/bin/sh
# tests/run-stress.sh BINARY [TEST...] - run the stress tests (tests/stress/s*.sh).
# Same runner and output as tests/run-system.sh; ends with "N passed, N failed".
TEST_KIND=stress exec sh "$(dirname "$0")/run-system.sh" "$@"
