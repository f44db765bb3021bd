"""A gemeente's own report over a period that reaches into purged quarters.

The incident rows of a purged quarter are gone; its counts were frozen at the purge. For
each purged quarter that lies wholly inside the report's period, the frozen counts are
added to the figures the report counts from the remaining rows: incidents, outcome,
uniform/plain clothes (and their processen-verbaal), location type, conduct, weekday ×
time band, the data-quality counts and the 500 m map cells. Months and withdrawals cannot
be rebuilt from them (authorised boa's come from the boa register, not from incidents);
a quarter only partly inside the period is not counted at all. ``PurgedPart`` says all
this so the report can say it too.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from pilot.extensions import db
from pilot.models import FrozenCell, FrozenLeaf, FrozenQuarter, Gemeente
from pilot.quarters import parse_quarter
from pilot.services.reports.figures import PV, Figures
from pilot.services.reports.periods import Period
from pilot.services.retention.frozen import purged_before


@dataclass
class PurgedPart:
    """What a report over ``periode`` takes from the frozen quarter tables."""

    voor: date  # incidents before this day were purged
    kwartalen: list[str] = field(default_factory=list)  # counted from the frozen tables
    deels: list[str] = field(default_factory=list)  # partly in the period: not counted
    per_kwartaal: dict[str, tuple[int, int]] = field(default_factory=dict)  # incidents, pv


def add_purged(
    gemeente: Gemeente, periode: Period, figures: Figures, cells: list, cell_m: int
) -> PurgedPart | None:
    """Add the frozen counts of purged quarters inside ``periode`` to ``figures`` and
    ``cells`` ((x, y, count) map cells of ``cell_m`` m); None when nothing was purged."""
    voor = purged_before(db.session, gemeente.id)
    if voor is None or periode.van >= voor:
        return None
    part = PurgedPart(voor)
    frozen = db.session.execute(
        db.select(FrozenQuarter)
        .where(FrozenQuarter.gemeente_id == gemeente.id)
        .order_by(FrozenQuarter.kwartaal)
    ).scalars()
    for quarter in frozen:
        q = parse_quarter(quarter.kwartaal)
        if q.end < periode.van or q.start > periode.tot:
            continue
        if q.start < periode.van or q.end > periode.tot:
            part.deels.append(q.code)
            continue
        part.kwartalen.append(q.code)
        pv = _add_leaves(quarter, figures)
        part.per_kwartaal[q.code] = (quarter.incidenten, pv)
        if quarter.cel_m == cell_m:
            _add_cells(quarter, cells)
    return part


def _add_leaves(quarter: FrozenQuarter, figures: Figures) -> int:
    """Add one frozen quarter's leaves to the report's figures; its processen-verbaal."""
    leaves = db.session.execute(
        db.select(FrozenLeaf.tabel, FrozenLeaf.codes, FrozenLeaf.aantal).where(
            FrozenLeaf.frozen_quarter_id == quarter.id
        )
    ).all()
    figures.incidenten += quarter.incidenten
    added: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    pv = 0
    for tabel, codes, n in leaves:
        code, code_2, *rest = [*codes.split("|"), ""]
        if tabel == "afdoening":  # afdoening | kleding | leeftijd
            added["afdoening"][code] += n
            added["kleding"][code_2] += n
            if code == PV:
                added["kleding_pv"][code_2] += n
                pv += n
            if rest[0] == "onbekend":
                figures.leeftijd_onbekend += n
        elif tabel in ("locatie_type", "gedraging"):
            added[tabel][code] += n
        elif tabel == "weekdag_tijdvak":
            added["weekdag_tijdvak"][int(code), code_2] += n
        elif tabel == "kwaliteit":
            setattr(figures, code, getattr(figures, code) + n)
    for name, counts in added.items():
        merged = dict(getattr(figures, name))
        for key, n in counts.items():
            merged[key] = merged.get(key, 0) + n
        setattr(figures, name, merged)
    return pv


def _add_cells(quarter: FrozenQuarter, cells: list) -> None:
    counts = {(x, y): n for x, y, n in cells}
    rows = db.session.execute(
        db.select(FrozenCell.x, FrozenCell.y, FrozenCell.aantal).where(
            FrozenCell.frozen_quarter_id == quarter.id
        )
    )
    for x, y, n in rows:
        counts[x, y] = counts.get((x, y), 0) + n
    cells[:] = [(x, y, n) for (x, y), n in sorted(counts.items())]
