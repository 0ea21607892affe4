#!/usr/bin/env bash
# Checks of deploy/, offline:
#   1. kubectl kustomize renders the base and every overlay (skipped where kubectl is not installed);
#   2. promtool checks the alert rules and runs their unit tests, alerts_test.yml (skipped without promtool;
#      Debian: apt-get install prometheus);
#   3. the deploy-check module's tests: the manifests' rules (probes, resources, secrets only by reference,
#      disruption budgets, sync-service's autoscaling, the ingress), and every metric of the alerts and the
#      dashboard against the meters the code registers. They also run in ./mvnw -B verify.
#
#   deploy/check.sh          # extra arguments go to Maven, e.g. deploy/check.sh -o for an offline build
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

failed=0
say() { printf 'check: %s\n' "$*"; }

if command -v kubectl >/dev/null 2>&1; then
  for dir in deploy/k8s/base deploy/k8s/overlays/*; do
    if out=$(kubectl kustomize "$dir" 2>&1); then
      say "kubectl kustomize $dir: $(grep -c '^kind:' <<<"$out") objects"
    else
      say "kubectl kustomize $dir FAILED:"
      printf '%s\n' "$out" >&2
      failed=1
    fi
  done
else
  say "kubectl is not installed: overlays not rendered (the tests still check the base from its files)"
fi

if command -v promtool >/dev/null 2>&1; then
  promtool check rules deploy/prometheus/alerts.yml || failed=1
  promtool test rules deploy/prometheus/alerts_test.yml || failed=1
else
  say "promtool is not installed: alert rules not checked by Prometheus (apt-get install prometheus)"
fi

if ./mvnw -B -q -pl deploy-check verify "$@"; then
  say "deploy-check tests passed ($(cat deploy-check/target/surefire-reports/*.txt | grep -h '^Tests run' \
    | awk -F'[ ,]+' '{r+=$3; s+=$9} END {print r " run, " s " skipped"}'))"
else
  say "deploy-check tests FAILED (deploy-check/target/surefire-reports)"
  failed=1
fi

exit "$failed"
