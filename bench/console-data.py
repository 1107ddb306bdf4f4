"""Fills a migrated Jukwaa database with a year of reports for bench/console-pages.sh.

    python3 bench/console-data.py sqlite FILE --reports 1000000
    python3 bench/console-data.py postgres --reports 1000000     # ConnectionStrings__Jukwaa (Npgsql) says where

What goes in (standard library only, seeded, so two runs fill the same rows):
- people (--people, default reports / 5): keyed-hash-like AddressHash (64 hex), a sealed-looking address;
  a tenth of them (elders, forum members) send six reports in ten, about 30 a year each at a million
  reports, the rest a couple each;
- reports over the 47 counties, weighted by 2019 census population and by how active each county is
  (Nairobi, Nakuru, Mombasa, Kisumu, Kiambu and Uasin Gishu twice as active), so a few counties are far
  busier than the rest; categories from dialogs/categories.yaml with regional leanings (stock theft in
  pastoral counties, terrorism and smuggling along the border and coast, gangs in towns); created over the
  last 365 days with volume growing through the year; statuses by age (recent ones mostly received or
  under review, old ones mostly closed or rejected, a small old backlog left open); FirstActionAt and
  FirstActionMinutes on every report an officer has moved, minutes drawn per county; Version as the
  number of moves;
- forum questionnaire responses (--responses, default reports / 10; no answers), 85 % complete.

Sealed columns (PlaceSealed, DetailsSealed, AddressSealed) hold random base64 of the length AES-GCM would
give, not values the host can open: the overview, queue and county pages never open them, and the report
page (which would) is not measured. No report_events rows, messages or conversations: none of the measured
pages reads them. Reports are loaded with their secondary indexes dropped and created again afterwards from
the schema's own definitions (and, on PostgreSQL, the foreign keys added back, validated in one pass), then
ANALYZE (VACUUM ANALYZE on PostgreSQL, so index-only scans see an up-to-date visibility map). --no-analyze leaves
SQLite without planner statistics, so that the host's own PRAGMA optimize (at start, then every retention
interval) is what the pages get; PostgreSQL's autovacuum analyzes by itself.
Prints one FILL line with the counts, the seconds of each part and the database size.
"""
import argparse
import base64
import bisect
import datetime as dt
import math
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
import uuid

# 2019 census population, thousands (KNBS), by official county code.
POPULATION = {
    "001": 1208, "002": 866, "003": 1453, "004": 316, "005": 143, "006": 341, "007": 841, "008": 781, "009": 867,
    "010": 460, "011": 268, "012": 1546, "013": 393, "014": 609, "015": 1136, "016": 1422, "017": 988, "018": 638,
    "019": 759, "020": 610, "021": 1056, "022": 2418, "023": 926, "024": 621, "025": 310, "026": 991, "027": 1163,
    "028": 454, "029": 886, "030": 667, "031": 518, "032": 2162, "033": 1158, "034": 1118, "035": 902, "036": 876,
    "037": 1868, "038": 591, "039": 1671, "040": 894, "041": 993, "042": 1156, "043": 1132, "044": 1116, "045": 1267,
    "046": 605, "047": 4397,
}
ACTIVE = {"047", "032", "001", "042", "022", "027"}          # forums running longest: twice the reports per head
PASTORAL = {"004", "007", "008", "009", "010", "011", "023", "024", "025", "028", "030", "031"}
BORDER_COAST = {"001", "004", "005", "007", "008", "009"}
TOWNS = {"047", "001", "042", "032", "027", "022"}
CATEGORY_WEIGHT = {
    "terrorism": 2, "gangs": 14, "smuggling": 4, "alcohol_drugs": 12, "firearms": 3, "stock_theft": 8, "sgbv": 9,
    "boda_boda": 10, "land": 13, "id_services": 9, "administration": 8, "other": 8,
}
# ReportStatus
RECEIVED, UNDER_REVIEW, VERIFIED, ACTION_TAKEN, CLOSED, REJECTED, ESCALATED = 1, 2, 3, 4, 5, 6, 7
# (age in days up to, [(status, weight)]): what a report of that age has become.
STATUS_BY_AGE = [
    (2, [(RECEIVED, 70), (UNDER_REVIEW, 20), (VERIFIED, 4), (ESCALATED, 1), (REJECTED, 5)]),
    (14, [(RECEIVED, 25), (UNDER_REVIEW, 28), (VERIFIED, 15), (ACTION_TAKEN, 10), (ESCALATED, 4), (CLOSED, 10), (REJECTED, 8)]),
    (60, [(RECEIVED, 5), (UNDER_REVIEW, 7), (VERIFIED, 5), (ACTION_TAKEN, 6), (ESCALATED, 2), (CLOSED, 60), (REJECTED, 15)]),
    (math.inf, [(RECEIVED, 0.8), (UNDER_REVIEW, 0.7), (VERIFIED, 0.5), (ACTION_TAKEN, 0.8), (ESCALATED, 0.2), (CLOSED, 82), (REJECTED, 15)]),
]
MOVES = {RECEIVED: 0, UNDER_REVIEW: 1, VERIFIED: 2, ACTION_TAKEN: 3, CLOSED: 4, REJECTED: 1, ESCALATED: 2}
DAMM = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3], [4, 2, 0, 6, 8, 7, 1, 3, 5, 9], [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1], [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5], [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
]


def categories_from(path):
    """The category ids of dialogs/categories.yaml, in order (the bench's weights must name exactly these)."""
    ids = re.findall(r"^\s*-\s*id:\s*(\S+)\s*$", open(path, encoding="utf-8").read(), re.MULTILINE)
    if sorted(ids) != sorted(CATEGORY_WEIGHT):
        sys.exit(f"dialogs/categories.yaml has {ids}; bench/console-data.py weighs {sorted(CATEGORY_WEIGHT)}: update the bench")
    return ids


def reference(n):
    """The n-th of a scrambled sequence of distinct nine-digit references with a Damm check digit, first digit never 0."""
    body = str(10_000_000 + (n * 48_271 + 12_345_679) % 90_000_000)
    interim = 0
    for c in body:
        interim = DAMM[interim][ord(c) - 48]
    return body + chr(48 + interim)


def cumulative(weights):
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def pick(rng, items, cum):
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]


def sealed_pool(rng, low, high, size=4096):
    """Random base64 as long as AES-GCM's nonce + tag + a plaintext of low..high bytes would be."""
    return [base64.b64encode(rng.randbytes(28 + rng.randint(low, high))).decode() for _ in range(size)]


class Data:
    def __init__(self, args, categories):
        self.rng = rng = random.Random(args.seed)
        self.now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        self.reports, self.people, self.responses = args.reports, args.people, min(args.responses, args.people)
        self.counties = sorted(POPULATION)
        weight = {c: POPULATION[c] * (2.0 if c in ACTIVE else rng.uniform(0.5, 1.3)) for c in self.counties}
        self.county_cum = cumulative([weight[c] for c in self.counties])
        self.categories = categories
        self.category_cum = {}
        for c in self.counties:
            w = dict(CATEGORY_WEIGHT)
            if c in PASTORAL:
                w["stock_theft"] *= 5
                w["firearms"] *= 2
            if c in BORDER_COAST:
                w["terrorism"] *= 6
                w["smuggling"] *= 2
            if c in TOWNS:
                w["gangs"] *= 1.5
                w["boda_boda"] *= 1.3
            self.category_cum[c] = cumulative([w[k] for k in categories])
        # Median hours to a first action, per county: some county teams answer within hours, some within days.
        self.first_action_median_min = {c: 60 * rng.uniform(4, 72) for c in self.counties}
        self.status_tables = [(limit, [s for s, _ in table], cumulative([w for _, w in table])) for limit, table in STATUS_BY_AGE]
        self.person_ids = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(self.people)]
        self.places, self.details, self.addresses = sealed_pool(rng, 8, 48), sealed_pool(rng, 20, 300), sealed_pool(rng, 13, 13)

    def age_days(self):
        """Days before now, with volume growing linearly through the year (a third as many a year ago as now)."""
        a, b, u = 0.4, 0.6, self.rng.random()
        x = (-a + math.sqrt(a * a + 2 * b * u * (a + b / 2))) / b      # inverse CDF of density a + b·x on [0, 1]
        return (1 - x) * 365

    def person_rows(self):
        rng = self.rng
        for pid in self.person_ids:
            created = self.now - dt.timedelta(days=rng.uniform(365, 420))
            language = "sw" if rng.random() < 0.55 else "en" if rng.random() < 0.95 else None
            yield pid, "%064x" % rng.getrandbits(256), rng.choice(self.addresses), language, created

    def report_rows(self):
        rng, now = self.rng, self.now
        ages = sorted((self.age_days() for _ in range(self.reports)), reverse=True)     # oldest first: as they arrived
        for n, age in enumerate(ages):
            county = pick(rng, self.counties, self.county_cum)
            category = pick(rng, self.categories, self.category_cum[county])
            created = now - dt.timedelta(days=age)
            for limit, statuses, cum in self.status_tables:
                if age < limit:
                    status = pick(rng, statuses, cum)
                    break
            first_at = minutes = None
            changed = created
            if status != RECEIVED:
                age_min = age * 1440
                minutes = min(rng.lognormvariate(math.log(self.first_action_median_min[county]), 1.2), age_min * 0.9)
                minutes = max(1, round(minutes))
                first_at = created + dt.timedelta(minutes=minutes)
                changed = first_at + (now - first_at) * (rng.random() ** 3 if MOVES[status] > 1 else 0)
            channel = 1 if rng.random() < 0.55 else 2 if rng.random() < 0.67 else 3
            provider = "telegram" if channel == 3 else "twilio" if channel == 2 and rng.random() < 0.3 else "africastalking"
            # Six reports in ten come from the regulars (a tenth of the people: elders, forum members), the rest from anyone.
            reporter = self.person_ids[rng.randrange(max(1, self.people // 10)) if rng.random() < 0.6 else rng.randrange(self.people)]
            yield (uuid.UUID(int=rng.getrandbits(128), version=4), reference(n), category, county, rng.choice(self.places),
                   rng.choice(self.details), rng.random() < 0.25, reporter, channel, "sw" if rng.random() < 0.55 else "en",
                   status, created, changed, first_at, provider, MOVES[status] + (1 if status == ESCALATED and rng.random() < 0.3 else 0),
                   minutes)

    def response_rows(self):
        rng = self.rng
        for index in rng.sample(range(self.people), self.responses):
            county = pick(rng, self.counties, self.county_cum)
            started = self.now - dt.timedelta(days=rng.uniform(0, 365))
            completed = started + dt.timedelta(minutes=rng.uniform(2, 15)) if rng.random() < 0.85 else None
            yield uuid.UUID(int=rng.getrandbits(128), version=4), "forum", 1, self.person_ids[index], rng.randint(1, 3), county, started, completed


PEOPLE_COLUMNS = ("Id", "AddressHash", "AddressSealed", "Language", "CreatedAt")
REPORT_COLUMNS = ("Id", "Reference", "Category", "CountyCode", "PlaceSealed", "DetailsSealed", "Anonymous", "ReporterId", "Channel",
                  "Language", "Status", "CreatedAt", "StatusChangedAt", "FirstActionAt", "ReplyProvider", "Version", "FirstActionMinutes")
RESPONSE_COLUMNS = ("Id", "QuestionnaireId", "Version", "PersonId", "Channel", "CountyCode", "StartedAt", "CompletedAt")


def quoted(columns):
    return ", ".join(f'"{c}"' for c in columns)


# ---- SQLite: the values as EF Core stores them (GUIDs upper-case text, times 'yyyy-MM-dd HH:mm:ss.FFFFFFF', bools 0/1) ----

def sqlite_value(v):
    if isinstance(v, uuid.UUID):
        return str(v).upper()
    if isinstance(v, dt.datetime):
        text = v.isoformat(sep=" ")
        return text.rstrip("0") if "." in text else text
    if isinstance(v, bool):
        return int(v)
    return v


def fill_sqlite(path, data, analyze):
    timings = {}
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=DELETE")          # one big transaction: no WAL file growing to the data's size
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-524288")             # 512 MB, so index builds sort in memory
    db.execute("PRAGMA temp_store=MEMORY")
    indexes = [sql for (sql,) in db.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reports' AND sql IS NOT NULL")]
    db.execute("BEGIN")
    for sql in indexes:
        db.execute("DROP INDEX " + re.match(r'CREATE (?:UNIQUE )?INDEX ("[^"]+")', sql).group(1))

    def insert(table, columns, rows, label):
        start = time.perf_counter()
        db.executemany(f'INSERT INTO "{table}" ({quoted(columns)}) VALUES ({", ".join("?" * len(columns))})',
                       (tuple(sqlite_value(v) for v in row) for row in rows))
        timings[label] = time.perf_counter() - start

    insert("people", PEOPLE_COLUMNS, data.person_rows(), "people_s")
    insert("reports", REPORT_COLUMNS, data.report_rows(), "reports_s")
    insert("questionnaire_responses", RESPONSE_COLUMNS, data.response_rows(), "responses_s")
    start = time.perf_counter()
    for sql in indexes:
        db.execute(sql)
    db.execute("COMMIT")
    timings["indexes_s"] = time.perf_counter() - start
    if analyze:
        start = time.perf_counter()
        db.execute("ANALYZE")
        timings["analyze_s"] = time.perf_counter() - start
    db.execute("PRAGMA journal_mode=WAL")                # as the host's migrate leaves it
    db.close()
    size = sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
    return timings, size


# ---- PostgreSQL: CSV streamed to psql's \copy, as the host's role ----

def libpq_environment(connection_string):
    """PG* variables from an Npgsql connection string (Host, Port, Username, Password, Database)."""
    names = {"host": "PGHOST", "server": "PGHOST", "port": "PGPORT", "username": "PGUSER", "user id": "PGUSER", "userid": "PGUSER",
             "user": "PGUSER", "password": "PGPASSWORD", "database": "PGDATABASE", "sslmode": "PGSSLMODE"}
    env = dict(os.environ)
    for part in connection_string.split(";"):
        if "=" in part:
            key, value = part.split("=", 1)
            if key.strip().lower() in names:
                env[names[key.strip().lower()]] = value.strip()
    return env


def psql(env, sql):
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql], env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def csv_value(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ") + "+00"
    return str(v)


def copy(env, table, columns, rows):
    process = subprocess.Popen(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", f'\\copy "{table}" ({quoted(columns)}) FROM pstdin WITH (FORMAT csv)'],
                               env=env, stdin=subprocess.PIPE, text=True)
    batch = []
    for row in rows:
        batch.append(",".join(csv_value(v) for v in row))
        if len(batch) == 10_000:
            process.stdin.write("\n".join(batch) + "\n")
            batch = []
    if batch:
        process.stdin.write("\n".join(batch) + "\n")
    process.stdin.close()
    if process.wait() != 0:
        sys.exit(f"psql \\copy into {table} failed")


def fill_postgres(connection_string, data):
    env = libpq_environment(connection_string)
    timings = {}
    tables = "'reports', 'questionnaire_responses'"
    indexes = psql(env, "SELECT indexname || '|' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'reports' "
                        "AND indexname NOT IN (SELECT conname FROM pg_constraint)").splitlines()
    foreign = psql(env, "SELECT conrelid::regclass || '|' || conname || '|' || pg_get_constraintdef(oid) FROM pg_constraint "
                        f"WHERE contype = 'f' AND conrelid::regclass::text IN ({tables})").splitlines()
    psql(env, "; ".join([f'DROP INDEX "{line.split("|")[0]}"' for line in indexes]
                        + [f'ALTER TABLE {line.split("|")[0]} DROP CONSTRAINT "{line.split("|")[1]}"' for line in foreign]))
    for table, columns, rows, label in (("people", PEOPLE_COLUMNS, data.person_rows(), "people_s"),
                                        ("reports", REPORT_COLUMNS, data.report_rows(), "reports_s"),
                                        ("questionnaire_responses", RESPONSE_COLUMNS, data.response_rows(), "responses_s")):
        start = time.perf_counter()
        copy(env, table, columns, rows)
        timings[label] = time.perf_counter() - start
    start = time.perf_counter()
    psql(env, "SET maintenance_work_mem = '512MB'; " + "; ".join([line.split("|", 1)[1] for line in indexes]
         + [f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {definition}' for t, name, definition in (line.split("|", 2) for line in foreign)]))
    timings["indexes_s"] = time.perf_counter() - start
    start = time.perf_counter()
    psql(env, "VACUUM (ANALYZE)")
    timings["analyze_s"] = time.perf_counter() - start
    return timings, int(psql(env, "SELECT pg_database_size(current_database())"))


def main():
    parser = argparse.ArgumentParser(description="Fill a migrated Jukwaa database for the console benchmark.")
    parser.add_argument("database", choices=["sqlite", "postgres"])
    parser.add_argument("file", nargs="?", help="the SQLite file (sqlite only)")
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--people", type=int)
    parser.add_argument("--responses", type=int)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--categories", default="dialogs/categories.yaml")
    parser.add_argument("--no-analyze", action="store_true",
                        help="SQLite: leave the planner statistics to the host (its PRAGMA optimize at start)")
    args = parser.parse_args()
    args.people = args.people or max(1000, args.reports // 5)
    args.responses = args.responses if args.responses is not None else args.reports // 10
    start = time.perf_counter()
    data = Data(args, categories_from(args.categories))
    if args.database == "sqlite":
        if not args.file:
            parser.error("sqlite needs the database file")
        timings, size = fill_sqlite(args.file, data, analyze=not args.no_analyze)
    else:
        timings, size = fill_postgres(os.environ["ConnectionStrings__Jukwaa"], data)
    parts = " ".join(f"{k}={v:.1f}" for k, v in timings.items())
    print(f"FILL database={args.database} reports={data.reports} people={data.people} responses={data.responses} "
          f"seconds={time.perf_counter() - start:.1f} {parts} size_mb={size / 1e6:.0f}", flush=True)


if __name__ == "__main__":
    main()
