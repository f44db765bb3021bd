"""A hotspot map as plain data: counts, Gi* classes and the viewer's disclosure rules.

Pure: plain data in, plain data out; no Flask request and no folium (rendering lives in
``pilot.hotspots.render``). The SQL runs on a Session or a Connection.

Who sees what is decided by the disclosure module (``pilot.services.disclosure``):

* a coordinator looking at their own gemeente sees exact counts and points, with every
  filter, cell size and period (``exact_map``);
* everyone else gets the outsider publication's map (``outsider_map``): 500 m cells of one
  completed quarter, per gemeente, no other filters, small counts shown as ``<k`` and the
  cells hidden to protect them (secondary suppression, together with the reports' quarter
  totals) as ``×``. Outsider maps over longer periods are not offered: two nested maps
  could be subtracted. The national map is exactly the union of the gemeente maps.

Gi* classes are computed on the full counts; a class says something about a
neighbourhood, never a count. Gi* runs per gemeente, on its own cells (``table.py``), so
the national map shows each gemeente's own hotspots.
"""

from dataclasses import dataclass

from pilot.models import Rol
from pilot.quarters import is_quarter, quarter_of
from pilot.services.cache import DerivedCache
from pilot.services.disclosure.policy import Viewer, outsider_publication, sees_exact
from pilot.services.disclosure.publication import Publication
from pilot.services.errors import DomainError, NotFound
from pilot.services.hotspots.gistar import GI_SEED, GiResult, gi_star
from pilot.services.hotspots.grid import (
    CELL_SIZES,
    HotspotFilter,
    cell_counts,
    incident_points,
)
from pilot.services.hotspots.table import national_gi

OUTSIDER_CELL_SIZE = 500
# An outsider map depends only on the publication and the quarter (and gemeenten): built
# once per publication, then every outsider viewer gets the same object.
OUTSIDER_MAPS = DerivedCache()


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
    punten: str = "[]"  # exact map only: a JSON array of [lat, lon] (``incident_points``)

    @property
    def downloadbare_cellen(self) -> list[MapCell]:
        """Cells that may leave the application: never a suppressed one."""
        return [cel for cel in self.cellen if cel.aantal is not None]


def check_filter(viewer: Viewer, flt: HotspotFilter, cell_size: int, quarters: list[str]) -> None:
    """Refuse what a viewer may not ask for; ``quarters``: the outsider quarter codes."""
    if viewer.rol is Rol.COORDINATOR and not sees_exact(viewer, flt.gemeente_ids):
        raise NotFound()
    if cell_size not in CELL_SIZES:
        raise DomainError(f"Celgrootte moet een van {CELL_SIZES} zijn.", field="cel")
    if sees_exact(viewer, flt.gemeente_ids):
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
    if (
        flt.van is None
        or not is_quarter(flt.van, flt.tot)
        or quarter_of(flt.van).code not in quarters
    ):
        raise DomainError("Kies een afgesloten kalenderkwartaal.", field="kwartaal")


def exact_map(
    connection, flt: HotspotFilter, cell_size: int, k: int, seed: int = GI_SEED
) -> HotspotMap:
    """The coordinator's own map: exact counts and points, after ``check_filter``."""
    cells = cell_counts(connection, flt, cell_size)
    gi = gi_star(cells, cell_size, seed=seed)
    cellen = [MapCell(c.x, c.y, None, c.count, str(c.count), gi.klasse(c.x, c.y)) for c in cells]
    return HotspotMap(flt, cell_size, True, k, cellen, gi, incident_points(connection, flt))


def outsider_map(publication: Publication, flt: HotspotFilter, seed: int = GI_SEED) -> HotspotMap:
    """The outsider publication's cells for one quarter (all gemeenten or the chosen ones)."""
    quarter = quarter_of(flt.van).code
    chosen = [g for g in publication.gemeenten if not flt.gemeente_ids or g.id in flt.gemeente_ids]
    gi = national_gi(publication, quarter, [g.cbs_code for g in chosen], seed)
    cellen = [
        MapCell(x, y, g.id, shown.value, shown.text, gi.klasse(x, y))
        for g in chosen
        for x, y, shown in publication.map_cells(g.cbs_code, quarter)
    ]
    return HotspotMap(flt, OUTSIDER_CELL_SIZE, False, publication.k, cellen, gi)


def hotspot_map(
    connection, viewer: Viewer, flt: HotspotFilter, cell_size: int, k: int
) -> HotspotMap:
    """The map a viewer may see: the exact map for the own gemeente, else the publication's."""
    if sees_exact(viewer, flt.gemeente_ids):
        check_filter(viewer, flt, cell_size, [])
        return exact_map(connection, flt, cell_size, k)
    publication = outsider_publication()
    check_filter(viewer, flt, cell_size, [q.code for q in publication.quarters])
    key = (flt.van, flt.tot, tuple(sorted(flt.gemeente_ids)))
    return OUTSIDER_MAPS.get(publication, key, lambda: outsider_map(publication, flt))
