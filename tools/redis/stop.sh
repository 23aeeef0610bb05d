#!/usr/bin/env bash
# Stops the Redis started by tools/redis/start.sh (SIGTERM: redis shuts down cleanly, and with
# `save ""` writes nothing; SIGKILL after 15 s). Which one: the pid file in REDIS_PID_FILE,
# else $REDIS_DIR/redis.pid, else the dev Redis's .cache/redis/redis.pid (same env as start.sh).
# A Redis this script did not start (e.g. a system service) is never touched.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
stop_pid_file Redis "${REDIS_PID_FILE:-${REDIS_DIR:-$TUNELINE_CACHE/redis}/redis.pid}" 'redis-server' 15
