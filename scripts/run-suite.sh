#!/usr/bin/env bash
# Runs Redis and the four dermaflow services on localhost until Ctrl-C.
# Usage: run-suite.sh BUILD_DIR [--stop]
# State (Redis AOF, logs, pids) lives in .run/ under the repo.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="$1"; shift
BIN="$BUILD_DIR/bin"
RUN_DIR="$ROOT/.run"
PORT_BASE="${DERMAFLOW_PORT_BASE:-50051}"
METRICS_BASE="${DERMAFLOW_METRICS_PORT_BASE:-9461}"
SERVICES=(patient protocol scheduling notification)

log() { printf '\033[1m[dev]\033[0m %s\n' "$*" >&2; }

stop_all() {
  [[ -d "$RUN_DIR/pids" ]] || return 0
  for f in "$RUN_DIR"/pids/*; do
    [[ -f "$f" ]] || continue
    local pid; pid="$(cat "$f")"
    kill -TERM "$pid" 2>/dev/null || true
  done
  for f in "$RUN_DIR"/pids/*; do
    [[ -f "$f" ]] || continue
    local pid; pid="$(cat "$f")"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$f"
  done
}

if [[ "${1:-}" == "--stop" ]]; then stop_all; log "stopped"; exit 0; fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

stop_all
mkdir -p "$RUN_DIR/pids" "$RUN_DIR/logs" "$RUN_DIR/redis"
trap 'echo; log "stopping"; stop_all; log "stopped"' EXIT
trap 'exit 0' INT TERM

REDIS_PORT="${DERMAFLOW_REDIS_PORT:-$(free_port)}"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$RUN_DIR/redis" \
  --appendonly yes --appendfsync everysec --save "" --daemonize no \
  >"$RUN_DIR/logs/redis.log" 2>&1 &
echo $! >"$RUN_DIR/pids/redis"
wait_port "$REDIS_PORT" || { log "redis-server did not start; see $RUN_DIR/logs/redis.log"; exit 1; }
export DERMAFLOW_REDIS="redis://127.0.0.1:$REDIS_PORT/0"
export DERMAFLOW_AUTH="${DERMAFLOW_AUTH:-none}"
export DERMAFLOW_PATIENT_ADDR="127.0.0.1:$PORT_BASE"
export DERMAFLOW_PROTOCOL_ADDR="127.0.0.1:$((PORT_BASE + 1))"

for i in "${!SERVICES[@]}"; do
  name="${SERVICES[$i]}"
  "$BIN/dermaflow-$name" --listen "127.0.0.1:$((PORT_BASE + i))" \
    --metrics_listen "127.0.0.1:$((METRICS_BASE + i))" \
    >"$RUN_DIR/logs/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/pids/$name"
done
for i in "${!SERVICES[@]}"; do
  wait_port "$((PORT_BASE + i))" || { log "${SERVICES[$i]} did not start; see $RUN_DIR/logs/${SERVICES[$i]}.log"; exit 1; }
done

printf '\n%-14s %-18s %-34s %s\n' SERVICE GRPC METRICS LOG
printf '%-14s %-18s %-34s %s\n' redis "127.0.0.1:$REDIS_PORT" "-" ".run/logs/redis.log"
for i in "${!SERVICES[@]}"; do
  printf '%-14s %-18s %-34s %s\n' "${SERVICES[$i]}" "127.0.0.1:$((PORT_BASE + i))" \
    "http://127.0.0.1:$((METRICS_BASE + i))/metrics" ".run/logs/${SERVICES[$i]}.log"
done
echo
log "auth: $DERMAFLOW_AUTH. Ctrl-C stops everything."
if [[ -f "$ROOT/scripts/seed-demo.sh" ]]; then bash "$ROOT/scripts/seed-demo.sh" "$BUILD_DIR" "$@"; fi
wait
