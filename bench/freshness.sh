#!/usr/bin/env bash
# Freshness: a change at the (fake) provider, pushed to webhook-ingest, until it is in the rows GET /events reads, and
# until an SSE client of GET /stream (one per user, as a browser tab) has the message; p50/p99 of both at 50 changes/s
# over 20 connections (targets 300 ms and 1 s). Runs e2e-tests' FreshnessBench against the real service jars.
#
#   bench/freshness.sh            # BENCH_RATE (50), BENCH_SECONDS (30), BENCH_CONNECTIONS (20)
#
# Builds the service jars when they are missing (BENCH_REBUILD=1 rebuilds), holds /tmp/calsync-mvn.lock while it runs.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
exec 9>>"${CALSYNC_MVN_LOCK:-/tmp/calsync-mvn.lock}"
flock 9
if [ "${BENCH_REBUILD:-0}" = 1 ] || ! ls sync-service/target/*-exec.jar >/dev/null 2>&1; then
  ./mvnw -B -q -o -DskipTests -Dspotless.check.skip=true install
fi
./mvnw -B -q -o -pl e2e-tests verify -Dspotless.check.skip=true -Dit.test=FreshnessBench \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dbench.rate="${BENCH_RATE:-50}" -Dbench.seconds="${BENCH_SECONDS:-30}" \
  -Dbench.connections="${BENCH_CONNECTIONS:-20}" 9>&- || status=$?
sed -n '/^freshness:/,/^GET \/events/p' e2e-tests/target/failsafe-reports/io.calsync.e2e.FreshnessBench-output.txt
exit "${status:-0}"
