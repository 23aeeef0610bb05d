#!/usr/bin/env bash
# Starts a single-node Apache Kafka broker (KRaft) on 127.0.0.1:${KAFKA_PORT:-9092}.
# Idempotent: reuses a broker that already answers, unless KAFKA_REUSE=false (tools/test.sh
# wants its own). Jars come from Maven Central (tools/kafka/pom.xml) into .cache/kafka/lib,
# shared by every broker; the rest is set by env so a second, throwaway broker can run beside
# the dev one (defaults = the dev broker, `npm run kafka:start`):
#   KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093)
#   KAFKA_DIR (.cache/kafka): server.properties, kafka.log, kafka.pid
#   KAFKA_DATA_DIR ($KAFKA_DIR/data), KAFKA_PID_FILE ($KAFKA_DIR/kafka.pid)
#   KAFKA_SCRAM_USERS (unset): "user=password[,user=password...]" makes the client listener
#     SASL_PLAINTEXT with SCRAM-SHA-512 and creates those users when the storage is formatted
#     (KRaft keeps SCRAM credentials in its metadata log); the first one is the broker's own.
#     Names and passwords: letters, digits, '.', '_', '-'. The libs/events SASL spec uses this.
#   KAFKA_TLS_PORT (unset; needs KAFKA_SCRAM_USERS): also a SASL_SSL listener on that port, its
#     key store KAFKA_TLS_KEYSTORE (PEM: encrypted PKCS#8 key, then the certificate chain) and
#     the key's password KAFKA_TLS_KEY_PASSWORD.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"

PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_DIR="${KAFKA_DIR:-$TUNELINE_CACHE/kafka}"
LIB_DIR="$TUNELINE_CACHE/kafka/lib"
DATA_DIR="${KAFKA_DATA_DIR:-$KAFKA_DIR/data}"
PID_FILE="${KAFKA_PID_FILE:-$KAFKA_DIR/kafka.pid}"
LOG_FILE="$KAFKA_DIR/kafka.log"
CONF="$KAFKA_DIR/server.properties"
BROKERS="127.0.0.1:$PORT"
mkdir -p "$KAFKA_DIR" "$(dirname "$PID_FILE")"

SCRAM_USERS="${KAFKA_SCRAM_USERS:-}"
SCRAM_ARGS=()
if [ -n "$SCRAM_USERS" ]; then
  IFS=, read -r -a SCRAM_PAIRS <<<"$SCRAM_USERS"
  for pair in "${SCRAM_PAIRS[@]}"; do
    [[ "$pair" =~ ^[A-Za-z0-9._-]+=[A-Za-z0-9._-]+$ ]] || die "KAFKA_SCRAM_USERS: \"$pair\" is not user=password (letters, digits, '.', '_', '-')"
    SCRAM_ARGS+=(--add-scram "SCRAM-SHA-512=[name=${pair%%=*},password=${pair#*=}]")
  done
  SASL_USER="${SCRAM_PAIRS[0]%%=*}"
  SASL_PASSWORD="${SCRAM_PAIRS[0]#*=}"
  # The probe logs in as the broker's own user.
  export KAFKA_PROBE_SASL="scram-sha-512:$SASL_USER:$SASL_PASSWORD"
fi

probe() { node "$TUNELINE_ROOT/tools/kafka/probe.mjs" "$BROKERS" "$1"; }

require_node20
if [ -d "$TUNELINE_ROOT/node_modules/kafkajs" ] && probe 3000 >/dev/null 2>&1; then
  [ "${KAFKA_REUSE:-true}" = true ] || die "a broker already answers on $BROKERS, and KAFKA_REUSE=false asks for a fresh one; pick other ports (KAFKA_PORT, KAFKA_CONTROLLER_PORT)"
  log "Kafka already answering on $BROKERS; reusing it"
  exit 0
fi

require_java17
if [ ! -f "$LIB_DIR/.complete" ]; then
  require_maven
  log "fetching Apache Kafka jars from Maven Central into $LIB_DIR"
  rm -rf "$LIB_DIR"
  (cd "$TUNELINE_ROOT/tools/kafka" && mvn -q -B -Dstyle.color=never dependency:copy-dependencies \
      -DoutputDirectory="$LIB_DIR" -DincludeScope=runtime) >&2 || die "Maven could not fetch the Kafka jars"
  touch "$LIB_DIR/.complete"
fi

sed -e "s#@PORT@#$PORT#g" -e "s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" -e "s#@DATA_DIR@#$DATA_DIR#g" \
  "$TUNELINE_ROOT/tools/kafka/server.properties.template" > "$CONF"
if [ -n "$SCRAM_USERS" ]; then
  sed -e "s#@PORT@#$PORT#g" -e "s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" -e "s#@SASL_USER@#$SASL_USER#g" \
    -e "s#@SASL_PASSWORD@#$SASL_PASSWORD#g" "$TUNELINE_ROOT/tools/kafka/server-sasl.properties.template" >> "$CONF"
fi
if [ -n "${KAFKA_TLS_PORT:-}" ]; then
  [ -n "$SCRAM_USERS" ] || die "KAFKA_TLS_PORT needs KAFKA_SCRAM_USERS (the TLS listener is SASL_SSL)"
  [ -r "${KAFKA_TLS_KEYSTORE:-}" ] || die "KAFKA_TLS_KEYSTORE: cannot read '${KAFKA_TLS_KEYSTORE:-}' (PEM: encrypted PKCS#8 key + certificate chain)"
  [[ "${KAFKA_TLS_KEY_PASSWORD:-}" =~ ^[A-Za-z0-9._-]+$ ]] || die "KAFKA_TLS_KEY_PASSWORD: letters, digits, '.', '_', '-' (and not empty)"
  sed -e "s#@PORT@#$PORT#g" -e "s#@TLS_PORT@#$KAFKA_TLS_PORT#g" -e "s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" \
    -e "s#@SASL_USER@#$SASL_USER#g" -e "s#@SASL_PASSWORD@#$SASL_PASSWORD#g" -e "s#@TLS_KEYSTORE@#$KAFKA_TLS_KEYSTORE#g" \
    -e "s#@TLS_KEY_PASSWORD@#$KAFKA_TLS_KEY_PASSWORD#g" "$TUNELINE_ROOT/tools/kafka/server-tls.properties.template" >> "$CONF"
fi

JAVA_OPTS=(-Xms256m -Xmx1g -XX:+UseG1GC "-Dlog4j.configuration=file:$TUNELINE_ROOT/tools/kafka/log4j.properties"
  "-Dkafka.logs.dir=$KAFKA_DIR")
CP="$LIB_DIR/*"

if [ ! -f "$DATA_DIR/meta.properties" ]; then
  CLUSTER_ID="$(java -cp "$CP" "${JAVA_OPTS[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
  log "formatting KRaft storage (cluster $CLUSTER_ID)"
  java -cp "$CP" "${JAVA_OPTS[@]}" kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$CONF" "${SCRAM_ARGS[@]}" >>"$LOG_FILE" 2>&1 \
    || die "formatting Kafka storage failed; see $LOG_FILE"
fi

log "starting Kafka on $BROKERS (log: $LOG_FILE)"
nohup java -cp "$CP" "${JAVA_OPTS[@]}" kafka.Kafka "$CONF" >>"$LOG_FILE" 2>&1 &
echo $! > "$PID_FILE"

ensure_node_modules
if probe "${KAFKA_START_TIMEOUT_MS:-90000}"; then
  log "Kafka is ready on $BROKERS (pid $(cat "$PID_FILE"))"
else
  tail -n 30 "$LOG_FILE" >&2 || true
  die "Kafka did not answer a metadata request in time; see $LOG_FILE"
fi
