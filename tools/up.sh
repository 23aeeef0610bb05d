#!/usr/bin/env bash
# The one set-up-and-run command (`npm start`): installs what is missing, starts (or reuses) the
# local Kafka broker and Redis, fetches the default model, creates the platform topics, starts
# every app with a `serve` target (the first start fine-tunes the sample models), waits until
# each answers its readiness URL (project.json targets.serve.metadata.readyUrl), prints the
# console URL and a curl line and a gRPC client line per service, then stays in the foreground:
# Ctrl-C stops what this run started. `npm stop` (another shell) stops what the pid files name.
#
# A second run while the platform runs reuses every app whose pid file is alive and ready, and
# only prints the lines. Options and variables (docs/configuration.md, "npm start"):
#   --detach / TUNELINE_DETACH=1     return once everything is ready (CI, the e2e test)
#   <APP>_HTTP_PORT, <APP>_GRPC_PORT e.g. SUPPORT_CHAT_HTTP_PORT=18081: passed to that app as HTTP_PORT/GRPC_PORT
#   KAFKA_PORT, KAFKA_CONTROLLER_PORT, REDIS_PORT   where the local broker and Redis listen
#   TUNELINE_EXTERNAL_KAFKA=host:port   use that broker, start none
#   TUNELINE_EXTERNAL_REDIS=redis://... use that Redis, start none
#   TUNELINE_RUN_DIR (.cache/run)     pid files and logs; TUNELINE_READY_TIMEOUT_S (900)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/platform.sh"
cd "$TUNELINE_ROOT"

detach="${TUNELINE_DETACH:-0}"
for arg in "$@"; do
  case "$arg" in
    --detach) detach=1 ;;
    *) die "unknown option '$arg' (the only one is --detach: npm start -- --detach)" ;;
  esac
done
t0="$(date +%s)"

require_node20
require_maven
ensure_node_modules
mkdir -p "$TUNELINE_RUN_DIR"

mapfile -t apps < <(serve_apps)
[ ${#apps[@]} -gt 0 ] || die "no app under apps/ has a serve target"

# --- Ports: defaults from the project.json metadata, overridden by <APP>_HTTP_PORT/_GRPC_PORT --
declare -A http_port grpc_port ready_url
for app in "${apps[@]}"; do
  prefix="$(env_prefix "$app")"
  url="$(serve_meta "$app" readyUrl)"
  [ -n "$url" ] || die "apps/$app/project.json: targets.serve.metadata.readyUrl is missing"
  default_http="$(url_port "$url")"
  var="${prefix}_HTTP_PORT"; http_port[$app]="${!var:-$default_http}"
  ready_url[$app]="${url/:$default_http/:${http_port[$app]}}"
  default_grpc="$(serve_meta "$app" grpcPort)"
  var="${prefix}_GRPC_PORT"; grpc_port[$app]="${!var:-$default_grpc}"
done
# Where each app finds the others' gRPC (the console's variables; support-chat's sentiment signal).
[ -n "${grpc_port[support-chat]:-}" ] && export SUPPORT_CHAT_GRPC_URL="127.0.0.1:${grpc_port[support-chat]}"
[ -n "${grpc_port[recommender]:-}" ] && export RECOMMENDER_GRPC_URL="127.0.0.1:${grpc_port[recommender]}"
if [ -n "${grpc_port[sentiment-monitor]:-}" ]; then
  export SENTIMENT_GRPC_URL="127.0.0.1:${grpc_port[sentiment-monitor]}"
  export SUPPORT_SENTIMENT_GRPC_ADDR="${SUPPORT_SENTIMENT_GRPC_ADDR-$SENTIMENT_GRPC_URL}"
fi

# check_port <app> <port> <kind>: refuses a port something else listens on, naming the variable.
check_port() {
  [ -n "$2" ] || return 0
  port_in_use "$2" || return 0
  die "port $2 ($1 $3) is already in use by another process; set $(env_prefix "$1")_${3}_PORT to a free port (or stop that process)"
}

to_start=()
for app in "${apps[@]}"; do
  if app_running "$app"; then continue; fi
  check_port "$app" "${http_port[$app]}" HTTP
  check_port "$app" "${grpc_port[$app]}" GRPC
  to_start+=("$app")
done


started=()      # apps this run started: Ctrl-C or a failure stops exactly these
own_kafka=false # infrastructure this run started
own_redis=false
cleanup() {
  local app
  for app in "${started[@]}"; do stop_app "$app"; done
  started=()
  if [ "$own_kafka" = true ] || [ "$own_redis" = true ]; then
    # stop_infra stops what the markers name; hide the marker of what this run only reused.
    [ "$own_kafka" = true ] || mv "$TUNELINE_RUN_DIR/kafka.ours" "$TUNELINE_RUN_DIR/kafka.ours.keep" 2>/dev/null || true
    [ "$own_redis" = true ] || mv "$TUNELINE_RUN_DIR/redis.ours" "$TUNELINE_RUN_DIR/redis.ours.keep" 2>/dev/null || true
    stop_infra
    mv "$TUNELINE_RUN_DIR/kafka.ours.keep" "$TUNELINE_RUN_DIR/kafka.ours" 2>/dev/null || true
    mv "$TUNELINE_RUN_DIR/redis.ours.keep" "$TUNELINE_RUN_DIR/redis.ours" 2>/dev/null || true
    own_kafka=false own_redis=false
  fi
}
trap cleanup EXIT
trap 'log "interrupted: stopping what this run started"; exit 130' INT
trap 'exit 143' TERM

# --- Kafka ---------------------------------------------------------------------------------
if [ -n "${TUNELINE_EXTERNAL_KAFKA:-}" ]; then
  export KAFKA_BROKERS="$TUNELINE_EXTERNAL_KAFKA"
  log "using the Kafka broker at $KAFKA_BROKERS (TUNELINE_EXTERNAL_KAFKA); starting none"
else
  kafka_port="${KAFKA_PORT:-9092}"
  if node tools/kafka/probe.mjs "127.0.0.1:$kafka_port" 2000 >/dev/null 2>&1; then
    log "Kafka already answering on 127.0.0.1:$kafka_port; reusing it"
  else
    port_in_use "$kafka_port" && die "port $kafka_port is taken by something that is not a Kafka broker; set KAFKA_PORT to a free port"
    port_in_use "${KAFKA_CONTROLLER_PORT:-9093}" && die "port ${KAFKA_CONTROLLER_PORT:-9093} (the Kafka controller's) is taken; set KAFKA_CONTROLLER_PORT to a free port"
    require_java17
    own_kafka=true
    echo "${KAFKA_PID_FILE:-${KAFKA_DIR:-$TUNELINE_CACHE/kafka}/kafka.pid}" >"$TUNELINE_RUN_DIR/kafka.ours"
    bash tools/kafka/start.sh
  fi
  export KAFKA_BROKERS="127.0.0.1:$kafka_port"
fi

# --- Redis (support sessions, recommender profiles) -----------------------------------------
if [ -n "${TUNELINE_EXTERNAL_REDIS:-}" ]; then
  export REDIS_URL="$TUNELINE_EXTERNAL_REDIS"
  log "using the Redis at $REDIS_URL (TUNELINE_EXTERNAL_REDIS); starting none"
else
  redis_port="${REDIS_PORT:-6379}"
  if bash tools/redis/probe.sh "$redis_port" 0; then
    log "Redis already answering on 127.0.0.1:$redis_port; reusing it"
  else
    port_in_use "$redis_port" && die "port $redis_port is taken by something that is not Redis; set REDIS_PORT to a free port"
    own_redis=true
    echo "${REDIS_PID_FILE:-${REDIS_DIR:-$TUNELINE_CACHE/redis}/redis.pid}" >"$TUNELINE_RUN_DIR/redis.ours"
    bash tools/redis/start.sh
  fi
  export REDIS_URL="redis://127.0.0.1:$redis_port"
fi

if [ ${#to_start[@]} -gt 0 ]; then
  log "fetching the default model (${TUNELINE_MODEL:-default})"
  npm run -s models:fetch -- "${TUNELINE_MODEL:-default}" >/dev/null
  # Every serve target's dependencies (proto:generate, console:build-web) run here, once: each
  # `nx run <app>:serve` below skips them (--excludeTaskDependencies). Four serves restoring the
  # same generated files at once raced: one app's require() met a half-restored libs/proto (CI).
  npx nx run-many -t generate build-web --outputStyle=static >/dev/null
  npx tsx --tsconfig tools/tsconfig.json tools/kafka/ensure-topics.ts
fi

for app in "${apps[@]}"; do
  if app_running "$app"; then
    check_reused_ports "$app" "${http_port[$app]}" "${grpc_port[$app]}"
    log "$app is already running (pid file $TUNELINE_RUN_DIR/$app.pid); reusing it"
    continue
  fi
  rm -f "$TUNELINE_RUN_DIR/$app.pid"
  log "starting $app (HTTP ${http_port[$app]}${grpc_port[$app]:+, gRPC ${grpc_port[$app]}}; log: $TUNELINE_RUN_DIR/$app.log)"
  ports=(HTTP_PORT="${http_port[$app]}")
  [ -z "${grpc_port[$app]}" ] || ports+=(GRPC_PORT="${grpc_port[$app]}")
  # setsid: the app leads its own process group (npx, nx); nx runs the service in a group of its own
  # and passes SIGTERM on; stop_app waits for, and if need be kills, every group of the tree.
  # stream-without-prefixes: the app's log lines reach <app>.log as written (static holds a task's
  # output until it ends: the log stayed empty while the app ran) and stay plain JSON.
  env "${ports[@]}" setsid nohup npx nx run "$app:serve" --excludeTaskDependencies --outputStyle=stream-without-prefixes >"$TUNELINE_RUN_DIR/$app.log" 2>&1 &
  record_app "$app" $!
  record_ports "$app" "${http_port[$app]}" "${grpc_port[$app]}"
  started+=("$app")
done

# --- Readiness: the first start fine-tunes the sample models (minutes) ----------------------
deadline=$(( $(date +%s) + ${TUNELINE_READY_TIMEOUT_S:-900} ))
for app in "${apps[@]}"; do
  log "waiting for $app (${ready_url[$app]})"
  until curl -fsS -o /dev/null --max-time 5 "${ready_url[$app]}" 2>/dev/null; do
    if ! app_running "$app"; then
      tail -n 30 "$TUNELINE_RUN_DIR/$app.log" >&2 || true
      die "$app exited before it was ready; see $TUNELINE_RUN_DIR/$app.log"
    fi
    [ "$(date +%s)" -lt "$deadline" ] || die "$app was not ready in ${TUNELINE_READY_TIMEOUT_S:-900} s; see $TUNELINE_RUN_DIR/$app.log"
    sleep 1
  done
done

# --- What to try ------------------------------------------------------------------------------
# try_line <app> <field> <default port> <actual port>: the metadata line with the actual port.
try_line() {
  local line
  line="$(serve_meta "$1" "$2")"
  [ -n "$line" ] && [ -n "$3" ] || { printf '%s' "$line"; return; }
  line="${line//127.0.0.1:$3/127.0.0.1:$4}"
  # The gRPC client picks the default port by app name; a moved port is given explicitly.
  if [ "$2" = grpcTry ] && [ "$3" != "$4" ]; then line="${line/npm run -s grpc -- /npm run -s grpc -- --addr 127.0.0.1:$4 }"; fi
  printf '%s' "$line"
}
{
  echo
  echo "Tuneline is ready ($(( $(date +%s) - t0 )) s): ${apps[*]}  (Kafka ${KAFKA_BROKERS}, Redis ${REDIS_URL})"
  if [ -n "${http_port[console]:-}" ]; then echo "  console: http://127.0.0.1:${http_port[console]}/"; fi
  for app in "${apps[@]}"; do
    [ "$app" != console ] || continue
    url="$(serve_meta "$app" readyUrl)"
    echo "  $app (HTTP ${http_port[$app]}, gRPC ${grpc_port[$app]:-none})"
    line="$(try_line "$app" tryIt "$(url_port "$url")" "${http_port[$app]}")"
    [ -z "$line" ] || echo "    curl: $line"
    line="$(try_line "$app" grpcTry "$(serve_meta "$app" grpcPort)" "${grpc_port[$app]}")"
    [ -z "$line" ] || echo "    grpc: $line"
  done
  echo "  logs: $TUNELINE_RUN_DIR/<app>.log; a tour: npm run demo"
} >&1

if [ ${#started[@]} -eq 0 ]; then
  log "everything was already running; npm stop stops it"
  trap - EXIT
  exit 0
fi
if [ "$detach" = 1 ]; then
  log "detached; stop with: TUNELINE_RUN_DIR=$TUNELINE_RUN_DIR npm stop"
  trap - EXIT
  exit 0
fi
log "running in the foreground: Ctrl-C (or npm stop in another shell) stops ${started[*]}"
while :; do
  alive=()
  for app in "${started[@]}"; do
    if app_running "$app"; then alive+=("$app"); else log "$app exited; see $TUNELINE_RUN_DIR/$app.log"; fi
  done
  started=("${alive[@]}")
  [ ${#started[@]} -gt 0 ] || break
  sleep 2
done
