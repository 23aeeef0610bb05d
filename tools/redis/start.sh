#!/usr/bin/env bash
# Starts a local Redis (Debian's redis-server) on 127.0.0.1:${REDIS_PORT:-6379}, for the
# support chat's session store (and later the recommender's profiles). Idempotent: reuses a
# Redis that already answers PING on the port, unless REDIS_REUSE=false (tools/test.sh wants
# its own). Installs redis-server with apt-get when missing (root only). Nothing is persisted
# (sessions expire anyway): `save ""`, `appendonly no`. Set by env, so a throwaway Redis can
# run beside the dev one (defaults = the dev Redis, `npm run redis:start`):
#   REDIS_PORT (6379)
#   REDIS_DIR (.cache/redis): redis.conf, redis.log, working dir
#   REDIS_PID_FILE ($REDIS_DIR/redis.pid), REDIS_START_TIMEOUT_MS (15000)
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"

PORT="${REDIS_PORT:-6379}"
REDIS_DIR="${REDIS_DIR:-$TUNELINE_CACHE/redis}"
PID_FILE="${REDIS_PID_FILE:-$REDIS_DIR/redis.pid}"
LOG_FILE="$REDIS_DIR/redis.log"
CONF="$REDIS_DIR/redis.conf"
probe() { bash "$TUNELINE_ROOT/tools/redis/probe.sh" "$PORT" "$1"; }

reuse_if_answering() {
  probe 0 || return 0
  [ "${REDIS_REUSE:-true}" = true ] || die "a Redis already answers on 127.0.0.1:$PORT, and REDIS_REUSE=false asks for a fresh one; pick another port (REDIS_PORT)"
  log "Redis already answering on 127.0.0.1:$PORT; reusing it"
  exit 0
}

reuse_if_answering
ensure_redis_server
# On a systemd host, installing the package may have started Debian's own service on 6379.
reuse_if_answering
mkdir -p "$REDIS_DIR" "$(dirname "$PID_FILE")"
# Absolute paths: redis resolves relative ones against `dir`, not our cwd.
cat >"$CONF" <<CONF
# Written by tools/redis/start.sh; edits are overwritten on the next start.
port $PORT
bind 127.0.0.1
protected-mode yes
daemonize yes
pidfile $PID_FILE
logfile $LOG_FILE
dir $REDIS_DIR
save ""
appendonly no
CONF

log "starting Redis on 127.0.0.1:$PORT (log: $LOG_FILE)"
rm -f "$PID_FILE"
redis-server "$CONF" >>"$LOG_FILE" 2>&1 || { tail -n 20 "$LOG_FILE" >&2 || true; die "redis-server did not start; see $LOG_FILE"; }
if probe "${REDIS_START_TIMEOUT_MS:-15000}"; then
  log "Redis is ready on 127.0.0.1:$PORT (pid $(cat "$PID_FILE" 2>/dev/null || echo '?'))"
else
  tail -n 20 "$LOG_FILE" >&2 || true
  die "Redis did not answer PING on 127.0.0.1:$PORT in time; see $LOG_FILE"
fi
