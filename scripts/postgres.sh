#!/usr/bin/env bash
# shellcheck shell=bash disable=SC2034 # the PG_THROWAWAY_* variables are for whoever sources this
# A throwaway PostgreSQL cluster for the tests (./test.sh) and the benchmark.
#
# Usage: source this file, then
#
#   pg_install_if_missing          # finds the newest /usr/lib/postgresql/<ver>/bin, installing
#                                  # Debian's `postgresql` first when there is none; sets PG_BIN_DIR
#   trap pg_stop_throwaway EXIT    # set the trap first: a half-started cluster is cleaned up too
#   pg_start_throwaway             # initdb in a fresh temp dir, start on 127.0.0.1 on a free port
#   ... connect with "$PG_THROWAWAY_CONNSTR" (Npgsql) or psql "$PG_THROWAWAY_URL" ...
#   pg_stop_throwaway              # stop it and delete the temp dir; safe to call twice.
#                                  # Call it from the shell that started the cluster (not a
#                                  # subshell): the server is that shell's child process.
#
# After pg_start_throwaway these shell variables are set (not exported; export what you need):
#   PG_THROWAWAY_CONNSTR  Host=127.0.0.1;Port=...;Username=postgres;Password=...;Database=postgres
#   PG_THROWAWAY_URL      postgresql://postgres:...@127.0.0.1:.../postgres   (for psql, pg_dump)
#   PG_THROWAWAY_HOST     127.0.0.1
#   PG_THROWAWAY_PORT     the port it listens on (first free one from 54329 up;
#                         set PG_THROWAWAY_FIRST_PORT to start elsewhere)
#   PG_THROWAWAY_USER     postgres (a superuser)
#   PG_THROWAWAY_PASSWORD random, new for every cluster
#   PG_THROWAWAY_DIR      the temp dir: data/, the unix socket, the server log
#   PG_THROWAWAY_LOG      the server log file
# PG_BIN_DIR (from pg_install_if_missing) may be set beforehand to use another installation.
#
# The cluster trades durability for speed (fsync, full_page_writes and synchronous_commit off):
# it only lives for one run. PostgreSQL refuses to run as root, so as root the server runs as
# the `postgres` user that Debian's package creates (or a dedicated `atiende-pg` user).
#
# Run this file directly (`bash scripts/postgres.sh`) for a smoke test: start, select version(), stop.

_PG_SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/apt.sh
source "$_PG_SCRIPTS_DIR/apt.sh"

# Prints the newest /usr/lib/postgresql/<ver>/bin that holds a server; fails when none does.
_pg_find_bin_dir() {
  local dir
  while IFS= read -r dir; do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
      echo "$dir"
      return 0
    fi
  done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV)
  return 1
}

pg_install_if_missing() {
  # A caller's explicit choice wins.
  if [[ -n "${PG_BIN_DIR:-}" && -x "$PG_BIN_DIR/initdb" ]]; then
    return 0
  fi
  if ! PG_BIN_DIR=$(_pg_find_bin_dir); then
    # Note: Debian's postinst also creates and starts its default cluster on port 5432; we do
    # not use it, but leave it alone as it belongs to the machine, not to this run.
    apt_install_missing postgresql || return 1
    PG_BIN_DIR=$(_pg_find_bin_dir) || {
      echo "error: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin" >&2
      return 1
    }
  fi
}

# The OS user that owns the cluster: ourselves, or an unprivileged user when we are root.
_pg_pick_owner() {
  if ((EUID != 0)); then
    _PG_OWNER=$(id -un)
  elif id -u postgres >/dev/null 2>&1; then
    _PG_OWNER=postgres
  else
    # No `postgres` user (server not from Debian's package): create a dedicated one.
    id -u atiende-pg >/dev/null 2>&1 ||
      useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin atiende-pg ||
      return 1
    _PG_OWNER=atiende-pg
  fi
}

# Runs a PostgreSQL tool as the cluster's owner. From / because the caller's cwd (e.g. under
# /root) may be unreadable for that user, which makes initdb and pg_ctl complain.
_pg_as_owner() {
  if ((EUID == 0)); then
    (cd / && runuser -u "$_PG_OWNER" -- "$@")
  else
    (cd / && "$@")
  fi
}

# True when something already accepts connections on 127.0.0.1:PORT (bash's /dev/tcp, so no
# need for ss or netstat). A port taken between this check and the bind is retried below.
_pg_port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Starts the postmaster on PORT and waits until it accepts connections (60 s at most).
# It runs as a child of this shell, not daemonized like `pg_ctl start` does: then this shell
# reaps it on stop, and nothing is left behind where PID 1 does not reap orphans (containers).
# setsid gives it its own session, so a Ctrl-C or a TERM sent to the caller's process group
# does not kill it (or runuser) under our feet: pg_stop_throwaway shuts it down in order.
_pg_start_on_port() {
  local port=$1 log=$2 i
  local -a server=("$PG_BIN_DIR/postgres" -D "$PG_THROWAWAY_DIR/data" -p "$port")
  if ((EUID == 0)); then
    server=(runuser -u "$_PG_OWNER" -- "${server[@]}")
  fi
  (cd / && exec setsid -w "${server[@]}") </dev/null >"$log" 2>&1 &
  _PG_THROWAWAY_PID=$!
  for ((i = 0; i < 600; i++)); do
    if ! kill -0 "$_PG_THROWAWAY_PID" 2>/dev/null; then
      wait "$_PG_THROWAWAY_PID" 2>/dev/null || true
      unset _PG_THROWAWAY_PID
      return 1
    fi
    if "$PG_BIN_DIR/pg_isready" -q -h 127.0.0.1 -p "$port"; then
      return 0
    fi
    sleep 0.1
  done
  echo "error: PostgreSQL did not accept connections within 60 s" >>"$log"
  return 1
}

pg_start_throwaway() {
  if [[ -n "${PG_THROWAWAY_DIR:-}" ]]; then
    echo "error: a throwaway PostgreSQL is already running in $PG_THROWAWAY_DIR" >&2
    return 1
  fi
  pg_install_if_missing || return 1
  _pg_pick_owner || return 1

  # As root use /tmp, not $TMPDIR: the cluster's owner must be able to reach the directory.
  local base=/tmp
  ((EUID == 0)) || base=${TMPDIR:-/tmp}
  PG_THROWAWAY_DIR=$(mktemp -d "$base/atiende-pg.XXXXXX") || return 1
  if ((EUID == 0)); then
    chown "$_PG_OWNER:" "$PG_THROWAWAY_DIR" || return 1
  fi

  # Password auth over TCP (other local users cannot guess it); trust on the unix socket,
  # which lives in this 0700 directory, so only the owner (and root) can reach it.
  PG_THROWAWAY_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  local pwfile=$PG_THROWAWAY_DIR/pwfile
  printf '%s\n' "$PG_THROWAWAY_PASSWORD" >"$pwfile"
  if ((EUID == 0)); then
    chown "$_PG_OWNER:" "$pwfile"
  fi

  # A UTF-8 locale makes lower()/upper() and ILIKE handle accented letters; plain C if absent.
  local -a locale_args=(--no-locale)
  if locale -a 2>/dev/null | grep -qixE 'c\.utf-?8'; then
    locale_args=(--locale=C.UTF-8)
  fi

  if ! _pg_as_owner "$PG_BIN_DIR/initdb" -D "$PG_THROWAWAY_DIR/data" -U postgres \
    --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 "${locale_args[@]}" --no-sync >"$PG_THROWAWAY_DIR/initdb.log" 2>&1; then
    echo "error: initdb failed:" >&2
    cat "$PG_THROWAWAY_DIR/initdb.log" >&2
    return 1
  fi
  rm -f "$pwfile"

  cat >>"$PG_THROWAWAY_DIR/data/postgresql.conf" <<CONF

# --- throwaway cluster for tests (scripts/postgres.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_THROWAWAY_DIR'
# Durability is pointless for a cluster deleted after the run; without it tests run faster.
fsync = off
full_page_writes = off
synchronous_commit = off
# Tests run in parallel, each with its own databases and connection pools.
max_connections = 200
timezone = 'UTC'
CONF

  local first=${PG_THROWAWAY_FIRST_PORT:-54329} port log
  for ((port = first; port < first + 100; port++)); do
    _pg_port_busy "$port" && continue
    log=$PG_THROWAWAY_DIR/postgres-$port.log
    if _pg_start_on_port "$port" "$log"; then
      PG_THROWAWAY_PORT=$port
      PG_THROWAWAY_LOG=$log
      break
    fi
    # Someone took the port after our check: try the next one. Any other failure is real.
    if ! grep -q 'Address already in use' "$log" 2>/dev/null; then
      echo "error: PostgreSQL did not start; its log:" >&2
      cat "$log" >&2 2>/dev/null || true
      return 1
    fi
  done
  if [[ -z "${PG_THROWAWAY_PORT:-}" ]]; then
    echo "error: no free port in $first..$((first + 99)) for PostgreSQL" >&2
    return 1
  fi

  PG_THROWAWAY_HOST=127.0.0.1
  PG_THROWAWAY_USER=postgres
  PG_THROWAWAY_CONNSTR="Host=$PG_THROWAWAY_HOST;Port=$PG_THROWAWAY_PORT;Username=$PG_THROWAWAY_USER;Password=$PG_THROWAWAY_PASSWORD;Database=postgres"
  PG_THROWAWAY_URL="postgresql://$PG_THROWAWAY_USER:$PG_THROWAWAY_PASSWORD@$PG_THROWAWAY_HOST:$PG_THROWAWAY_PORT/postgres"
  echo "==> PostgreSQL $("$PG_BIN_DIR/pg_ctl" --version | awk '{print $3}') on $PG_THROWAWAY_HOST:$PG_THROWAWAY_PORT ($PG_THROWAWAY_DIR)"
}

pg_stop_throwaway() {
  local dir=${PG_THROWAWAY_DIR:-} pid
  [[ -n "$dir" ]] || return 0
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    # fast: end sessions and shut down; immediate if that hangs; SIGKILL as a last resort.
    _pg_as_owner "$PG_BIN_DIR/pg_ctl" stop -D "$dir/data" -m fast -w -t 30 >/dev/null 2>&1 ||
      _pg_as_owner "$PG_BIN_DIR/pg_ctl" stop -D "$dir/data" -m immediate -w -t 30 >/dev/null 2>&1 || {
      pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null) &&
        [[ "$pid" =~ ^[0-9]+$ ]] && kill -KILL "$pid" 2>/dev/null
    } || true
  fi
  # Reap the server process we started (see _pg_start_on_port).
  if [[ -n "${_PG_THROWAWAY_PID:-}" ]]; then
    wait "$_PG_THROWAWAY_PID" 2>/dev/null || true
  fi
  # Only ever delete a directory this file created.
  case "$dir" in
    */atiende-pg.*) rm -rf -- "$dir" ;;
  esac
  unset _PG_THROWAWAY_PID PG_THROWAWAY_DIR PG_THROWAWAY_PORT PG_THROWAWAY_LOG PG_THROWAWAY_PASSWORD \
    PG_THROWAWAY_CONNSTR PG_THROWAWAY_URL PG_THROWAWAY_HOST PG_THROWAWAY_USER
}

# Smoke test when run directly instead of sourced.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  trap pg_stop_throwaway EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  pg_start_throwaway
  "$PG_BIN_DIR/psql" "$PG_THROWAWAY_URL" -X -A -t -c 'select version()'
fi
