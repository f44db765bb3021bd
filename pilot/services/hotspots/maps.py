"""A hotspot map as plain data: counts, Gi* classes and disclosure control for one viewer.

Pure: plain data in, plain data out; no Flask request and no folium (rendering lives in
``pilot.hotspots.render``). The SQL runs on a Session or a Connection.

Disclosure control (one place: ``check_filter`` and ``build_map``)
    Exact counts and exact points are only for a coordinator looking at their own
    gemeente. Everyone else (beheerder, evaluator, ministerie) sees cells with a count below
    k (config ``PILOT_SUPPRESSION_K``) as "<k" without the number; downloads leave them out.
    Suppression alone does not protect against differencing: if a user can get two maps
    whose cells are nested (a year and one of its quarters, 500 m and its 100 m sub-cells,
    all incidents and only the warnings, two gemeenten together and one alone, today and
    yesterday), subtracting the shown counts, knowing that an absent cell is 0, gives the
    suppressed counts. So outsiders get exactly one partition of the data:
    - one fixed cell size (500 m, the CBS standard);
    - the period is one *completed* calendar quarter (no free dates, no years, no open
      period that grows from day to day);
    - no other filters (conduct, outcome, location type, time band, weekday, clothing);
    - cells are counted per gemeente, so the national map is exactly the union of the
      per-gemeente maps (a cell on a border shows each gemeente's part separately).
    Gi* classes are computed on the full counts; a class says something about a
    neighbourhood, never a count.
"""

from dataclasses import dataclass, field
from datetime import date

from pilot.models import Rol
from pilot.quarters import is_quarter
from pilot.services.errors import DomainError, NotFound
from pilot.services.hotspots.gistar import GI_SEED, GiResult, gi_star
from pilot.services.hotspots.grid import CELL_SIZES, HotspotFilter, cell_counts, incident_points

OUTSIDER_CELL_SIZE = 500


@dataclass(frozen=True)
class Viewer:
    """Who looks at a map: role and, for a coordinator, their gemeente."""

    rol: Rol
    gemeente_id: int | None = None


@dataclass(frozen=True)
class MapCell:
    x: int
    y: int
    gemeente_id: int | None
    aantal: int | None  # None when suppressed
    label: str
    klasse: str


@dataclass(frozen=True)
class HotspotMap:
    filter: HotspotFilter
    cell_size: int
    exact: bool
    k: int
    cellen: list[MapCell]
    gi: GiResult
    punten: list[tuple[float, float]] = field(default_factory=list)

    @property
    def downloadbare_cellen(self) -> list[MapCell]:
        """Cells that may leave the application: never a suppressed one."""
        return [cel for cel in self.cellen if cel.aantal is not None]


def sees_exact(viewer: Viewer, flt: HotspotFilter) -> bool:
    return (
        viewer.rol is Rol.COORDINATOR
        and viewer.gemeente_id is not None
        and flt.gemeente_ids == (viewer.gemeente_id,)
    )


def check_filter(viewer: Viewer, flt: HotspotFilter, cell_size: int, today: date) -> None:
    """Refuse filters a viewer may not use (see 'Disclosure control' above)."""
    if viewer.rol is Rol.COORDINATOR and not sees_exact(viewer, flt):
        raise NotFound()
    if cell_size not in CELL_SIZES:
        raise DomainError(f"Celgrootte moet een van {CELL_SIZES} zijn.", field="cel")
    if sees_exact(viewer, flt):
        return
    if cell_size != OUTSIDER_CELL_SIZE:
        raise DomainError(
            f"Buiten de eigen gemeente is alleen het raster van {OUTSIDER_CELL_SIZE} m "
            "beschikbaar.",
            field="cel",
        )
    if flt.has_detail_filters():
        raise DomainError(
            "Buiten de eigen gemeente kan alleen op kwartaal en gemeente worden gefilterd.",
            field="__all__",
        )
    if flt.van is None or not is_quarter(flt.van, flt.tot) or flt.tot >= today:
        raise DomainError("Kies een afgesloten kalenderkwartaal.", field="kwartaal")


def build_map(
    connection, flt: HotspotFilter, cell_size: int, exact: bool, k: int, seed: int = GI_SEED
) -> HotspotMap:
    """Counts, Gi* and suppression for one map; ``exact`` only after ``check_filter``."""
    cells = cell_counts(connection, flt, cell_size, per_gemeente=not exact)
    gi = gi_star(cells, cell_size, seed=seed)
    cellen = []
    for cell in cells:
        shown = exact or cell.count >= k
        cellen.append(
            MapCell(
                cell.x,
                cell.y,
                cell.gemeente_id,
                cell.count if shown else None,
                str(cell.count) if shown else f"<{k}",
                gi.klasse(cell.x, cell.y),
            )
        )
    points = incident_points(connection, flt) if exact else []
    return HotspotMap(flt, cell_size, exact, k, cellen, gi, points)


def hotspot_map(
    connection, viewer: Viewer, flt: HotspotFilter, cell_size: int, k: int, today: date
) -> HotspotMap:
    """The map a viewer may see: filter check, then counts with the right suppression."""
    check_filter(viewer, flt, cell_size, today)
    return build_map(connection, flt, cell_size, sees_exact(viewer, flt), k)
