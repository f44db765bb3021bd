"""Tamper evidence for the audit trail: a hash chain that survives the retention purge.

Each event stores ``payload_hash`` = SHA-256 of its ``details`` (canonical JSON) and
``hash`` = SHA-256 of its metadata (volgnummer, time, actor, action, record, gemeente),
its ``payload_hash`` and ``vorige_hash``, the ``hash`` of the event before it. Changing,
removing or inserting an event breaks the chain from that point; the retention purge may
clear ``details`` (it keeps ``payload_hash`` and sets ``payload_gewist_op``), so ``verify``
still passes and reports how many payloads were purged.

Events are numbered densely (``volgnummer``, unique) under a lock: on PostgreSQL a
transaction-scoped advisory lock, on SQLite the database's single writer, taken by an empty
UPDATE before the read (Python's sqlite3 starts a transaction only at the first write, so a
read alone would let two writers take the same number). Two writers can therefore never
fork the chain; the unique ``volgnummer`` is the backstop.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, text

from pilot.models import AuditEvent

GENESIS = "0" * 64
ADVISORY_LOCK = 4290012  # pg_advisory_xact_lock key of the audit chain
META_FIELDS = ("tijdstip", "user_id", "actor", "actie", "entiteit", "entiteit_id", "gemeente_id")


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def payload_hash(details: dict | None) -> str:
    return hashlib.sha256(canonical(details or {}).encode()).hexdigest()


def _moment(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f")


def event_hash(volgnummer: int, meta: dict, payload: str, vorige: str) -> str:
    fields = {name: meta.get(name) for name in META_FIELDS}
    fields["tijdstip"] = _moment(meta["tijdstip"])
    body = canonical({"volgnummer": volgnummer, "meta": fields, "payload": payload})
    return hashlib.sha256(f"{vorige}|{body}".encode()).hexdigest()


def _last(connection: Connection) -> tuple[int, str]:
    """Lock the chain for this transaction and return its last (volgnummer, hash)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
    elif connection.dialect.name == "sqlite":
        connection.execute(text("UPDATE audit_event SET volgnummer = volgnummer WHERE 0"))
    row = connection.execute(
        select(AuditEvent.volgnummer, AuditEvent.hash)
        .order_by(AuditEvent.volgnummer.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else (0, GENESIS)


def link(connection: Connection, events: Iterable[dict]) -> list[dict]:
    """Fill volgnummer, payload_hash, vorige_hash and hash of new events, in order.

    ``events`` are dicts with the metadata fields and ``details``; call inside the
    transaction that inserts them.
    """
    events = list(events)
    if not events:
        return events
    number, previous = _last(connection)
    for event in events:
        number += 1
        event["volgnummer"] = number
        event["payload_hash"] = payload_hash(event.get("details"))
        event["vorige_hash"] = previous
        event["hash"] = previous = event_hash(number, event, event["payload_hash"], previous)
    return events


@dataclass
class Verification:
    aantal: int = 0
    gewist: int = 0
    fout_bij: int | None = None  # volgnummer of the first event that does not fit
    reden: str = ""

    @property
    def intact(self) -> bool:
        return self.fout_bij is None

    @property
    def melding(self) -> str:
        if self.intact:
            purged = f"; van {self.gewist} is de inhoud volgens de bewaartermijn gewist" * bool(
                self.gewist
            )
            return f"Audittrail intact: {self.aantal} gebeurtenissen gecontroleerd{purged}."
        return f"Audittrail NIET intact bij gebeurtenis {self.fout_bij}: {self.reden}."


def verify(connection: Connection, batch: int = 2000) -> Verification:
    """Walk the whole chain in order and report the first event that does not fit."""
    result = Verification()
    expected_number, previous = 1, GENESIS
    query = select(AuditEvent.__table__).order_by(AuditEvent.volgnummer)
    for row in connection.execute(query.execution_options(yield_per=batch)).mappings():
        number = row["volgnummer"]
        problem = ""
        if number != expected_number:
            problem = f"volgnummer {expected_number} ontbreekt"
        elif row["vorige_hash"] != previous:
            problem = "de verwijzing naar de vorige gebeurtenis klopt niet"
        elif row["hash"] != event_hash(number, row, row["payload_hash"], previous):
            problem = "de gegevens van de gebeurtenis zijn gewijzigd"
        elif row["payload_gewist_op"] is None and row["payload_hash"] != payload_hash(
            row["details"]
        ):
            problem = "de inhoud van de gebeurtenis is gewijzigd"
        if problem:
            result.fout_bij, result.reden = number, problem
            return result
        result.aantal += 1
        result.gewist += row["payload_gewist_op"] is not None
        expected_number, previous = number + 1, row["hash"]
    return result
