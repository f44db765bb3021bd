"""The files the app keeps between requests: uploads and finished exports.

Kept in the database (``StoredFile``), never in the instance folder, so that any app
server or worker behind a load balancer reads what another one wrote. This module is the
whole interface (``put``, ``get``, ``delete``, ``purge_expired``): an object store could
take the database's place behind it without a change elsewhere.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from pilot import clock
from pilot.extensions import db
from pilot.models import StoredFile
from pilot.services.errors import NotFound

DEFAULT_LIFETIME = timedelta(days=1)


@dataclass(frozen=True)
class File:
    sleutel: str
    naam: str
    mimetype: str
    inhoud: bytes


def put(naam: str, inhoud: bytes, mimetype: str, lifetime: timedelta = DEFAULT_LIFETIME) -> str:
    """Store bytes (in the caller's transaction); returns the new key."""
    sleutel = secrets.token_urlsafe(32)
    db.session.add(
        StoredFile(
            sleutel=sleutel,
            naam=naam,
            mimetype=mimetype,
            grootte=len(inhoud),
            inhoud=inhoud,
            verloopt_op=clock.now() + lifetime,
        )
    )
    return sleutel


def get(sleutel: str) -> File:
    """The stored file, else NotFound (also when it has expired)."""
    row = db.session.execute(
        select(
            StoredFile.naam, StoredFile.mimetype, StoredFile.inhoud, StoredFile.verloopt_op
        ).where(StoredFile.sleutel == sleutel)
    ).first()
    if row is None or row.verloopt_op <= clock.now():
        raise NotFound
    return File(sleutel, row.naam, row.mimetype, bytes(row.inhoud))


def delete_file(sleutel: str | None) -> None:
    if sleutel:
        db.session.execute(delete(StoredFile).where(StoredFile.sleutel == sleutel))


def purge_expired() -> int:
    """Remove expired files (commits); how many."""
    result = db.session.execute(delete(StoredFile).where(StoredFile.verloopt_op <= clock.now()))
    db.session.commit()
    return result.rowcount or 0
