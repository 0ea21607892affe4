#!/usr/bin/env bash
# Re-measures the fault figures of docs/reliability.md: runs the fault tests (the outbox under a dropped replication
# slot and a broker restart, a poison message per topic, PostgreSQL and Redis stopped under the gateway, the gateway
# SIGKILLed under idempotent creates), collects the `fault:` line each prints, and writes them into the table between
# the markers of docs/reliability.md with today's date. A failing test fails the script (its figure is not written).
#
#   bench/reliability.sh
#
# The tests bring their own infrastructure (embedded PostgreSQL, Kafka, Redis from Debian's redis-server); the e2e
# test runs the services' jars, so everything is installed first. Holds the build lock like the other bench scripts.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
say() { printf 'reliability: %s\n' "$*" >&2; }
. "$ROOT/bench/lib.sh"

TESTS=OutboxFaultIT,PoisonMessageIT,GatewayOutageIT,GatewayKillIT
MODULES=platform,sync-service,gateway-service,e2e-tests
say "building the jars the e2e test runs"
mvnw -B -q install -DskipTests -Dspotless.check.skip=true
for m in ${MODULES//,/ }; do rm -f "$m"/target/failsafe-reports/*-output.txt; done
say "running $TESTS"
mkdir -p "$ROOT/.run"
mvnw -B verify -pl "$MODULES" -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test="$TESTS" \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dspotless.check.skip=true >"$ROOT/.run/reliability.log" 2>&1 \
  || { say "a fault test failed; see .run/reliability.log"; exit 1; }

# The lines are inside JSON log lines or plain ones; keep the text from "fault: " to the end of the message.
reports=()
for m in ${MODULES//,/ }; do reports+=("$m"/target/failsafe-reports/*-output.txt); done
lines=$(grep -ho 'fault: [^"]*' "${reports[@]}" | sort -u)
[ -n "$lines" ] || { say "no fault: lines found"; exit 1; }
printf '%s\n' "$lines" >&2

day=$(date -u +%Y-%m-%d)
table=$(printf '%s\n' "$lines" | while read -r _ name rest; do printf '| %s | %s | `%s` |\n' "$day" "$name" "$rest"; done)
doc="$ROOT/docs/reliability.md"
awk -v table="$table" '
  /<!-- fault-figures:begin -->/ { print; print "| measured | fault | figures |"; print "|---|---|---|"; print table; skip=1; next }
  /<!-- fault-figures:end -->/ { skip=0 }
  !skip { print }
' "$doc" >"$doc.new" && mv "$doc.new" "$doc"
say "docs/reliability.md updated with $(printf '%s\n' "$lines" | wc -l) figures"
