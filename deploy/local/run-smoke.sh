#!/usr/bin/env bash
# Starts ./run --sandbox (jars already built), waits until it reports all five services ready, checks each readiness and
# Prometheus endpoint, sends SIGTERM and checks that every port it opened is closed again. Exits non-zero otherwise.
#
#   deploy/local/run-smoke.sh          a first start: the database is new; leaves a mark through the API
#   deploy/local/run-smoke.sh again    a restart on the same CALSYNC_RUN_DIR: the database and the mark are still there
#
# With a fresh TMPDIR (and CALSYNC_RUN_DIR) the first start also unpacks the PostgreSQL binaries, as on a new machine.
set -euo pipefail
mode=${1:-first}
case "$mode" in first | again) ;; *) echo "usage: $0 [first|again]" >&2; exit 2 ;; esac
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
if [ -z "${CALSYNC_RUN_DIR:-}" ]; then
  export CALSYNC_RUN_DIR=$ROOT/.run-smoke
  [ "$mode" = first ] && rm -rf "$CALSYNC_RUN_DIR" # its own folder: a first start starts from nothing
fi
log=$(mktemp)
ports=(8080 8081 8082 8083 8084 8090)

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
http_code() { # port path
  local reply
  reply=$( (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$2" >&3 &&
    timeout 5 cat <&3) 2>/dev/null) || { echo 000; return; }
  reply=${reply%%$'\r'*}
  reply=${reply#* }
  echo "${reply%% *}"
}

for p in "${ports[@]}" 3000 5232; do
  if port_open "$p"; then echo "run-smoke: port $p is already in use; stop what holds it first" >&2; exit 1; fi
done

start=$SECONDS
./run --no-build --sandbox >"$log" 2>&1 &
run_pid=$!
cleanup() { # on any failure: stop ./run and wait until it has stopped everything it started
  kill -TERM "$run_pid" 2>/dev/null || true
  wait "$run_pid" 2>/dev/null || true
}
trap cleanup EXIT
trap 'echo "run-smoke: failed at line $LINENO" >&2' ERR

until grep -q "calsync is up" "$log"; do
  if ! kill -0 "$run_pid" 2>/dev/null; then cat "$log" >&2; echo "run-smoke: ./run exited early" >&2; exit 1; fi
  if [ $((SECONDS - start)) -gt 120 ]; then cat "$log" >&2; echo "run-smoke: not up within 120 s" >&2; exit 1; fi
  sleep 1
done
up_after=$((SECONDS - start))
grep -q "^  try it .*run token" "$log" || { cat "$log" >&2; echo "run-smoke: ./run printed no 'try it' line" >&2; exit 1; }
for p in "${ports[@]:0:5}"; do
  for path in /actuator/health/readiness /actuator/health/liveness /actuator/prometheus; do
    code=$(http_code "$p" "$path")
    [ "$code" = 200 ] || { echo "run-smoke: GET :$p$path answered $code" >&2; exit 1; }
  done
done
for p in "${ports[@]:0:5}"; do # the build-info of each jar, so that operators can tell which build runs
  info=$(curl -sS -m 5 "http://127.0.0.1:$p/actuator/info")
  [[ "$info" == *'"build"'*'"version"'* ]] || { echo "run-smoke: GET :$p/actuator/info has no build version: $info" >&2; exit 1; }
done
accounts=$( (exec 3<>/dev/tcp/127.0.0.1/8090 && printf 'GET /control/accounts HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 &&
  timeout 5 cat <&3) 2>/dev/null || true)
for demo in demo@gmail.sandbox.test demo@outlook.sandbox.test; do
  [[ "$accounts" == *"$demo"* ]] || { echo "run-smoke: the sandbox has no demo account $demo" >&2; exit 1; }
done
# Data kept across a clean stop: the first start leaves an audited sync-all, the second finds it in GET /audit.
api() { # method path
  curl -sS -m 10 -X "$1" -H "Authorization: Bearer $(./run token smoke@example.com)" "http://127.0.0.1:8080/api/v1/calendar$2"
}
pg_log="$CALSYNC_RUN_DIR/logs/postgres.log"
if [ -f "$CALSYNC_RUN_DIR/postgres.pid" ]; then
  started=$(grep -m1 "postgres: listening" "$pg_log")
  if [ "$mode" = first ] && [[ "$started" != *", new)" ]]; then
    echo "run-smoke: expected a new database on the first start: $started" >&2; exit 1
  fi
  if [ "$mode" = again ] && [[ "$started" == *", new)" ]]; then
    echo "run-smoke: the restart made a new database instead of keeping it: $started" >&2; exit 1
  fi
fi
if [ "$mode" = first ]; then
  queued=$(api POST /calendars/sync-all)
  [[ "$queued" == *'"queued"'* ]] || { echo "run-smoke: POST /calendars/sync-all answered $queued" >&2; exit 1; }
else
  audit=$(api GET /audit)
  [[ "$audit" == *calendar.sync_all* ]] || { echo "run-smoke: the first start's audit entry is gone: $audit" >&2; exit 1; }
fi
# The demo CalDAV server (when Radicale is installed): connected through the API on the first start, its seeded
# events synced within 30 s; still connected after the restart.
caldav=0
grep -q "^  CalDAV (Radicale)" "$log" && caldav=1
if [ "$caldav" = 1 ] && [ "$mode" = first ]; then
  api_json() { # method path body
    curl -sS -m 20 -X "$1" -H "Authorization: Bearer $(./run token smoke@example.com)" \
      -H 'Content-Type: application/json' --data "$3" "http://127.0.0.1:8080/api/v1/calendar$2"
  }
  session=$(api_json POST /caldav/discover \
    '{"serverUrl":"http://127.0.0.1:5232/","username":"demo","password":"demo-app-password"}')
  [[ "$session" == *'"name":"Personal"'* ]] || { echo "run-smoke: CalDAV discovery answered $session" >&2; exit 1; }
  sid=$(sed -E 's/.*"sessionId":"([^"]+)".*/\1/' <<<"$session")
  cal=$(sed -E 's/.*"calendars":\[\{"id":"([^"]+)".*/\1/' <<<"$session")
  selected=$(api_json POST /caldav/select "{\"sessionId\":\"$sid\",\"calendarIds\":[\"$cal\"]}")
  [[ "$selected" == *'"provider":"CALDAV"'* ]] || { echo "run-smoke: CalDAV select answered $selected" >&2; exit 1; }
  from=$(date -u +%Y-%m-%dT00:00:00Z)
  to=$(date -u -d '+14 days' +%Y-%m-%dT00:00:00Z)
  for _ in $(seq 1 30); do
    events=$(api GET "/events?start=$from&end=$to")
    [[ "$events" == *"Dinner with Sam"* && "$events" == *"Yoga (one hour later)"* ]] && break
    sleep 1
  done
  [[ "$events" == *"Dinner with Sam"* && "$events" == *"Yoga (one hour later)"* ]] ||
    { echo "run-smoke: the demo CalDAV calendar's events did not arrive: $events" >&2; exit 1; }
elif [ "$caldav" = 1 ]; then
  calendars=$(api GET /calendars)
  [[ "$calendars" == *'"provider":"CALDAV"'* ]] || { echo "run-smoke: the CalDAV calendar is gone: $calendars" >&2; exit 1; }
fi
rss_kb=0
for pid in $(pgrep -f 'exec.jar|kafka.Kafka|EmbeddedPostgresMain'); do
  rss_kb=$((rss_kb + $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)))
done

kill -TERM "$run_pid"
stop_start=$SECONDS
wait "$run_pid" || true
trap - EXIT
extra=()
[ "$caldav" = 1 ] && extra+=(5232)
grep -q "^  web demo" "$log" && extra+=(3000)
for p in "${ports[@]}" 9092 5433 "${extra[@]+"${extra[@]}"}"; do
  if port_open "$p"; then echo "run-smoke: port $p still open after the stop" >&2; exit 1; fi
done
echo "run-smoke: OK ($mode start): five services, the provider sandbox$([ "$caldav" = 1 ] && echo " and the demo CalDAV server") ready ${up_after} s after ./run, stopped in $((SECONDS - stop_start)) s; JVMs' RSS $((rss_kb / 1024)) MB (PostgreSQL server processes not counted)"
rm -rf "$log"
