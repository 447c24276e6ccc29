#!/usr/bin/env bash
# A local PostgreSQL for several server instances without Docker (see the README, "Several instances").
#
#   scripts/postgres-local.sh start [dir] [port]  # initdb in dir (default data/postgres) the first time, start it on
#                                                 # `port` (default: the first free one from 5432), create database
#                                                 # `sotay`, print its DATABASE_URL
#   scripts/postgres-local.sh url [dir]           # print the DATABASE_URL of the running server
#   scripts/postgres-local.sh stop [dir]
#
# Debian's `postgresql` package is installed through apt when missing (as root, like .ci/run installs Chromium).
# initdb refuses to run as root: as root the server runs as the `postgres` user (the package creates it)
# through runuser, so `dir` must be reachable by that user. The server listens on 127.0.0.1 only, with
# its unix socket in `dir`, and trusts local connections: it is for one machine, not for a network.
set -euo pipefail
cd "$(dirname "$0")/.."

command=${1:-}
dir=$(realpath -m "${2:-data/postgres}")
port_wanted=${3:-}
database=sotay

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
die() { echo "postgres-local: $*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

# The folder holding initdb/pg_ctl/psql: Debian's newest /usr/lib/postgresql/<n>/bin, else PATH.
find_bin() {
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n | tail -1 || true)
  if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then echo "$newest"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  return 1
}

install_postgresql() {
  is_root || die "PostgreSQL is not installed; install Debian's postgresql package (as root: apt-get install postgresql) or run this script as root"
  echo "postgres-local: installing postgresql through apt" >&2
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
}

# Runs a PostgreSQL binary as the postgres user when we are root (initdb and postgres refuse root).
as_owner() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running() { [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }

url() { echo "postgresql://postgres@127.0.0.1:$(cat "$dir/port")/$database"; }

start() {
  bin=$(find_bin) || { install_postgresql; bin=$(find_bin) || die "no initdb after installing postgresql"; }
  if is_root && ! id -u postgres >/dev/null 2>&1; then die "running as root and there is no postgres user to run PostgreSQL as"; fi
  mkdir -p "$dir"
  if is_root; then chown postgres:postgres "$dir"; fi
  as_owner test -w "$dir" || die "$dir is not writable by $(is_root && echo postgres || id -un) (as root, every folder above it must be reachable by the postgres user)"
  if running; then
    echo "postgres-local: already running in $dir" >&2
    url
    return
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  fi
  local port=$port_wanted
  if [ -z "$port" ]; then
    port=5432
    while ! port_free "$port"; do port=$((port + 1)); [ "$port" -lt 5532 ] || die "no free port in 5432-5531"; done
  elif ! port_free "$port"; then
    die "port $port is taken"
  fi
  echo "$port" >"$dir/port"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null \
    || { tail -20 "$dir/server.log" >&2; die "PostgreSQL did not start (log: $dir/server.log)"; }
  if ! as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$database"
  fi
  echo "postgres-local: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') running in $dir on 127.0.0.1:$port (log: $dir/server.log)" >&2
  url
}

stop() {
  bin=$(find_bin) || die "PostgreSQL is not installed"
  if ! running; then echo "postgres-local: not running in $dir" >&2; return; fi
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  echo "postgres-local: stopped ($dir)" >&2
}

case "$command" in
  start) start ;;
  stop) stop ;;
  url)
    bin=$(find_bin) || die "PostgreSQL is not installed"
    running || die "not running in $dir (start it: scripts/postgres-local.sh start)"
    url
    ;;
  *) usage ;;
esac
