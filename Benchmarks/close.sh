#!/usr/bin/env bash
# The monthly close at a district's and a province's size (issue 10): the assessment of every
# insured person in five schemes, its approval and posting (bills and ledger), beside a plain
# INSERT … SELECT of as many rows into a table of the same shape, medians of three rounds.
#   Benchmarks/close.sh                 # 1,000,000 insured on SQLite
#   Benchmarks/close.sh postgres        # 10,000,000 insured on a throwaway PostgreSQL (port 54330)
# The PostgreSQL server gets a province's settings (shared_buffers 4GB, max_wal_size 16GB,
# work_mem 64MB, maintenance_work_mem 1GB, checkpoint_timeout 30min); it needs about 60 GB of disk.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product shebao >/dev/null
SHEBAO=$(swift build -c release --show-bin-path)/shebao
if [ "${1:-}" = "postgres" ]; then
  export SHEBAO_PGPORT=54330 SHEBAO_PGDATA=/tmp/shebao-bench-pg
  .ci/postgres.sh start
  trap '.ci/postgres.sh stop' EXIT
  BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  for s in "shared_buffers='4GB'" "max_wal_size='16GB'" "work_mem='64MB'" "maintenance_work_mem='1GB'" "checkpoint_timeout='30min'" "effective_cache_size='16GB'"; do
    PGPASSWORD=shebao "$BIN/psql" -h 127.0.0.1 -p 54330 -U shebao -d postgres -qc "ALTER SYSTEM SET $s"
  done
  if [ "$(id -u)" = "0" ]; then RUN="su postgres -s /bin/bash -c"; else RUN="bash -c"; fi
  $RUN "$BIN/pg_ctl -D $SHEBAO_PGDATA/data -w restart -o '-p 54330 -k /tmp -c listen_addresses=127.0.0.1' -l $SHEBAO_PGDATA/server.log" >/dev/null
  PGPASSWORD=shebao "$BIN/psql" -h 127.0.0.1 -p 54330 -U shebao -d postgres -qc "CREATE DATABASE shebao_bench"
  /usr/bin/time -v "$SHEBAO" bench assessment --insured "${INSURED:-10000000}" --rounds 3 --database postgres://shebao:shebao@127.0.0.1:54330/shebao_bench 2>&1 \
    | tr '\r' '\n' | grep -E "^insured|^round|^median|^peak|Maximum resident|Elapsed"
else
  FILE=$(mktemp -d)/close.sqlite
  /usr/bin/time -v "$SHEBAO" bench assessment --insured "${INSURED:-1000000}" --rounds 3 --file "$FILE" 2>&1 \
    | tr '\r' '\n' | grep -E "^insured|^round|^median|^peak|Maximum resident|Elapsed"
  rm -f "$FILE"*
fi
