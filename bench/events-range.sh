#!/usr/bin/env bash
# Benchmark of GET /api/v1/calendar/events for a month window (50,000 events, 500 series), beside the raw SQL of the
# same rows measured in the same run. Prints p50/p90/p99/max of both, their ratios and PASS/MISS against the targets
# (p99 < 50 ms, at most 3x the raw query). See bench/README.md.
#
#   bench/events-range.sh
#
# Brings up PostgreSQL, Kafka and Redis with deploy/local/infra.sh (reusing what runs), builds the gateway jar if it is
# missing and the benchmark's own classes (bench/events-range, outside the reactor), creates a fresh database
# calsync_bench, starts the gateway on it on a free loopback port, seeds, warms up, measures, and on exit stops
# everything it started and drops the database. Holds /tmp/calsync-mvn.lock for the whole run (taking it itself, or
# using the one inherited from `flock /tmp/calsync-mvn.lock bench/events-range.sh`), so no build competes for the CPUs.
#
# Settings (environment): BENCH_PROFILE (realistic: 50,000 events over ten years; stress: over two), BENCH_RATE (100 req/s), BENCH_SECONDS (30), BENCH_WARMUP (2000 requests), BENCH_EVENTS
# (50000), BENCH_SERIES (500), BENCH_OTHER_USERS (10), BENCH_OTHER_EVENTS_PER_USER (50000), BENCH_SEED (42),
# BENCH_GATEWAY_OPTS (JVM options of the gateway), BENCH_REBUILD=1 (rebuild the gateway jar first), BENCH_KEEP_DB=1
# (keep calsync_bench), BENCH_JFR=1 (a flight recording of the gateway under the run directory), BENCH_PORT.
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
export BENCH_DB=calsync_bench BENCH_SLOT=calsync_bench_gateway
# The data set: realistic (50,000 events over ten years, ~14 a day, 500 series) or stress (the same over two years:
# 68 a day, a month's answer ~2,900 events).
case "${BENCH_PROFILE:-realistic}" in
  realistic) export BENCH_SPAN_DAYS=${BENCH_SPAN_DAYS:-3650} ;;
  stress) export BENCH_SPAN_DAYS=${BENCH_SPAN_DAYS:-730} ;;
  *) say "BENCH_PROFILE must be realistic or stress"; exit 2 ;;
esac
say "data set: ${BENCH_PROFILE:-realistic} (${BENCH_SPAN_DAYS} days)"
BENCH_JAR_DIR="$ROOT/bench/events-range"
GATEWAY_JAR="$ROOT/gateway-service/target/gateway-service-0.1.0-SNAPSHOT-exec.jar"
GATEWAY_LOG="$CALSYNC_RUN_DIR/logs/bench-gateway.log"
gateway_pid=""
prepared=0

bench() { "$JAVA" -Xms256m -Xmx1g -cp "$BENCH_JAR_DIR/target/classes:$BENCH_JAR_DIR/target/lib/*" \
  io.calsync.bench.EventsRangeBench "$@"; }

cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  if [ -n "$gateway_pid" ] && kill -0 "$gateway_pid" 2>/dev/null; then
    say "stopping the gateway (pid $gateway_pid)"
    kill -TERM "$gateway_pid" 2>/dev/null
    for _ in $(seq 1 150); do kill -0 "$gateway_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$gateway_pid" 2>/dev/null
    wait "$gateway_pid" 2>/dev/null
  fi
  if [ "$prepared" = 1 ]; then
    if [ "${BENCH_KEEP_DB:-0}" = 1 ]; then
      say "keeping database $BENCH_DB (BENCH_KEEP_DB=1); the replication slot $BENCH_SLOT is dropped"
      bench drop-slot
    else
      bench cleanup || say "could not drop database $BENCH_DB or slot $BENCH_SLOT"
    fi
  fi
  # A PostgreSQL this run started (its pid file is in our state directory) goes with its data: it holds ~1 GB of WAL.
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

if [ ! -f "$GATEWAY_JAR" ] || [ "${BENCH_REBUILD:-0}" = 1 ]; then
  say "building the gateway jar (./mvnw package -pl gateway-service -am, tests skipped)"
  mvnw -DskipTests -Dspotless.check.skip=true -pl gateway-service -am package
fi
bench_jar="$BENCH_JAR_DIR/target/bench-events-range-0.1.0-SNAPSHOT.jar"
if [ ! -f "$bench_jar" ] || [ -n "$(find "$BENCH_JAR_DIR/src" "$BENCH_JAR_DIR/pom.xml" "$ROOT/bench/support/src" -newer "$bench_jar" 2>/dev/null)" ]; then
  say "building bench/events-range"
  bench_build events-range
fi

# What is measured: the jar, and whether the sources changed since it was built (others edit them concurrently).
stale=$(find gateway-service/src/main providers/src/main common-model/src/main platform/src/main -newer "$GATEWAY_JAR" -type f 2>/dev/null | wc -l)
export BENCH_GATEWAY_INFO="$(basename "$GATEWAY_JAR"), built $(date -r "$GATEWAY_JAR" '+%Y-%m-%d %H:%M'), \
git $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $stale main source files changed since (BENCH_REBUILD=1 rebuilds)"

# --- a fresh database and the gateway on it ------------------------------------------------------------------------
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

export BENCH_GATEWAY_OPTS=${BENCH_GATEWAY_OPTS:--Xms512m -Xmx1g -XX:+UseG1GC}
gateway_opts=$BENCH_GATEWAY_OPTS
if [ "${BENCH_JFR:-0}" = 1 ]; then
  gateway_opts="$gateway_opts -XX:StartFlightRecording=filename=$CALSYNC_RUN_DIR/bench-gateway.jfr,settings=profile"
  say "recording the gateway to $CALSYNC_RUN_DIR/bench-gateway.jfr"
fi
export SECRET_KEY=${SECRET_KEY:-calsync-bench-only-secret-key-0123456789abcdef}
say "starting the gateway on 127.0.0.1:$PORT (log: $GATEWAY_LOG)"
# shellcheck disable=SC2086
DATABASE_URL="$BENCH_DATABASE_URL" SPRING_PROFILES_ACTIVE=dev \
  FRONTEND_URL=http://localhost:3000 CORS_ORIGINS=http://localhost:3000 API_URL=http://localhost:8082 \
  OAUTH_SERVICE_URL=http://127.0.0.1:8081 ICS_ALLOW_PRIVATE_NETWORKS=false \
  "$JAVA" $gateway_opts -jar "$GATEWAY_JAR" --server.address=127.0.0.1 --server.port="$PORT" \
  --calsync.outbox.relay.slot-name="$BENCH_SLOT" >"$GATEWAY_LOG" 2>&1 9>&- &
gateway_pid=$!

ready() {
  local reply
  reply=$( (exec 3<>"/dev/tcp/127.0.0.1/$PORT" &&
    printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 &&
    timeout 3 cat <&3) 2>/dev/null) || return 1
  [[ "$reply" == "HTTP/1.1 200"* ]]
}
t0=$SECONDS
until ready; do
  if ! kill -0 "$gateway_pid" 2>/dev/null; then
    say "the gateway exited; last lines of $GATEWAY_LOG:"
    tail -n 30 "$GATEWAY_LOG" >&2
    exit 1
  fi
  if [ $((SECONDS - t0)) -gt 120 ]; then
    say "the gateway is not ready after 120 s; last lines of $GATEWAY_LOG:"
    tail -n 30 "$GATEWAY_LOG" >&2
    exit 1
  fi
  sleep 0.5
done
say "gateway ready after $((SECONDS - t0)) s"

# --- seed, warm up, measure, report --------------------------------------------------------------------------------
BENCH_GATEWAY_PID=$gateway_pid BENCH_BASE_URL="http://127.0.0.1:$PORT" bench run
