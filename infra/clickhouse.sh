# ClickHouse server from Debian's clickhouse-server package (18.16), with its own config
# and data folder under $PRAXIS_INFRA_DIR. Sourced by praxis-infra.

CH_HOME_DIR="$PRAXIS_INFRA_DIR/clickhouse"
CH_PID="$CH_HOME_DIR/clickhouse.pid"
CH_LOG="$CH_HOME_DIR/log/stdout.log"
CH_URL="http://$PRAXIS_BIND_HOST:$PRAXIS_CLICKHOUSE_HTTP_PORT"

clickhouse_bin() {
  local b
  for b in "${PRAXIS_CLICKHOUSE_SERVER:-}" /usr/sbin/clickhouse-server /usr/bin/clickhouse-server; do
    [ -n "$b" ] && [ -x "$b" ] && { echo "$b"; return 0; }
  done
  command -v clickhouse-server 2>/dev/null
}

clickhouse_install() {
  if clickhouse_bin >/dev/null; then log "clickhouse: server binary present ($(clickhouse_bin))"; return 0; fi
  log "clickhouse: installing Debian's clickhouse-server"
  apt_install clickhouse-server || die "clickhouse: apt-get install clickhouse-server failed"
  # The package's own service is not used: we run our own instance with our own config.
}

clickhouse_healthy() { [ "$(curl -s -m 3 "$CH_URL/ping" 2>/dev/null)" = "Ok." ]; }
clickhouse_healthy_or_dead() { clickhouse_healthy || ! pid_alive "$CH_PID"; }

clickhouse_write_config() {
  mkdir -p "$CH_HOME_DIR"/{data,tmp,user_files,format_schemas,log}
  cp "$INFRA_SRC/clickhouse/users.xml" "$CH_HOME_DIR/users.xml"
  cat > "$CH_HOME_DIR/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>$CH_HOME_DIR/log/server.log</log>
    <errorlog>$CH_HOME_DIR/log/server.err.log</errorlog>
    <size>100M</size>
    <count>3</count>
  </logger>
  <http_port>$PRAXIS_CLICKHOUSE_HTTP_PORT</http_port>
  <tcp_port>$PRAXIS_CLICKHOUSE_TCP_PORT</tcp_port>
  <listen_host>$PRAXIS_BIND_HOST</listen_host>
  <max_connections>1024</max_connections>
  <keep_alive_timeout>10</keep_alive_timeout>
  <max_concurrent_queries>100</max_concurrent_queries>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <path>$CH_HOME_DIR/data/</path>
  <tmp_path>$CH_HOME_DIR/tmp/</tmp_path>
  <user_files_path>$CH_HOME_DIR/user_files/</user_files_path>
  <format_schema_path>$CH_HOME_DIR/format_schemas/</format_schema_path>
  <users_config>$CH_HOME_DIR/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
</yandex>
XML
}

clickhouse_start() {
  if clickhouse_healthy; then log "clickhouse: already answering on $CH_URL"; return 0; fi
  pid_alive "$CH_PID" && die "clickhouse: process $(cat "$CH_PID") runs but does not answer; see $CH_HOME_DIR/log"
  port_open "$PRAXIS_CLICKHOUSE_HTTP_PORT" && die "clickhouse: port $PRAXIS_CLICKHOUSE_HTTP_PORT is taken by something that is not ClickHouse"
  clickhouse_install
  clickhouse_write_config
  log "clickhouse: starting on $CH_URL"
  spawn "$CH_PID" "$CH_LOG" "$(clickhouse_bin)" --config-file="$CH_HOME_DIR/config.xml"
  wait_until "$PRAXIS_START_TIMEOUT" clickhouse clickhouse_healthy_or_dead || die "clickhouse: not healthy after ${PRAXIS_START_TIMEOUT}s; see $CH_HOME_DIR/log"
  clickhouse_healthy || die "clickhouse: process exited; see $CH_HOME_DIR/log"
  log "clickhouse: ready ($(curl -s "$CH_URL/?query=SELECT%20version()"))"
}

clickhouse_stop() { stop_pid "$CH_PID" clickhouse 30; }

clickhouse_kill() { kill_pid "$CH_PID" clickhouse; }

clickhouse_reset() { clickhouse_stop; rm -rf "$CH_HOME_DIR/data" "$CH_HOME_DIR/tmp"; log "clickhouse: data removed"; }

clickhouse_status() {
  if clickhouse_healthy; then echo "clickhouse up    $CH_URL $(pid_alive "$CH_PID" && echo "pid $(cat "$CH_PID")" || echo "(not started by this folder)")"
  else echo "clickhouse down  $CH_URL"; return 1; fi
}
