"""Uploaded files kept between preview and confirm, in the database.

Never in the session cookie (a file of 100,000 rows does not fit there, and the cookie is
readable by the browser) and never on the app server's disk: the preview may be served by
one app server and the confirm by another. Each upload gets a random token and a row
(``ImportUpload``: who, which gemeente, the preview's figures) whose file and full error
list are stored files (``pilot.services.storage``). Only the uploader, for that gemeente,
can open it again. Uploads older than a day are removed on every new upload and by
``flask --app pilot imports purge-uploads`` (cron); the retention purge removes a
gemeente's pending uploads at once (``discard_pending``).

A large file is stored first and checked on the job worker (``store_upload``, then
``check_upload``); until then the upload has no figures (``Upload.checked``).

A confirm first *claims* the upload with one conditional UPDATE: of two simultaneous
confirms (on any app servers) exactly one wins; the other, and any later one, is told the
file was already processed. After the import only the claimed row stays, until purged.
"""

import csv
import io
import re
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, select, update

from pilot import clock
from pilot.extensions import db
from pilot.models import Gemeente, ImportUpload
from pilot.services import storage
from pilot.services.errors import NotFound
from pilot.services.imports.reading import ImportFileError
from pilot.services.imports.service import Analysis, Progress, analyse, no_progress

TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
MAX_AGE = timedelta(hours=24)
LEEWAY = timedelta(hours=1)  # a stored file outlives its upload row a little
SHOWN_ERRORS = 200


@dataclass
class Upload:
    token: str
    bestand: str
    meta: dict
    bestand_sleutel: str | None
    fouten_sleutel: str | None
    claimed: bool = False

    @property
    def checked(self) -> bool:
        """The file has been analysed: the preview's figures are there."""
        return self.meta.get("samenvatting") is not None

    @property
    def errors_csv(self) -> bytes:
        return storage.get(self.fouten_sleutel).inhoud if self.fouten_sleutel else b""


def _upload(row: ImportUpload) -> Upload:
    return Upload(
        row.token, row.bestand, row.meta, row.bestand_sleutel, row.fouten_sleutel, row.geclaimd
    )


def _remove(rows: list[ImportUpload]) -> int:
    for row in rows:
        storage.delete_file(row.bestand_sleutel)
        storage.delete_file(row.fouten_sleutel)
        db.session.delete(row)
    return len(rows)


def purge_expired() -> int:
    """Remove the uploads older than MAX_AGE (confirmed or not) and expired files; commits."""
    old = db.session.execute(
        select(ImportUpload).where(ImportUpload.aangemaakt_op < clock.now() - MAX_AGE)
    ).scalars()
    removed = _remove(list(old))
    db.session.commit()
    storage.purge_expired()
    return removed


def pending_uploads() -> dict[int, list[str]]:
    """The tokens of unconfirmed uploads per gemeente id."""
    found: dict[int, list[str]] = {}
    rows = db.session.execute(
        select(ImportUpload.gemeente_id, ImportUpload.token)
        .where(ImportUpload.geclaimd.is_(False))
        .order_by(ImportUpload.token)
    )
    for gemeente_id, token in rows:
        found.setdefault(gemeente_id, []).append(token)
    return found


def discard_pending(gemeente_ids: set[int]) -> int:
    """Remove the unconfirmed uploads of these gemeenten (retention purge); commits."""
    rows = db.session.execute(
        select(ImportUpload).where(
            ImportUpload.gemeente_id.in_(gemeente_ids), ImportUpload.geclaimd.is_(False)
        )
    ).scalars()
    removed = _remove(list(rows))
    db.session.commit()
    return removed


def _safe_name(name: str) -> str:
    """The original file name without any path, for display."""
    return Path(name.replace("\\", "/")).name[:200] or "bestand"


def errors_csv(analysis: Analysis) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["rij", "kolom", "melding"])
    writer.writerows((e.rij, e.kolom, e.melding) for e in analysis.fouten)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@contextmanager
def as_file(data: bytes, bestand: str) -> Iterator[Path]:
    """The bytes in a private temporary file for the readers (removed afterwards)."""
    with tempfile.TemporaryDirectory(prefix="pilot-import-") as folder:
        path = Path(folder) / ("bestand" + Path(bestand).suffix.lower())
        path.write_bytes(data)
        yield path


def preview_upload(gemeente: Gemeente, user_id: int, bestand: str, data: bytes) -> Upload:
    """Keep an uploaded file and analyse it for the preview (commits).

    Raises ImportFileError when the file as a whole cannot be used; then nothing is kept.
    """
    stored = store_upload(gemeente, user_id, bestand, data)
    return check_upload(stored.token, gemeente, user_id)


def store_upload(gemeente: Gemeente, user_id: int, bestand: str, data: bytes) -> Upload:
    """Keep an uploaded file, not yet analysed (commits)."""
    purge_expired()
    name = _safe_name(bestand)
    meta = {"bestand": name, "gemeente_id": gemeente.id, "user_id": user_id, "samenvatting": None}
    row = ImportUpload(
        token=secrets.token_urlsafe(32),
        gemeente_id=gemeente.id,
        user_id=user_id,
        bestand=name,
        meta=meta,
        bestand_sleutel=storage.put(name, data, "application/octet-stream", MAX_AGE + LEEWAY),
        fouten_sleutel=None,
        geclaimd=False,
    )
    db.session.add(row)
    db.session.commit()
    return _upload(row)


def check_upload(
    token: str, gemeente: Gemeente, user_id: int, progress: Progress = no_progress
) -> Upload:
    """Analyse a stored upload and keep its figures and error list (commits). A file that
    cannot be used at all is removed again and ImportFileError raised."""
    try:  # gone: removed by the daily purge before the worker came to it
        stored = get_upload(token, gemeente, user_id)
        data = storage.get(stored.bestand_sleutel or "").inhoud
    except NotFound as exc:
        raise ImportFileError("Het bestand is niet meer beschikbaar; upload het opnieuw.") from exc
    row = db.session.get(ImportUpload, token)
    try:
        with as_file(data, row.bestand) as path:
            analysis = analyse(gemeente, path, row.bestand, progress)
    except ImportFileError:
        db.session.rollback()
        _remove([db.session.get(ImportUpload, token)])
        db.session.commit()
        raise
    row.meta = {
        **row.meta,
        "samenvatting": analysis.samenvatting(),
        "fouten": [[e.rij, e.kolom, e.melding] for e in analysis.fouten[:SHOWN_ERRORS]],
        "aantal_fouten": len(analysis.fouten),
    }
    row.fouten_sleutel = storage.put(
        "fouten.csv", errors_csv(analysis), "text/csv", MAX_AGE + LEEWAY
    )
    db.session.commit()
    return _upload(row)


def get_upload(token: str, gemeente: Gemeente, user_id: int, claimed: bool = False) -> Upload:
    """The upload of this user for this gemeente, else NotFound (also for a malformed
    token). A claimed upload counts only with ``claimed=True`` (the confirm, to say it
    was already processed)."""
    if not TOKEN.match(token):
        raise NotFound
    row = db.session.get(ImportUpload, token)
    if row is None or row.gemeente_id != gemeente.id or row.user_id != user_id:
        raise NotFound
    if row.geclaimd and not claimed:
        raise NotFound
    return _upload(row)


def claim(upload: Upload) -> bool:
    """Take the upload for one confirm (commits); False when another confirm has it."""
    result = db.session.execute(
        update(ImportUpload)
        .where(ImportUpload.token == upload.token, ImportUpload.geclaimd.is_(False))
        .values(geclaimd=True)
    )
    db.session.commit()
    upload.claimed = result.rowcount == 1
    return upload.claimed


@contextmanager
def claimed_file(upload: Upload) -> Iterator[Path]:
    """The claimed upload's file, for the import."""
    try:
        data = storage.get(upload.bestand_sleutel or "").inhoud
    except NotFound as exc:
        raise ImportFileError("Het bestand is niet meer beschikbaar; upload het opnieuw.") from exc
    with as_file(data, upload.bestand) as path:
        yield path


def finish(upload: Upload) -> None:
    """After the import: remove the file and error list, keep the claimed row (commits)."""
    row = db.session.get(ImportUpload, upload.token)
    if row is not None:
        storage.delete_file(row.bestand_sleutel)
        storage.delete_file(row.fouten_sleutel)
        row.bestand_sleutel = row.fouten_sleutel = None
    db.session.commit()


def discard(upload: Upload) -> None:
    db.session.execute(delete(ImportUpload).where(ImportUpload.token == upload.token))
    storage.delete_file(upload.bestand_sleutel)
    storage.delete_file(upload.fouten_sleutel)
    db.session.commit()


__all__ = [
    "ImportFileError",
    "Upload",
    "claim",
    "claimed_file",
    "discard",
    "discard_pending",
    "finish",
    "get_upload",
    "pending_uploads",
    "preview_upload",
    "purge_expired",
]
