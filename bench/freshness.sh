#!/usr/bin/env bash
# Freshness: a change at the (fake) provider, pushed to webhook-ingest, until it is in the rows GET /events reads, and
# until an SSE client of GET /stream (one per user, as a browser tab) has the message; p50/p99 of both at 50 changes/s
# over 20 connections (targets 300 ms and 1 s). Runs e2e-tests' FreshnessBench against the real service jars.
#
#   bench/freshness.sh            # BENCH_RATE (50), BENCH_SECONDS (30), BENCH_CONNECTIONS (20)
#
# Installs every module first (the e2e module resolves common-model and test-support from the local repository,
# where `./run`'s package never puts them; a fresh clone failed here), offline first; holds the build lock
# (bench/lib.sh) while it runs.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
say() { printf 'bench: %s\n' "$*" >&2; }
. "$ROOT/bench/lib.sh"
mvnw -DskipTests -Dspotless.check.skip=true install
mvnw -pl e2e-tests verify -Dspotless.check.skip=true -Dit.test=FreshnessBench \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dbench.rate="${BENCH_RATE:-50}" -Dbench.seconds="${BENCH_SECONDS:-30}" \
  -Dbench.connections="${BENCH_CONNECTIONS:-20}" 9>&- || status=$?
sed -n '/^freshness:/,/^GET \/events/p' e2e-tests/target/failsafe-reports/io.calsync.e2e.FreshnessBench-output.txt
exit "${status:-0}"
