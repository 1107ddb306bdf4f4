#!/usr/bin/env bash
# USSD load: builds the host in Release and, for each database (a fresh SQLite file, then a fresh
# PostgreSQL database), walks many concurrent sessions through the report dialog with wrk. Prints USSD
# steps per second and p50/p90/p99 latency at each concurrency, then the same host's most trivial
# endpoint loaded the same way (the ceiling) and the ratio of the two. Loopback only; bounded in time.
#
#   bench/ussd-load.sh                                   # SQLite and PostgreSQL, 16 and 64 sessions, 20 s each
#   DATABASES=sqlite CONCURRENCY="1 64" DURATION=30s bench/ussd-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DATABASES=${DATABASES:-"sqlite postgres"}
CONCURRENCY=${CONCURRENCY:-"16 64"}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-20s}
PORT=${PORT:-5099}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

source bench/host.sh
pg_drop=true
trap '[ -n "$host" ] && kill $host && wait $host; eval "$pg_drop"; rm -rf "$work"' EXIT
host=
cat > "$work/ceiling.lua" <<'LUA'
function done(summary, latency, requests)
  io.write(string.format("CEILING requests=%d requests_per_s=%.0f p50_ms=%.2f p99_ms=%.2f\n", summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA

# CPU seconds the host (not wrk, not PostgreSQL) has used so far, and that spent per unit of a wrk result.
host_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$host/stat"; }
per_unit() {
  local count
  count=$(grep -oE "$3[0-9]+" <<< "$2" | head -n 1 | cut -d= -f2)
  awk -v a="$1" -v b="$(host_cpu)" -v n="${count:-0}" -v name="$4" 'BEGIN { if (n > 0) printf "%s=%.3f", name, (b - a) * 1000 / n }'
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for database in $DATABASES; do
  if [ "$database" = postgres ]; then use_postgres; fi
  start_host
  echo "database: $database"
  # Warm up (JIT tiering needs tens of seconds under load, connection pools, pages) and check the walk reaches END.
  wrk -t 16 -c 16 -d "$WARMUP" -s bench/ussd-report.lua "http://127.0.0.1:$PORT" -- "warm-$database" bench-secret | grep RESULT | sed 's/^RESULT/warm-up:/'
  for c in $CONCURRENCY; do
    cpu0=$(host_cpu)
    steps=$(wrk -t "$c" -c "$c" -d "$DURATION" --timeout 10s -s bench/ussd-report.lua "http://127.0.0.1:$PORT" -- "run-$database-$c" bench-secret | grep RESULT)
    echo "${steps/RESULT/RESULT database=$database sessions=$c} $(per_unit "$cpu0" "$steps" " steps=" host_cpu_ms_per_step)"
    # The same host's most trivial handler (liveness: no checks, no database) is the machine's ceiling.
    cpu0=$(host_cpu)
    ceiling=$(wrk -t "$c" -c "$c" -d "$DURATION" -s "$work/ceiling.lua" "http://127.0.0.1:$PORT/health/live" | grep CEILING)
    echo "$ceiling $(per_unit "$cpu0" "$ceiling" " requests=" host_cpu_ms_per_request)"
    python3 -c "import re,sys; a=float(re.search(r'steps_per_s=(\d+)', sys.argv[1]).group(1)); b=float(re.search(r'requests_per_s=(\d+)', sys.argv[2]).group(1)); print(f'RATIO steps_to_ceiling={a/b:.3f}')" "$steps" "$ceiling"
  done
  kill "$host"; wait "$host" 2>/dev/null || true; host=
  eval "$pg_drop"; pg_drop=true
done
case " $DATABASES " in *" sqlite "*) echo "sqlite file: $(du -h "$work/jukwaa.db" | cut -f1), reports: $(sqlite3 "$work/jukwaa.db" "select count(*) from reports" 2>/dev/null || echo "?")";; esac
