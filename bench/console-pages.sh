#!/usr/bin/env bash
# Web console latency with a year of reports: for each database (a fresh SQLite file, then a fresh PostgreSQL
# database) migrates, fills REPORTS reports over the 47 counties straight into the database (console-data.py),
# starts the Release host (Production), signs in a national officer (all counties) and a county officer (Nakuru
# and Narok) through single-use links, and times the overview, the reports queue (first page, then one county
# and category) and Nakuru's county page one request at a time (console-measure.py). Prints p50/p95/max per
# database, officer and page, the fill's timings and the database's size. Loopback only; everything is removed
# at the end.
#
#   bench/console-pages.sh                                   # SQLite and PostgreSQL, 1,000,000 reports, 200 requests a page
#   DATABASES=sqlite REPORTS=50000 REQUESTS=30 bench/console-pages.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DATABASES=${DATABASES:-"sqlite postgres"}
REPORTS=${REPORTS:-1000000}
REQUESTS=${REQUESTS:-200}
WARMUP=${WARMUP:-20}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
ANALYZE=${ANALYZE:-0}        # 1: a full ANALYZE of the SQLite file after the fill; 0: only what the host does itself (PRAGMA optimize at start)
PORT=${PORT:-5097}
TLS_PORT=$((PORT + 1))
command -v openssl >/dev/null || { apt-get update -qq && apt-get install -y -qq openssl; }

source bench/host.sh
pg_drop=true
host=
trap '[ -n "$host" ] && kill $host && wait $host; eval "$pg_drop"; rm -rf "$work"' EXIT

# Outside Development the console's cookies are Secure and its anti-forgery check refuses a request that is not
# https (500), so the host serves the console over TLS with a certificate made here; health stays on http for
# start_host. Sign-in links name the public address, which the measuring script replaces with this host's.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
export ASPNETCORE_URLS="http://127.0.0.1:$PORT;https://127.0.0.1:$TLS_PORT"
export Kestrel__Certificates__Default__Path="$work/tls.crt" Kestrel__Certificates__Default__KeyPath="$work/tls.key"
export Console__PublicBaseUrl=https://bench.invalid
jukwaa() { (cd "$work/bin" && dotnet jukwaa.dll "$@"); }
officer_id() { sed -n 's/^Officer \([0-9a-f-]*\) added:.*/\1/p'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); reports: $REPORTS; requests: $REQUESTS a page after a warm-up of $WARMUP requests and ${WARMUP_SECONDS} s; SQLite statistics: $([ "$ANALYZE" = 0 ] && echo "the host's PRAGMA optimize" || echo "ANALYZE after the fill")"
for database in $DATABASES; do
  started=$SECONDS
  if [ "$database" = postgres ]; then
    use_postgres
  else
    export Database__Provider=Sqlite ConnectionStrings__Jukwaa="Data Source=$work/jukwaa.db"
    rm -f "$work"/jukwaa.db*
    jukwaa migrate >> "$work/host.log"
  fi
  if [ "$database" = postgres ]; then target=(postgres); else target=(sqlite "$work/jukwaa.db"); fi
  if [ "$ANALYZE" = 0 ] && [ "$database" = sqlite ]; then target+=(--no-analyze); fi
  python3 bench/console-data.py "${target[@]}" --reports "$REPORTS"
  # PostgreSQL's own pages of the fill are written now rather than during the measurements (local cluster only).
  if [ "$database" = postgres ] && [ -z "${JUKWAA_BENCH_POSTGRES:-}" ]; then su postgres -c "psql -q -c CHECKPOINT" >/dev/null || true; fi
  national=$(jukwaa officers add --name "Bench national" --role national | officer_id)
  county=$(jukwaa officers add --name "Bench county" --role county --county 032 --county 033 --sensitive | officer_id)
  : > "$work/host.log"         # from here on, only the host's own log (a first migrate logs a failed connection to the new database)
  start_host
  curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null || { tail -n 30 "$work/host.log"; exit 1; }
  for officer in national county; do
    id=$([ "$officer" = national ] && echo "$national" || echo "$county")
    # The link is a credential: it goes to the measuring script in its environment, never to the output.
    SIGNIN_LINK=$(jukwaa officers signin-link "$id" 2>/dev/null) python3 bench/console-measure.py --port "$TLS_PORT" --cafile "$work/tls.crt" \
      --database "$database" --officer "$officer" --requests "$REQUESTS" --warmup "$WARMUP" --warmup-seconds "$WARMUP_SECONDS"
  done
  if [ "$database" = sqlite ]; then
    python3 -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); print('SQLite statistics rows for reports: ' + str(db.execute(\"SELECT count(*) FROM sqlite_master WHERE name='sqlite_stat1'\").fetchone()[0] and db.execute(\"SELECT count(*) FROM sqlite_stat1 WHERE tbl='reports'\").fetchone()[0]))" "$work/jukwaa.db"
  fi
  if grep -q "fail:" "$work/host.log"; then echo "host errors ($database):"; grep -A 3 "fail:" "$work/host.log" | head -n 20; fi
  kill "$host"; wait "$host" 2>/dev/null || true; host=
  eval "$pg_drop"; pg_drop=true
  echo "database: $database done in $((SECONDS - started)) s"
done
