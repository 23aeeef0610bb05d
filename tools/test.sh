#!/usr/bin/env bash
# The one test command (`npm test`): installs what is missing, fetches the pinned models,
# starts a throwaway Kafka broker and a throwaway Redis of its own, runs lint, typecheck and
# every test project (unit + integration against them and the real models), then stops both
# and deletes their data.
#
# Never a broker that is already running: tests publish to topics such as model.published,
# and on a dev broker (`npm run kafka:start`, port 9092) those records would stay. The test
# broker listens on 127.0.0.1:${TUNELINE_TEST_KAFKA_PORT:-19092} (controller
# ${TUNELINE_TEST_KAFKA_CONTROLLER_PORT:-19093}), keeps everything in a fresh
# .cache/kafka-test.XXXXXX directory, and the tests get KAFKA_BROKERS pointing at it.
# Likewise Redis (tests write session keys): 127.0.0.1:${TUNELINE_TEST_REDIS_PORT:-16379}, a
# fresh .cache/redis-test.XXXXXX directory, REDIS_URL for the tests; redis-server is installed
# with apt-get when missing (tools/redis/start.sh).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$TUNELINE_ROOT"

require_node20
require_java17
require_maven
ensure_redis_server
ensure_node_modules

log "fetching pinned models (cached after the first run)"
npm run -s models:fetch -- default int8 zh minilm >/dev/null

test_port="${TUNELINE_TEST_KAFKA_PORT:-19092}"
test_controller_port="${TUNELINE_TEST_KAFKA_CONTROLLER_PORT:-19093}"
test_redis_port="${TUNELINE_TEST_REDIS_PORT:-16379}"

# Leftovers of a run that was killed before its cleanup (owner gone): stop what they ran too.
# sweep_stale <dir prefix> <stop script> <pid-file variable> <pid file name>
sweep_stale() {
  local dir owner
  for dir in "$TUNELINE_CACHE"/"$1".*; do
    [ -d "$dir" ] || continue
    owner="$(cat "$dir/owner.pid" 2>/dev/null || true)"
    if [ -n "$owner" ] && kill -0 "$owner" 2>/dev/null; then continue; fi
    log "removing a stale test directory: $dir"
    env "$3=$dir/$4" bash "$2" || true
    rm -rf "$dir"
  done
}
sweep_stale kafka-test tools/kafka/stop.sh KAFKA_PID_FILE kafka.pid
sweep_stale redis-test tools/redis/stop.sh REDIS_PID_FILE redis.pid

mkdir -p "$TUNELINE_CACHE"
kafka_dir="$(mktemp -d "$TUNELINE_CACHE/kafka-test.XXXXXX")"
echo $$ >"$kafka_dir/owner.pid"
redis_dir="$(mktemp -d "$TUNELINE_CACHE/redis-test.XXXXXX")"
echo $$ >"$redis_dir/owner.pid"
# Specs make model repositories and caches with mkdtemp (os.tmpdir() reads TMPDIR); one
# directory per run, removed on exit, so a run leaves nothing in /tmp even when a spec forgets.
spec_tmp="$(mktemp -d "${TMPDIR:-/tmp}/tuneline-test.XXXXXX" 2>/dev/null || mktemp -d /tmp/tuneline-test.XXXXXX)"
test_kafka() {
  KAFKA_PORT="$test_port" KAFKA_CONTROLLER_PORT="$test_controller_port" KAFKA_DIR="$kafka_dir" \
    KAFKA_PID_FILE="$kafka_dir/kafka.pid" KAFKA_REUSE=false bash "tools/kafka/$1.sh"
}
test_redis() {
  REDIS_PORT="$test_redis_port" REDIS_DIR="$redis_dir" REDIS_PID_FILE="$redis_dir/redis.pid" REDIS_REUSE=false \
    bash "tools/redis/$1.sh"
}
cleanup() {
  # The e2e test's platform (tools/e2e: up.sh --detach, apps in their own process groups) when
  # the run was interrupted before its afterAll: stopped by its pid files, before the broker goes.
  TUNELINE_RUN_DIR="$TUNELINE_CACHE/e2e/run" bash tools/stop.sh >/dev/null 2>&1 || true
  test_kafka stop || true
  test_redis stop || true
  rm -rf "$kafka_dir" "$redis_dir" "$spec_tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
test_kafka start
test_redis start

# Overrides any KAFKA_BROKERS / REDIS_URL of the caller's shell, which may name the dev ones.
export KAFKA_BROKERS="127.0.0.1:$test_port"
export REDIS_URL="redis://127.0.0.1:$test_redis_port"
export TMPDIR="$spec_tmp"
log "lint, typecheck and tests"
npx nx run-many -t lint typecheck test --parallel=1 --outputStyle=static "$@"
log "all checks passed"
