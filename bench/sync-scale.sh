#!/usr/bin/env bash
# Scale-out benchmark of sync-service at the providers' latency (the sandbox answers after 150 ms +- 50 ms): one
# backlog of initial syncs (2,000 Google connections x 50 events at the sandbox) drained by today's engine (round 0:
# one instance working one connection after another per consumer), then by one and by three instances as shipped, in
# one consumer group each, in events/s, with the ratios against the targets (one instance >= 20x round 0, three
# >= 2.5x one) and PASS/MISS; round 2 stops one instance with SIGTERM
# and starts it again at a third of the work. Checks after each round that no event was lost or stored twice, that
# each new-connection message was applied once and that one connection's changes were applied in order. Exits 0
# unless a check failed (or something broke). See bench/README.md.
#
#   bench/sync-scale.sh
#
# Brings up PostgreSQL and Kafka with deploy/local/infra.sh (reusing what runs), packages sync-service and
# provider-sandbox when their -exec jars are missing (or BENCH_REBUILD=1), builds the benchmark's own classes
# (bench/sync-scale, outside the reactor), and runs its driver: it creates and at the end drops the database
# calsync_bench_scale and the replication slots calsync_bench_scale_r1/_r2, starts the sandbox and the instances as
# processes of their own, and stops them. On exit everything this run started is stopped. Holds /tmp/calsync-mvn.lock
# for the whole run (taking it itself, or using the one inherited from `flock /tmp/calsync-mvn.lock
# bench/sync-scale.sh`), so no build competes for the CPUs.
#
# Settings (environment): BENCH_CONNECTIONS (2000), BENCH_EVENTS_PER_CONNECTION (50), BENCH_LATENCY (150ms),
# BENCH_LATENCY_JITTER (50ms), BENCH_BASELINE (1; 0 skips round 0), BENCH_INSTANCES (3, round 2), BENCH_CONCURRENCY (2 consumers per instance, the
# service's default), BENCH_ORDER_CONNECTIONS (20), BENCH_ORDER_STEPS (5 changes each after the backlog drained),
# BENCH_RESTART (1; 0 skips the restart in round 2), BENCH_SEED (42), BENCH_SEED_PARALLELISM (16), BENCH_SYNC_OPTS
# (the instances' JVM options), BENCH_SANDBOX_OPTS, BENCH_ROUND_TIMEOUT_MINUTES (30), BENCH_REBUILD=1 (package the
# jars again first), BENCH_KEEP_DB=1 (keep the database; the slots are dropped anyway).
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
export BENCH_DB=calsync_bench_scale
BENCH_DIR="$ROOT/bench/sync-scale"
BENCH_JAR="$BENCH_DIR/target/bench-sync-scale-0.1.0-SNAPSHOT.jar"
SYNC_JAR="$ROOT/sync-service/target/sync-service-0.1.0-SNAPSHOT-exec.jar"
SANDBOX_JAR="$ROOT/provider-sandbox/target/provider-sandbox-0.1.0-SNAPSHOT-exec.jar"
# Every process the driver starts (the sandbox, each instance) is recorded here as "pid name", so that they can be
# stopped even when the driver itself was killed.
PID_FILE="$CALSYNC_RUN_DIR/bench-scale.pids"
: >"$PID_FILE"
ran=""

bench() { # command
  env -u DATABASE_URL -u KAFKA_BOOTSTRAP_SERVERS -u REDIS_URL \
    BENCH_DATABASE_URL="$BENCH_DATABASE_URL" BENCH_KAFKA_BOOTSTRAP="$KAFKA_BOOTSTRAP_SERVERS" \
    BENCH_SYNC_JAR="$SYNC_JAR" BENCH_SANDBOX_JAR="$SANDBOX_JAR" BENCH_LOG_DIR="$CALSYNC_RUN_DIR/logs" \
    BENCH_PID_FILE="$PID_FILE" \
    "$JAVA" -Xms256m -Xmx1g -cp "$BENCH_DIR/target/classes:$BENCH_DIR/target/lib/*" \
    io.calsync.bench.scale.SyncScaleBench "$1"
}

# Stops what the driver started and left running: only pids from our own pid file, and only while their command
# line still names one of our jars (a pid the kernel has reused since is left alone).
stop_leftovers() {
  [ -f "$PID_FILE" ] || return 0
  local pid name
  while read -r pid name; do
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -e "$SYNC_JAR" -e "$SANDBOX_JAR"; then
      say "stopping $name (pid $pid), left behind by the driver"
      kill -TERM "$pid" 2>/dev/null
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null
    fi
  done <"$PID_FILE"
}

cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  stop_leftovers
  # The driver drops its database and slots itself; after an interrupted or failed run, make sure.
  if [ "$ran" = 1 ] && [ "$status" != 0 ] && [ "${BENCH_KEEP_DB:-0}" != 1 ]; then
    bench cleanup || say "could not drop database $BENCH_DB or its replication slots"
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
eval "$("$ROOT/deploy/local/infra.sh" env)"
BENCH_DATABASE_URL=$DATABASE_URL
export BENCH_DATABASE_URL

if [ ! -f "$SYNC_JAR" ] || [ ! -f "$SANDBOX_JAR" ] || [ "${BENCH_REBUILD:-0}" = 1 ]; then
  say "packaging sync-service and provider-sandbox (./mvnw package -pl sync-service,provider-sandbox, tests skipped)"
  # Against the installed common-model and platform first; with -am when they are not installed yet.
  mvnw -DskipTests -Dspotless.check.skip=true -pl sync-service,provider-sandbox package ||
    mvnw -DskipTests -Dspotless.check.skip=true -pl sync-service,provider-sandbox -am package
fi
# The driver's classes and its copy of the dependencies: rebuilt when its sources changed or common-model was
# reinstalled since (the message records it publishes come from there).
if [ ! -f "$BENCH_JAR" ] || [ -n "$(find "$BENCH_DIR/src" "$BENCH_DIR/pom.xml" "$ROOT/bench/support/src" "$HOME/.m2/repository/io/calsync/common-model" \
  -newer "$BENCH_JAR" \( -name '*.java' -o -name '*.xml' -o -name '*.jar' \) 2>/dev/null)" ]; then
  say "building bench/sync-scale"
  bench_build sync-scale
fi

# What is measured: the jar, and whether the sources changed since it was built (others edit them concurrently).
stale=$(find sync-service/src/main providers/src/main platform/src/main common-model/src/main -newer "$SYNC_JAR" -type f 2>/dev/null | wc -l)
export BENCH_CODE_INFO="$(basename "$SYNC_JAR") built $(date -r "$SYNC_JAR" '+%Y-%m-%d %H:%M'), \
git $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $stale main source files of sync-service, platform and \
common-model changed since (BENCH_REBUILD=1 packages it again)"
export BENCH_KAFKA_PID=0
[ -f "$CALSYNC_RUN_DIR/kafka.pid" ] && BENCH_KAFKA_PID=$(cat "$CALSYNC_RUN_DIR/kafka.pid")

# --- measure -------------------------------------------------------------------------------------------------------
ran=1
bench run
