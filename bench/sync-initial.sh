#!/usr/bin/env bash
# Benchmark of the initial sync: 50,000 events of a Google calendar (the in-process sandbox) into PostgreSQL through
# sync-service's engine, in events/s, beside a raw JDBC batch upsert of the same rows measured in the same run. Prints
# every round, the medians, the ratio against the target (>= 0.5) with PASS/MISS, and where the engine's time goes.
# See bench/README.md.
#
#   bench/sync-initial.sh
#
# Brings up PostgreSQL with deploy/local/infra.sh (reusing what runs), installs sync-service and provider-sandbox into
# ~/.m2 when their jars are missing (or the installed sync-service has no engine yet, or BENCH_REBUILD=1), builds the
# benchmark's own classes (bench/sync-initial, outside the reactor), and runs it in one JVM: it creates and at the end
# drops the database calsync_bench_sync. On exit everything this run started is stopped. Holds /tmp/calsync-mvn.lock
# for the whole run (taking it itself, or using the one inherited from `flock /tmp/calsync-mvn.lock
# bench/sync-initial.sh`), so no build competes for the CPUs.
#
# Settings (environment): BENCH_EVENTS (50000), BENCH_ROUNDS (15 measured rounds per side; the report gives the
# spread of the per-round ratios), BENCH_WARMUP (2 rounds per
# side), BENCH_SEED (42), BENCH_REBUILD=1 (reinstall sync-service and provider-sandbox first), BENCH_KEEP_DB=1 (keep
# calsync_bench_sync), BENCH_JVM_OPTS (the benchmark JVM's options), BENCH_JFR=1 (a flight recording of it).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
say() { printf 'bench: %s\n' "$*" >&2; }
started=$SECONDS

# --- the build lock (fd 9), the JDK and mvnw(): bench/lib.sh -----------------------------------------------------
. "$ROOT/bench/lib.sh"

# --- run directory, what this run started --------------------------------------------------------------------------
# Its own state directory: `infra.sh down` then stops only what this script started, never a server found running.
export CALSYNC_RUN_DIR=${BENCH_RUN_DIR:-$ROOT/.run/bench}
mkdir -p "$CALSYNC_RUN_DIR/logs"
export BENCH_DB=calsync_bench_sync
BENCH_DIR="$ROOT/bench/sync-initial"
BENCH_JAR="$BENCH_DIR/target/bench-sync-initial-0.1.0-SNAPSHOT.jar"
M2="${HOME}/.m2/repository/io/calsync"
SYNC_JAR="$M2/sync-service/0.1.0-SNAPSHOT/sync-service-0.1.0-SNAPSHOT.jar"
SANDBOX_JAR="$M2/provider-sandbox/0.1.0-SNAPSHOT/provider-sandbox-0.1.0-SNAPSHOT.jar"
ran=""

# DATABASE_URL and the broker's address stay out of the benchmark JVM's environment: the sandbox runs in it, and is
# a Spring application that must not see another service's settings.
bench() { # command, then JVM options
  local command=$1
  shift
  env -u DATABASE_URL -u KAFKA_BOOTSTRAP_SERVERS -u REDIS_URL BENCH_DATABASE_URL="$BENCH_DATABASE_URL" \
    "$JAVA" "$@" -cp "$BENCH_DIR/target/classes:$BENCH_DIR/target/lib/*" io.calsync.bench.SyncInitialBench "$command"
}

cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  # The benchmark drops its database itself; after an interrupted or failed run, make sure.
  if [ "$ran" = 1 ] && [ "$status" != 0 ] && [ "${BENCH_KEEP_DB:-0}" != 1 ]; then
    bench cleanup -Xmx256m || say "could not drop database $BENCH_DB"
  fi
  # A PostgreSQL this run started (its pid file is in our state directory) goes with its data.
  bench_infra_down
  say "done in $((SECONDS - started)) s"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- infrastructure and builds -------------------------------------------------------------------------------------
"$ROOT/deploy/local/infra.sh" up 9>&-
BENCH_DATABASE_URL=$(eval "$("$ROOT/deploy/local/infra.sh" env)" && printf '%s' "$DATABASE_URL")
export BENCH_DATABASE_URL

# An install from before the engine existed has the provider port but no io.calsync.sync.engine: it counts as missing.
has_engine() { "$JAVA_HOME/bin/jar" tf "$SYNC_JAR" 2>/dev/null | grep -q '^io/calsync/sync/engine/SyncEngine.class$'; }
if [ ! -f "$SYNC_JAR" ] || [ ! -f "$SANDBOX_JAR" ] || ! has_engine || [ "${BENCH_REBUILD:-0}" = 1 ]; then
  say "installing sync-service and provider-sandbox into ~/.m2 (./mvnw install -pl sync-service,provider-sandbox -am, tests skipped)"
  mvnw -DskipTests -Dspotless.check.skip=true -pl sync-service,provider-sandbox -am install
fi
# The benchmark's classes and its copy of the dependencies: rebuilt when its sources changed or a jar it copied was
# reinstalled since.
if [ ! -f "$BENCH_JAR" ] || [ -n "$(find "$BENCH_DIR/src" "$BENCH_DIR/pom.xml" "$ROOT/bench/support/src" "$SYNC_JAR" "$SANDBOX_JAR" \
  "$M2/platform" "$M2/common-model" -name '*.jar' -newer "$BENCH_JAR" -o -name '*.java' -newer "$BENCH_JAR" \
  -o -name 'pom.xml' -newer "$BENCH_JAR" 2>/dev/null)" ]; then
  say "building bench/sync-initial"
  bench_build sync-initial
fi

# What is measured: the installed engine, and whether its sources changed since (others edit them concurrently).
stale=$(find sync-service/src/main providers/src/main platform/src/main common-model/src/main -newer "$SYNC_JAR" -type f 2>/dev/null | wc -l)
export BENCH_CODE_INFO="$(basename "$SYNC_JAR") installed $(date -r "$SYNC_JAR" '+%Y-%m-%d %H:%M'), \
git $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $stale main source files of sync-service, platform and \
common-model changed since (BENCH_REBUILD=1 reinstalls)"

# --- measure -------------------------------------------------------------------------------------------------------
# shellcheck disable=SC2206
jvm_opts=(${BENCH_JVM_OPTS:--Xms1g -Xmx1g -XX:+UseG1GC})
if [ "${BENCH_JFR:-0}" = 1 ]; then
  jvm_opts+=("-XX:StartFlightRecording=filename=$CALSYNC_RUN_DIR/bench-sync-initial.jfr,settings=profile")
  say "recording to $CALSYNC_RUN_DIR/bench-sync-initial.jfr"
fi
ran=1
bench run "${jvm_opts[@]}"
