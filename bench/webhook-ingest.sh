#!/usr/bin/env bash
# Benchmark of webhook-ingest-service: Graph notifications accepted per second (202 only after the broker acknowledged
# with acks=all) beside a bare 202 route of the same server, measured in the same run with the same closed-loop
# callers, interleaved. Prints accepted/s of both, their ratio and PASS/MISS against the target (>= 0.7); exits 0
# either way. See bench/README.md.
#
#   bench/webhook-ingest.sh
#
# Brings up PostgreSQL and Kafka with deploy/local/infra.sh (reusing what runs), builds the service's jar if it is
# missing and the benchmark's own classes (bench/webhook-ingest, outside the reactor), creates a fresh database
# calsync_bench_ingest, starts the service on it on a free loopback port with the bench's bare route loaded into it
# (calsync.bench.bare-endpoint=true), seeds one subscription row, warms up, measures, and on exit stops everything it
# started and drops the database. Holds /tmp/calsync-mvn.lock for the whole run (taking it itself, or using the one
# inherited from `flock /tmp/calsync-mvn.lock bench/webhook-ingest.sh`), so no build competes for the CPUs.
#
# Settings (environment): BENCH_CONCURRENCY (32 callers), BENCH_SECONDS (10 per slice), BENCH_ROUNDS (3),
# BENCH_WARMUP_SECONDS (20), BENCH_INGEST_OPTS (JVM options of the service), BENCH_REBUILD=1 (rebuild the jar first),
# BENCH_KEEP_DB=1 (keep calsync_bench_ingest), BENCH_PORT.
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
export BENCH_DB=calsync_bench_ingest
BENCH_DIR="$ROOT/bench/webhook-ingest"
INGEST_JAR="$ROOT/webhook-ingest-service/target/webhook-ingest-service-0.1.0-SNAPSHOT-exec.jar"
INGEST_LOG="$CALSYNC_RUN_DIR/logs/bench-ingest.log"
ingest_pid=""
prepared=0

bench() { "$JAVA" -Xms256m -Xmx512m -cp "$BENCH_DIR/target/classes:$BENCH_DIR/target/lib/*" \
  io.calsync.bench.ingest.WebhookIngestBench "$@"; }

cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  if [ -n "$ingest_pid" ] && kill -0 "$ingest_pid" 2>/dev/null; then
    say "stopping the service (pid $ingest_pid)"
    kill -TERM "$ingest_pid" 2>/dev/null
    for _ in $(seq 1 150); do kill -0 "$ingest_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$ingest_pid" 2>/dev/null
    wait "$ingest_pid" 2>/dev/null
  fi
  if [ "$prepared" = 1 ]; then
    if [ "${BENCH_KEEP_DB:-0}" = 1 ]; then
      say "keeping database $BENCH_DB (BENCH_KEEP_DB=1)"
    else
      bench cleanup || say "could not drop database $BENCH_DB"
    fi
  fi
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

if [ ! -f "$INGEST_JAR" ] || [ "${BENCH_REBUILD:-0}" = 1 ]; then
  say "building the service jar (./mvnw package -pl webhook-ingest-service, tests skipped)"
  # Against the installed common-model and platform first; with -am when they are not installed yet.
  mvnw -DskipTests -Dspotless.check.skip=true -pl webhook-ingest-service package ||
    mvnw -DskipTests -Dspotless.check.skip=true -pl webhook-ingest-service -am package
fi
bench_jar="$BENCH_DIR/target/bench-webhook-ingest-0.1.0-SNAPSHOT.jar"
if [ ! -f "$bench_jar" ] || [ -n "$(find "$BENCH_DIR/src" "$BENCH_DIR/pom.xml" "$ROOT/bench/support/src" -newer "$bench_jar" 2>/dev/null)" ]; then
  say "building bench/webhook-ingest"
  bench_build webhook-ingest
fi

# What is measured: the jar, and whether the sources changed since it was built (others edit them concurrently).
stale=$(find webhook-ingest-service/src/main common-model/src/main platform/src/main -newer "$INGEST_JAR" -type f 2>/dev/null | wc -l)
export BENCH_INGEST_INFO="$(basename "$INGEST_JAR"), built $(date -r "$INGEST_JAR" '+%Y-%m-%d %H:%M'), \
git $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $stale main source files changed since (BENCH_REBUILD=1 rebuilds)"

# --- a fresh database and the service on it ------------------------------------------------------------------------
BENCH_DATABASE_URL=$(bench prepare)
prepared=1
say "database $BENCH_DB created"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=${BENCH_PORT:-}
if [ -z "$PORT" ]; then
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 20000))
    if ! port_open "$candidate"; then PORT=$candidate; break; fi
  done
fi
[ -n "$PORT" ] || { say "no free port found"; exit 1; }

export BENCH_INGEST_OPTS=${BENCH_INGEST_OPTS:--Xms512m -Xmx1g -XX:+UseG1GC}
say "starting webhook-ingest-service on 127.0.0.1:$PORT (log: $INGEST_LOG)"
# The bare baseline route is not part of the service: Spring Boot's PropertiesLauncher adds the bench's classes
# (loader.path), whose auto-configuration serves it on the same server when calsync.bench.bare-endpoint is on.
# shellcheck disable=SC2086
DATABASE_URL="$BENCH_DATABASE_URL" KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP_SERVERS" \
  "$JAVA" $BENCH_INGEST_OPTS -Dloader.path="$BENCH_DIR/target/classes" -cp "$INGEST_JAR" \
    org.springframework.boot.loader.launch.PropertiesLauncher --server.address=127.0.0.1 --server.port="$PORT" \
    --calsync.bench.bare-endpoint=true >"$INGEST_LOG" 2>&1 9>&- &
ingest_pid=$!

ready() {
  local reply
  reply=$( (exec 3<>"/dev/tcp/127.0.0.1/$PORT" &&
    printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 &&
    timeout 3 cat <&3) 2>/dev/null) || return 1
  [[ "$reply" == "HTTP/1.1 200"* ]]
}
t0=$SECONDS
until ready; do
  if ! kill -0 "$ingest_pid" 2>/dev/null; then
    say "the service exited; last lines of $INGEST_LOG:"
    tail -n 30 "$INGEST_LOG" >&2
    exit 1
  fi
  if [ $((SECONDS - t0)) -gt 120 ]; then
    say "the service is not ready after 120 s; last lines of $INGEST_LOG:"
    tail -n 30 "$INGEST_LOG" >&2
    exit 1
  fi
  sleep 0.5
done
say "service ready after $((SECONDS - t0)) s"

# --- seed, warm up, measure, report --------------------------------------------------------------------------------
kafka_pid=0
[ -f "$CALSYNC_RUN_DIR/kafka.pid" ] && kafka_pid=$(cat "$CALSYNC_RUN_DIR/kafka.pid")
BENCH_INGEST_PID=$ingest_pid BENCH_KAFKA_PID=$kafka_pid BENCH_BASE_URL="http://127.0.0.1:$PORT" bench run
