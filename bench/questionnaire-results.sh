#!/usr/bin/env bash
# Questionnaire results at the first round's size: generates RESPONSES responses (default 50,000, the
# forum questionnaire, ~10 answers each, 90 % complete, spread over the 47 counties) straight into a
# fresh SQLite database, then times `results summary`, `results export --format csv` and
# `results export --format xlsx` of the Release build and prints their peak memory (flat memory: the
# exports' peak should not grow with RESPONSES). Everything stays on this machine.
#
#   bench/questionnaire-results.sh
#   RESPONSES=200000 bench/questionnaire-results.sh     # the figure in the README
set -euo pipefail
cd "$(dirname "$0")/.."

RESPONSES=${RESPONSES:-50000}
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/Jukwaa.Bot.Host -c Release -o "$work/bin" -nologo -v quiet
key() { head -c 32 /dev/urandom | base64; }
export ASPNETCORE_ENVIRONMENT=Production
export ConnectionStrings__Jukwaa="Data Source=$work/jukwaa.db"
export Protection__HashKey=$(key) Protection__EncryptionKey=$(key)
export Channels__AfricasTalking__WebhookSecret=bench-secret
export Dialogs__Path="$PWD/dialogs"
jukwaa() { (cd "$work/bin" && dotnet jukwaa.dll "$@"); }

jukwaa migrate >/dev/null
start=$(date +%s.%N)
sqlite3 "$work/jukwaa.db" > /dev/null <<SQL
PRAGMA journal_mode=WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $RESPONSES)
INSERT INTO people (Id, AddressHash, AddressSealed, Language, CreatedAt)
SELECT printf('%08X-0000-4000-8000-%012X', i, i), printf('bench%059d', i), 'x', 'en', '2026-11-01 09:00:00' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $RESPONSES)
INSERT INTO questionnaire_responses (Id, QuestionnaireId, Version, PersonId, Channel, CountyCode, StartedAt, CompletedAt)
SELECT printf('%08X-0000-4000-9000-%012X', i, i), 'forum', 1, printf('%08X-0000-4000-8000-%012X', i, i), 1 + i % 3,
       printf('%03d', 1 + i % 47), '2026-11-01 09:00:00', CASE WHEN i % 10 = 0 THEN NULL ELSE '2026-11-01 09:03:00' END FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $RESPONSES),
q(id, value) AS (VALUES ('county', NULL), ('respondent', NULL), ('concerns', NULL), ('trust_police', NULL), ('trust_chiefs', NULL),
                        ('trust_ngao', NULL), ('id_applied', NULL), ('id_weeks', NULL), ('police_response', NULL), ('attended', NULL), ('suggestion', NULL))
INSERT INTO questionnaire_answers (ResponseId, QuestionId, Value, TextSealed, Skipped, AnsweredAt)
SELECT printf('%08X-0000-4000-9000-%012X', i, i), q.id,
  CASE q.id
    WHEN 'county' THEN printf('%03d', 1 + i % 47)
    WHEN 'respondent' THEN CASE i % 6 WHEN 0 THEN 'elder' WHEN 1 THEN 'youth' WHEN 2 THEN 'women' WHEN 3 THEN 'business' WHEN 4 THEN 'religious' ELSE 'other' END
    WHEN 'concerns' THEN CASE i % 4 WHEN 0 THEN 'gangs,land' WHEN 1 THEN 'stock_theft' WHEN 2 THEN 'alcohol_drugs,gangs,sgbv' ELSE 'terrorism' END
    WHEN 'id_applied' THEN CASE WHEN i % 3 = 0 THEN 'yes' ELSE 'no' END
    WHEN 'id_weeks' THEN CAST(i % 20 AS TEXT)
    WHEN 'police_response' THEN CASE i % 4 WHEN 0 THEN 'hour' WHEN 1 THEN 'day' WHEN 2 THEN 'later' ELSE 'never' END
    WHEN 'attended' THEN CASE WHEN i % 2 = 0 THEN 'yes' ELSE 'no' END
    WHEN 'suggestion' THEN ''
    ELSE CAST(1 + (i + length(q.id)) % 5 AS TEXT)
  END,
  CASE WHEN q.id = 'suggestion' THEN 'sealed-text' END, 0, '2026-11-01 09:01:00'
FROM n CROSS JOIN q
WHERE (q.id <> 'id_weeks' OR i % 3 = 0) AND (i % 10 <> 0 OR q.id IN ('county', 'respondent', 'concerns'));
COMMIT;
SQL
end=$(date +%s.%N)
answers=$(sqlite3 "$work/jukwaa.db" "select count(*) from questionnaire_answers")
echo "generated: $RESPONSES responses, $answers answers in $(python3 -c "print(f'{$end-$start:.1f}')") s; database $(du -h "$work/jukwaa.db" | cut -f1)"

measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" bash -c "cd '$work/bin' && dotnet jukwaa.dll $*" > "$work/out" 2> "$work/err" || { cat "$work/err"; exit 1; }
  read -r seconds kilobytes < "$work/time"
  echo "RESULT $label seconds=$seconds peak_rss_mb=$((kilobytes / 1024))"
}
measure summary results summary forum
head -3 "$work/out"
measure export results export forum --format csv --output "$work/forum.csv"
echo "csv: $(($(wc -l < "$work/forum.csv") - 1)) rows, $(du -h "$work/forum.csv" | cut -f1), header: $(head -1 "$work/forum.csv" | cut -c1-80)…"
measure export_one_county results export forum --format csv --county Nakuru --output "$work/nakuru.csv"
measure export_xlsx results export forum --format xlsx --output "$work/forum.xlsx"
echo "xlsx: $(du -h "$work/forum.xlsx" | cut -f1)"
