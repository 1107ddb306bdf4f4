# Sourced by the benchmarks (after PORT is set): builds the Release host into a fresh folder $work and
# exports what every benchmark shares: Production, a fresh SQLite file, new keys, the bench webhook
# secret, the repository's dialogs, warnings-only logs. A benchmark adds its own settings after this.
# start_host runs the host on $PORT (appending to $work/host.log), sets $host and waits for /health/ready.
work=$(mktemp -d)
dotnet build src/Jukwaa.Bot.Host -c Release -o "$work/bin" -nologo -v quiet
key() { head -c 32 /dev/urandom | base64; }
export ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$PORT"
export ConnectionStrings__Jukwaa="Data Source=$work/jukwaa.db" Database__MigrateOnStart=true
export Protection__HashKey=$(key) Protection__EncryptionKey=$(key)
export Channels__AfricasTalking__WebhookSecret=bench-secret
export Dialogs__Path="$PWD/dialogs" Logging__LogLevel__Default=Warning

start_host() {
  (cd "$work/bin" && exec dotnet jukwaa.dll) >> "$work/host.log" 2>&1 &
  host=$!
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && return; sleep 0.5; done
}

# use_postgres points the host at a fresh PostgreSQL database and sets $pg_drop to the command that
# removes it. With JUKWAA_BENCH_POSTGRES (an Npgsql connection string to a server and a role that may
# create databases) that server is used; otherwise the local Debian cluster is started, as .ci/run does,
# with a role jukwaa_bench. PostgreSQL keeps its defaults: synchronous_commit on, so every step is durable.
use_postgres() {
  local db="jukwaa_bench_$$"
  local server=${JUKWAA_BENCH_POSTGRES:-}
  if [ -z "$server" ]; then
    command -v pg_ctlcluster >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }
    read -r pg_version pg_cluster _ < <(pg_lsclusters --no-header | head -n 1)
    pg_ctlcluster "$pg_version" "$pg_cluster" start 2>/dev/null || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
    su postgres -c "psql -q -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'jukwaa_bench') THEN CREATE ROLE jukwaa_bench LOGIN CREATEDB PASSWORD 'jukwaa_bench'; END IF; END \\\$\\\$;\""
    server="Host=127.0.0.1;Username=jukwaa_bench;Password=jukwaa_bench"
  fi
  export Database__Provider=Postgres ConnectionStrings__Jukwaa="$server;Database=$db"
  (cd "$work/bin" && dotnet jukwaa.dll migrate) >> "$work/host.log" 2>&1
  pg_drop="psql \"postgresql://jukwaa_bench:jukwaa_bench@127.0.0.1/postgres\" -q -c 'DROP DATABASE IF EXISTS $db WITH (FORCE)'"
  [ -n "${JUKWAA_BENCH_POSTGRES:-}" ] && pg_drop="echo 'leaving database $db on the JUKWAA_BENCH_POSTGRES server'"
  return 0
}
