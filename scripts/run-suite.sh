#!/usr/bin/env bash
# Runs Redis and the four dermaflow services on localhost until Ctrl-C, then
# seeds a demo organization (scripts/seed-demo.sh).
# Usage: run-suite.sh BUILD_DIR [--stop] [--demo] [--auth=jwt|none]
#   --demo       also play a whole hydralift course with reminders arriving live
#   --auth=none  no tokens (every caller is organization "demo"); default jwt
# State (Redis AOF, logs, pids, dev JWT keys, env for other shells) lives in
# .run/ under the repo.
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
  # `./dev down` and the running `./dev up` may stop at the same time: a pid
  # file the other already removed is skipped.
  for f in "$RUN_DIR"/pids/*; do
    local pid; pid="$(cat "$f" 2>/dev/null)" || continue
    kill -TERM "$pid" 2>/dev/null || true
  done
  for f in "$RUN_DIR"/pids/*; do
    local pid; pid="$(cat "$f" 2>/dev/null)" || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$f"
  done
}

if [[ "${1:-}" == "--stop" ]]; then stop_all; log "stopped"; exit 0; fi
AUTH="${DERMAFLOW_AUTH:-jwt}"
SEED_ARGS=()
for arg in "$@"; do
  case "$arg" in
    --auth=*) AUTH="${arg#--auth=}" ;;
    *) SEED_ARGS+=("$arg") ;;
  esac
done
[[ "$AUTH" == jwt || "$AUTH" == none ]] || { log "--auth must be jwt or none"; exit 2; }

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
export DERMAFLOW_AUTH="$AUTH"
export DERMAFLOW_PATIENT_ADDR="127.0.0.1:$PORT_BASE"
export DERMAFLOW_PROTOCOL_ADDR="127.0.0.1:$((PORT_BASE + 1))"
export DERMAFLOW_SCHEDULING_ADDR="127.0.0.1:$((PORT_BASE + 2))"
export DERMAFLOW_NOTIFICATION_ADDR="127.0.0.1:$((PORT_BASE + 3))"
if [[ "$AUTH" == jwt ]]; then
  # Development keys (kept across runs, so minted tokens stay valid).
  bash "$ROOT/scripts/gen-dev-keys.sh" "$RUN_DIR/keys" >/dev/null
  export DERMAFLOW_JWT_HS256_KEY_FILE="$RUN_DIR/keys/jwt_hs256.key"
  # Service identity as deployed: every service trusts the public key, only
  # the services that call others on their own hold the private key
  # (notification's reminders, scheduling's waitlist offers).
  export DERMAFLOW_SERVICE_TOKEN_PUBLIC_KEY_FILE="$RUN_DIR/keys/service_identity.pub"
fi

for i in "${!SERVICES[@]}"; do
  name="${SERVICES[$i]}"
  own_key=()
  if [[ "$AUTH" == jwt && ("$name" == notification || "$name" == scheduling) ]]; then
    own_key=(--service_token_key_file "$RUN_DIR/keys/service_identity.key")
  fi
  "$BIN/dermaflow-$name" --listen "127.0.0.1:$((PORT_BASE + i))" \
    --metrics_listen "127.0.0.1:$((METRICS_BASE + i))" "${own_key[@]}" \
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
# What another shell needs to call the suite: `source .run/env`.
{
  for v in DERMAFLOW_PATIENT_ADDR DERMAFLOW_PROTOCOL_ADDR DERMAFLOW_SCHEDULING_ADDR DERMAFLOW_NOTIFICATION_ADDR; do
    echo "export $v=${!v}"
  done
  echo "export PATH=\"$BIN:\$PATH\""
} >"$RUN_DIR/env"
if [[ "$AUTH" == jwt ]]; then
  # A staff token of the demo organization for dermactl, grpcurl and the Node client.
  DERMAFLOW_TOKEN="$("$BIN/dermactl" token --jwt_hs256_key_file="$DERMAFLOW_JWT_HS256_KEY_FILE" \
    --organization=demo --subject=demo-reception --roles=reception,practitioner,clinic_admin,ops --ttl=24h)"
  export DERMAFLOW_TOKEN
  echo "export DERMAFLOW_TOKEN=$DERMAFLOW_TOKEN" >>"$RUN_DIR/env"
  log "auth: jwt (HS256 key $RUN_DIR/keys/jwt_hs256.key); a 24 h staff token of organization 'demo':"
  echo "  export DERMAFLOW_TOKEN=$DERMAFLOW_TOKEN"
  echo "  grpcurl -plaintext -H \"authorization: Bearer \$DERMAFLOW_TOKEN\" $DERMAFLOW_SCHEDULING_ADDR dermaflow.scheduling.v1.SchedulingService/ListClinics"
else
  log "auth: none (every caller is organization 'demo')"
fi
log "in another shell: source .run/env   (dermactl on PATH, addresses and token set)"
if [[ -f "$ROOT/scripts/seed-demo.sh" ]]; then
  bash "$ROOT/scripts/seed-demo.sh" "$BUILD_DIR" "${SEED_ARGS[@]}" || log "seeding the demo failed (see above); the services keep running"
fi
log "Ctrl-C stops everything."
wait
