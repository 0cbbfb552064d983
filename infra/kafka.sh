# Apache Kafka, single node, KRaft, from Maven Central jars. Sourced by praxis-infra.

KAFKA_HOME_DIR="$PRAXIS_INFRA_DIR/kafka"
KAFKA_LIBS="${PRAXIS_KAFKA_LIBS:-$KAFKA_HOME_DIR/libs}"
KAFKA_PID="$KAFKA_HOME_DIR/kafka.pid"
KAFKA_LOG="$KAFKA_HOME_DIR/kafka.log"

kafka_install() {
  if [ -f "$KAFKA_LIBS/.complete-$PRAXIS_KAFKA_VERSION" ]; then log "kafka: $PRAXIS_KAFKA_VERSION jars present"; return 0; fi
  command -v mvn >/dev/null || die "kafka: mvn not found (needed to resolve the broker jars from Maven Central)"
  log "kafka: resolving $PRAXIS_KAFKA_VERSION jars from Maven Central"
  rm -rf "$KAFKA_LIBS"; mkdir -p "$KAFKA_LIBS"
  mvn -B -q -Dstyle.color=never -f "$INFRA_SRC/kafka/pom.xml" -Dkafka.version="$PRAXIS_KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS" >&2 \
    || die "kafka: maven could not resolve the broker jars"
  touch "$KAFKA_LIBS/.complete-$PRAXIS_KAFKA_VERSION"
}

kafka_healthy() { node "$INFRA_SRC/kafka/ping.mjs" "$PRAXIS_BIND_HOST" "$PRAXIS_KAFKA_PORT"; }

kafka_java() {
  pick_java 11 23 || pick_java 11 99 || die "kafka: no java 11+ found"
}

kafka_write_config() {
  mkdir -p "$KAFKA_HOME_DIR/data"
  cat > "$KAFKA_HOME_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$PRAXIS_BIND_HOST:$PRAXIS_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$PRAXIS_BIND_HOST:$PRAXIS_KAFKA_PORT,CONTROLLER://$PRAXIS_BIND_HOST:$PRAXIS_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$PRAXIS_BIND_HOST:$PRAXIS_KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_HOME_DIR/data
num.partitions=3
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=168
log.segment.bytes=67108864
log.cleaner.enable=true
num.network.threads=2
num.io.threads=4
PROPS
}

kafka_start() {
  if kafka_healthy; then log "kafka: already answering on $PRAXIS_BIND_HOST:$PRAXIS_KAFKA_PORT"; return 0; fi
  pid_alive "$KAFKA_PID" && die "kafka: process $(cat "$KAFKA_PID") runs but does not answer; see $KAFKA_LOG"
  port_open "$PRAXIS_KAFKA_PORT" && die "kafka: port $PRAXIS_KAFKA_PORT is taken by something that is not a Kafka broker"
  kafka_install
  kafka_write_config
  local java cp="$KAFKA_LIBS/*" l4j="-Dlog4j.configuration=file:$INFRA_SRC/kafka/log4j.properties"
  java="$(kafka_java)"
  if [ ! -f "$KAFKA_HOME_DIR/data/meta.properties" ]; then
    # A cluster id as `kafka-storage random-uuid` makes one (16 random bytes, base64url, no
    # padding, not starting with '-'), without a JVM boot of its own for it.
    local id=-
    while [ "${id:0:1}" = - ]; do id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"; done
    [ ${#id} -eq 22 ] || die "kafka: could not create a cluster id"
    "$java" "$l4j" -cp "$cp" kafka.tools.StorageTool format -t "$id" \
      -c "$KAFKA_HOME_DIR/server.properties" --ignore-formatted >>"$KAFKA_LOG" 2>&1 \
      || die "kafka: storage format failed; see $KAFKA_LOG"
  fi
  log "kafka: starting on $PRAXIS_BIND_HOST:$PRAXIS_KAFKA_PORT (java $(java_major "$java"))"
  spawn "$KAFKA_PID" "$KAFKA_LOG" "$java" -Xms256m -Xmx${PRAXIS_KAFKA_HEAP:-768m} -XX:+UseG1GC \
    -Djava.awt.headless=true "$l4j" -cp "$cp" kafka.Kafka "$KAFKA_HOME_DIR/server.properties"
  wait_until "$PRAXIS_START_TIMEOUT" kafka kafka_healthy_or_dead || die "kafka: not healthy after ${PRAXIS_START_TIMEOUT}s; see $KAFKA_LOG"
  kafka_healthy || die "kafka: process exited; see $KAFKA_LOG"
  log "kafka: ready"
}

kafka_healthy_or_dead() { kafka_healthy || ! pid_alive "$KAFKA_PID"; }

kafka_stop() { stop_pid "$KAFKA_PID" kafka 60; }

kafka_kill() { kill_pid "$KAFKA_PID" kafka; }

kafka_reset() { kafka_stop; rm -rf "$KAFKA_HOME_DIR/data"; log "kafka: data removed"; }

kafka_status() {
  if kafka_healthy; then echo "kafka      up    $PRAXIS_BIND_HOST:$PRAXIS_KAFKA_PORT $(pid_alive "$KAFKA_PID" && echo "pid $(cat "$KAFKA_PID")" || echo "(not started by this folder)")"
  else echo "kafka      down  $PRAXIS_BIND_HOST:$PRAXIS_KAFKA_PORT"; return 1; fi
}
