"""The floor under a USSD step's storage: the statements one step runs, straight on SQLite.

Python's sqlite3 (prepared statements cached, no ORM) runs what the host runs for one step: the person
by keyed hash, the session by provider id, then in one transaction the session's conditional update
(or, on a session's first step, the person and session inserts) and two message rows, committed with
WAL and synchronous=FULL as the host does. Rows are about as wide as the host's (sealed text ~200
characters). Prints the CPU and wall time per step on one core, to set against the host's
host_cpu_ms_per_step from ussd-load.sh.

    python3 bench/sqlite-floor.py            # 20,000 steps in a temporary folder
    python3 bench/sqlite-floor.py 100000
"""
import os
import sqlite3
import sys
import tempfile
import time
import uuid

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
folder = tempfile.mkdtemp()
db = sqlite3.connect(os.path.join(folder, "floor.db"), isolation_level=None, cached_statements=64)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
db.executescript("""
create table people(Id text primary key, AddressHash text, AddressSealed text, CreatedAt text, Language text);
create unique index ix_people_hash on people(AddressHash);
create table conversations(Id text primary key, PersonId text, Channel int, ProviderSessionId text, DataSealed text,
  DialogId text, State text, Steps int, UpdatedAt text, Version int, LastInputSealed text, LastReplySealed text);
create unique index ix_conversations_session on conversations(Channel, ProviderSessionId);
create table messages(Id integer primary key autoincrement, ConversationId text, PersonId text, Channel int, Direction int,
  BodySealed text, At text, ProviderMessageId text);
create unique index ix_messages_provider on messages(ProviderMessageId);
create index ix_messages_person on messages(PersonId);
create index ix_messages_at on messages(At);
""")
sealed = "x" * 200
insert_message = ("insert into messages(ConversationId, PersonId, Channel, Direction, BodySealed, At, ProviderMessageId) "
                  "values (?, ?, 1, ?, ?, ?, null) returning Id")
cpu0, wall0 = time.process_time(), time.perf_counter()
for i in range(steps):
    phone_hash, session = f"{i // 10:064d}", f"session-{i // 10}"  # ten steps a session, as the report dialog
    person = db.execute("select * from people where AddressHash = ?", (phone_hash,)).fetchone()
    conversation = db.execute("select * from conversations where Channel = 1 and ProviderSessionId = ?", (session,)).fetchone()
    db.execute("BEGIN")
    if conversation is None:
        person_id, conversation_id = str(uuid.uuid4()), str(uuid.uuid4())
        db.execute("insert into people values (?, ?, ?, ?, ?)", (person_id, phone_hash, sealed, "2026-11-28", "en"))
        db.execute("insert into conversations values (?, ?, 1, ?, ?, ?, ?, 0, ?, 0, ?, ?)",
                   (conversation_id, person_id, session, sealed, "report", "start", "2026-11-28", sealed, sealed))
    else:
        person_id, conversation_id = conversation[1], conversation[0]
        db.execute("update conversations set DataSealed = ?, State = ?, Steps = Steps + 1, UpdatedAt = ?, Version = Version + 1, "
                   "LastInputSealed = ?, LastReplySealed = ? where Id = ? and Version = ? returning 1",
                   (sealed, "next", "2026-11-28", sealed, sealed, conversation_id, conversation[9])).fetchall()
    db.execute(insert_message, (conversation_id, person_id, 0, sealed, "2026-11-28")).fetchall()
    db.execute(insert_message, (conversation_id, person_id, 1, sealed, "2026-11-28")).fetchall()
    db.execute("COMMIT")
wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
print(f"RESULT steps={steps} cpu_ms_per_step={cpu * 1000 / steps:.3f} wall_ms_per_step={wall * 1000 / steps:.3f} steps_per_s={steps / wall:.0f}")
db.close()
for name in os.listdir(folder):
    os.remove(os.path.join(folder, name))
os.rmdir(folder)
