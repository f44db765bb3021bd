"""Hotspot arithmetic: incident counts per grid cell, Getis-Ord Gi*, disclosure control.

Pure: plain data in, plain data out; no Flask request and no folium (rendering lives in
``pilot.maps.render``). The SQL runs on a Session or a Connection.

Grid
    Cells are squares in RD New (EPSG:28992) of 100, 250, 500 or 1000 m whose corners are
    multiples of the size, as in the CBS vierkantstatistieken. The grouping runs in SQL on
    ``floor((rd_x + 1e6) / size)``, the cell index shifted by 1e6 / size; SQLite has no
    portable ``floor``, so there it is ``CAST((rd_x + 1e6) / size AS INTEGER)``: CAST
    truncates toward zero, which is floor for the shifted, positive value (RD New lies well
    within ±1e6 m, and 1e6 is a multiple of every cell size). Corners are
    ``(index - 1e6 / size) * size`` in Python: exact integers.
    Covering indexes (migration 0002) let both databases read only the index.

Getis-Ord Gi*
    Study area: the occupied cells plus the empty cells that touch them (queen
    neighbourhood, the 8 surrounding cells). A cluster is thus compared with its empty
    surroundings, without spreading the test over the whole country and its water, and the
    cost grows with the data, not with the map extent. Weights: binary queen contiguity
    with the cell itself included (G*, what ``esda.G_Local(star=True, transform="B")``
    computes; ``tests/test_hotspots.py`` checks statistic and p-values against esda).
    Inference: conditional permutations with a fixed seed, in our own vectorised form of
    esda's ``crand`` for these weights (``conditional_pvalues``: milliseconds instead of
    seconds, without numba). The pseudo p-values count ties on both sides (counts tie a
    lot; esda's folded p-value would call every all-zero neighbourhood a significant cold
    spot), are made two-sided, then Benjamini–Hochberg at 5 % FDR over the occupied cells
    (the cells that get a class). Up to ``GI_PERMUTATIONS`` permutations, fewer when the
    counts take many distinct values (``MAX_SIMULATIONS``); the number is on the page.
    With fewer than ``MIN_INCIDENTS`` incidents or ``MIN_CELLS`` occupied cells the test
    is not run and the result says so.

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

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np
from sqlalchemy import BigInteger, Integer, cast, func, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from gemeenten.boundaries import to_wgs84
from pilot.codes import AFDOENING, GEDRAGING, KLEDING, LOCATIE_TYPE, TIJDVAK, gedraging_bit
from pilot.models import Incident, Rol
from pilot.services.errors import DomainError, NotFound

CELL_SIZES = (100, 250, 500, 1000)
OUTSIDER_CELL_SIZE = 500
MIN_INCIDENTS = 30
MIN_CELLS = 10
GI_PERMUTATIONS = 9999
MAX_SIMULATIONS = 2_000_000  # permutations x distinct counts kept (16 MB)
GI_SEED = 429
GI_ALPHA = 0.05
HOTSPOT, COLDSPOT, NIET_SIGNIFICANT = "hotspot", "coldspot", "niet significant"
GI_OK, GI_TE_WEINIG = "ok", "te_weinig"

_incident = Incident.__table__


@dataclass(frozen=True)
class HotspotFilter:
    """Which incidents a map counts; ``None`` or empty means no restriction."""

    van: date | None = None
    tot: date | None = None
    gemeente_ids: tuple[int, ...] = ()
    gedraging: str | None = None
    afdoening: str | None = None
    locatie_type: str | None = None
    tijdvak: str | None = None
    weekend: bool | None = None
    kleding: str | None = None

    def has_detail_filters(self) -> bool:
        return any(
            value is not None
            for value in (
                self.gedraging,
                self.afdoening,
                self.locatie_type,
                self.tijdvak,
                self.weekend,
                self.kleding,
            )
        )

    def as_dict(self) -> dict:
        """Plain values for the audit trail and the download file names."""
        return {
            "van": self.van.isoformat() if self.van else None,
            "tot": self.tot.isoformat() if self.tot else None,
            "gemeente_ids": list(self.gemeente_ids),
            "gedraging": self.gedraging,
            "afdoening": self.afdoening,
            "locatie_type": self.locatie_type,
            "tijdvak": self.tijdvak,
            "weekend": self.weekend,
            "kleding": self.kleding,
        }


@dataclass(frozen=True)
class Cell:
    """One occupied grid cell: south-west corner in RD (multiples of the size) and count."""

    x: int
    y: int
    count: int
    gemeente_id: int | None = None


# RD New coordinates lie within (-1e6, 1e6) m; shifting by 1e6, a multiple of every cell
# size, makes the value positive, where CAST (truncation) is floor.
_RD_OFFSET = 1_000_000
_KEY_BASE = 2**15  # > (1e6 + 1e6) / 100: a shifted cell index fits in 15 bits


class shifted_cell_index(FunctionElement):  # noqa: N801 -- SQL function name
    """``floor((value + 1e6) / size)`` as an integer, the same in SQLite and PostgreSQL."""

    type = Integer()
    inherit_cache = True
    name = "shifted_cell_index"


@compiles(shifted_cell_index)
def _shifted_cell_index_default(element, compiler, **kw) -> str:
    value, size = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(floor(({value} + {_RD_OFFSET}.0) / {size}) AS INTEGER)"


@compiles(shifted_cell_index, "sqlite")
def _shifted_cell_index_sqlite(element, compiler, **kw) -> str:
    value, size = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(({value} + {_RD_OFFSET}.0) / {size} AS INTEGER)"


def _size_literal(cell_size: int):
    if cell_size not in CELL_SIZES:
        raise DomainError(f"Celgrootte moet een van {CELL_SIZES} zijn.", field="cel")
    return literal_column(f"{int(cell_size)}.0")


def _conditions(flt: HotspotFilter) -> list:
    c = _incident.c
    conditions = [c.ingetrokken_op.is_(None)]
    if flt.van is not None:
        conditions.append(c.lokale_datum >= flt.van)
    if flt.tot is not None:
        conditions.append(c.lokale_datum <= flt.tot)
    if flt.gemeente_ids:
        conditions.append(c.gemeente_id.in_(flt.gemeente_ids))
    if flt.gedraging is not None:
        conditions.append(c.gedragingen.op("&")(gedraging_bit(flt.gedraging)) != 0)
    for column, value in (
        (c.afdoening, flt.afdoening),
        (c.locatie_type, flt.locatie_type),
        (c.tijdvak, flt.tijdvak),
        (c.kleding, flt.kleding),
    ):
        if value is not None:
            conditions.append(column == value)
    if flt.weekend is not None:
        conditions.append(c.weekdag >= 5 if flt.weekend else c.weekdag < 5)
    return conditions


def cell_counts(
    connection, flt: HotspotFilter, cell_size: int, per_gemeente: bool = False
) -> list[Cell]:
    """Counts per grid cell (GROUP BY in SQL), withdrawn incidents excluded.

    ``connection`` is a Session or a Connection. With ``per_gemeente`` every gemeente's
    part of a cell is a separate ``Cell``. The group key is one integer (gemeente, shifted
    column, shifted row in base 2**15): SQLite sorts to group, and sorting one integer per
    incident instead of three values is about a third faster at a million incidents.
    """
    size = _size_literal(cell_size)
    c = _incident.c
    key = shifted_cell_index(c.rd_x, size) * literal_column(str(_KEY_BASE)) + shifted_cell_index(
        c.rd_y, size
    )
    if per_gemeente:
        key = cast(c.gemeente_id, BigInteger) * literal_column(str(_KEY_BASE**2)) + key
    key = key.label("k")
    query = select(key, func.count()).where(*_conditions(flt)).group_by(key)
    cells = []
    for packed, count in connection.execute(query):
        rest, sy = divmod(int(packed), _KEY_BASE)
        gemeente_id, sx = divmod(rest, _KEY_BASE)
        cells.append(
            Cell(
                (sx - _RD_OFFSET // cell_size) * cell_size,
                (sy - _RD_OFFSET // cell_size) * cell_size,
                int(count),
                gemeente_id if per_gemeente else None,
            )
        )
    return cells


def incident_points(connection, flt: HotspotFilter) -> list[tuple[float, float]]:
    """Exact (lat, lon) of the filtered incidents: only for a coordinator's own gemeente."""
    c = _incident.c
    rows = connection.execute(select(c.lat, c.lon).where(*_conditions(flt)))
    return [(round(lat, 5), round(lon, 5)) for lat, lon in rows]


# --- Getis-Ord Gi* -----------------------------------------------------------------------


@dataclass(frozen=True)
class GiResult:
    status: str
    melding: str
    klassen: dict[tuple[int, int], str] = field(default_factory=dict)

    def klasse(self, x: int, y: int) -> str:
        return self.klassen.get((x, y), NIET_SIGNIFICANT)

    @property
    def aantal_hotspots(self) -> int:
        return sum(1 for value in self.klassen.values() if value == HOTSPOT)

    @property
    def aantal_coldspots(self) -> int:
        return sum(1 for value in self.klassen.values() if value == COLDSPOT)


def benjamini_hochberg(pvalues: np.ndarray, alpha: float = GI_ALPHA) -> np.ndarray:
    """Which hypotheses are rejected at false-discovery rate ``alpha`` (BH step-up)."""
    p = np.asarray(pvalues, dtype=float)
    m = p.size
    if m == 0:
        return np.zeros(0, dtype=bool)
    order = np.argsort(p)
    passed = p[order] <= alpha * np.arange(1, m + 1) / m
    rejected = np.zeros(m, dtype=bool)
    if passed.any():
        rejected[order[: np.nonzero(passed)[0].max() + 1]] = True
    return rejected


_QUEEN = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if (dx, dy) != (0, 0)]


@dataclass(frozen=True)
class StudyArea:
    """Cells of the Gi* test and, per occupied cell, its queen neighbourhood."""

    values: np.ndarray  # counts of every cell in the area (occupied and empty ring)
    occupied: np.ndarray  # positions in ``values`` of the input cells, input order
    neighbour_sum: np.ndarray  # per occupied cell: sum of its 8 neighbours (itself excluded)


def study_area(ix: np.ndarray, iy: np.ndarray, counts: np.ndarray) -> StudyArea:
    """Occupied cells plus their empty queen neighbours (see the module docstring)."""
    ix = ix - ix.min() + 1
    iy = iy - iy.min() + 1
    stride = int(iy.max()) + 2
    keys = ix * stride + iy
    area = np.unique(np.concatenate([keys + dx * stride + dy for dx, dy in [(0, 0), *_QUEEN]]))
    values = np.zeros(area.size, dtype=np.int64)
    occupied = np.searchsorted(area, keys)
    values[occupied] = counts
    neighbour_sum = np.zeros(keys.size, dtype=np.int64)
    for dx, dy in _QUEEN:  # every neighbour of an occupied cell is in the area
        neighbour_sum += values[np.searchsorted(area, keys + dx * stride + dy)]
    return StudyArea(values, occupied, neighbour_sum)


def _draws(pool: int, size: int, permutations: int, rng: np.random.Generator) -> np.ndarray:
    """``permutations`` rows of ``size`` distinct indices in ``range(pool)``, uniform.

    Rows with a repeated index are drawn again (rejection keeps every ordered tuple of
    distinct indices equally likely); a small pool is shuffled instead.
    """
    if pool <= 8 * size:
        return np.argsort(rng.random((permutations, pool)), axis=1)[:, :size]
    ids = rng.integers(0, pool, (permutations, size))
    while True:
        ordered = np.sort(ids, axis=1)
        repeated = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
        if not repeated.any():
            return ids
        ids[repeated] = rng.integers(0, pool, (int(repeated.sum()), size))


def conditional_pvalues(
    area: StudyArea, permutations: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Pseudo p-values (hot, cold) of Gi* by conditional permutation, per occupied cell.

    Binary weights with the cell itself included: Gi* of cell i is (x_i + N_i) / sum(x),
    where N_i is the sum of its 8 queen neighbours (every occupied cell has all 8 in the
    study area). Conditional randomisation keeps x_i and draws 8 of the other n - 1 values
    without replacement, so Gi* is as extreme as observed exactly when the drawn sum is as
    extreme as N_i; all sums are integers, so ties are exact and counted on both sides.

    As in esda's ``crand`` one set of index draws is shared by all cells. The pool of cell
    i is the sorted values with one copy of x_i removed: index r picks ``sorted[r]`` below
    the removed position and ``sorted[r + 1]`` from it on. So a drawn sum is the sum over
    the full sorted array plus, for each draw at or past the removed position, the step
    ``sorted[r + 1] - sorted[r]``, which is non-zero only at the last copy of a value; a
    cumulative sum over the distinct values gives every cell's simulated sums at once.
    The cost grows with permutations x distinct counts, not with permutations x cells.
    """
    rng = np.random.default_rng(seed)
    ordered = np.sort(area.values)
    distinct, first = np.unique(ordered, return_index=True)
    ids = _draws(ordered.size - 1, len(_QUEEN), permutations, rng)
    base = ordered[ids].sum(axis=1)
    step = (ordered[ids + 1] - ordered[ids]).ravel()
    value_index = np.searchsorted(first, ids, side="right").ravel() - 1
    column = np.repeat(np.arange(permutations), ids.shape[1])
    shifts = np.bincount(
        value_index * permutations + column,
        weights=step,
        minlength=distinct.size * permutations,
    ).reshape(distinct.size, permutations)
    shifts = np.cumsum(shifts[::-1], axis=0)[::-1]  # steps of draws at or past each value
    own = np.searchsorted(distinct, area.values[area.occupied])
    groups, group_of = np.unique(own, return_inverse=True)
    sims = (base + shifts[groups]).astype(np.int64)
    sims.sort(axis=1)
    # One search over all groups: offset each group's (sorted) sums past the previous one.
    span = int(max(sims.max(initial=0), area.neighbour_sum.max(initial=0))) + 1
    flat = (sims + np.arange(groups.size)[:, None] * span).ravel()
    key = group_of * span + area.neighbour_sum
    base_position = group_of * permutations
    at_most = np.searchsorted(flat, key, side="right") - base_position
    at_least = permutations - (np.searchsorted(flat, key, side="left") - base_position)
    return (1 + at_least) / (permutations + 1), (1 + at_most) / (permutations + 1)


def gi_star(
    cells: Iterable[Cell],
    cell_size: int,
    seed: int = GI_SEED,
    permutations: int = GI_PERMUTATIONS,
    alpha: float = GI_ALPHA,
) -> GiResult:
    """Getis-Ord Gi* classes of the occupied cells (see the module docstring)."""
    totals: dict[tuple[int, int], int] = {}
    for cell in cells:
        totals[(cell.x, cell.y)] = totals.get((cell.x, cell.y), 0) + cell.count
    incidents = sum(totals.values())
    if incidents < MIN_INCIDENTS or len(totals) < MIN_CELLS:
        return GiResult(
            GI_TE_WEINIG,
            f"Te weinig gegevens voor een hotspottoets ({incidents} incidenten in "
            f"{len(totals)} cellen; minimaal {MIN_INCIDENTS} incidenten en {MIN_CELLS} "
            "cellen). De cellen tonen alleen aantallen.",
        )
    corners = np.array(list(totals.keys()), dtype=np.int64)
    counts = np.fromiter(totals.values(), dtype=np.int64, count=len(totals))
    area = study_area(corners[:, 0] // cell_size, corners[:, 1] // cell_size, counts)
    distinct = np.unique(counts).size
    permutations = int(np.clip(MAX_SIMULATIONS // distinct, min(999, permutations), permutations))
    p_hot, p_cold = conditional_pvalues(area, permutations, seed)
    significant = benjamini_hochberg(np.minimum(1.0, 2 * np.minimum(p_hot, p_cold)), alpha)
    hot = p_hot < p_cold
    klassen = {}
    for (x, y), is_significant, is_hot in zip(totals, significant, hot, strict=True):
        if is_significant:
            klassen[(x, y)] = HOTSPOT if is_hot else COLDSPOT
    return GiResult(
        GI_OK,
        f"Getis-Ord Gi*: {sum(v == HOTSPOT for v in klassen.values())} hotspotcellen, "
        f"{sum(v == COLDSPOT for v in klassen.values())} coldspotcellen "
        f"({permutations} permutaties, FDR {alpha:.0%}).",
        klassen,
    )


# --- disclosure control and the map as plain data ------------------------------------------


@dataclass(frozen=True)
class Kijker:
    """Who looks at a map: role and, for a coordinator, their gemeente."""

    rol: Rol
    gemeente_id: int | None = None


@dataclass(frozen=True)
class KaartCel:
    x: int
    y: int
    gemeente_id: int | None
    aantal: int | None  # None when suppressed
    label: str
    klasse: str


@dataclass(frozen=True)
class HotspotKaart:
    filter: HotspotFilter
    cell_size: int
    exact: bool
    k: int
    cellen: list[KaartCel]
    gi: GiResult
    punten: list[tuple[float, float]] = field(default_factory=list)

    @property
    def downloadbare_cellen(self) -> list[KaartCel]:
        """Cells that may leave the application: never a suppressed one."""
        return [cel for cel in self.cellen if cel.aantal is not None]

    @property
    def totaal_getoond(self) -> int:
        return sum(cel.aantal or 0 for cel in self.cellen)


def sees_exact(kijker: Kijker, flt: HotspotFilter) -> bool:
    return (
        kijker.rol is Rol.COORDINATOR
        and kijker.gemeente_id is not None
        and flt.gemeente_ids == (kijker.gemeente_id,)
    )


def quarter_of(day: date) -> tuple[date, date]:
    start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    end_month = start.month + 2
    next_start = date(day.year + (end_month == 12), end_month % 12 + 1, 1)
    return start, next_start - timedelta(days=1)


def completed_quarters(first_day: date, today: date) -> list[tuple[date, date]]:
    """Completed calendar quarters from the one holding ``first_day``, newest first."""
    quarters = []
    start, end = quarter_of(first_day)
    while end < today:
        quarters.append((start, end))
        start, end = quarter_of(end + timedelta(days=1))
    return quarters[::-1]


def check_filter(kijker: Kijker, flt: HotspotFilter, cell_size: int, today: date) -> None:
    """Refuse filters a viewer may not use (see 'Disclosure control' above)."""
    if kijker.rol is Rol.COORDINATOR and not sees_exact(kijker, flt):
        raise NotFound()
    if cell_size not in CELL_SIZES:
        raise DomainError(f"Celgrootte moet een van {CELL_SIZES} zijn.", field="cel")
    if sees_exact(kijker, flt):
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
    if flt.van is None or quarter_of(flt.van) != (flt.van, flt.tot) or flt.tot >= today:
        raise DomainError("Kies een afgesloten kalenderkwartaal.", field="kwartaal")


def build_map(
    connection, flt: HotspotFilter, cell_size: int, exact: bool, k: int, seed: int = GI_SEED
) -> HotspotKaart:
    """Counts, Gi* and suppression for one map; ``exact`` only after ``check_filter``."""
    cells = cell_counts(connection, flt, cell_size, per_gemeente=not exact)
    gi = gi_star(cells, cell_size, seed=seed)
    cellen = []
    for cell in cells:
        shown = exact or cell.count >= k
        cellen.append(
            KaartCel(
                cell.x,
                cell.y,
                cell.gemeente_id,
                cell.count if shown else None,
                str(cell.count) if shown else f"<{k}",
                gi.klasse(cell.x, cell.y),
            )
        )
    points = incident_points(connection, flt) if exact else []
    return HotspotKaart(flt, cell_size, exact, k, cellen, gi, points)


def hotspot_map(
    connection, kijker: Kijker, flt: HotspotFilter, cell_size: int, k: int, today: date
) -> HotspotKaart:
    """The map a viewer may see: filter check, then counts with the right suppression."""
    check_filter(kijker, flt, cell_size, today)
    return build_map(connection, flt, cell_size, sees_exact(kijker, flt), k)


def outsider_filter(flt: HotspotFilter) -> HotspotFilter:
    """Drop every filter an outsider may not use (for building a form's defaults)."""
    return replace(HotspotFilter(), van=flt.van, tot=flt.tot, gemeente_ids=flt.gemeente_ids)


# --- cells as GeoJSON and CSV (same cells as the map, same suppression) ------------------


def cell_polygons(cellen: list[KaartCel], cell_size: int) -> np.ndarray:
    """WGS84 rings (n, 5, 2) as [lon, lat] of the cell squares, 6 decimals."""
    if not cellen:
        return np.zeros((0, 5, 2))
    x = np.array([c.x for c in cellen], dtype=float)
    y = np.array([c.y for c in cellen], dtype=float)
    s = float(cell_size)
    xs = np.stack([x, x + s, x + s, x, x], axis=1)
    ys = np.stack([y, y, y + s, y + s, y], axis=1)
    lat, lon = to_wgs84(xs.ravel(), ys.ravel())
    return np.round(np.stack([lon, lat], axis=1).reshape(-1, 5, 2), 6)


def cells_geojson(
    kaart: HotspotKaart, gemeente_codes: dict[int, str], cellen: list[KaartCel] | None = None
) -> dict:
    """A FeatureCollection of cell squares (WGS84) with count or label and Gi* class."""
    cellen = kaart.cellen if cellen is None else cellen
    rings = cell_polygons(cellen, kaart.cell_size)
    features = []
    for cel, ring in zip(cellen, rings, strict=True):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring.tolist()]},
                "properties": {
                    "gemeente": gemeente_codes.get(cel.gemeente_id, ""),
                    "x_rd": cel.x,
                    "y_rd": cel.y,
                    "celgrootte_m": kaart.cell_size,
                    "aantal": cel.aantal,
                    "label": cel.label,
                    "gi_klasse": cel.klasse,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


CSV_COLUMNS = ("gemeente", "x_rd", "y_rd", "celgrootte_m", "aantal", "gi_klasse")


def cells_csv(kaart: HotspotKaart, gemeente_codes: dict[int, str]) -> str:
    """The downloadable cells as CSV (semicolon, as Dutch spreadsheets expect)."""
    lines = [";".join(CSV_COLUMNS)]
    for cel in kaart.downloadbare_cellen:
        lines.append(
            ";".join(
                str(value)
                for value in (
                    gemeente_codes.get(cel.gemeente_id, ""),
                    cel.x,
                    cel.y,
                    kaart.cell_size,
                    cel.aantal,
                    cel.klasse,
                )
            )
        )
    return "\n".join(lines) + "\n"


def filter_labels(flt: HotspotFilter) -> dict[str, str]:
    """Dutch description of the active filters (for the page and the audit trail)."""
    labels = {}
    for name, code_list, value in (
        ("gedraging", GEDRAGING, flt.gedraging),
        ("afdoening", AFDOENING, flt.afdoening),
        ("locatie_type", LOCATIE_TYPE, flt.locatie_type),
        ("tijdvak", TIJDVAK, flt.tijdvak),
        ("kleding", KLEDING, flt.kleding),
    ):
        if value is not None:
            labels[name] = code_list.label(value)
    if flt.weekend is not None:
        labels["weekend"] = "weekend" if flt.weekend else "doordeweeks"
    return labels
