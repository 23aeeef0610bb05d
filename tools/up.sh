#!/usr/bin/env bash
# The one set-up-and-run command (`npm start`): installs what is missing, starts the local
# Kafka broker and Redis, fetches the default model, creates the platform topics, and starts every
# app that has a `serve` target (logs under .cache/run/). Stop with `npm stop`.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$TUNELINE_ROOT"

require_node20
require_java17
require_maven
ensure_node_modules

bash tools/kafka/start.sh
bash tools/redis/start.sh
log "fetching the default model (${TUNELINE_MODEL:-default})"
npm run -s models:fetch -- "${TUNELINE_MODEL:-default}" >/dev/null
npx nx run proto:generate --outputStyle=static >/dev/null

npx tsx --tsconfig tools/tsconfig.json tools/kafka/ensure-topics.ts

mkdir -p "$TUNELINE_CACHE/run"
services=()
for project in apps/*/project.json; do
  [ -f "$project" ] || continue
  name="$(node -p "require('./$project').name")"
  if node -e "process.exit(require('./$project').targets?.serve ? 0 : 1)"; then services+=("$name"); fi
done
if [ ${#services[@]} -eq 0 ]; then
  log "platform is up: Kafka on 127.0.0.1:${KAFKA_PORT:-9092}, Redis on 127.0.0.1:${REDIS_PORT:-6379}, model cached; no long-running services exist yet"
  log "try: apps/trainer/bin/tuneline finetune --task classify --data libs/finetune/samples/support-intents.jsonl --out .cache/repo --name support-intent"
  exit 0
fi
# Services run against the Redis started above (support-chat: sessions in Redis, the
# multi-replica mode); an exported REDIS_URL wins, and REDIS_URL= (empty) keeps sessions in memory.
export REDIS_URL="${REDIS_URL-redis://127.0.0.1:${REDIS_PORT:-6379}}"
log "services use REDIS_URL=${REDIS_URL:-(unset: in-memory sessions)}"
for s in "${services[@]}"; do
  log "starting $s (log: $TUNELINE_CACHE/run/$s.log)"
  # setsid: the service leads its own process group, so npm stop can signal npx and its children.
  setsid nohup npx nx run "$s:serve" --outputStyle=static >"$TUNELINE_CACHE/run/$s.log" 2>&1 &
  echo $! >"$TUNELINE_CACHE/run/$s.pid"
done
# Wait for each service's readiness endpoint (project.json serve metadata.readyUrl): the first
# start fine-tunes the sample model, so this can take a minute or two.
for s in "${services[@]}"; do
  url="$(node -p "require('./apps/$s/project.json').targets.serve.metadata?.readyUrl ?? ''")"
  [ -n "$url" ] || continue
  log "waiting for $s to be ready ($url)"
  ok=false
  for _ in $(seq 1 "${TUNELINE_READY_TIMEOUT_S:-300}"); do
    if curl -fsS "$url" >/dev/null 2>&1; then ok=true; break; fi
    kill -0 "$(cat "$TUNELINE_CACHE/run/$s.pid")" 2>/dev/null || break
    sleep 1
  done
  [ "$ok" = true ] || { tail -n 30 "$TUNELINE_CACHE/run/$s.log" >&2; die "$s did not become ready; see $TUNELINE_CACHE/run/$s.log"; }
  try="$(node -p "require('./apps/$s/project.json').targets.serve.metadata?.tryIt ?? ''")"
  log "$s is ready${try:+; try: $try}"
done
log "platform is up: ${services[*]}; stop with npm stop"
