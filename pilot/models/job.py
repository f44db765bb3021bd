"""Background jobs and the files the app keeps (uploads, finished exports).

A ``Job`` is the user's view of work that runs on the queue worker: what was asked, by
whom, its state, a Dutch message and, when ready, its result file. Progress while it runs
lives in the queue's key-value store (``pilot.services.jobs.progress``), because a long
import holds SQLite's write lock until it commits.

An ``ImportBatch`` is a large import written by a job in short transactions: its incidents
carry ``incident.import_batch`` and are final only once the batch is ``klaar``.

A ``StoredFile`` keeps bytes in the database, so that every app server sees the same
uploads and results (no local state); ``pilot.services.storage`` is the only way in.
"""

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pilot.models.base import Base, UTCDateTime, utcnow


class StoredFile(Base):
    """Bytes with a name and a media type; removed after ``verloopt_op``."""

    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    sleutel: Mapped[str] = mapped_column(String(64), unique=True)
    naam: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(100))
    grootte: Mapped[int] = mapped_column(Integer)
    inhoud: Mapped[bytes] = mapped_column(LargeBinary)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verloopt_op: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Job(Base):
    """One piece of background work asked for by a user."""

    __tablename__ = "job"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    soort: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="wachtend", index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id"))
    parameters: Mapped[dict] = mapped_column(JSON, default=dict)
    omschrijving: Mapped[str] = mapped_column(String(200))
    melding: Mapped[str | None] = mapped_column(Text)
    resultaat_sleutel: Mapped[str | None] = mapped_column(String(64))
    worker: Mapped[str | None] = mapped_column(String(100))
    pogingen: Mapped[int] = mapped_column(Integer, default=0)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    gestart_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    klaar_op: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ImportUpload(Base):
    """An uploaded import file between preview and confirm (the bytes are a StoredFile)."""

    __tablename__ = "import_upload"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    bestand: Mapped[str] = mapped_column(String(200))
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    bestand_sleutel: Mapped[str | None] = mapped_column(String(64))
    fouten_sleutel: Mapped[str | None] = mapped_column(String(64))
    geclaimd: Mapped[bool] = mapped_column(Boolean, default=False)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ImportBatch(Base):
    """The incidents one import job writes chunk by chunk (``incident.import_batch``).

    A large import is not one long transaction, which would hold SQLite's only write lock
    (and PostgreSQL's kept-count rows) for all its rows, so that every other user's save
    waits. Until ``status`` is ``klaar`` — set in the transaction that records the import's
    audit event — its rows are provisional: a failed or interrupted job deletes them again
    (``pilot.services.imports.staged``), so an import still ends as all or nothing.
    """

    __tablename__ = "import_batch"

    job_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    status: Mapped[str] = mapped_column(String(10), default="bezig")
    geschreven: Mapped[int] = mapped_column(Integer, default=0)
    melding: Mapped[str | None] = mapped_column(Text)
    gestart_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    klaar_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
