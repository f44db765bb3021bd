"""The counts frozen when a gemeente's incidents of a quarter were purged, read back.

The outsider publication adds them to the counts of the incident rows (``add_frozen``),
so a purged quarter gives the same figures as before; the incident rules refuse a new
incident dated in a purged period (``purged_before``), so nothing is counted twice.
Imports only models: the publication imports this module.
"""

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import bindparam, func, select

from pilot.models import FrozenCell, FrozenLeaf, FrozenQuarter, Gemeente
from pilot.quarters import Quarter, parse_quarter

_LAST_PURGED = select(func.max(FrozenQuarter.kwartaal)).where(
    FrozenQuarter.gemeente_id == bindparam("gemeente_id")
)  # built once: every registration asks


def purged_before(connection, gemeente_id: int) -> date | None:
    """The first day whose incidents were kept: the day after the last purged quarter."""
    last = connection.execute(_LAST_PURGED, {"gemeente_id": gemeente_id}).scalar_one_or_none()
    return parse_quarter(last).end + timedelta(days=1) if last else None


def frozen_quarter_codes(connection, gemeente_id: int) -> set[str]:
    query = select(FrozenQuarter.kwartaal).where(FrozenQuarter.gemeente_id == gemeente_id)
    return set(connection.execute(query).scalars())


def add_frozen(
    connection,
    counts,
    gemeenten: Sequence[Gemeente],
    quarters: Sequence[Quarter],
    breakdowns: Sequence,
    cell_m: int,
) -> None:
    """Add the frozen counts of purged gemeente-quarters to ``counts``.

    ``counts`` is the publication's LeafCounts for ``gemeenten`` × ``quarters``; each
    breakdown's leaf array has one axis per code list of that breakdown.
    """
    gemeente_at = {g.id: i for i, g in enumerate(gemeenten)}
    quarter_at = {q.code: i for i, q in enumerate(quarters)}
    frozen = connection.execute(
        select(
            FrozenQuarter.id,
            FrozenQuarter.gemeente_id,
            FrozenQuarter.kwartaal,
            FrozenQuarter.incidenten,
            FrozenQuarter.cel_m,
        ).where(
            FrozenQuarter.gemeente_id.in_(list(gemeente_at)),
            FrozenQuarter.kwartaal.in_(list(quarter_at)),
        )
    ).all()
    if not frozen:
        return
    place = {}
    for frozen_id, gemeente_id, kwartaal, incidenten, _ in frozen:
        place[frozen_id] = (gemeente_at[gemeente_id], quarter_at[kwartaal])
        counts.spine[place[frozen_id]] += incidenten
    code_at = {
        b.name: [{c: i for i, c in enumerate(axis.codes)} for axis in b.axes] for b in breakdowns
    }
    leaves = select(
        FrozenLeaf.frozen_quarter_id, FrozenLeaf.tabel, FrozenLeaf.codes, FrozenLeaf.aantal,
    ).where(FrozenLeaf.frozen_quarter_id.in_(list(place)))  # fmt: skip
    for frozen_id, tabel, codes, aantal in connection.execute(leaves):
        positions = code_at.get(tabel)
        parts = codes.split("|")
        if positions is None or len(parts) != len(positions):
            continue  # frozen before the table had these code lists: it cannot be split
        index = tuple(positions[i][c] for i, c in enumerate(parts))
        counts.leaves[tabel][(*place[frozen_id], *index)] += aantal
    same_grid = [frozen_id for frozen_id, *_, size in frozen if size == cell_m]
    by_id = {frozen_id: gemeente_id for frozen_id, gemeente_id, *_ in frozen}
    cells = select(
        FrozenCell.frozen_quarter_id, FrozenCell.x, FrozenCell.y, FrozenCell.aantal
    ).where(FrozenCell.frozen_quarter_id.in_(same_grid))
    for frozen_id, x, y, aantal in connection.execute(cells):
        own = counts.cells.setdefault(by_id[frozen_id], {})
        key = (place[frozen_id][1], f"{x}:{y}")
        own[key] = own.get(key, 0) + aantal
