#!/usr/bin/env bash
# Stops the broker started by tools/kafka/start.sh (SIGTERM, then SIGKILL after 30 s).
# Which one: the pid file in KAFKA_PID_FILE, else $KAFKA_DIR/kafka.pid, else the dev
# broker's .cache/kafka/kafka.pid (same env as start.sh).
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
stop_pid_file Kafka "${KAFKA_PID_FILE:-${KAFKA_DIR:-$TUNELINE_CACHE/kafka}/kafka.pid}" 'kafka\.Kafka' 30
