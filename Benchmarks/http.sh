#!/usr/bin/env bash
# HTTP serving speed of one server, as ratios to its own /healthz in the same run.
#
#   Benchmarks/http.sh [--scale 0.1] [--runs 3] [--duration 10s] [--connections 64] [--threads 2]
#
# Builds the release binary, creates the demo district at the given scale in a throwaway SQLite
# file, starts two servers on it — one with the default (info) access log written to a file, one
# with `--log-level warning` — and drives each route with wrk, the routes interleaved round by
# round so that drift of the machine hits them alike. Prints every run, then the median req/s and
# p99 of each route and its ratio to the baseline:
#   /healthz                     one database read, the baseline
#   /api/v1/persons/{id}         a full-record read with a bearer token: it writes an audit row
#                                (joined to the group commit) before answering
#   /static/shebao.css (log)     a static file with the default access log
#   /static/shebao.css (no log)  the same on the server with the access log off; the baseline of
#                                the logged static route
# wrk comes from Debian (`apt-get install -y wrk`).
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=0.1; RUNS=3; DURATION=10s; CONNECTIONS=64; THREADS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

swift build -c release --product shebao >&2
SHEBAO=$(swift build -c release --show-bin-path)/shebao
WORK=$(mktemp -d /tmp/shebao-http.XXXXXX)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

DB="sqlite:$WORK/http.sqlite"
"$SHEBAO" demo --scale "$SCALE" --database "$DB" > "$WORK/demo.txt" 2>/dev/null
TOKEN=$("$SHEBAO" token create district --database "$DB")
PERSON=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT id FROM persons ORDER BY id LIMIT 1 OFFSET 100').fetchone()[0])" "$WORK/http.sqlite")

start_server() { # port, log level
  "$SHEBAO" serve --port "$1" --log-level "$2" --database "$DB" > "$WORK/server-$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return; sleep 0.5; done
  echo "the server on port $1 did not start" >&2; cat "$WORK/server-$1.log" >&2; exit 1
}
start_server 8181 info
start_server 8182 warning
curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:8181/api/v1/persons/$PERSON" > /dev/null \
  || { echo "the person read failed" >&2; exit 1; }
AUDITED_BEFORE=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT COUNT(*) FROM audit_log WHERE action = 'read'\").fetchone()[0])" "$WORK/http.sqlite")

# One wrk run: prints "name req_per_s p99_ms non_2xx".
measure() { # name, url, [header]
  local out
  if [ $# -ge 3 ]; then
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "$3" "$2")
  else
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$2")
  fi
  local rps p99 bad
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<< "$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' <<< "$out")
  bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<< "$out")
  echo "$1 $rps $p99 ${bad:-0}"
}

echo "demo: $(head -1 "$WORK/demo.txt")"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $RUNS rounds; person $PERSON"
: > "$WORK/results.txt"
for round in $(seq 1 "$RUNS"); do
  for route in healthz person static-log static-nolog; do
    case "$route" in
      healthz) line=$(measure healthz "http://127.0.0.1:8181/healthz") ;;
      person) line=$(measure person "http://127.0.0.1:8181/api/v1/persons/$PERSON" "Authorization: Bearer $TOKEN") ;;
      static-log) line=$(measure static-log "http://127.0.0.1:8181/static/shebao.css") ;;
      static-nolog) line=$(measure static-nolog "http://127.0.0.1:8182/static/shebao.css") ;;
    esac
    echo "round $round: $line"
    echo "$line" >> "$WORK/results.txt"
  done
done

AUDITED_AFTER=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT COUNT(*) FROM audit_log WHERE action = 'read'\").fetchone()[0])" "$WORK/http.sqlite")
python3 - "$WORK/results.txt" "$AUDITED_BEFORE" "$AUDITED_AFTER" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, rps, p99, bad = line.split()
    runs.setdefault(name, []).append((float(rps), float(p99), int(bad)))
baseline = {"healthz": "healthz", "person": "healthz", "static-log": "static-nolog", "static-nolog": "static-nolog"}
print()
print(f"{'route':<14}{'req/s':>9}{'p99 ms':>9}{'non-2xx':>9}  {'ratio of medians':<18}{'median of per-round ratios'}")
failed = False
for name in ["healthz", "person", "static-log", "static-nolog"]:
    rps = statistics.median(r for r, _, _ in runs[name])
    p99 = statistics.median(p for _, p, _ in runs[name])
    bad = sum(b for _, _, b in runs[name])
    failed = failed or bad > 0
    base = baseline[name]
    of_medians = rps / statistics.median(r for r, _, _ in runs[base])
    paired = statistics.median(r / b for (r, _, _), (b, _, _) in zip(runs[name], runs[base]))
    print(f"{name:<14}{rps:>9.0f}{p99:>9.2f}{bad:>9}  {of_medians:<18.2f}{paired:.2f} of {base}")
print(f"(medians of {len(runs['healthz'])} rounds) audited reads written during the runs: {int(sys.argv[3]) - int(sys.argv[2])}")
if failed:
    sys.exit("some requests failed")
PY
