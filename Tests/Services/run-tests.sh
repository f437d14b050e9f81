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
# The Debian package and the browser test first (unless only some suites are asked for), so that
# swift test's closing line ends the output; a failure of any fails the run.
status=0
if [ $# -eq 0 ]; then
    bash Tests/Package/deb-test.sh || status=$?
    bash Tests/Services/e2e.sh || status=$?
fi
swift test "$@" || status=$?
exit $status
