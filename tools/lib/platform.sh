# Helpers shared by tools/up.sh and tools/stop.sh (the platform's start and stop). Sourced
# after common.sh. State lives in TUNELINE_RUN_DIR (default .cache/run): <app>.pid (the
# leader of the app's process group), <app>.log, <app>.http-port and <app>.grpc-port (the ports
# it was started on), and kafka.ours / redis.ours when up.sh started
# that piece of infrastructure (holding its pid file's path, so stop never touches a broker or Redis somebody else runs).
TUNELINE_RUN_DIR="${TUNELINE_RUN_DIR:-$TUNELINE_CACHE/run}"

# serve_apps: the names of the apps with a `serve` target, one a line (console last: it calls the others).
serve_apps() {
  node -e '
    const fs = require("fs");
    const names = fs.readdirSync("apps").filter((d) => {
      try { return !!JSON.parse(fs.readFileSync(`apps/${d}/project.json`, "utf8")).targets?.serve; } catch { return false; }
    }).map((d) => JSON.parse(fs.readFileSync(`apps/${d}/project.json`, "utf8")).name);
    names.sort((a, b) => (a === "console") - (b === "console") || a.localeCompare(b));
    console.log(names.join("\n"));'
}

# serve_meta <app> <field>: a field of targets.serve.metadata (empty when absent).
serve_meta() {
  node -e 'const m = require(`./apps/${process.argv[1]}/project.json`).targets.serve.metadata ?? {};
    const v = m[process.argv[2]]; process.stdout.write(v === undefined ? "" : String(v));' "$1" "$2"
}

# env_prefix <app>: support-chat -> SUPPORT_CHAT (the prefix of its port override variables).
env_prefix() { printf '%s' "$1" | tr 'a-z-' 'A-Z_'; }

# url_port <url>: the port of an http://host:port/... URL.
url_port() { sed -E 's#^[a-z]+://[^:/]+:([0-9]+).*#\1#' <<<"$1"; }

# port_in_use <port>: true when something accepts TCP connections on 127.0.0.1:<port>.
port_in_use() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# group_alive <pid>: the process group led by <pid> still has a member.
group_alive() { kill -0 -- "-$1" 2>/dev/null; }

# tree_groups <pid>: the process groups of <pid> and of every descendant, one a line. nx runs a
# target's command detached, in a group of its own: the app's group (npx, nx) does not hold the
# service process, so a SIGKILL of that group alone would leave the service running.
tree_groups() {
  ps -e -o pid=,ppid=,pgid= | awk -v root="$1" '
    { parent[$1] = $2; group[$1] = $3 }
    END {
      for (p in parent) {
        q = p
        while (q != "" && q != root && q > 1) q = parent[q]
        if (q == root) seen[group[p]] = 1
      }
      for (g in seen) print g
    }'
}

# any_group_alive <pgid>...: one of the process groups still has a member.
any_group_alive() { local g; for g in "$@"; do group_alive "$g" && return 0; done; return 1; }

# record_app <app> <pid>: writes the pid file: the pid and the process's start time, so a pid the
# system later gives to another process is never taken for the app.
record_app() { echo "$2 $(ps -o lstart= -p "$2" 2>/dev/null | tr -s ' ')" >"$TUNELINE_RUN_DIR/$1.pid"; }

# record_ports <app> <http port> [<grpc port>]: beside the pid file, the ports the app was
# started on (<app>.http-port, <app>.grpc-port), which a later run compares (check_reused_ports).
record_ports() {
  echo "$2" >"$TUNELINE_RUN_DIR/$1.http-port"
  if [ -n "${3:-}" ]; then echo "$3" >"$TUNELINE_RUN_DIR/$1.grpc-port"; else rm -f "$TUNELINE_RUN_DIR/$1.grpc-port"; fi
}

# check_reused_ports <app> <http port> [<grpc port>]: dies, naming the variable and npm stop, when
# the running app was started on other ports than these (it cannot move; the printed lines and the
# other apps' addresses would name a port nobody serves). No record (an older run): taken as asked.
check_reused_ports() {
  local kind want ran_on
  for kind in HTTP GRPC; do
    if [ "$kind" = HTTP ]; then want="$2"; else want="${3:-}"; fi
    ran_on="$(cat "$TUNELINE_RUN_DIR/$1.$(tr 'A-Z' 'a-z' <<<"$kind")-port" 2>/dev/null || echo "$want")"
    [ "$ran_on" = "$want" ] || die "$1 already runs with $kind port ${ran_on:-none}, not ${want:-none} ($(env_prefix "$1")_${kind}_PORT); npm stop first (TUNELINE_RUN_DIR=$TUNELINE_RUN_DIR) to move it"
  done
}

# remove_app_files <app>: its pid file and recorded ports (the log stays).
remove_app_files() { rm -f "$TUNELINE_RUN_DIR/$1.pid" "$TUNELINE_RUN_DIR/$1.http-port" "$TUNELINE_RUN_DIR/$1.grpc-port"; }

# app_pid <app>: the pid in the app's pid file.
app_pid() { awk '{print $1}' "$TUNELINE_RUN_DIR/$1.pid" 2>/dev/null; }

# app_running <app>: its pid file names a live process group whose leader started when recorded.
app_running() {
  local pid_file="$TUNELINE_RUN_DIR/$1.pid" pid recorded
  [ -f "$pid_file" ] || return 1
  read -r pid recorded <"$pid_file" || true
  [ -n "$pid" ] && group_alive "$pid" || return 1
  [ -n "$recorded" ] || return 0 # a pid file of the earlier format (pid only)
  [ "$(ps -o lstart= -p "$pid" 2>/dev/null | tr -s ' ')" = "$recorded" ]
}

# stop_app <app>: SIGTERM its process group (nx passes it on to the service, which drains and
# closes), waits for that group and every descendant's (tree_groups), SIGKILLs all of them after
# TUNELINE_STOP_TIMEOUT_S (default 30); removes the pid file.
stop_app() {
  local pid_file="$TUNELINE_RUN_DIR/$1.pid" pid groups g
  [ -f "$pid_file" ] || return 0
  pid="$(app_pid "$1")"
  if app_running "$1"; then
    mapfile -t groups < <(tree_groups "$pid")
    [[ " ${groups[*]} " == *" $pid "* ]] || groups+=("$pid")
    log "stopping $1 (process groups ${groups[*]})"
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 $((${TUNELINE_STOP_TIMEOUT_S:-30} * 4))); do any_group_alive "${groups[@]}" || break; sleep 0.25; done
    if any_group_alive "${groups[@]}"; then
      log "$1 did not stop in ${TUNELINE_STOP_TIMEOUT_S:-30} s; killing"
      for g in "${groups[@]}"; do kill -KILL -- "-$g" 2>/dev/null || true; done
    fi
  fi
  remove_app_files "$1"
}

# stop_infra: Kafka and Redis, each only when a tools/up.sh run started it (marker file).
stop_infra() {
  local marker
  marker="$TUNELINE_RUN_DIR/kafka.ours"
  if [ -f "$marker" ]; then KAFKA_PID_FILE="$(cat "$marker")" bash "$TUNELINE_ROOT/tools/kafka/stop.sh" || true; rm -f "$marker"; fi
  marker="$TUNELINE_RUN_DIR/redis.ours"
  if [ -f "$marker" ]; then REDIS_PID_FILE="$(cat "$marker")" bash "$TUNELINE_ROOT/tools/redis/stop.sh" || true; rm -f "$marker"; fi
}
