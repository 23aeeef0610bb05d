#!/usr/bin/env bash
# Stops the broker started by tools/kafka/start.sh (SIGTERM, then SIGKILL after 30 s).
# Which one: the pid file in KAFKA_PID_FILE, else $KAFKA_DIR/kafka.pid, else the dev
# broker's .cache/kafka/kafka.pid (same env as start.sh).
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
PID_FILE="${KAFKA_PID_FILE:-${KAFKA_DIR:-$TUNELINE_CACHE/kafka}/kafka.pid}"
[ -f "$PID_FILE" ] || { log "no Kafka started by tools/kafka/start.sh is running"; exit 0; }
pid="$(cat "$PID_FILE")"
# A stale pid file may name a pid the system has since given to another process.
if kill -0 "$pid" 2>/dev/null && ! ps -p "$pid" -o args= 2>/dev/null | grep -q 'kafka\.Kafka'; then
  log "pid $pid in $PID_FILE is not a Kafka broker any more; leaving it alone"
  rm -f "$PID_FILE"
  exit 0
fi
if kill -0 "$pid" 2>/dev/null; then
  log "stopping Kafka (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then log "Kafka did not stop in 30 s; killing"; kill -KILL "$pid"; fi
fi
rm -f "$PID_FILE"
log "Kafka stopped"
