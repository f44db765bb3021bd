"""Writing a large import in short transactions, still all or nothing in the end.

One transaction for 100,000 rows held SQLite's only write lock for about 13 s (PostgreSQL:
the kept-count rows of the gemeente's months), so every other user's save waited for the
whole import, and some gave up after the busy timeout. A job's import therefore writes
chunks of ``CHUNK_ROWS`` rows, each in its own transaction, with a short pause between them
in which the other users' writes get the lock. Every row carries the job's id
(``incident.import_batch``); the ``ImportBatch`` row turns ``klaar`` in the transaction
that records the import's audit event. Until then the rows are provisional: when the job
fails, or a restarted worker finds it interrupted, ``discard`` deletes them again, also in
short transactions. While an import runs its rows already appear in the gemeente's lists
and counts; the audit event is written only when the last chunk is in.
"""

import time
from collections.abc import Callable, Sequence

from sqlalchemy import Connection, delete, insert, select, text, update

from pilot import audit, clock
from pilot.extensions import db
from pilot.models import Gemeente, ImportBatch, Incident, Job
from pilot.services.incidenten import IncidentInput, rows_values_many

BUSY, DONE = "bezig", "klaar"
# About 40 ms of writing on SQLite (0.13 ms per row with indexes and kept-count triggers):
# the longest another user's save waits for the import.
CHUNK_ROWS = 300
# After each chunk the import pauses as long as the chunk's transaction took, and at least
# long enough for a writer that waits in SQLite's busy handler (it sleeps up to 25 ms
# between tries at this stage) to take the lock before the next chunk does: the import
# holds the lock (and the database server's CPU) at most half of the time.
PAUSE_S = 0.03
SQLITE_CACHE_KB = 256 * 1024
Progress = Callable[[str, int, int], None]


def widen_sqlite_cache(connection: Connection | None = None) -> None:
    """The hash indexes take random inserts; with SQLite's default 2 MB page cache a large
    import slows down chunk after chunk. Per connection, and memory grows only as used."""
    connection = connection or db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")


def insert_incidents(connection: Connection, rows: list[dict]) -> None:
    """Insert incident rows (dicts with the same keys) without the ORM.

    On PostgreSQL with COPY: an executemany there runs one INSERT per row (0.6 ms per row,
    most of an import's time), multi-row INSERTs spend it parsing 35,000 placeholders in
    the driver. COPY fires the statement triggers of the kept counts and the data version
    once (migrations 0041, 0043). Values get the model's defaults and pass the columns'
    own bind processors first, as they would in an INSERT. SQLite's executemany is fast as it is.
    """
    table = Incident.__table__
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    names = list(rows[0])
    defaults = {  # what an INSERT would add from the model (COPY knows only the table's)
        column.name: column.default.arg(None) if column.default.is_callable else column.default.arg
        for column in table.c
        if column.name not in names and column.default is not None and not column.primary_key
    }
    rows = [{**row, **defaults} for row in rows]
    names += list(defaults)
    processors = [table.c[name].type.bind_processor(connection.dialect) for name in names]
    statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
    with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(
                [row[name] if process is None else process(row[name])
                 for name, process in zip(names, processors, strict=True)]
            )  # fmt: skip


def finished(job_id: str) -> ImportBatch | None:
    """The batch of this job if its import already finished (a retried job stops there)."""
    batch = db.session.get(ImportBatch, job_id)
    return batch if batch is not None and batch.status == DONE else None


def write(
    job_id: str,
    gemeente: Gemeente,
    items: Sequence[IncidentInput],
    progress: Progress,
    pause_s: float = PAUSE_S,
) -> int:
    """Write ``items`` chunk by chunk as provisional rows of the job's batch (commits).
    What an interrupted earlier attempt left must be discarded before the file is analysed
    (else its rows count as already present).

    Each chunk is one transaction on a connection of its own, so the session (and the
    objects it holds) is not expired and reloaded after every chunk.
    """
    db.session.add(ImportBatch(job_id=job_id, gemeente_id=gemeente.id, status=BUSY))
    db.session.commit()
    grens = gemeente.heeft_grens
    batch = ImportBatch.__table__
    total = len(items)
    for start in range(0, total, CHUNK_ROWS):
        progress("schrijven", start, total)
        chunk = items[start : start + CHUNK_ROWS]
        values = rows_values_many(gemeente, chunk, grens)  # computed before taking the lock
        rows = [{**row, "geimporteerd": True, "import_batch": job_id} for row in values]
        began = time.monotonic()
        with db.engine.begin() as connection:
            widen_sqlite_cache(connection)
            insert_incidents(connection, rows)
            connection.execute(
                update(batch).where(batch.c.job_id == job_id).values(geschreven=start + len(chunk))
            )
        if pause_s and start + CHUNK_ROWS < total:
            time.sleep(max(pause_s, time.monotonic() - began))
    progress("schrijven", total, total)
    if total and db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:  # the planner's statistics, grown by `total`
            connection.execute(text("ANALYZE incident"))
            connection.commit()
    return total


def mark_done(job_id: str, melding: str) -> None:
    """Make the batch final; the caller commits it together with the audit event."""
    batch = db.session.get(ImportBatch, job_id)
    batch.status, batch.melding, batch.klaar_op = DONE, melding, clock.now()


def discard(job_id: str) -> int:
    """Delete the provisional rows of an unfinished batch and the batch (commits).

    A finished batch is left alone. Returns how many incidents were deleted; when there
    were any, an audit event says so (their insertion was never recorded as an import).
    """
    db.session.rollback()
    batch = db.session.get(ImportBatch, job_id)
    if batch is None or batch.status == DONE:
        return 0
    gemeente_id, deleted = batch.gemeente_id, 0
    while True:
        ids = select(Incident.id).where(Incident.import_batch == job_id).limit(CHUNK_ROWS)
        table = Incident.__table__
        removed = db.session.execute(delete(table).where(table.c.id.in_(ids.scalar_subquery())))
        db.session.commit()
        if not removed.rowcount:
            break
        deleted += removed.rowcount
    db.session.delete(db.session.get(ImportBatch, job_id))
    if deleted:
        audit.record("import_teruggedraaid", "incident", gemeente_id=gemeente_id, rijen=deleted)
    db.session.commit()
    return deleted


def discard_abandoned() -> int:
    """Discard the unfinished batches whose job has ended (failed, or given up after too
    many attempts) or is gone. A job waiting for its retry is left alone: the retry
    discards its batch itself before it writes again. The worker's maintenance calls this;
    returns how many batches it discarded."""
    from pilot.services.jobs.runner import FINISHED

    query = (
        select(ImportBatch.job_id)
        .outerjoin(Job, Job.id == ImportBatch.job_id)
        .where(ImportBatch.status == BUSY, Job.status.in_(FINISHED) | Job.id.is_(None))
    )
    abandoned = list(db.session.execute(query).scalars())
    for job_id in abandoned:
        discard(job_id)
    return len(abandoned)
