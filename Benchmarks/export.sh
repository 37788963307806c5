#!/usr/bin/env bash
# A whole district's person list over HTTP, and what it does to the other requests.
#
#   Benchmarks/export.sh [--scale 1] [--runs 3] [--duration 10s] [--connections 4] [--file PATH]
#
# Builds the release binary, creates the demo district (scale 1: 410,000 persons) in a throwaway
# SQLite file — or reuses PATH — starts the server and, round by round:
#   csv alone      GET /api/v1/persons/export?format=csv as the district clerk, seconds and bytes
#   xlsx alone     the same as a workbook
#   person         wrk on /api/v1/persons/{id} (an audited full-record read), nothing else running
#   person+export  the same while CSV exports of the whole district run back to back
#   healthz        wrk on /healthz, the baseline of the reads
# and prints the medians: export seconds, and the reads' p99 alone and during exports, with
# their ratio to /healthz. wrk comes from Debian (`apt-get install -y wrk`).
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=1; RUNS=3; DURATION=10s; CONNECTIONS=4; FILE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --file) FILE=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

swift build -c release --product shebao >&2
SHEBAO=$(swift build -c release --show-bin-path)/shebao
WORK=$(mktemp -d /tmp/shebao-export.XXXXXX)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

if [ -z "$FILE" ]; then
  FILE="$WORK/export.sqlite"
  "$SHEBAO" demo --scale "$SCALE" --database "sqlite:$FILE" > "$WORK/demo.txt" 2>/dev/null
fi
DB="sqlite:$FILE"
TOKEN=$("$SHEBAO" token create district --database "$DB")
PERSON=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT id FROM persons ORDER BY id LIMIT 1 OFFSET 100').fetchone()[0])" "$FILE")
PERSONS=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM persons WHERE merged_into IS NULL').fetchone()[0])" "$FILE")

PORT=8183
"$SHEBAO" serve --port "$PORT" --log-level warning --database "$DB" > "$WORK/server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
BASE="http://127.0.0.1:$PORT"
AUTH="Authorization: Bearer $TOKEN"

# One export: prints "seconds bytes rows".
export_once() { # format
  local out="$WORK/export.$1" stats
  stats=$(curl -fs -o "$out" -w "%{time_total} %{size_download}" -H "$AUTH" "$BASE/api/v1/persons/export?format=$1")
  local rows=0
  if [ "$1" = csv ]; then rows=$(($(wc -l < "$out") - 1)); fi
  echo "$stats $rows"
}

# One wrk run: prints "req_per_s p99_ms non_2xx".
measure() { # url, [header]
  local out
  if [ $# -ge 2 ]; then out=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -H "$2" "$1"); else out=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$1"); fi
  local rps p99 bad
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<< "$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' <<< "$out")
  bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<< "$out")
  echo "$rps $p99 ${bad:-0}"
}

echo "persons: $PERSONS; wrk -t1 -c$CONNECTIONS -d$DURATION; $RUNS rounds; person $PERSON"
: > "$WORK/results.txt"
for round in $(seq 1 "$RUNS"); do
  line=$(export_once csv); echo "round $round: csv $line"; echo "csv $line" >> "$WORK/results.txt"
  line=$(export_once xlsx); echo "round $round: xlsx $line"; echo "xlsx $line" >> "$WORK/results.txt"
  line=$(measure "$BASE/api/v1/persons/$PERSON" "$AUTH"); echo "round $round: person $line"; echo "person $line" >> "$WORK/results.txt"
  # Exports back to back for as long as wrk runs.
  ( while [ ! -e "$WORK/stop" ]; do export_once csv >> "$WORK/during.txt"; done ) &
  LOOP=$!
  sleep 1
  line=$(measure "$BASE/api/v1/persons/$PERSON" "$AUTH"); echo "round $round: person+export $line"; echo "person+export $line" >> "$WORK/results.txt"
  touch "$WORK/stop"; wait "$LOOP"; rm -f "$WORK/stop"
  line=$(measure "$BASE/healthz"); echo "round $round: healthz $line"; echo "healthz $line" >> "$WORK/results.txt"
done
echo "exports completed during the loaded runs: $(awk -v n="$PERSONS" '$3 == n' "$WORK/during.txt" | wc -l) whole, $(awk -v n="$PERSONS" '$3 != n' "$WORK/during.txt" | wc -l) short"

python3 - "$WORK/results.txt" "$PERSONS" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, *values = line.split()
    runs.setdefault(name, []).append([float(v) for v in values])
persons = int(sys.argv[2])
print()
for name in ["csv", "xlsx"]:
    seconds = statistics.median(r[0] for r in runs[name])
    size = statistics.median(r[1] for r in runs[name]) / 1e6
    rows = {int(r[2]) for r in runs[name]}
    print(f"{name} export of {persons} persons: median {seconds:.2f} s, {size:.1f} MB" + (f", rows {sorted(rows)}" if name == "csv" else ""))
healthz = statistics.median(r[1] for r in runs["healthz"])
print(f"/healthz p99 median {healthz:.2f} ms")
for name in ["person", "person+export"]:
    rps = statistics.median(r[0] for r in runs[name])
    p99 = statistics.median(r[1] for r in runs[name])
    bad = sum(r[2] for r in runs[name])
    print(f"{name:<14} {rps:>8.0f} req/s  p99 median {p99:.2f} ms ({p99 / healthz:.2f} of /healthz)  non-2xx {bad:.0f}")
if any(r[2] != persons for r in runs["csv"]):
    sys.exit("a CSV export did not hold every person")
PY
