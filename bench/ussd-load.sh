#!/usr/bin/env bash
# USSD load: builds the host in Release, starts it on a fresh SQLite file, and walks many concurrent
# sessions through the report dialog with wrk. Prints USSD steps per second and p50/p90/p99 latency
# for each concurrency level. Loopback only; every run is bounded in time.
#
#   bench/ussd-load.sh                 # 16 and 64 concurrent sessions, 20 s each
#   CONCURRENCY="1 64" DURATION=30s bench/ussd-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CONCURRENCY=${CONCURRENCY:-"16 64"}
DURATION=${DURATION:-20s}
PORT=${PORT:-5099}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

source bench/host.sh
start_host
trap 'kill $host 2>/dev/null; wait $host 2>/dev/null; rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
# Warm up (JIT, connection pool, SQLite pages) and check the walk really reaches END.
wrk -t 4 -c 4 -d 5s -s bench/ussd-report.lua "http://127.0.0.1:$PORT" -- warm bench-secret | grep RESULT | sed 's/^RESULT/warm-up:/'
cat > "$work/ceiling.lua" <<'LUA'
function done(summary, latency, requests)
  io.write(string.format("CEILING requests_per_s=%.0f p50_ms=%.2f p99_ms=%.2f\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA
for c in $CONCURRENCY; do
  echo "concurrent sessions: $c, duration: $DURATION"
  steps=$(wrk -t "$c" -c "$c" -d "$DURATION" --timeout 10s -s bench/ussd-report.lua "http://127.0.0.1:$PORT" -- "run$c" bench-secret | grep RESULT)
  echo "$steps"
  # The same host's most trivial handler (liveness: no checks, no database) is the machine's ceiling.
  ceiling=$(wrk -t "$c" -c "$c" -d "$DURATION" -s "$work/ceiling.lua" "http://127.0.0.1:$PORT/health/live" | grep CEILING)
  echo "$ceiling"
  python3 -c "import re,sys; a=float(re.search(r'steps_per_s=(\d+)', sys.argv[1]).group(1)); b=float(re.search(r'requests_per_s=(\d+)', sys.argv[2]).group(1)); print(f'RATIO steps_to_ceiling={a/b:.2f}')" "$steps" "$ceiling"
done
echo "database: $(du -h "$work/jukwaa.db" | cut -f1), reports: $(sqlite3 "$work/jukwaa.db" 'select count(*) from reports' 2>/dev/null || echo '?')"
