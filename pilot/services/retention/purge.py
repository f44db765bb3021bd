"""A purge of incident-level data before a quarter boundary, per gemeente or for all.

In one transaction: freeze the counts the outsider publication needs for every newly
purged gemeente-quarter (the same ``count_leaves`` the publication reads incident rows
with), clear the payload of the purged incidents' audit events and of any older incident
event that still holds a location or time, delete the incident rows (withdrawn ones too),
and record one audit event per gemeente with counts only. After the commit the gemeente's
unconfirmed uploads are removed (they are kept in the database). Nothing else on the server keeps
incident-level data: exports are built in a temporary folder and streamed, and the CLI
writes its exports where the operator chooses.

The boundary is the first day of a quarter, at most the first day of the current quarter,
so only completed quarters are purged and each purged quarter is frozen whole.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from sqlalchemy import delete, insert, select

from pilot import audit
from pilot.extensions import db
from pilot.models import AuditEvent, FrozenCell, FrozenLeaf, FrozenQuarter, Gemeente, Incident
from pilot.quarters import Quarter, quarter_of, quarters_between
from pilot.services.disclosure.publication import MAP_CELL_M, LeafCounts, breakdowns, count_leaves
from pilot.services.errors import DomainError
from pilot.services.imports.uploads import discard_pending, pending_uploads
from pilot.services.retention.frozen import frozen_quarter_codes

NOT_A_BOUNDARY = "Kies de eerste dag van een kwartaal (1 januari, 1 april, 1 juli of 1 oktober)."


@dataclass
class GemeentePurge:
    """What a purge removes (or removed) for one gemeente."""

    gemeente: Gemeente
    kwartalen: list[Quarter]  # quarters frozen by this purge
    incidenten: int
    auditgebeurtenissen: int  # events whose payload is cleared
    uploads: int
    _incident_ids: list[int] = field(default_factory=list, repr=False)
    _events: list[AuditEvent] = field(default_factory=list, repr=False)


@dataclass
class PurgePlan:
    voor: date
    gemeenten: list[GemeentePurge]

    def totaal(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.gemeenten)


def check_voor(voor: date, today: date) -> None:
    """Refuse a boundary that is not the first day of a quarter or that cuts an open one."""
    if quarter_of(voor).start != voor:
        raise DomainError(NOT_A_BOUNDARY, field="voor")
    current = quarter_of(today).start
    if voor > current:
        raise DomainError(
            f"Alleen afgesloten kwartalen kunnen worden verwijderd: kies uiterlijk "
            f"{current:%d-%m-%Y}.",
            field="voor",
        )


def boundaries(gemeenten: list[Gemeente], today: date) -> list[date]:
    """The boundaries a beheerder can choose: after each completed quarter, newest first."""
    if not gemeenten:
        return []
    first = quarter_of(min(g.pilot_start for g in gemeenten))
    current = quarter_of(today)
    return [q.start for q in reversed(quarters_between(first.start, current.start))][:-1]


def _quarters_to_freeze(gemeente: Gemeente, voor: date) -> list[Quarter]:
    last = voor - timedelta(days=1)
    if gemeente.pilot_eind is not None:
        last = min(last, gemeente.pilot_eind)
    if last < gemeente.pilot_start:
        return []
    done = frozen_quarter_codes(db.session, gemeente.id)
    return [q for q in quarters_between(gemeente.pilot_start, last) if q.code not in done]


def _events_to_clear(gemeente: Gemeente, incident_ids: set[str]) -> list[AuditEvent]:
    """Events of the purged incidents, and any incident event holding a location or time."""
    events = db.session.execute(
        select(AuditEvent).where(
            AuditEvent.entiteit == "incident", AuditEvent.gemeente_id == gemeente.id
        )
    ).scalars()
    return [
        event
        for event in events
        if event.details
        and (event.entiteit_id in incident_ids or audit.LOCATION_AND_TIME & set(event.details))
    ]


def plan_purge(gemeenten: list[Gemeente], voor: date, today: date) -> PurgePlan:
    """What a purge before ``voor`` would remove, per gemeente; nothing is changed."""
    check_voor(voor, today)
    uploads = pending_uploads()
    rows = []
    for gemeente in gemeenten:
        ids = list(
            db.session.execute(
                select(Incident.id).where(
                    Incident.gemeente_id == gemeente.id, Incident.lokale_datum < voor
                )
            ).scalars()
        )
        events = _events_to_clear(gemeente, {str(i) for i in ids})
        rows.append(
            GemeentePurge(
                gemeente,
                _quarters_to_freeze(gemeente, voor),
                len(ids),
                len(events),
                len(uploads.get(gemeente.id, [])),
                ids,
                events,
            )
        )
    return PurgePlan(voor, rows)


def purge(gemeenten: list[Gemeente], voor: date, today: date) -> PurgePlan:
    """Freeze, clear, delete and audit in one commit; then remove the pending uploads."""
    plan = plan_purge(gemeenten, voor, today)
    try:
        _freeze(plan)
        for row in plan.gemeenten:
            for event in row._events:
                audit.clear_payload(event)
            db.session.execute(
                delete(Incident.__table__).where(
                    Incident.gemeente_id == row.gemeente.id, Incident.lokale_datum < voor
                )
            )
        _record(plan)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    discard_pending({row.gemeente.id for row in plan.gemeenten})
    return plan


def _freeze(plan: PurgePlan) -> None:
    rows = [row for row in plan.gemeenten if row.kwartalen]
    if not rows:
        return
    quarters = sorted({q for row in rows for q in row.kwartalen})
    gemeenten = [row.gemeente for row in rows]
    counts = count_leaves(db.session, gemeenten, quarters)
    at = {q: i for i, q in enumerate(quarters)}
    for g, row in enumerate(rows):
        for quarter in row.kwartalen:
            _freeze_quarter(counts, g, row.gemeente, at[quarter], quarter)


def _freeze_quarter(counts: LeafCounts, g: int, gemeente: Gemeente, q: int, quarter: Quarter):
    frozen = FrozenQuarter(
        gemeente_id=gemeente.id,
        kwartaal=quarter.code,
        incidenten=int(counts.spine[g, q]),
        cel_m=MAP_CELL_M,
    )
    db.session.add(frozen)
    db.session.flush()
    leaves = []
    for breakdown in breakdowns():
        block = counts.leaves[breakdown.name][g, q]
        for index in np.argwhere(block > 0):
            codes = [axis.codes[i] for axis, i in zip(breakdown.axes, index, strict=True)]
            leaves.append(
                {
                    "frozen_quarter_id": frozen.id,
                    "tabel": breakdown.name,
                    "codes": "|".join(codes),
                    "aantal": int(block[tuple(index)]),
                }
            )
    cells = [
        {"frozen_quarter_id": frozen.id, "x": int(key.split(":")[0]),
         "y": int(key.split(":")[1]), "aantal": n}
        for (cell_q, key), n in counts.cells.get(gemeente.id, {}).items()
        if cell_q == q and n > 0
    ]  # fmt: skip
    for model, values in ((FrozenLeaf, leaves), (FrozenCell, cells)):
        if values:
            db.session.execute(insert(model.__table__), values)


def _record(plan: PurgePlan) -> None:
    for row in plan.gemeenten:
        audit.record(
            "opschonen",
            "incident",
            gemeente_id=row.gemeente.id,
            voor=plan.voor,
            kwartalen=[q.code for q in row.kwartalen],
            incidenten=row.incidenten,
            auditgebeurtenissen=row.auditgebeurtenissen,
            uploads=row.uploads,
        )
