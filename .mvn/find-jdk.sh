# Sourced (POSIX sh) by ./mvnw, ./run and .ci/run: make sure JAVA_HOME names a JDK of release 21 or later.
# Order: an existing JAVA_HOME that is new enough, the `java` on PATH, then the newest JDK under /usr/lib/jvm.
# Prints nothing when the first choice is fine; otherwise one line saying which JDK it picked.
calsync_java_release() {
  # $1: a java executable; prints its feature release (17, 21, 25, ...) or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
calsync_find_jdk() {
  _min=21
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    _r=$(calsync_java_release "$JAVA_HOME/bin/java")
    if [ -n "$_r" ] && [ "$_r" -ge "$_min" ]; then return 0; fi
  fi
  if command -v javac >/dev/null 2>&1; then
    _jh=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    _r=$(calsync_java_release "$_jh/bin/java")
    if [ -n "$_r" ] && [ "$_r" -ge "$_min" ]; then export JAVA_HOME="$_jh"; return 0; fi
  fi
  _best=""; _bestr=0
  # Callers such as mvnw run with `set -f`; the scan below needs globbing for this loop only.
  case $- in *f*) _calsync_noglob=1; set +f ;; *) _calsync_noglob= ;; esac
  for _d in /usr/lib/jvm/* /opt/java/* /usr/local/lib/jvm/*; do
    [ -x "$_d/bin/javac" ] || continue
    _r=$(calsync_java_release "$_d/bin/java")
    if [ -n "$_r" ] && [ "$_r" -ge "$_min" ] && [ "$_r" -gt "$_bestr" ]; then _best=$_d; _bestr=$_r; fi
  done
  [ -z "$_calsync_noglob" ] || set -f
  if [ -n "$_best" ]; then
    export JAVA_HOME="$_best"
    echo "calsync: using JDK $_bestr at $JAVA_HOME" >&2
    return 0
  fi
  echo "calsync: no JDK of release $_min or later found (JAVA_HOME, PATH, /usr/lib/jvm); install one, e.g. apt-get install openjdk-21-jdk-headless or Temurin 21+" >&2
  return 1
}
