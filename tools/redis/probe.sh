#!/usr/bin/env bash
# Usage: probe.sh [port] [timeout_ms]. Exits 0 once a Redis on 127.0.0.1:<port> answers PING
# with +PONG, 1 if none does before the timeout (default 0 = one try). Pure bash (/dev/tcp),
# so it works before redis-tools is installed; a Redis that wants AUTH answers -NOAUTH and
# counts as not answering (the store could not use it either).
set -uo pipefail
PORT="${1:-${REDIS_PORT:-6379}}"
TIMEOUT_MS="${2:-0}"
deadline=$(( $(date +%s%3N) + TIMEOUT_MS ))
while :; do
  if reply="$(timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT && printf 'PING\r\n' >&3 && IFS= read -r line <&3 && printf '%s' \"\$line\"" 2>/dev/null)" \
    && [[ "$reply" == +PONG* ]]; then
    exit 0
  fi
  [ "$(date +%s%3N)" -lt "$deadline" ] || exit 1
  sleep 0.2
done
