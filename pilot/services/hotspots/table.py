"""Hotspots a gemeente can act on: Gi* per gemeente and quarter, and the hotspot table.

Gi* compares a cell's neighbourhood with its study area. Run over every pilot cell of the
country at once, a busy city centre is compared with quiet cells hundreds of kilometres
away, and a gemeente's own pattern drowns in the national one (the national map found 2
hotspot cells in a quarter where Rotterdam's own map found 6). So the study area is one
gemeente's own cells, for every map and table: the national map is the union of the
gemeente maps, cells and classes alike.

The table lists per gemeente each cell that was a hotspot in at least one quarter, with
those quarters and the cell's count class in each (``classes.py``, the scheme of the
maps). Outsiders get the publication's quarters and counts: a class for a count shown
exactly, ``<k`` or ``×`` otherwise; the Gi* class itself is computed on the full counts,
like the maps (it says something about a neighbourhood, never a count).
"""

import threading
from dataclasses import dataclass

from pilot.quarters import Quarter
from pilot.services.disclosure.lattice import Status
from pilot.services.disclosure.publication import Publication
from pilot.services.hotspots.classes import class_of, count_classes
from pilot.services.hotspots.gistar import (
    COLDSPOT,
    GI_OK,
    GI_SEED,
    GI_TE_WEINIG,
    HOTSPOT,
    GiResult,
    gi_star,
)
from pilot.services.hotspots.grid import Cell, HotspotFilter, cell_counts

CELL_SIZE = 500
_lock = threading.Lock()
_cache: dict[tuple, dict[str, GiResult]] = {}


@dataclass(frozen=True)
class HotspotRow:
    cbs_code: str
    gemeente: str
    x: int
    y: int
    kwartalen: tuple[tuple[str, str], ...]  # (quarter code, count class as shown)

    @property
    def cel(self) -> str:
        return cell_code(self.x, self.y)


def cell_code(x: int, y: int) -> str:
    """A cell by its south-west corner in hectometres, as the CBS square codes: E1234N4567."""
    return f"E{x // 100:04d}N{y // 100:04d}"


def gi_by_quarter(publication: Publication, cbs_code: str, seed: int = GI_SEED):
    """Gi* of one gemeente per offered quarter, on its own cells (cached per data version)."""
    lattice = publication.maps.get(cbs_code)
    if lattice is None:
        return {}
    stored = getattr(publication, "gi", {}).get(cbs_code)  # older pickles have none
    if stored is not None and seed == GI_SEED:
        return stored
    key = (publication.version, publication.k, lattice.axes[0].nodes, cbs_code, seed)
    with _lock:
        found = _cache.get(key) if publication.version else None
    if found is not None:
        return found
    result = {
        quarter: gi_star(
            [Cell(x, y, n) for x, y, n in publication.map_counts(cbs_code, quarter)],
            CELL_SIZE,
            seed=seed,
        )
        for quarter in lattice.axes[0].nodes
    }
    if publication.version:
        with _lock:
            if len(_cache) > 64:
                _cache.clear()
            _cache[key] = result
    return result


def precompute_gi(publication: Publication) -> None:
    """Gi* of every gemeente and quarter into the publication, before it is shared."""
    publication.gi = {
        cbs_code: gi_by_quarter(publication, cbs_code) for cbs_code in publication.maps
    }


def outsider_table(publication: Publication, cbs_codes: list[str] | None = None):
    """The hotspot table of the publication, per gemeente (all, or those in ``cbs_codes``)."""
    classes = count_classes(publication.k, exact=False)
    rows = []
    for gemeente in publication.gemeenten:
        if cbs_codes is not None and gemeente.cbs_code not in cbs_codes:
            continue
        hot: dict[tuple[int, int], list[tuple[str, str]]] = {}
        for quarter, gi in gi_by_quarter(publication, gemeente.cbs_code).items():
            if not any(klasse == HOTSPOT for klasse in gi.klassen.values()):
                continue
            for x, y, shown in publication.map_cells(gemeente.cbs_code, quarter):
                if gi.klasse(x, y) != HOTSPOT:
                    continue
                if shown.status == Status.EXACT:
                    label = class_of(shown.value, classes).label
                else:
                    label = shown.text
                hot.setdefault((x, y), []).append((quarter, label))
        rows += [
            HotspotRow(gemeente.cbs_code, gemeente.naam, x, y, tuple(quarters))
            for (x, y), quarters in sorted(hot.items(), key=lambda item: (-len(item[1]), item[0]))
        ]
    return rows


def exact_table(connection, gemeente, quarters: list[Quarter], k: int, seed: int = GI_SEED):
    """The gemeente's own hotspot table with exact counts (its coordinator), per quarter."""
    classes = count_classes(k, exact=True)
    hot: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for quarter in quarters:
        flt = HotspotFilter(quarter.start, quarter.end, (gemeente.id,))
        cells = cell_counts(connection, flt, CELL_SIZE)
        gi = gi_star(cells, CELL_SIZE, seed=seed)
        for cell in cells:
            if gi.klasse(cell.x, cell.y) == HOTSPOT:
                label = class_of(cell.count, classes).label
                hot.setdefault((cell.x, cell.y), []).append((quarter.code, label))
    return [
        HotspotRow(gemeente.cbs_code, gemeente.naam, x, y, tuple(found))
        for (x, y), found in sorted(hot.items(), key=lambda item: (-len(item[1]), item[0]))
    ]


def national_gi(
    publication: Publication, quarter: str, cbs_codes: list[str], seed: int = GI_SEED
) -> GiResult:
    """The per-gemeente Gi* results of one quarter as one result for the national map."""
    klassen, hot, cold, too_few = {}, 0, 0, []
    for cbs_code in cbs_codes:
        gi = gi_by_quarter(publication, cbs_code, seed).get(quarter)
        if gi is None:
            continue
        if gi.status != GI_OK:
            too_few.append(next(g.naam for g in publication.gemeenten if g.cbs_code == cbs_code))
            continue
        klassen.update(gi.klassen)
        hot += sum(v == HOTSPOT for v in gi.klassen.values())
        cold += sum(v == COLDSPOT for v in gi.klassen.values())
    melding = (
        f"Getis-Ord Gi* per gemeente, met de eigen cellen als studiegebied: {hot} "
        f"hotspotcellen, {cold} coldspotcellen."
    )
    if too_few:
        melding += f" Te weinig gegevens voor de toets in: {', '.join(sorted(too_few))}."
    status = GI_OK if len(too_few) < len(cbs_codes) else GI_TE_WEINIG
    return GiResult(status, melding, klassen)
