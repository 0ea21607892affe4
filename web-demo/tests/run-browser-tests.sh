#!/usr/bin/env bash
# The browser tests against the whole system: ./run --sandbox (jars and web-demo/dist already built) in a run folder of
# its own, the Playwright suite in Debian's Chromium, then a clean stop. Screenshots land in web-demo/test-results/.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
[ -f web-demo/dist/index.html ] || { echo "browser-tests: build the web demo first (cd web-demo && npm ci && npm run build)" >&2; exit 1; }
CHROMIUM=${CHROMIUM:-$(command -v chromium || true)}
[ -n "$CHROMIUM" ] || { echo "browser-tests: Chromium is missing (apt-get install chromium)" >&2; exit 1; }
export CHROMIUM
run_dir=$(mktemp -d)
log="$run_dir/run.log"
CALSYNC_RUN_DIR="$run_dir/run" ./run --no-build --sandbox >"$log" 2>&1 &
run_pid=$!
stop() {
  kill -TERM "$run_pid" 2>/dev/null || true
  wait "$run_pid" 2>/dev/null || true
}
trap stop EXIT
start=$SECONDS
until grep -q "calsync is up" "$log"; do
  if ! kill -0 "$run_pid" 2>/dev/null; then cat "$log" >&2; echo "browser-tests: ./run exited early" >&2; exit 1; fi
  if [ $((SECONDS - start)) -gt 240 ]; then cat "$log" >&2; echo "browser-tests: not up within 240 s" >&2; exit 1; fi
  sleep 1
done
grep -q "^  web demo" "$log" || { cat "$log" >&2; echo "browser-tests: ./run served no web demo" >&2; exit 1; }
status=0
(cd web-demo && node --test --test-concurrency=1 tests/) || status=$?
if [ "$status" != 0 ]; then
  tail -n 30 "$run_dir/run/logs/web-demo.log" >&2 || true
fi
exit "$status"
