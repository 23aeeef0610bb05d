#!/usr/bin/env bash
# Stops the services started by tools/up.sh, then the Kafka broker and Redis.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
for pidfile in "$TUNELINE_CACHE"/run/*.pid; do
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then log "stopping $(basename "$pidfile" .pid)"; kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" || true; fi
  rm -f "$pidfile"
done
bash "$(dirname "$0")/kafka/stop.sh"
bash "$(dirname "$0")/redis/stop.sh"
