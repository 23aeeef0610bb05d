#!/usr/bin/env bash
# Stops the broker started by tools/kafka/start.sh (SIGTERM, then SIGKILL after 30 s).
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
PID_FILE="$TUNELINE_CACHE/kafka/kafka.pid"
[ -f "$PID_FILE" ] || { log "no Kafka started by tools/kafka/start.sh is running"; exit 0; }
pid="$(cat "$PID_FILE")"
if kill -0 "$pid" 2>/dev/null; then
  log "stopping Kafka (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then log "Kafka did not stop in 30 s; killing"; kill -KILL "$pid"; fi
fi
rm -f "$PID_FILE"
log "Kafka stopped"
