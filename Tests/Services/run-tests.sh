#!/usr/bin/env bash
# Runs every test with the services they need: a throwaway PostgreSQL/PostGIS cluster on a free
# loopback port (LANDWATCH_TEST_PG tells the tests where), stopped again however the tests end.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=$(mktemp -d /tmp/landwatch-pg.XXXXXX)
trap 'bash Tests/Services/postgres.sh stop "$dir"' EXIT
export LANDWATCH_TEST_PG="$(bash Tests/Services/postgres.sh start "$dir")"
export LANDWATCH_TEST_PG_DIR="$dir"
echo "test PostgreSQL: ${LANDWATCH_TEST_PG/password=* /}"
# The Debian package, the browser test and the ThreadSanitizer run first (unless only some suites
# are asked for), so that swift test's closing line ends the output; a failure of any fails the run.
status=0
if [ $# -eq 0 ]; then
    bash Tests/Package/deb-test.sh || status=$?
    bash Tests/Services/e2e.sh || status=$?
    # The guide's list of error lines against the sources (its examples run in GuideTests).
    python3 docs/zh/check_errors.py > /tmp/landwatch-guide-errors.txt || { cat /tmp/landwatch-guide-errors.txt; status=1; }
    tail -1 /tmp/landwatch-guide-errors.txt
    # The threaded tests again, built with ThreadSanitizer in .build-tsan (Tests/Services/tsan.sh).
    bash Tests/Services/tsan.sh || status=$?
fi
swift test "$@" || status=$?
exit $status
