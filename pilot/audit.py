"""The audit trail, written as a side effect of the unit of work, not from views.

Every insert, update and delete of an audited model becomes an ``AuditEvent`` in the same
transaction (an ``after_flush`` listener), so no code path can change data unaudited.
Events that are not row changes (log-in, export, import, download) use ``record``.
Fields that hold personal or secret data, or free text (which invites it), are never
copied into the trail: a change to them is recorded as "gewijzigd". An incident's event
keeps only the names of the fields that changed: never its location or time, whose exact
values stay in the incident row alone, so purging that row (retention) leaves no copy.

Every event joins a hash chain (``pilot.audit_chain``) as it is inserted;
``clear_payload`` is the one sanctioned way to change an event afterwards.
"""

import itertools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Flask, has_request_context
from flask_login import current_user
from sqlalchemy import event, insert, inspect, text, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from pilot import audit_chain, clock
from pilot.extensions import db
from pilot.models import (
    AuditEvent,
    Base,
    Boa,
    CodelijstCode,
    Dienst,
    ExtractGrant,
    Gemeente,
    Incident,
    PolitieCijfer,
    User,
)

AUDITED = (Gemeente, Boa, User, Incident, Dienst, PolitieCijfer, ExtractGrant, CodelijstCode)
SECRET_FIELDS = {
    "password_hash",
    "personeelsnummer_hmac",
    "zaaknummer_hmac",
    "opmerking",
    "intrek_reden",
    "grens_rd_wkb",
    "totp_secret",
}
# Free text of one table: a person's display name, a shift's area description.
FREE_TEXT = {"user_account": {"naam"}, "dienst": {"gebied"}}
BOOKKEEPING_FIELDS = {
    "version",
    "gewijzigd_op",
    "aangemaakt_op",
    "laatst_ingelogd_op",
    "totp_laatste_stap",
}
NEVER_LOGGED = SECRET_FIELDS | BOOKKEEPING_FIELDS
# Models whose events name the changed fields without their values (see the docstring).
NAMES_ONLY = (Incident,)
# Derived columns are named after the field a person entered.
FIELD_NAMES = {
    "lat": "locatie",
    "lon": "locatie",
    "rd_x": "locatie",
    "rd_y": "locatie",
    "tijdstip": "tijdstip",
    "lokale_datum": "tijdstip",
    "weekdag": "tijdstip",
    "tijdvak": "tijdstip",
}
UNNAMED = {"vingerafdruk"}  # a hash of moment, place, boa and conduct: follows those fields
# Payload keys that place an incident in space or time (the fingerprint hashes both); an
# older event holding one is scrubbed by the retention purge.
LOCATION_AND_TIME = frozenset(FIELD_NAMES) | UNNAMED

_record_order = itertools.count()
_cli_actor: ContextVar[tuple[int | None, str] | None] = ContextVar("cli_actor", default=None)


@contextmanager
def acting_as(name: str, user_id: int | None = None) -> Iterator[None]:
    """Name the actor for changes made outside a request (CLI commands, demo seed)."""
    token = _cli_actor.set((user_id, name))
    try:
        yield
    finally:
        _cli_actor.reset(token)


def current_actor() -> tuple[int | None, str]:
    if has_request_context() and current_user.is_authenticated:
        return current_user.id, current_user.gebruikersnaam
    return _cli_actor.get() or (None, "systeem")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return value


def _gemeente_id(obj: Base) -> int | None:
    if isinstance(obj, Gemeente):
        return obj.id
    return getattr(obj, "gemeente_id", None)


def _changes(obj: Base, new: bool) -> dict[str, Any]:
    state = inspect(obj)
    changes: dict[str, Any] = {}
    hidden = SECRET_FIELDS | FREE_TEXT.get(obj.__tablename__, set())
    for attr in state.mapper.column_attrs:
        if attr.key in NEVER_LOGGED or attr.key in hidden:
            continue
        history = state.attrs[attr.key].load_history()
        if new:
            if history.added and history.added[0] is not None:
                changes[attr.key] = _plain(history.added[0])
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            value = history.added[0] if history.added else None
            changes[attr.key] = [_plain(old), _plain(value)]
    for key in hidden & {a.key for a in state.mapper.column_attrs}:
        if not new and state.attrs[key].load_history().has_changes():
            changes[key] = "gewijzigd"
    return changes


def _action(changes: dict[str, Any]) -> str:
    withdrawn = changes.get("ingetrokken_op")
    if isinstance(withdrawn, list) and withdrawn[0] is None and withdrawn[1] is not None:
        return "intrekken"
    active = changes.get("actief")
    if isinstance(active, list) and active[0] is True and active[1] is False:
        return "deactiveren"
    return "wijzigen"


def _names_only(kind: str, changes: dict[str, Any]) -> dict[str, Any]:
    """The payload of an incident event: which fields changed, not to what."""
    if kind == "aanmaken":
        return {}
    return {"velden": sorted({FIELD_NAMES.get(n, n) for n in changes if n not in UNNAMED})}


def _after_flush(session: Session, _context) -> None:
    rows = []
    for obj, kind in (
        *((o, "aanmaken") for o in session.new),
        *((o, "wijzigen") for o in session.dirty),
        *((o, "verwijderen") for o in session.deleted),
    ):
        if not isinstance(obj, AUDITED):
            continue
        if kind == "wijzigen" and not session.is_modified(obj, include_collections=False):
            continue
        changes = {} if kind == "verwijderen" else _changes(obj, new=kind == "aanmaken")
        if kind == "wijzigen":
            if not changes:
                continue
            kind = _action(changes)
        if isinstance(obj, NAMES_ONLY):
            changes = _names_only(kind, changes)
        rows.append(
            {
                "tijdstip": clock.now(),
                "user_id": None,
                "actor": None,
                "actie": kind,
                "entiteit": obj.__tablename__,
                "entiteit_id": str(obj.id) if obj.id is not None else None,
                "gemeente_id": _gemeente_id(obj),
                "details": changes,
            }
        )
    if rows:
        user_id, actor = current_actor()
        for row in rows:
            row["user_id"], row["actor"] = user_id, actor
        connection = session.connection()
        connection.execute(insert(AuditEvent.__table__), audit_chain.link(connection, rows))


def _before_flush(session: Session, _context, _instances) -> None:
    """Link the events of ``record`` into the chain, in the order they were recorded."""
    pending = sorted(
        (o for o in session.new if isinstance(o, AuditEvent) and o.hash is None),
        key=lambda o: o.__dict__.get("_order", 0),
    )
    if not pending:
        return
    values = []
    for obj in pending:
        obj.tijdstip = obj.tijdstip or clock.now()
        obj.details = obj.details or {}
        values.append({name: getattr(obj, name) for name in (*audit_chain.META_FIELDS, "details")})
    for obj, linked in zip(pending, audit_chain.link(session.connection(), values), strict=True):
        for name in ("volgnummer", "payload_hash", "vorige_hash", "hash"):
            setattr(obj, name, linked[name])


def record(
    actie: str,
    entiteit: str,
    entiteit_id: str | None = None,
    gemeente_id: int | None = None,
    **details: Any,
) -> None:
    """Add an event that is not a row change (log-in, export, import) to the session."""
    user_id, actor = current_actor()
    event = AuditEvent(
        tijdstip=clock.now(),
        user_id=user_id,
        actor=actor,
        actie=actie,
        entiteit=entiteit,
        entiteit_id=entiteit_id,
        gemeente_id=gemeente_id,
        details={key: _plain(value) for key, value in details.items()},
    )
    event._order = next(_record_order)
    db.session.add(event)


def clear_payload(events: AuditEvent | Iterable[AuditEvent | int]) -> int:
    """Clear the ``details`` of audit events: the retention purge's only way in.

    Takes one event, or events and/or event ids. Keeps every other column, including
    ``payload_hash``, and sets ``payload_gewist_op``, so ``flask --app pilot audittrail
    verify`` still passes and counts the purged payloads. On PostgreSQL the trigger
    ``audit_event_append_only`` refuses every UPDATE and DELETE of ``audit_event`` except
    this one, recognised by the transaction-local setting ``pilot.retention_purge = 'on'``
    set here (``SET LOCAL``, switched off again before returning). Runs in the caller's
    transaction; the caller commits. Returns the number of events cleared.
    """
    items = [events] if isinstance(events, AuditEvent) else list(events)
    ids = [item.id if isinstance(item, AuditEvent) else item for item in items]
    if not ids:
        return 0
    moment = clock.now()
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL pilot.retention_purge = 'on'"))
    result = connection.execute(
        update(AuditEvent.__table__)
        .where(AuditEvent.id.in_(ids), AuditEvent.payload_gewist_op.is_(None))
        .values(details={}, payload_gewist_op=moment)
    )
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL pilot.retention_purge = 'off'"))
    for item in items:  # loaded events show the new state without another (refused) UPDATE
        if isinstance(item, AuditEvent):
            set_committed_value(item, "details", {})
            set_committed_value(item, "payload_gewist_op", moment)
    return result.rowcount


def history_of(entiteit: str, entiteit_id: int | str):
    """Select the audit events of one record, oldest first."""
    return (
        db.select(AuditEvent)
        .where(AuditEvent.entiteit == entiteit, AuditEvent.entiteit_id == str(entiteit_id))
        .order_by(AuditEvent.tijdstip, AuditEvent.id)
    )


SEARCH_YEARS = (2000, 2200)  # dates outside are clamped: no overflow, no absurd range


def _start_of_day(day: date, days: int = 0) -> datetime:
    low, high = SEARCH_YEARS
    day = min(max(day, date(low, 1, 1)), date(high, 1, 1)) + timedelta(days=days)
    return datetime.combine(day, time.min, tzinfo=clock.AMSTERDAM)


def search(
    wie: str = "",
    actie: str = "",
    van: date | None = None,
    tot: date | None = None,
    gemeente_id: int | None = None,
    entiteit: str = "",
    entiteit_id: str = "",
):
    """Select audit events matching the beheerder's filters, newest first.

    ``van``/``tot`` are dates in Amsterdam, inclusive.
    """
    query = db.select(AuditEvent).order_by(AuditEvent.volgnummer.desc())
    if wie:
        query = query.where(AuditEvent.actor == wie.strip().lower())
    if actie:
        query = query.where(AuditEvent.actie == actie.strip())
    if van is not None:
        query = query.where(AuditEvent.tijdstip >= _start_of_day(van))
    if tot is not None:
        query = query.where(AuditEvent.tijdstip < _start_of_day(tot, days=1))
    if gemeente_id is not None:
        query = query.where(AuditEvent.gemeente_id == gemeente_id)
    if entiteit:
        query = query.where(AuditEvent.entiteit == entiteit.strip())
    if entiteit_id:
        query = query.where(AuditEvent.entiteit_id == entiteit_id.strip())
    return query


def init_app(app: Flask) -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
