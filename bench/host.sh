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
