#!/usr/bin/env bash
# Soak: USSD sessions walk the report dialog for DURATION (default 10 minutes) at moderate concurrency
# while the host's resident memory is sampled every 30 s. Memory should level off, not climb.
#
#   bench/soak.sh
#   DURATION=2m CONCURRENCY=8 bench/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10m}
CONCURRENCY=${CONCURRENCY:-16}
PORT=${PORT:-5094}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

source bench/host.sh
start_host
trap 'kill $host $sampler 2>/dev/null; rm -rf "$work"' EXIT

( while kill -0 "$host" 2>/dev/null; do echo "$(date +%s) $(awk '/VmRSS/ {print $2}' /proc/$host/status)"; sleep 30; done ) > "$work/rss.txt" &
sampler=$!
wrk -t "$CONCURRENCY" -c "$CONCURRENCY" -d "$DURATION" --timeout 10s -s bench/ussd-report.lua "http://127.0.0.1:$PORT" -- soak bench-secret | grep RESULT
sleep 1
python3 - "$work/rss.txt" <<'PY'
import sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 2]
mb = [r[1] // 1024 for r in rows]
half = mb[len(mb) // 2:]
print(f"RSS_MB samples={len(mb)} first={mb[0]} after_1min={mb[min(2, len(mb)-1)]} max={max(mb)} last={mb[-1]} second_half_min={min(half)} second_half_max={max(half)}")
print("RSS_MB series: " + " ".join(map(str, mb)))
PY
