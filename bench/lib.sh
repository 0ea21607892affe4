# Shared by the bench scripts (sourced, after ROOT and say() are set): hold the build lock for the whole run on fd 9
# (children that outlive a step are started without it), find the JDK (JAVA), and mvnw() that builds offline first.
# shellcheck shell=bash

LOCK=${CALSYNC_MVN_LOCK:-/tmp/calsync-mvn.lock}
inherited=""
for fd in /proc/$$/fd/*; do
  if [ "$(readlink "$fd" 2>/dev/null)" = "$LOCK" ]; then inherited=${fd##*/}; fi
done
if [ -n "$inherited" ]; then
  if [ "$inherited" != 9 ]; then
    exec 9>&"$inherited"
    exec {inherited}>&-
  fi
elif command -v flock >/dev/null 2>&1; then
  exec 9>>"$LOCK"
  if ! flock -n 9; then
    say "waiting for $LOCK (a build is running)"
    flock 9
  fi
else
  say "flock not found: running without $LOCK"
  exec 9>/dev/null
fi

# shellcheck disable=SC1091
. "$ROOT/.mvn/find-jdk.sh"
calsync_find_jdk
JAVA="$JAVA_HOME/bin/java"

mvnw() { # offline first; online only when an artifact is missing
  ./mvnw -B -q -o "$@" || { say "offline build failed; retrying online"; ./mvnw -B -q "$@"; }
}

bench_build() { # <bench folder>: the parent POM and bench/support into ~/.m2 (a bench depends on them), then the bench
  mvnw -N -Dspotless.check.skip=true install
  mvnw -f bench/support/pom.xml -Dspotless.check.skip=true install
  mvnw -f "bench/$1/pom.xml" -Dspotless.check.skip=true package
}

bench_infra_down() { # stops what this run started; a PostgreSQL it started goes with its data (unless BENCH_KEEP_DB=1)
  local own_pg=0
  [ -f "$CALSYNC_RUN_DIR/postgres.pid" ] && own_pg=1
  "$ROOT/deploy/local/infra.sh" down 9>&-
  if [ "$own_pg" = 1 ] && [ "${BENCH_KEEP_DB:-0}" != 1 ]; then
    rm -rf "$CALSYNC_RUN_DIR/pgdata"
  fi
}
