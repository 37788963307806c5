#!/usr/bin/env bash
# A throwaway PostgreSQL on 127.0.0.1 for the test suites: `start` prints nothing but sets it up,
# `stop` removes it. Runs the server as the unprivileged `postgres` user (initdb refuses root).
set -euo pipefail
PGPORT="${SHEBAO_PGPORT:-54329}"
PGDATA_DIR="${SHEBAO_PGDATA:-/tmp/shebao-ci-pg}"
export SHEBAO_TEST_POSTGRES_URL_DEFAULT="postgres://shebao:shebao@127.0.0.1:${PGPORT}/shebao_test"

bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$dir" ] || { echo "PostgreSQL binaries not found" >&2; exit 1; }
  echo "$dir"
}

as_postgres() {
  if [ "$(id -u)" = "0" ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case "${1:-}" in
  install)
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
    fi
    ;;
  start)
    BIN=$(bindir)
    rm -rf "$PGDATA_DIR"; mkdir -p "$PGDATA_DIR"
    [ "$(id -u)" = "0" ] && chown postgres "$PGDATA_DIR"
    echo shebao > "$PGDATA_DIR.pw"; chmod 644 "$PGDATA_DIR.pw"
    as_postgres "$BIN/initdb -D $PGDATA_DIR/data -U shebao --pwfile=$PGDATA_DIR.pw --auth=scram-sha-256 --locale=C.UTF-8 --encoding=UTF8 >/dev/null"
    as_postgres "$BIN/pg_ctl -D $PGDATA_DIR/data -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=200' -l $PGDATA_DIR/server.log -w start >/dev/null"
    PGPASSWORD=shebao "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U shebao -d postgres -qc "CREATE DATABASE shebao_test" >/dev/null
    ;;
  stop)
    BIN=$(bindir)
    as_postgres "$BIN/pg_ctl -D $PGDATA_DIR/data -m fast -w stop >/dev/null" || true
    rm -rf "$PGDATA_DIR" "$PGDATA_DIR.pw"
    ;;
  url)
    echo "$SHEBAO_TEST_POSTGRES_URL_DEFAULT"
    ;;
  *)
    echo "usage: $0 install|start|stop|url" >&2; exit 2
    ;;
esac
