"""A batch of incidents from a gemeente's system: all or nothing, once per Idempotency-Key.

Every item goes through ``validate_new``, the rules of the web form (the import's rules plus
the form's refusal of an incident stored before). When any item has an error nothing is
written and the errors come back per item; a batch that loses a race with another request
carrying the same incidents (the database's unique index) is checked again, so its items get
the duplicate messages. Valid batches
are written like the import writes them (SQLAlchemy Core, one audit event for the batch)
in one transaction together with the key and the answer, so a retried request (a lost
answer, a timeout) gets the stored answer again instead of a second copy. The key is
unique per gemeente: a system that rotates its token and retries still gets its answer.
A key used again for another request is refused; a key is kept KEEP_DAYS days.
"""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from pilot import audit, clock
from pilot.extensions import db
from pilot.models import ApiIdempotency, Gemeente, Incident
from pilot.services.incidenten import IncidentInput, RowErrors, rows_values_many, validate_new

MAX_BATCH = 1000
KEEP_DAYS = 30
CREATED = 201
# Rows per INSERT … RETURNING. psycopg rewrites a statement's placeholders on the client at a
# cost that grows faster than the statement: one 1,000-row statement took ~2 s on
# PostgreSQL, pages of 10 rows well under 1 s together (bench/README.md).
PAGE = 10


class IdempotencyMismatch(Exception):
    """The key was used before for a request with another body."""


class BatchInvalid(Exception):
    """Items with errors; ``errors[i]`` holds item i's messages per field (empty: valid)."""

    def __init__(self, errors: list[RowErrors]) -> None:
        super().__init__("ongeldige items")
        self.errors = errors


@dataclass(frozen=True)
class BatchResult:
    status: int
    antwoord: dict[str, Any]
    herhaald: bool


def request_hash(payload: Any) -> str:
    """The identity of a request body, independent of key order and spacing."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def merge_errors(first: RowErrors, then: RowErrors) -> RowErrors:
    """``first`` (format errors) wins per field; rule errors fill the other fields."""
    merged = dict(first)
    for name, messages in then.items():
        merged.setdefault(name, messages)
    return merged


def _stored(gemeente: Gemeente, sleutel: str) -> ApiIdempotency | None:
    return db.session.execute(
        select(ApiIdempotency).where(
            ApiIdempotency.gemeente_id == gemeente.id, ApiIdempotency.sleutel == sleutel
        )
    ).scalar_one_or_none()


def _replay(stored: ApiIdempotency, verzoek_hash: str) -> BatchResult:
    if stored.verzoek_hash != verzoek_hash:
        raise IdempotencyMismatch
    return BatchResult(stored.status, stored.antwoord, True)


def create_batch(
    gemeente: Gemeente,
    items: Sequence[IncidentInput],
    format_errors: Sequence[RowErrors],
    sleutel: str,
    verzoek_hash: str,
    token_id: int,
) -> BatchResult:
    """Write every item or none; the answer is stored under ``sleutel`` and replayed."""
    if stored := _stored(gemeente, sleutel):
        return _replay(stored, verzoek_hash)
    if replayed := _refuse_invalid(gemeente, items, format_errors, sleutel, verzoek_hash):
        return replayed
    try:
        record = ApiIdempotency(
            gemeente_id=gemeente.id,
            sleutel=sleutel,
            verzoek_hash=verzoek_hash,
            token_id=token_id,
            status=CREATED,
            antwoord={},
            aantal=len(items),
        )
        db.session.add(record)
        db.session.flush()  # a concurrent request with this key waits here, then fails
        ids = _insert(gemeente, items)
        record.antwoord = {
            "aantal": len(ids),
            "incidenten": [{"id": incident_id, "version": 1} for incident_id in ids],
        }
        db.session.execute(
            delete(ApiIdempotency).where(
                ApiIdempotency.gemeente_id == gemeente.id,
                ApiIdempotency.aangemaakt_op < clock.now() - timedelta(days=KEEP_DAYS),
            )
        )
        audit.record(
            "aanmaken",
            "incident",
            gemeente_id=gemeente.id,
            bron="api",
            token=token_id,
            aantal=len(ids),
            ids=ids,
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        stored = _stored(gemeente, sleutel)
        if stored is None:  # another request stored the same incidents a moment ago
            if replayed := _refuse_invalid(gemeente, items, format_errors, sleutel, verzoek_hash):
                return replayed
            raise
        return _replay(stored, verzoek_hash)
    return BatchResult(CREATED, record.antwoord, False)


def _refuse_invalid(
    gemeente: Gemeente,
    items: Sequence[IncidentInput],
    format_errors: Sequence[RowErrors],
    sleutel: str,
    verzoek_hash: str,
) -> BatchResult | None:
    """Raise BatchInvalid when an item has errors, unless this very request (same key) was
    written meanwhile by a concurrent call: then its stored answer. None when all is valid."""
    errors = [
        merge_errors(first, then)
        for first, then in zip(format_errors, validate_new(gemeente, items), strict=True)
    ]
    if not any(errors):
        return None
    db.session.rollback()
    if stored := _stored(gemeente, sleutel):
        return _replay(stored, verzoek_hash)
    raise BatchInvalid(errors)


def _insert(gemeente: Gemeente, items: Sequence[IncidentInput]) -> list[int]:
    """Insert valid items with SQLAlchemy Core; the new ids in the order of ``items``."""
    if not items:
        return []
    table = Incident.__table__
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    rows = rows_values_many(gemeente, list(items), gemeente.heeft_grens)
    options = {"insertmanyvalues_page_size": PAGE}
    return list(db.session.execute(statement, rows, execution_options=options).scalars())
