#!/usr/bin/env bash
# The one test command (`npm test`): installs what is missing, fetches the pinned models,
# starts the local Kafka broker if none is running, runs lint, typecheck and every test
# project (unit + integration against the real broker and real models), and stops the
# broker again if this script started it.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$TUNELINE_ROOT"

require_node20
require_java17
require_maven
ensure_node_modules

log "fetching pinned models (cached after the first run)"
npm run -s models:fetch -- default int8 zh minilm >/dev/null

started_kafka=false
if ! node tools/kafka/probe.mjs "127.0.0.1:${KAFKA_PORT:-9092}" 2000 >/dev/null 2>&1; then
  bash tools/kafka/start.sh
  started_kafka=true
fi
cleanup() { if [ "$started_kafka" = true ]; then bash tools/kafka/stop.sh || true; fi; }
trap cleanup EXIT

export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
log "lint, typecheck and tests"
npx nx run-many -t lint typecheck test --parallel=1 --outputStyle=static "$@"
log "all checks passed"
