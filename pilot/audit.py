"""The audit trail, written as a side effect of the unit of work, not from views.

Every insert, update and delete of an audited model becomes an ``AuditEvent`` in the same
transaction (an ``after_flush`` listener), so no code path can change data unaudited.
Events that are not row changes (log-in, export, import, download) use ``record``.
Fields that hold personal or secret data are never copied into the trail, and an incident's
event keeps only the names of the fields that changed: never its location or time, whose
exact values stay in the incident row alone, so purging that row (retention) leaves no copy.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from typing import Any

from flask import Flask, has_request_context
from flask_login import current_user
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from pilot import clock
from pilot.extensions import db
from pilot.models import AuditEvent, Base, Boa, Dienst, Gemeente, Incident, PolitieCijfer, User

AUDITED = (Gemeente, Boa, User, Incident, Dienst, PolitieCijfer)
SECRET_FIELDS = {
    "password_hash",
    "personeelsnummer_hmac",
    "zaaknummer_hmac",
    "opmerking",
    "intrek_reden",
    "grens_rd_wkb",
}
BOOKKEEPING_FIELDS = {"version", "gewijzigd_op", "aangemaakt_op", "laatst_ingelogd_op"}
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
    for attr in state.mapper.column_attrs:
        if attr.key in NEVER_LOGGED:
            continue
        history = state.attrs[attr.key].load_history()
        if new:
            if history.added and history.added[0] is not None:
                changes[attr.key] = _plain(history.added[0])
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            value = history.added[0] if history.added else None
            changes[attr.key] = [_plain(old), _plain(value)]
    for key in SECRET_FIELDS & {a.key for a in state.mapper.column_attrs}:
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
    user_id, actor = current_actor()
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
                "user_id": user_id,
                "actor": actor,
                "actie": kind,
                "entiteit": obj.__tablename__,
                "entiteit_id": str(obj.id) if obj.id is not None else None,
                "gemeente_id": _gemeente_id(obj),
                "details": changes,
            }
        )
    if rows:
        session.connection().execute(insert(AuditEvent.__table__), rows)


def record(
    actie: str,
    entiteit: str,
    entiteit_id: str | None = None,
    gemeente_id: int | None = None,
    **details: Any,
) -> None:
    """Add an event that is not a row change (log-in, export, import) to the session."""
    user_id, actor = current_actor()
    db.session.add(
        AuditEvent(
            user_id=user_id,
            actor=actor,
            actie=actie,
            entiteit=entiteit,
            entiteit_id=entiteit_id,
            gemeente_id=gemeente_id,
            details={key: _plain(value) for key, value in details.items()},
        )
    )


def clear_payload(event: AuditEvent) -> None:
    """Empty an event's payload, keeping who, when, what kind of change and which record.

    The one sanctioned change to a stored event (retention purge). Stand-in until the
    hash chain of issue 12 brings its own version, which keeps a hash of the payload.
    """
    event.details = {}


def history_of(entiteit: str, entiteit_id: int | str):
    """Select the audit events of one record, oldest first."""
    return (
        db.select(AuditEvent)
        .where(AuditEvent.entiteit == entiteit, AuditEvent.entiteit_id == str(entiteit_id))
        .order_by(AuditEvent.tijdstip, AuditEvent.id)
    )


def init_app(app: Flask) -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
