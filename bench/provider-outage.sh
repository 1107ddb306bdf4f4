#!/usr/bin/env bash
# Fault: the SMS provider's API is down for minutes while citizens keep texting, on the real clock.
# The stand-in provider answers 503 for DOWN_FOR seconds while inbound SMS arrive at RATE a second,
# each from its own phone. Prints how fast the webhook kept answering, how many sends the outbox
# tried against the dead API (it pauses the provider and probes it with one message), then how long
# the backlog took to leave once the API was back, and checks every reply reached it exactly once.
#
#   bench/provider-outage.sh                   # 3 minutes down, 10 messages a second
#   DOWN_FOR=300 RATE=20 bench/provider-outage.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DOWN_FOR=${DOWN_FOR:-180}
RATE=${RATE:-10}
PORT=${PORT:-5094}
PROVIDER_PORT=${PROVIDER_PORT:-5093}
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3; }

source bench/host.sh
export Channels__AfricasTalking__Username=bench Channels__AfricasTalking__ApiKey=bench-key
export Channels__AfricasTalking__ApiBaseUrl="http://127.0.0.1:$PROVIDER_PORT" Outbox__DefaultMaxPerSecond=100000
export Conversations__ThrottleLimit=1000000

python3 bench/standin_provider.py "$PROVIDER_PORT" "$work/sent.txt" &
provider=$!
trap 'kill $host $provider 2>/dev/null; wait $host $provider 2>/dev/null; rm -rf "$work"' EXIT
start_host
provider_url="http://127.0.0.1:$PROVIDER_PORT"

echo "machine: $(nproc) cores; provider down for ${DOWN_FOR} s; ${RATE} inbound messages a second"
curl -sf -X POST "$provider_url/down" >/dev/null
# Inbound SMS at a steady rate, each from its own phone, timing every acknowledgement.
python3 - "http://127.0.0.1:$PORT/webhooks/sms/africastalking?secret=bench-secret" "$DOWN_FOR" "$RATE" <<'PY'
import sys, time, urllib.request, urllib.parse, concurrent.futures
url, seconds, rate = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
def send(i):
    body = urllib.parse.urlencode({"from": f"+2547{i:08d}", "to": "22384", "id": f"outage-{i}", "text": "HELP",
                                   "date": "2026-11-28 09:00:00", "linkId": "x"}).encode()
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=10) as r:
            ok = r.status == 200
    except Exception:
        ok = False
    return ok, (time.perf_counter() - start) * 1000
futures, begin, i = [], time.perf_counter(), 0
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    while time.perf_counter() - begin < seconds:
        futures.append(pool.submit(send, i)); i += 1
        time.sleep(max(0, begin + i / rate - time.perf_counter()))
results = [f.result() for f in futures]
latencies = sorted(ms for _, ms in results)
pct = lambda p: latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]
print(f"RESULT during_outage inbound={len(results)} acked={sum(ok for ok, _ in results)} ack_p50_ms={pct(50):.1f} ack_p99_ms={pct(99):.1f} ack_max_ms={latencies[-1]:.1f}")
PY
pending() { sqlite3 "$work/jukwaa.db" "select count(*) from outbox where Status in (0,1)"; }
attempts=$(sqlite3 "$work/jukwaa.db" "select coalesce(sum(Attempts), 0) from outbox")
echo "RESULT outage_end backlog=$(pending) provider_refused=$(curl -s "$provider_url/refused") attempts_recorded=$attempts"

curl -sf -X POST "$provider_url/up" >/dev/null
start=$(date +%s.%N)
while [ "$(pending)" -gt 0 ]; do
  sleep 0.5
  if python3 -c "import sys,time; sys.exit(0 if time.time() - $start > 300 else 1)"; then echo "the backlog did not leave within 300 s" >&2; exit 1; fi
done
end=$(date +%s.%N)
queued=$(sqlite3 "$work/jukwaa.db" "select count(*) from outbox")
sent=$(sqlite3 "$work/jukwaa.db" "select count(*) from outbox where Status >= 2 and Status <> 5")
received=$(wc -l < "$work/sent.txt")
distinct=$(sort -u "$work/sent.txt" | wc -l)
python3 -c "print(f'RESULT after_outage drained_in_s={$end - $start:.1f} queued={$queued} sent={$sent} provider_received={$received} distinct_recipients={$distinct}')"
[ "$received" -eq "$queued" ] && [ "$distinct" -eq "$queued" ] || { echo "every reply must reach the provider exactly once" >&2; exit 1; }
