#!/usr/bin/env bash
# The tests that run GEOS, GDAL and PROJ on several threads at once (coverage, overlap, hotspots,
# the parallel helpers, partitioned reads, transforms made on many threads), built with
# ThreadSanitizer in a build folder of their own (.build-tsan, so that the sanitised build does
# not replace .build's). A data race reported in LandWatch's code fails the run: TSan ends the
# test process with exit code 66 after its report, and swift test fails.
# TSan sees the instrumented Swift code (LandWatch's and the packages') and the C calls it
# intercepts (malloc/free, memcpy, locks); Debian's GEOS, GDAL and PROJ are not instrumented, so
# a race inside them (GEOS 3.11's lazily cached envelopes) is not seen here.
# No suppressions: the run is clean without any. Extra arguments go to swift test
# (--skip-build to rerun without building).
set -euo pipefail
cd "$(dirname "$0")/../.."
filter='LandWatchCoreTests\.(ParallelTests|CoverageTests|OverlapTests|HotspotTests)/|GDALKitTests\.(PartitionedReadTests|CRSTests)/'
# A longer history than the default (2), so that both stacks of a race are kept for its report.
export TSAN_OPTIONS="${TSAN_OPTIONS:+$TSAN_OPTIONS }history_size=4"
swift test --sanitize=thread --scratch-path .build-tsan --filter "$filter" "$@"
