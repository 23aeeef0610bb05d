#!/usr/bin/env bash
# Stops the Redis started by tools/redis/start.sh (SIGTERM: redis shuts down cleanly, and with
# `save ""` writes nothing; SIGKILL after 15 s). Which one: the pid file in REDIS_PID_FILE,
# else $REDIS_DIR/redis.pid, else the dev Redis's .cache/redis/redis.pid (same env as start.sh).
# A Redis this script did not start (e.g. a system service) is never touched.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
PID_FILE="${REDIS_PID_FILE:-${REDIS_DIR:-$TUNELINE_CACHE/redis}/redis.pid}"
[ -f "$PID_FILE" ] || { log "no Redis started by tools/redis/start.sh is running"; exit 0; }
pid="$(cat "$PID_FILE")"
# A stale pid file may name a pid the system has since given to another process.
if kill -0 "$pid" 2>/dev/null && ! ps -p "$pid" -o args= 2>/dev/null | grep -q 'redis-server'; then
  log "pid $pid in $PID_FILE is not a Redis server any more; leaving it alone"
  rm -f "$PID_FILE"
  exit 0
fi
if kill -0 "$pid" 2>/dev/null; then
  log "stopping Redis (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then log "Redis did not stop in 15 s; killing"; kill -KILL "$pid"; fi
fi
rm -f "$PID_FILE"
log "Redis stopped"
