#!/usr/bin/env bash
# SMS: inbound acknowledgements per second (with p50/p99) through the Africa's Talking callback, then
# how fast the outbox drains the replies against a stand-in provider on loopback. Each inbound
# message is stored, stepped through the dialogs and its reply queued in one transaction before the
# 200 goes back; the dispatcher then sends the replies.
#
#   bench/sms-load.sh                      # 16 concurrent senders for 20 s
#   CONCURRENCY=64 DURATION=30s bench/sms-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CONCURRENCY=${CONCURRENCY:-16}
DURATION=${DURATION:-20s}
PORT=${PORT:-5098}
PROVIDER_PORT=${PROVIDER_PORT:-5097}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3; }

source bench/host.sh
export Channels__AfricasTalking__Username=bench Channels__AfricasTalking__ApiKey=bench-key
export Channels__AfricasTalking__ApiBaseUrl="http://127.0.0.1:$PROVIDER_PORT"
export Conversations__ThrottleLimit=1000000
export Outbox__DefaultMaxPerSecond=${MAX_PER_SECOND:-100000}

python3 bench/standin_provider.py "$PROVIDER_PORT" &
provider=$!
start_host
trap 'kill $host $provider 2>/dev/null; wait $host $provider 2>/dev/null; rm -rf "$work"' EXIT

echo "machine: $(nproc) cores; provider cap: $Outbox__DefaultMaxPerSecond/s"
wrk -t 2 -c 2 -d 3s -s bench/sms-inbound.lua "http://127.0.0.1:$PORT" -- warm bench-secret | grep RESULT | sed 's/^RESULT/warm-up:/'
echo "inbound: $CONCURRENCY concurrent senders for $DURATION"
wrk -t "$CONCURRENCY" -c "$CONCURRENCY" -d "$DURATION" --timeout 10s -s bench/sms-inbound.lua "http://127.0.0.1:$PORT" -- run bench-secret | grep RESULT

pending() { sqlite3 "$work/jukwaa.db" "select count(*) from outbox where Status in (0,1)"; }
backlog=$(pending)
start=$(date +%s.%N)
while [ "$(pending)" -gt 0 ]; do sleep 0.2; done
end=$(date +%s.%N)
total=$(sqlite3 "$work/jukwaa.db" "select count(*) from outbox")
python3 - "$backlog" "$start" "$end" "$total" "$(curl -s "http://127.0.0.1:$PROVIDER_PORT/count")" <<'PY'
import sys
backlog, start, end, total, received = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
seconds = max(end - start, 0.001)
print(f"RESULT outbox_backlog_after_load={backlog} drained_in_s={seconds:.1f} drain_per_s={backlog / seconds:.0f} queued_total={total} provider_received={received}")
PY
