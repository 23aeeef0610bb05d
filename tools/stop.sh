#!/usr/bin/env bash
# `npm stop`: stops every app whose pid file is in TUNELINE_RUN_DIR (default .cache/run; the
# console first, it calls the others), each by its process group (SIGTERM, SIGKILL after
# TUNELINE_STOP_TIMEOUT_S), then the Kafka broker and Redis only if a tools/up.sh run started
# them (a broker or Redis it found running is left alone).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/platform.sh"
[ -d "$TUNELINE_RUN_DIR" ] || { log "nothing to stop ($TUNELINE_RUN_DIR does not exist)"; exit 0; }
apps=()
for pid_file in "$TUNELINE_RUN_DIR"/*.pid; do
  [ -f "$pid_file" ] || continue
  app="$(basename "$pid_file" .pid)"
  if [ "$app" = console ]; then apps=(console "${apps[@]}"); else apps+=("$app"); fi
done
for app in "${apps[@]}"; do
  if app_running "$app"; then stop_app "$app"; else log "$app is not running"; remove_app_files "$app"; fi
done
stop_infra
log "stopped"
