# Shared shell helpers for tools/*.sh. Sourced, not executed.
TUNELINE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TUNELINE_CACHE="${TUNELINE_CACHE:-$TUNELINE_ROOT/.cache}"
# CPU machines must not let onnxruntime-node's install step reach outside the registry.
export ONNXRUNTIME_NODE_INSTALL="${ONNXRUNTIME_NODE_INSTALL:-skip}"
export NX_DAEMON="${NX_DAEMON:-false}"
export NX_NO_CLOUD=true

log() { printf '[tuneline] %s\n' "$*" >&2; }
die() { printf '[tuneline] error: %s\n' "$*" >&2; exit 1; }

# require_cmd <command> <what to do when missing>
require_cmd() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' was not found on PATH. $2"
}

# 20.3 is the first release with AbortSignal.any, which libs/events uses.
require_node20() {
  require_cmd node "Install Node.js 20.3+ (https://nodejs.org) and retry."
  local major minor
  IFS=. read -r major minor _ <<<"$(node -p 'process.versions.node')"
  [ "$major" -gt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -ge 3 ]; } ||
    die "Node.js >= 20.3 is required (libs/events needs AbortSignal.any), found $(node --version). Upgrade Node and retry."
}

require_java17() {
  require_cmd java "Install a Java 17+ runtime (e.g. 'apt-get install openjdk-17-jre-headless'); the local Kafka broker runs on it."
  local v
  v="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
  [ -n "$v" ] && [ "$v" -ge 17 ] || die "Java 17+ is required for Kafka, found: $(java -version 2>&1 | head -1)"
}

require_maven() {
  require_cmd mvn "Install Apache Maven 3.8+ (e.g. 'apt-get install maven'); it fetches the Kafka jars and the default model from Maven Central."
}

# Installs node_modules from the lockfile when missing or older than the lockfile.
ensure_node_modules() {
  require_node20
  cd "$TUNELINE_ROOT" || exit 1
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund >&2 || die "npm ci failed"
  fi
}

# Installs Debian's redis-server (with redis-cli) when it is missing: as root with apt-get
# (CI's clean machines), else stops with how to install it.
ensure_redis_server() {
  command -v redis-server >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "redis-server not found; installing it with apt-get"
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server; } >&2 ||
      die "apt-get could not install redis-server"
  fi
  require_cmd redis-server "Install Redis 6.2+ (Debian/Ubuntu: 'sudo apt-get install redis-server'; macOS: 'brew install redis') and retry."
}

# stop_pid_file <what> <pid file> <args pattern> <timeout s>: SIGTERM the process a start
# script recorded, SIGKILL after the timeout. A pid the system has since given to another
# process (its args do not match the pattern) is left alone.
stop_pid_file() {
  local what="$1" pid_file="$2" pattern="$3" timeout_s="$4" pid
  [ -f "$pid_file" ] || { log "no $what started by the tools/ scripts is running"; return 0; }
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null && ! ps -p "$pid" -o args= 2>/dev/null | grep -q "$pattern"; then
    log "pid $pid in $pid_file is not $what any more; leaving it alone"
    rm -f "$pid_file"
    return 0
  fi
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $what (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 $((timeout_s * 2))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then log "$what did not stop in ${timeout_s} s; killing"; kill -KILL "$pid"; fi
  fi
  rm -f "$pid_file"
  log "$what stopped"
}
