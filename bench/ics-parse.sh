#!/usr/bin/env bash
# Benchmark of reading an ICS feed: platform's IcsParser plus the sync engine's IcsEventMapper, beside a bare relaxed
# ical4j CalendarBuilder measured in the same JVM, on the largest .ics of the shared corpus. Prints the median ms per
# run of both, their ratio and the target (<= 1.5x). Exit status 0 whatever the ratio. See bench/README.md.
#
#   bench/ics-parse.sh
#
# Measures the sync-service jar installed in the local Maven repository (installs it first when it is missing, or
# with BENCH_REBUILD=1), builds the benchmark's own classes (bench/ics-parse, outside the reactor) when they are
# stale, then runs. Holds /tmp/calsync-mvn.lock for the whole run (taking it itself, or using the one inherited from
# `flock /tmp/calsync-mvn.lock bench/ics-parse.sh`), so no build competes for the CPUs.
#
# Settings (environment): BENCH_CORPUS (shared/corpus beside the repository), BENCH_WARMUP_SECONDS (20),
# BENCH_ROUNDS (10), BENCH_RUNS (3 per round and side), BENCH_JAVA_OPTS (-Xms512m -Xmx1g -XX:+UseG1GC),
# BENCH_REBUILD=1 (install the sync-service jar again first).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
say() { printf 'bench: %s\n' "$*" >&2; }
started=$SECONDS

# --- the build lock (fd 9), the JDK and mvnw(): bench/lib.sh -----------------------------------------------------
. "$ROOT/bench/lib.sh"


# --- what is measured: the installed providers jar (the ICS parser and mapper) ---------------------------------------------------------------
REPO=${MAVEN_REPO:-$HOME/.m2/repository}
SYNC_JAR="$REPO/io/calsync/providers/0.1.0-SNAPSHOT/providers-0.1.0-SNAPSHOT.jar"
if [ ! -f "$SYNC_JAR" ] || [ "${BENCH_REBUILD:-0}" = 1 ]; then
  say "installing the providers jar (./mvnw install -pl providers -am, tests skipped)"
  mvnw -DskipTests -Dspotless.check.skip=true -pl providers -am install
fi
BENCH_DIR="$ROOT/bench/ics-parse"
bench_jar="$BENCH_DIR/target/bench-ics-parse-0.1.0-SNAPSHOT.jar"
if [ ! -f "$bench_jar" ] || [ -n "$(find "$BENCH_DIR/src" "$BENCH_DIR/pom.xml" "$SYNC_JAR" -newer "$bench_jar" 2>/dev/null)" ]; then
  say "building bench/ics-parse"
  mvnw -f bench/ics-parse/pom.xml -Dspotless.check.skip=true package
fi
stale=$(find providers/src/main common-model/src/main -newer "$SYNC_JAR" -type f 2>/dev/null | wc -l)
say "measuring $(basename "$SYNC_JAR") installed $(date -r "$SYNC_JAR" '+%Y-%m-%d %H:%M'); $stale main source files of" \
  "sync-service and platform changed since (BENCH_REBUILD=1 installs it again)"

# --- run -----------------------------------------------------------------------------------------------------------
export BENCH_CORPUS=${BENCH_CORPUS:-$(cd "$ROOT/.." && pwd)/shared/corpus}
[ -d "$BENCH_CORPUS/ics" ] || { say "no corpus at $BENCH_CORPUS/ics (set BENCH_CORPUS)"; exit 1; }
# shellcheck disable=SC2086
status=0
"$JAVA" ${BENCH_JAVA_OPTS:--Xms512m -Xmx1g -XX:+UseG1GC} -cp "$bench_jar:$BENCH_DIR/target/lib/*" \
  io.calsync.bench.ics.IcsParseBench 9>&- || status=$?
say "done in $((SECONDS - started)) s"
# A MISS is a result, not a failure: 0 either way. Only a benchmark that could not run exits otherwise.
exit "$status"
