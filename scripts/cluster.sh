#!/usr/bin/env bash
# N server instances on one PostgreSQL database, without Docker (see the README, "Several instances").
#
#   scripts/cluster.sh <N>      # start instances 1..N of bot/main.ts on ports 3000.. (CLUSTER_BASE_PORT)
#   scripts/cluster.sh status   # which instances run, and their /readyz
#   scripts/cluster.sh stop     # SIGTERM each (it hands its claimed work back), wait for it to exit
#
# DATABASE_URL (a postgresql:// URL) comes from the environment, else from a server started with
# scripts/postgres-local.sh. Instance i has its own DATA_DIR, data/cluster/<i> (CLUSTER_DIR; its local search
# copy and the one-server lock), listens on CLUSTER_BASE_PORT + i - 1, logs to data/cluster/<i>/server.log
# and writes its pid to data/cluster/<i>/server.pid. Every other variable comes from the environment or .env.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${CLUSTER_DIR:-data/cluster}
base_port=${CLUSTER_BASE_PORT:-3000}

die() { echo "cluster: $*" >&2; exit 1; }

alive() { [ -f "$1/server.pid" ] && kill -0 "$(cat "$1/server.pid")" 2>/dev/null; }

# The HTTP status of GET /readyz on a port (000 when nothing answers), without curl.
readyz() {
  local status
  status=$( (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 && head -1 <&3) 2>/dev/null | awk '{print $2}')
  echo "${status:-000}"
}

wait_ready() { # dir port
  for _ in $(seq 1 600); do
    [ "$(readyz "$2")" = 200 ] && return 0
    alive "$1" || { tail -20 "$1/server.log" >&2; die "instance in $1 exited during start (log: $1/server.log)"; }
    sleep 0.5
  done
  die "instance in $1 not ready after 5 minutes (log: $1/server.log)"
}

start_one() { # index
  local dir="$root/$1" port=$((base_port + $1 - 1))
  mkdir -p "$dir"
  if alive "$dir"; then echo "cluster: instance $1 already runs (pid $(cat "$dir/server.pid"))" >&2; return; fi
  # node itself, not npm or the tsx wrapper, so that stop's SIGTERM reaches the server.
  DATA_DIR="$dir" PORT="$port" DATABASE_URL="$url" nohup node --import tsx bot/main.ts >>"$dir/server.log" 2>&1 &
  echo $! >"$dir/server.pid"
  echo "cluster: instance $1 pid $! on port $port, DATA_DIR $dir" >&2
}

start() {
  local n=$1
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "usage: scripts/cluster.sh <N> | status | stop"
  url=${DATABASE_URL:-}
  if [ -z "$url" ]; then url=$(scripts/postgres-local.sh url 2>/dev/null) || die "set DATABASE_URL or start PostgreSQL first: scripts/postgres-local.sh start"; fi
  [[ "$url" =~ ^postgres(ql)?:// ]] || die "DATABASE_URL must be a postgresql:// URL (several instances need a shared PostgreSQL database)"
  # The first one alone: it applies the migrations and (AUTO_INGEST_SAMPLE) stores the sample handbook once.
  start_one 1
  wait_ready "$root/1" "$base_port"
  for i in $(seq 2 "$n"); do start_one "$i"; done
  for i in $(seq 2 "$n"); do wait_ready "$root/$i" $((base_port + i - 1)); done
  echo "cluster: $n instance(s) ready on ports $base_port-$((base_port + n - 1))" >&2
}

status() {
  for dir in "$root"/*/; do
    dir=${dir%/}
    [ -f "$dir/server.pid" ] || continue
    local i=${dir##*/} state="stopped"
    alive "$dir" && state="pid $(cat "$dir/server.pid"), /readyz $(readyz $((base_port + i - 1)))"
    echo "instance $i (port $((base_port + i - 1))): $state"
  done
}

stop() {
  local pids=()
  for dir in "$root"/*/; do
    dir=${dir%/}
    alive "$dir" || { rm -f "$dir/server.pid"; continue; }
    pids+=("$(cat "$dir/server.pid")")
    kill -TERM "${pids[-1]}"
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && echo "cluster: pid $pid still runs 20 s after SIGTERM" >&2
  done
  for dir in "$root"/*/; do alive "${dir%/}" || rm -f "${dir%/}/server.pid"; done
  echo "cluster: stopped ${#pids[@]} instance(s)" >&2
}

case "${1:-}" in
  stop) [ -d "$root" ] && stop || echo "cluster: nothing to stop" >&2 ;;
  status) [ -d "$root" ] && status ;;
  *) start "${1:-}" ;;
esac
