"""The outsider publication: every count anyone outside a gemeente can get, protected together.

Outsiders (beheerder, evaluator, ministerie) get figures only on one partition of time
that cannot be differenced: completed calendar quarters, closed calendar years and the
whole pilot, each the sum of its quarters. Per quarter, a gemeente's figures are the
leaves; years, the pilot, tranches and the country are sums of leaves. Every table an
outsider can get (report tables, key figures, trends, tranche and national rows, map
cells) is a set of cells of these lattices (``lattice.py``), so one secondary suppression
(``hypercube.py``) protects them together: no table total, subtotal, year or national
figure gives a hidden count back.

Rules on top of the lattice:

* A gemeente-quarter with fewer than k incidents is left out of every outsider figure,
  totals included (its quarter shows ``<k`` and nothing else; reports say how many
  quarters were left out). So every published total is k or more, or 0, and totals never
  need to be hidden.
* Breakdowns are offered per gemeente for every period; per tranche and for the country
  for the whole pilot and closed years (the outcome list also per quarter, for the trend of
  the key figures). Weekday × time band is offered as a cross table only for the whole
  pilot; per quarter and year only its two margins.
* Maps: 500 m cells per gemeente and completed quarter, the cells summing to the
  gemeente's quarter total; maps over longer periods are not offered to outsiders.
* Touching (aanrakingen, yes or no) × outcome, the aanranding question, is a plane of the
  outcome lattice, offered for the whole pilot (its interior, like weekday × time band;
  the touching total for every period). Protected in the same lattice as the outcome
  counts, the two tables cannot disagree. The touching total is also the conduct table's
  aanrakingen cell: it takes that table's status first (``Link``): exact stays exact and
  locked, suppressed stays suppressed and is protected again here (``audit.linked_findings``
  checks the two lattices together).

The publication is computed from the data and today's date only, so it is the same for
every outsider; it is cached until the data change. Its leaves come from the incident rows
and, for gemeente-quarters whose incidents were purged (retention), from the counts frozen
at the purge (``pilot.services.retention.frozen``), so a purge changes no figure.
"""

import calendar
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

import numpy as np
from sqlalchemy import and_, case, extract, func, literal_column, or_, select, true

from pilot import codes
from pilot.models import Boa, FrozenQuarter, Gemeente, Incident, PolitieCijfer
from pilot.quarters import Quarter, quarter_of, quarters_between
from pilot.services.disclosure import kept
from pilot.services.disclosure.hypercube import Direction, protect, protect_slices
from pilot.services.disclosure.labels import Shown, shown
from pilot.services.disclosure.lattice import Axis, Lattice, Status, aggregate
from pilot.services.hotspots.grid import shifted_cell_index
from pilot.services.incidenten import MINOR_AGE_BANDS
from pilot.services.retention.frozen import add_frozen

ALL = "ALL"
SUM = "SUM"
PILOT = "P"
NATIONAL = "NL"
MAP_CELL_M = 500
LATE_DAYS = 7


@dataclass(frozen=True)
class CodeAxis:
    """A category dimension of a breakdown: its codes and whether they sum to the total."""

    name: str
    codes: tuple[str, ...]
    single: bool = True  # one code per incident: the codes sum to the incident total
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()  # subtotals offered with the codes


@dataclass(frozen=True)
class Link:
    """Cells of a breakdown that are cells of an earlier lattice too (the same count).

    ``own`` and ``theirs`` are the code keys on either side. The own cells take the
    earlier lattice's status before protection; where that lattice does not offer the
    cell, it is not offered here either.
    """

    lattice: str
    own: tuple[str, ...]
    theirs: tuple[str, ...]


ALL_LEVELS = frozenset({"Q", "Y", "P"})


@dataclass(frozen=True)
class Plane:
    """A table of a breakdown that outsiders get: the code axes it splits by (the others
    are at their total), optionally only some codes of an axis, at some period levels."""

    axes: tuple[str, ...]
    only: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (axis, codes shown)
    levels: frozenset[str] = ALL_LEVELS


@dataclass(frozen=True)
class Breakdown:
    """A family of linked tables over gemeente × period × codes.

    ``planes`` are the tables outsiders get (the grand total always); ``wide`` names the
    period levels ("Q", "Y", "P") at which tranche and national cells are offered;
    ``zeros`` are code combinations that cannot occur (a rule of the incident form), which
    an outsider knows: each is a tuple of (axis, codes) conditions.
    """

    name: str
    axes: tuple[CodeAxis, ...]
    planes: tuple[Plane, ...] = ()
    wide: frozenset[str] = frozenset({"Y", "P"})
    zeros: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] = ()
    links: tuple[Link, ...] = ()

    def __post_init__(self) -> None:
        if not self.planes:  # a one-way breakdown: its codes
            object.__setattr__(self, "planes", tuple(Plane((a.name,)) for a in self.axes))


def _codes(code_list: codes.CodeList | codes.CodeListRef) -> tuple[str, ...]:
    return tuple(item.code for item in code_list.codes)


KWALITEIT = (
    "laat_geregistreerd",
    "pv_zonder_zaaknummer",
    "grens_niet_gecontroleerd",
    "geimporteerd",
)
AANRAKING = ("met", "zonder")  # incidents with and without touching (aanrakingen)
SLACHTOFFER = ("geen", "niet_doorverwezen", "doorverwezen")


def breakdowns() -> tuple[Breakdown, ...]:
    """The breakdowns over the current codebook (a code added by the beheerder is a new
    category; codes are never removed, so older incidents and frozen counts always find
    theirs). Build them once per publication and use that tuple throughout."""
    not_minor = tuple(c for c in _codes(codes.LEEFTIJD) if c not in MINOR_AGE_BANDS)
    return (
        # Outcome, clothing and age in one lattice: a reprimande is only for minors (a rule the
        # outsider knows), so reprimandes are bounded by the minors of the same period.
        Breakdown(
            "afdoening",
            (
                CodeAxis("afdoening", _codes(codes.AFDOENING)),
                CodeAxis("kleding", _codes(codes.KLEDING)),
                CodeAxis("leeftijd", _codes(codes.LEEFTIJD)),
                CodeAxis("aanraking", AANRAKING),
            ),
            planes=(
                Plane(("afdoening",)),
                Plane(("kleding",)),
                Plane(("leeftijd",)),
                Plane(("afdoening", "kleding"), only=(("afdoening", ("proces_verbaal",)),)),
                Plane(("aanraking",)),
                Plane(("aanraking", "afdoening"), levels=frozenset({"P"})),
            ),
            wide=ALL_LEVELS,
            zeros=((("afdoening", ("reprimande",)), ("leeftijd", not_minor)),),
            links=(Link("gedraging", ("ALL", "ALL", "ALL", "met"), ("aanrakingen",)),),
        ),
        Breakdown("locatie_type", (CodeAxis("locatie_type", _codes(codes.LOCATIE_TYPE)),)),
        Breakdown("kennisname", (CodeAxis("kennisname", _codes(codes.KENNISNAME)),)),
        Breakdown("rol_boa", (CodeAxis("rol_boa", _codes(codes.ROL_BOA)),)),
        Breakdown("gedraging", (CodeAxis("gedraging", _codes(codes.GEDRAGING), single=False),)),
        Breakdown(
            "weekdag_tijdvak",
            (
                CodeAxis("weekdag", _codes(codes.WEEKDAG)),
                CodeAxis("tijdvak", _codes(codes.TIJDVAK)),
            ),
            planes=(
                Plane(("weekdag",)),
                Plane(("tijdvak",)),
                Plane(("weekdag", "tijdvak"), levels=frozenset({"P"})),
            ),
        ),
        # "pv zonder zaaknummer" is not offered to outsiders: a pv without a case number is a
        # pv, so it bounds the hidden pv cells of the afdoening lattice from below (the attack
        # suite recovered them), a relation between two lattices the cube search does not model.
        Breakdown(
            "kwaliteit",
            (CodeAxis("kwaliteit", KWALITEIT, single=False),),
            planes=(
                Plane(
                    ("kwaliteit",),
                    only=(
                        (
                            "kwaliteit",
                            ("laat_geregistreerd", "grens_niet_gecontroleerd", "geimporteerd"),
                        ),
                    ),
                ),
            ),
        ),
        Breakdown(
            "slachtoffer",
            (
                CodeAxis(
                    "slachtoffer",
                    SLACHTOFFER,
                    groups=(("met_slachtoffer", ("niet_doorverwezen", "doorverwezen")),),
                ),
            ),
        ),
    )


# Police figures per gemeente and month (entered as aggregates): protected as one more
# lattice, not linked to the incidents. The measures do not sum to anything.
POLITIE = Breakdown(
    "politie",
    (CodeAxis("maat", ("meldingen", "aangiftes", "processen_verbaal"), single=False),),
)

# Incident columns read per breakdown axis (gedraging is a bit mask, kwaliteit derived).
_COLUMNS = {
    "afdoening": Incident.afdoening,
    "kleding": Incident.kleding,
    "locatie_type": Incident.locatie_type,
    "kennisname": Incident.kennisname,
    "rol_boa": Incident.rol_boa,
    "leeftijd": Incident.leeftijd_verdachten,
    "weekdag": Incident.weekdag,
    "tijdvak": Incident.tijdvak,
    "aanraking": case(
        (Incident.gedragingen.op("&")(codes.gedraging_bit("aanrakingen")) != 0, "met"),
        else_="zonder",
    ),
    "slachtoffer": case(
        (Incident.aantal_slachtoffers == 0, "geen"),
        (Incident.slachtofferhulp, "doorverwezen"),
        else_="niet_doorverwezen",
    ),
}


@dataclass(frozen=True)
class Period:
    """An outsider period: a quarter ("2025-K3"), a closed year ("2025") or the pilot."""

    key: str
    kind: str  # "Q", "Y" or "P"
    quarters: tuple[Quarter, ...]

    @property
    def van(self) -> date:
        return self.quarters[0].start

    @property
    def tot(self) -> date:
        return self.quarters[-1].end

    @property
    def label(self) -> str:
        if self.kind == "Q":
            return self.quarters[0].label
        if self.kind == "Y":
            return f"Jaar {self.key}"
        return "Hele pilot (afgesloten kwartalen)"


@dataclass
class _Rows:
    """The incident counts the publication is built from, one row per combination."""

    gemeente: np.ndarray
    quarter: np.ndarray
    count: np.ndarray
    columns: dict[str, np.ndarray]


@dataclass
class LeafCounts:
    """What the publication is built from, per gemeente × quarter (positions in the lists
    it was counted for): the incident total, each breakdown's leaves (gemeente × quarter ×
    code(s)) and the incidents per map cell."""

    spine: np.ndarray
    leaves: dict[str, np.ndarray]
    cells: dict[int, dict[tuple[int, str], int]]  # gemeente id -> (quarter, "x:y") -> count


def time_axis(gemeenten: list[Gemeente], today: date) -> tuple[list[Quarter], dict[str, Period]]:
    """Completed quarters of the pilot and the outsider periods built on them."""
    if not gemeenten:
        return [], {}
    first = min(g.pilot_start for g in gemeenten)
    ends = [g.pilot_eind for g in gemeenten]
    last_day = today if any(end is None for end in ends) else min(today, max(ends))
    quarters = [q for q in quarters_between(first, last_day) if q.end < today]
    periods: dict[str, Period] = {q.code: Period(q.code, "Q", (q,)) for q in quarters}
    pilot_quarters = set(quarters_between(first, max(last_day, first)))
    for year in sorted({q.year for q in quarters}):
        in_pilot = [q for q in pilot_quarters if q.year == year]
        if all(q in quarters for q in in_pilot):
            periods[str(year)] = Period(str(year), "Y", tuple(sorted(in_pilot)))
    if quarters:
        periods[PILOT] = Period(PILOT, "P", tuple(quarters))
    return quarters, periods


def _in_pilot(gemeente: Gemeente, quarter: Quarter) -> bool:
    return quarter.end >= gemeente.pilot_start and (
        gemeente.pilot_eind is None or quarter.start <= gemeente.pilot_eind
    )


def _dialect(connection) -> str:
    bind = connection.get_bind() if hasattr(connection, "get_bind") else connection
    return bind.dialect.name


def _registered_late(connection):
    """Registered more than LATE_DAYS days after the incident (SQL condition); imported
    records are counted apart (their creation time is the import)."""
    if _dialect(connection) == "sqlite":
        days = func.julianday(Incident.aangemaakt_op) - func.julianday(Incident.tijdstip)
        return days > LATE_DAYS
    return Incident.aangemaakt_op - Incident.tijdstip > literal_column(
        f"interval '{LATE_DAYS} days'"
    )


def _in_ranges(ranges: list[tuple[int, date, date]] | None):
    """Only the incidents of these (gemeente id, first day, last day); all when None."""
    if ranges is None:
        return true()
    c = Incident
    return or_(
        *(and_(c.gemeente_id == g, c.lokale_datum.between(van, tot)) for g, van, tot in ranges)
    )


def _incident_rows(
    connection, gemeenten: list[Gemeente], quarters: list[Quarter], ranges=None
) -> _Rows:
    """One grouped scan: counts per gemeente, month and every breakdown column."""
    index = {q: i for i, q in enumerate(quarters)}
    position = {g.id: i for i, g in enumerate(gemeenten)}
    c = Incident
    flags = {
        "laat_geregistreerd": and_(c.geimporteerd.is_(False), _registered_late(connection)),
        "pv_zonder_zaaknummer": and_(c.afdoening == "proces_verbaal", c.zaaknummer_hmac.is_(None)),
        "grens_niet_gecontroleerd": c.grens_gecontroleerd.is_(False),
        "geimporteerd": c.geimporteerd.is_(True),
    }
    keys = [
        c.gemeente_id,
        extract("year", c.lokale_datum),
        extract("month", c.lokale_datum),
        *_COLUMNS.values(),
        c.gedragingen,
        *flags.values(),
    ]
    in_period = and_(
        c.ingetrokken_op.is_(None),
        c.lokale_datum >= Gemeente.pilot_start,
        or_(Gemeente.pilot_eind.is_(None), c.lokale_datum <= Gemeente.pilot_eind),
    )
    statement = (
        select(*keys, func.count())
        .join(Gemeente, Gemeente.id == c.gemeente_id)
        .where(in_period, c.gemeente_id.in_(list(position)), _in_ranges(ranges))
        .group_by(*keys)
    )
    gemeente, quarter, count = [], [], []
    columns: dict[str, list] = {name: [] for name in [*_COLUMNS, "gedraging", *flags]}
    for row in connection.execute(statement):
        q = index.get(Quarter(int(row[1]), (int(row[2]) - 1) // 3 + 1))
        if q is None:
            continue
        gemeente.append(position[row[0]])
        quarter.append(q)
        count.append(int(row[-1]))
        for name, value in zip(columns, row[3:-1], strict=True):
            columns[name].append(value)
    return _Rows(
        np.array(gemeente, dtype=np.int64),
        np.array(quarter, dtype=np.int64),
        np.array(count, dtype=np.int64),
        {name: np.array(values, dtype=object) for name, values in columns.items()},
    )


def _code_index(values: np.ndarray, code_list: tuple[str, ...]) -> np.ndarray:
    position = {code: i for i, code in enumerate(code_list)}
    return np.array([position[str(v)] for v in values], dtype=np.int64)


def _breakdown_leaves(breakdown: Breakdown, rows: _Rows, shape: tuple[int, ...]) -> np.ndarray:
    leaves = np.zeros(shape, dtype=np.int64)
    if breakdown.name == "gedraging":
        for bit, code in enumerate(breakdown.axes[0].codes):
            has = (rows.columns["gedraging"].astype(np.int64) & codes.gedraging_bit(code)) != 0
            np.add.at(leaves, (rows.gemeente[has], rows.quarter[has], bit), rows.count[has])
        return leaves
    if breakdown.name == "kwaliteit":
        for i, code in enumerate(breakdown.axes[0].codes):
            has = rows.columns[code].astype(bool)
            np.add.at(leaves, (rows.gemeente[has], rows.quarter[has], i), rows.count[has])
        return leaves
    index = tuple(_code_index(rows.columns[axis.name], axis.codes) for axis in breakdown.axes)
    np.add.at(leaves, (rows.gemeente, rows.quarter, *index), rows.count)
    return leaves


@dataclass(frozen=True)
class GemeenteInfo:
    """What the publication keeps of a gemeente (no database object: it is cached)."""

    id: int
    cbs_code: str
    naam: str
    tranche: int
    pilot_start: date
    pilot_eind: date | None


@dataclass
class Publication:
    """Protected outsider figures for one state of the data and one 'today'."""

    k: int
    gemeenten: list[GemeenteInfo]
    quarters: list[Quarter]
    periods: dict[str, Period]
    excluded: set[tuple[str, str]]  # (cbs code, quarter code) left out: fewer than k
    lattices: dict[str, Lattice] = field(default_factory=dict)
    maps: dict[str, Lattice] = field(default_factory=dict)
    withheld: set[str] = field(default_factory=set)
    police_coverage: dict[tuple[str, str], int] = field(default_factory=dict)
    version: str = ""  # the data version it was built from (report fingerprints)
    # when it was built, and for what besides the data: database, codebook version, k, day
    # (``policy``: a recent publication stands in while the data keep changing)
    built_at: datetime | None = None
    context: str = ""
    # per lattice name: the moves that prove its suppressed cells' ranges (see hypercube)
    certificates: dict[str, list[Direction]] = field(default_factory=dict)
    # per gemeente: Gi* per quarter of its map, computed where the publication is stored
    # (``hotspots.table.precompute_gi``) so no viewer's first map waits for it
    gi: dict[str, dict] = field(default_factory=dict)

    def offered_periods(self, gemeente: Gemeente | None = None) -> list[Period]:
        """The periods an outsider may ask for (of one gemeente): pilot, years, quarters.

        Years and quarters newest first.
        """
        own = [
            p
            for p in self.periods.values()
            if gemeente is None or any(_in_pilot(gemeente, q) for q in p.quarters)
        ]
        order = {"P": 0, "Y": 1, "Q": 2}
        return sorted(own, key=lambda p: (order[p.kind], -p.van.toordinal()))

    def spine(self, unit: str, period: str) -> Shown:
        """The number of incidents of a gemeente, tranche ("T1") or the country ("NL")."""
        if (unit, period) in self.excluded:
            return Shown(Status.PRIMARY, None, self.k)
        if "afdoening" in self.withheld:
            return Shown(Status.HIDDEN, None, self.k)
        lattice = self.lattices["afdoening"]
        return self._shown(lattice, _cell(lattice, unit, period))

    def bevoegde_boas(self, unit: str, period: str) -> Shown:
        """Boa's trained and mandated on some day of the period (from the boa register);
        outsiders get them for the whole pilot only (see ``_boa_lattice``)."""
        if "boas" in self.withheld:
            return Shown(Status.HIDDEN, None, self.k)
        lattice = self.lattices["boas"]
        return self._offered_or_hidden(lattice, lattice.cell(unit, period, "bevoegd"))

    def has(self, unit: str, period: str) -> bool:
        """Whether outsiders get any figure of this unit and period (``<k`` counts too)."""
        if (unit, period) in self.excluded:
            return True
        lattice = self.lattices["afdoening"]
        return bool(lattice.offered[_cell(lattice, unit, period)])

    def figure(self, breakdown: str, unit: str, period: str, *codes_: str) -> Shown:
        """One cell of a breakdown; ``ALL`` for a margin (codes left out are ``ALL``)."""
        if breakdown in self.withheld or (unit, period) in self.excluded:
            return Shown(Status.HIDDEN, None, self.k)
        lattice = self.lattices[breakdown]
        return self._offered_or_hidden(lattice, _cell(lattice, unit, period, *codes_))

    def politie(self, unit: str, period: str, maat: str) -> Shown:
        """A police figure summed over the months of the period that have one."""
        if POLITIE.name in self.withheld:
            return Shown(Status.HIDDEN, None, self.k)
        lattice = self.lattices[POLITIE.name]
        return self._shown(lattice, lattice.cell(unit, period, maat))

    def politie_months(self, unit: str, period: str) -> int:
        """How many gemeente-months of the period have police figures (coverage, exact)."""
        return self.police_coverage.get((unit, period), 0)

    def rows(self):
        """Every offered cell, as (tabel, eenheid, periode, codes, Shown): the whole outsider
        publication in one list (the CSV download and the attack tests use it). ``codes``
        names each code axis and its code, e.g. ``afdoening=proces_verbaal|kleding=ALL``."""
        for name, lattice in self.lattices.items():
            if name in self.withheld:
                continue
            for index in zip(*np.nonzero(lattice.offered), strict=True):
                unit = lattice.axes[0].nodes[index[0]]
                period = lattice.axes[1].nodes[index[1]]
                if (unit, period) in self.excluded and name not in (POLITIE.name, "boas"):
                    continue
                codes_ = "|".join(
                    f"{axis.name}={axis.nodes[i]}"
                    for axis, i in zip(lattice.axes[2:], index[2:], strict=True)
                )
                yield name, unit, period, codes_, self._shown(lattice, index)
        for unit, period in sorted(self.excluded):
            yield "incidenten", unit, period, "", Shown(Status.PRIMARY, None, self.k)
        for cbs_code, lattice in self.maps.items():
            time_axis_, cell_axis = lattice.axes
            for q, quarter in enumerate(time_axis_.nodes):
                for i, key in enumerate(cell_axis.nodes[: cell_axis.leaf_count]):
                    if lattice.values[q, i] > 0 and lattice.offered[q, i]:
                        cell = shown(Status(lattice.status[q, i]), lattice.values[q, i], self.k)
                        yield "kaart_500m", cbs_code, quarter, f"cel={key}", cell

    def _offered_or_hidden(self, lattice: Lattice, cell: tuple[int, ...]) -> Shown:
        """A cell outsiders do not get (a figure of a table they are not offered) is HIDDEN."""
        if not lattice.offered[cell]:
            return Shown(Status.HIDDEN, None, self.k)
        return self._shown(lattice, cell)

    def _shown(self, lattice: Lattice, cell: tuple[int, ...]) -> Shown:
        if not lattice.offered[cell]:
            raise KeyError(f"{lattice.name}: cell {cell} is not offered to outsiders")
        return shown(Status(lattice.status[cell]), lattice.values[cell], self.k)

    def map_cells(self, cbs_code: str, quarter: str) -> list[tuple[int, int, Shown]]:
        """The occupied 500 m cells (south-west corner in RD) of one gemeente and quarter."""
        lattice = self.maps.get(cbs_code)
        if lattice is None or (cbs_code, quarter) in self.excluded:
            return []
        time_axis_, cell_axis = lattice.axes
        if quarter not in time_axis_.nodes:
            return []
        q = time_axis_.index(quarter)
        result = []
        for i, key in enumerate(cell_axis.nodes[: cell_axis.leaf_count]):
            if lattice.values[q, i] > 0 and lattice.offered[q, i]:
                x, y = (int(part) for part in key.split(":"))
                result.append(
                    (x, y, shown(Status(lattice.status[q, i]), lattice.values[q, i], self.k))
                )
        return result

    def map_counts(self, cbs_code: str, quarter: str) -> list[tuple[int, int, int]]:
        """Exact counts of the same cells, for the Gi* test only: they never leave the server."""
        lattice = self.maps.get(cbs_code)
        if lattice is None or (cbs_code, quarter) in self.excluded:
            return []
        time_axis_, cell_axis = lattice.axes
        if quarter not in time_axis_.nodes:
            return []
        q = time_axis_.index(quarter)
        result = []
        for i, key in enumerate(cell_axis.nodes[: cell_axis.leaf_count]):
            if lattice.values[q, i] > 0 and lattice.offered[q, i]:
                x, y = (int(part) for part in key.split(":"))
                result.append((x, y, int(lattice.values[q, i])))
        return result

    @cached_property
    def units(self) -> list[str]:
        return [g.cbs_code for g in self.gemeenten]


def _cell(lattice: Lattice, unit: str, period: str, *codes_: str) -> tuple[int, ...]:
    """A cell by its keys; code axes not named (the last ones) at ``ALL``."""
    rest = (ALL,) * (len(lattice.axes) - 2 - len(codes_))
    return lattice.cell(unit, period, *codes_, *rest)


def _unit_axis(gemeenten: list[Gemeente]) -> Axis:
    tranches: dict[str, list[str]] = {}
    for g in gemeenten:
        tranches.setdefault(f"T{g.tranche}", []).append(g.cbs_code)
    groups = {key: members for key, members in sorted(tranches.items())}
    groups[NATIONAL] = [g.cbs_code for g in gemeenten]
    return Axis.build("gemeente", [g.cbs_code for g in gemeenten], groups)


def _period_axis(quarters: list[Quarter], periods: dict[str, Period]) -> Axis:
    groups = {key: [q.code for q in p.quarters] for key, p in periods.items() if p.kind != "Q"}
    return Axis.build("periode", [q.code for q in quarters], groups)


def _code_axis(axis: CodeAxis) -> Axis:
    groups = {key: list(members) for key, members in axis.groups}
    groups[ALL if axis.single else SUM] = list(axis.codes)
    return Axis.build(axis.name, list(axis.codes), groups)


def _code_block(breakdown: Breakdown, code_axes: list[Axis], kind: str) -> np.ndarray:
    """Which code cells of one gemeente/tranche-period are offered: the planes + the total."""
    shape = tuple(len(a) for a in code_axes)
    block = np.zeros(shape, dtype=bool)
    total = tuple(a.index(ALL) if ALL in a.nodes else None for a in code_axes)
    if all(i is not None for i in total):
        block[total] = True
    for plane in breakdown.planes:
        if kind not in plane.levels:
            continue
        only = dict(plane.only)
        index = []
        for axis, spec in zip(code_axes, breakdown.axes, strict=True):
            if spec.name in plane.axes:
                groups = tuple(key for key, _ in spec.groups)
                shown = only.get(spec.name, axis.nodes[: axis.leaf_count] + groups)
                index.append([axis.index(code) for code in shown])
            elif ALL in axis.nodes:
                index.append([axis.index(ALL)])
            else:
                index.append([])
        block[np.ix_(*index)] = True
    return block


def _structural_zeros(breakdown: Breakdown, code_axes: list[Axis]) -> np.ndarray:
    """Code cells that are zero by a rule of the incident form (``Breakdown.zeros``)."""
    shape = tuple(len(a) for a in code_axes)
    zero = np.zeros(shape, dtype=bool)
    names = [spec.name for spec in breakdown.axes]
    for rule in breakdown.zeros:
        index = [list(range(len(axis))) for axis in code_axes]
        for axis_name, codes_ in rule:
            axis = code_axes[names.index(axis_name)]
            index[names.index(axis_name)] = [axis.index(code) for code in codes_]
        zero[np.ix_(*index)] = True
    return zero


def _offered(
    breakdown: Breakdown,
    units: Axis,
    times: Axis,
    code_axes: list[Axis],
    gemeenten: list[Gemeente],
    quarters: list[Quarter],
    periods: dict[str, Period],
    excluded: set[tuple[str, str]],
) -> np.ndarray:
    """Which cells some outsider output shows (see the module docstring)."""
    shape = (len(units), len(times), *(len(a) for a in code_axes))
    offered = np.zeros(shape, dtype=bool)
    kinds = {p.key: p.kind for p in periods.values()}
    for u, unit in enumerate(units.nodes):
        for t, period in enumerate(times.nodes):
            kind = kinds[period]
            if units.is_leaf(u):
                gemeente = gemeenten[u]
                if kind == "Q":
                    if not _in_pilot(gemeente, quarters[t]) or (unit, period) in excluded:
                        continue
                elif not any(_in_pilot(gemeente, q) for q in periods[period].quarters):
                    continue
            elif kind not in breakdown.wide:
                continue
            offered[u, t] = _code_block(breakdown, code_axes, kind)
    return offered


def _breakdown_lattice(
    breakdown: Breakdown,
    leaves: np.ndarray,
    units: Axis,
    times: Axis,
    spine_leaves: np.ndarray,
    context: dict,
) -> Lattice:
    code_axes = [_code_axis(axis) for axis in breakdown.axes]
    leaves = leaves.copy()
    leaves[spine_leaves == 0] = 0  # excluded gemeente-quarters
    offered = _offered(breakdown, units, times, code_axes, **context)
    spine = aggregate((units, times), spine_leaves)
    extra = (1,) * len(code_axes)
    total = spine.reshape(spine.shape + extra)
    shape = offered.shape
    locked = np.zeros(shape, dtype=bool)
    if all(axis.single for axis in breakdown.axes):
        corner = (slice(None), slice(None), *(a.index(ALL) for a in code_axes))
        locked[corner] = offered[corner]
    upper = np.broadcast_to(total, shape).copy()
    lower = np.zeros(shape, dtype=np.int64)
    for a, axis in enumerate(code_axes):
        if SUM in axis.nodes:
            index = [slice(None), slice(None)] + [slice(None)] * len(code_axes)
            index[2 + a] = axis.index(SUM)
            if breakdown.name == "gedraging":  # every incident has at least one conduct
                lower[tuple(index)] = np.broadcast_to(total, shape)[tuple(index)]
            upper[tuple(index)] = np.broadcast_to(total, shape)[tuple(index)] * axis.leaf_count
    upper[:, :, _structural_zeros(breakdown, code_axes)] = 0
    return Lattice(
        breakdown.name, (units, times, *code_axes), leaves, offered, locked, upper, lower
    )


def _protected(breakdown, leaves, units, times, spine_leaves, context, k, lattices):
    """A breakdown's lattice after primary and secondary suppression, and whether some
    cell could not be protected (then what it belongs to is withheld), and the certificate
    directions of the protection."""
    lattice = _breakdown_lattice(breakdown, leaves, units, times, spine_leaves, context)
    lattice.mark_primary(k)
    _apply_links(lattice, breakdown, lattices)
    linked = _linked_status(lattice, breakdown)
    protection = protect(lattice, k)
    unprotected = bool(protection.unprotected)
    # a linked cell that could not keep its status here is not protected as it is there
    after = _linked_status(lattice, breakdown)
    unprotected |= any(not np.array_equal(a, b) for a, b in zip(linked, after, strict=True))
    return lattice, unprotected, protection.directions


def _link_index(lattice: Lattice, keys: tuple[str, ...]) -> tuple:
    return (slice(None), slice(None), *(
        axis.index(code) for axis, code in zip(lattice.axes[2:], keys, strict=True)
    ))  # fmt: skip


def _apply_links(lattice: Lattice, breakdown: Breakdown, lattices: dict[str, Lattice]) -> None:
    """Linked cells take the earlier lattice's status (see ``Link``); exact ones are locked."""
    for link in breakdown.links:
        source = lattices[link.lattice]
        mine, theirs = _link_index(lattice, link.own), _link_index(source, link.theirs)
        if not np.array_equal(lattice.values[mine], source.values[theirs]):
            raise ValueError(f"{lattice.name}: linked cells differ from {source.name}")
        offered = lattice.offered[mine] & source.offered[theirs]
        lattice.offered[mine] = offered
        lattice.status[mine] = np.where(offered, source.status[theirs], Status.HIDDEN)
        lattice.locked[mine] = offered & (source.status[theirs] == Status.EXACT)


def _linked_status(lattice: Lattice, breakdown: Breakdown) -> list[np.ndarray]:
    return [lattice.status[_link_index(lattice, link.own)].copy() for link in breakdown.links]


def linked_lattices(publication: Publication):
    """Every protected lattice and the cells they share (``Link``), for the joint audit
    (``audit.linked_findings``)."""
    lattices = list(publication.lattices.values())
    position = {lattice.name: i for i, lattice in enumerate(lattices)}
    links = []
    for breakdown in breakdowns():
        mine = publication.lattices[breakdown.name]
        for link in breakdown.links:
            source = publication.lattices[link.lattice]
            own = [a.index(c) for a, c in zip(mine.axes[2:], link.own, strict=True)]
            theirs = [a.index(c) for a, c in zip(source.axes[2:], link.theirs, strict=True)]
            for u in range(mine.shape[0]):
                for t in range(mine.shape[1]):
                    links.append(
                        (position[mine.name], (u, t, *own), position[source.name], (u, t, *theirs))
                    )
    return lattices, links


def _boa_lattice(connection, gemeenten, periods: dict[str, Period], units: Axis, context: dict):
    """Authorised boa's (trained, mandate valid on some day) per gemeente and period.

    A boa counts once per period, so a year is not the sum of its quarters: every period
    is a leaf of its own; tranches and the country are sums of their gemeenten. Between
    periods an outsider still knows inequalities (a year has at least the boa's of each of
    its quarters, at most their sum), which the cube search cannot model; so outsiders get
    the count of one period only, the whole pilot (the attack suite narrowed a quarter's
    ``<k`` from the other periods).
    """
    position = {g.id: i for i, g in enumerate(gemeenten)}
    keys = list(periods)
    times = Axis.build("periode", keys, {})
    leaves = np.zeros((units.leaf_count, len(keys), 1), dtype=np.int64)
    rows = connection.execute(
        select(Boa.gemeente_id, Boa.opleidingsdatum, Boa.mandaat_start, Boa.mandaat_eind).where(
            Boa.opleidingsdatum.is_not(None), Boa.mandaat_start.is_not(None)
        )
    ).all()
    for gemeente_id, trained, start, end in rows:
        g = position.get(gemeente_id)
        if g is None:
            continue
        for t, key in enumerate(keys):
            period = periods[key]
            if trained <= period.tot and start <= period.tot and (end is None or end >= period.van):
                leaves[g, t, 0] += 1
    code_axis = Axis.build("boas", ["bevoegd"], {})
    shape = (len(units), len(times), 1)
    offered = np.zeros(shape, dtype=bool)
    for u in range(len(units)):
        for t, key in enumerate(keys):
            if periods[key].kind != "P":
                continue
            if units.is_leaf(u):
                offered[u, t, 0] = any(_in_pilot(gemeenten[u], q) for q in periods[key].quarters)
            else:
                offered[u, t, 0] = True
    return Lattice("boas", (units, times, code_axis), leaves, offered, np.zeros(shape, bool))


def _month_in_pilot(gemeente, maand: date) -> bool:
    last_day = date(maand.year, maand.month, calendar.monthrange(maand.year, maand.month)[1])
    return last_day >= gemeente.pilot_start and (
        gemeente.pilot_eind is None or maand <= gemeente.pilot_eind
    )


def _police_lattice(connection, gemeenten, quarters, units: Axis, times: Axis, context: dict):
    """Police figures per gemeente × quarter × measure, with coverage per gemeente-period."""
    index = {q: i for i, q in enumerate(quarters)}
    position = {g.id: i for i, g in enumerate(gemeenten)}
    measures = POLITIE.axes[0].codes
    leaves = np.zeros((units.leaf_count, times.leaf_count, len(measures)), dtype=np.int64)
    months = np.zeros((units.leaf_count, times.leaf_count), dtype=np.int64)
    statement = select(
        PolitieCijfer.gemeente_id,
        PolitieCijfer.maand,
        PolitieCijfer.meldingen,
        PolitieCijfer.aangiftes,
        PolitieCijfer.processen_verbaal,
    )
    for gemeente_id, maand, *values in connection.execute(statement):
        g, q = position.get(gemeente_id), index.get(quarter_of(maand))
        if g is None or q is None or not _month_in_pilot(gemeenten[g], maand):
            continue
        months[g, q] += 1
        for m, value in enumerate(values):
            leaves[g, q, m] += value or 0
    code_axes = [_code_axis(POLITIE.axes[0])]
    # Police figures do not depend on the incident counts: a gemeente-quarter left out of
    # the incident figures keeps its (protected) police figures, else the year would give
    # them back.
    offered = _offered(POLITIE, units, times, code_axes, **{**context, "excluded": set()})
    lattice = Lattice(
        POLITIE.name,
        (units, times, *code_axes),
        leaves,
        offered,
        np.zeros(offered.shape, dtype=bool),
    )
    coverage = aggregate((units, times), months)
    return lattice, coverage


def _map_rows(connection, gemeenten: list[Gemeente], quarters: list[Quarter], ranges=None):
    """Incident counts per gemeente, quarter and 500 m cell."""
    index = {q: i for i, q in enumerate(quarters)}
    c = Incident
    size = literal_column(f"{MAP_CELL_M}.0")
    keys = [
        c.gemeente_id,
        extract("year", c.lokale_datum),
        extract("month", c.lokale_datum),
        shifted_cell_index(c.rd_x, size),
        shifted_cell_index(c.rd_y, size),
    ]
    in_period = and_(
        c.ingetrokken_op.is_(None),
        c.lokale_datum >= Gemeente.pilot_start,
        or_(Gemeente.pilot_eind.is_(None), c.lokale_datum <= Gemeente.pilot_eind),
    )
    statement = (
        select(*keys, func.count())
        .join(Gemeente, Gemeente.id == c.gemeente_id)
        .where(in_period, c.gemeente_id.in_([g.id for g in gemeenten]), _in_ranges(ranges))
        .group_by(*keys)
    )
    offset = 1_000_000 // MAP_CELL_M
    counts: dict[int, dict[tuple[int, str], int]] = {}
    for gemeente_id, year, month, sx, sy, n in connection.execute(statement):
        q = index.get(Quarter(int(year), (int(month) - 1) // 3 + 1))
        if q is None:
            continue
        key = f"{(int(sx) - offset) * MAP_CELL_M}:{(int(sy) - offset) * MAP_CELL_M}"
        cells = counts.setdefault(gemeente_id, {})
        cells[(q, key)] = cells.get((q, key), 0) + int(n)
    return counts


def _map_lattice(gemeente: Gemeente, cells: dict[tuple[int, str], int], quarters, offered_q):
    keys = sorted({key for _, key in cells})
    quarter_codes = [quarters[q].code for q in offered_q]
    times = Axis.build("kwartaal", quarter_codes, {})
    cell_axis = Axis.build("cel", keys, {ALL: keys})
    leaves = np.zeros((len(quarter_codes), len(keys)), dtype=np.int64)
    position = {q: i for i, q in enumerate(offered_q)}
    column = {key: i for i, key in enumerate(keys)}
    for (q, key), n in cells.items():
        if q in position:
            leaves[position[q], column[key]] += n
    shape = (len(times), len(cell_axis))
    offered = np.ones(shape, dtype=bool)
    locked = np.zeros(shape, dtype=bool)
    locked[:, cell_axis.index(ALL)] = True
    lattice = Lattice(f"kaart {gemeente.cbs_code}", (times, cell_axis), leaves, offered, locked)
    lattice.upper = np.broadcast_to(lattice.values[:, [cell_axis.index(ALL)]], shape).copy()
    return lattice


def count_leaves(connection, gemeenten: list[Gemeente], quarters: list[Quarter]) -> LeafCounts:
    """The leaf counts of the live incidents (the data-reading part of the publication).

    Read from the counts kept on write (``kept.py``) for every month wholly inside a
    gemeente's pilot; the incident rows only of the months a pilot starts or ends in
    (usually none: pilots start on the first of a month). Equal to
    ``count_leaves_from_incidents`` (the tests compare them).
    """
    partial = [(g.id, van, tot) for g in gemeenten for van, tot in kept.partial_months(g)]
    index = {q: i for i, q in enumerate(quarters)}
    position = {g.id: i for i, g in enumerate(gemeenten)}
    counted = {g.id: kept.kept_month(g) for g in gemeenten}
    by_kind: dict[str, tuple[list, list, list, list]] = {}
    cells: dict[int, dict[tuple[int, str], int]] = {}
    for gemeente_id, maand, soort, sleutel, aantal in kept.read(connection, list(position)):
        q = index.get(quarter_of(maand))
        if q is None or not counted[gemeente_id](maand):
            continue
        if soort == kept.CELL:
            key = (q, sleutel)
            own = cells.setdefault(gemeente_id, {})
            own[key] = own.get(key, 0) + aantal
            continue
        gemeente_, quarter_, count_, parts = by_kind.setdefault(soort, ([], [], [], []))
        gemeente_.append(position[gemeente_id])
        quarter_.append(q)
        count_.append(aantal)
        parts.append(sleutel.split("|"))
    rows = [
        _Rows(
            np.array(g, dtype=np.int64),
            np.array(q, dtype=np.int64),
            np.array(n, dtype=np.int64),
            kept.columns(soort, parts),
        )
        for soort, (g, q, n, parts) in by_kind.items()
    ]
    counts = _leaf_counts(rows, gemeenten, quarters, cells)
    if partial:
        _add_counts(counts, count_leaves_from_incidents(connection, gemeenten, quarters, partial))
    return counts


def count_leaves_from_incidents(
    connection, gemeenten: list[Gemeente], quarters: list[Quarter], ranges=None
) -> LeafCounts:
    """The leaf counts read from the incident rows (of ``ranges`` only, when given)."""
    rows = _incident_rows(connection, gemeenten, quarters, ranges)
    cells = _map_rows(connection, gemeenten, quarters, ranges)
    return _leaf_counts([rows], gemeenten, quarters, cells)


def _leaf_counts(rows: list[_Rows], gemeenten, quarters, cells) -> LeafCounts:
    """Spine and breakdown leaves from row sets that each carry some breakdown columns."""
    spine = np.zeros((len(gemeenten), len(quarters)), dtype=np.int64)
    leaves = {}
    for b in breakdowns():
        needed = _needed_columns(b)
        shape = (len(gemeenten), len(quarters), *(len(axis.codes) for axis in b.axes))
        source = next((r for r in rows if needed <= r.columns.keys()), None)
        empty = source is None
        leaves[b.name] = np.zeros(shape, np.int64) if empty else _breakdown_leaves(b, source, shape)
    if rows:
        first = next((r for r in rows if "afdoening" in r.columns), rows[0])
        np.add.at(spine, (first.gemeente, first.quarter), first.count)
    return LeafCounts(spine, leaves, cells)


def _needed_columns(breakdown: Breakdown) -> set[str]:
    if breakdown.name == "gedraging":
        return {"gedraging"}
    if breakdown.name == "kwaliteit":
        return set(KWALITEIT)
    return {axis.name for axis in breakdown.axes}


def _add_counts(counts: LeafCounts, more: LeafCounts) -> None:
    counts.spine += more.spine
    for name, leaves in more.leaves.items():
        counts.leaves[name] += leaves
    for gemeente_id, own in more.cells.items():
        mine = counts.cells.setdefault(gemeente_id, {})
        for key, n in own.items():
            mine[key] = mine.get(key, 0) + n


def build_publication(connection, gemeenten: list[Gemeente], k: int, today: date) -> Publication:
    """Count, suppress and protect every outsider figure (see the module docstring)."""
    gemeenten = sorted(
        (
            GemeenteInfo(g.id, g.cbs_code, g.naam, g.tranche, g.pilot_start, g.pilot_eind)
            for g in gemeenten
        ),
        key=lambda g: (g.tranche, g.cbs_code),
    )
    quarters, periods = time_axis(gemeenten, today)
    publication = Publication(k, gemeenten, quarters, periods, set())
    if not quarters:
        return publication
    tables = breakdowns()  # the same tuple as count_leaves' within this app context
    counts = count_leaves(connection, gemeenten, quarters)
    add_frozen(connection, counts, gemeenten, quarters, tables, MAP_CELL_M)
    units, times = _unit_axis(gemeenten), _period_axis(quarters, periods)
    spine_leaves = counts.spine.copy()
    for g, q in zip(*np.nonzero((spine_leaves > 0) & (spine_leaves < k)), strict=True):
        publication.excluded.add((gemeenten[g].cbs_code, quarters[q].code))
    spine_leaves[(spine_leaves > 0) & (spine_leaves < k)] = 0
    context = {
        "gemeenten": gemeenten,
        "quarters": quarters,
        "periods": periods,
        "excluded": publication.excluded,
    }
    for breakdown in sorted(tables, key=lambda b: len(b.links)):  # linked ones last
        leaves = counts.leaves[breakdown.name]
        built = (leaves, units, times, spine_leaves, context, k, publication.lattices)
        lattice, unprotected, directions = _protected(breakdown, *built)
        if unprotected:
            publication.withheld.add(breakdown.name)
        publication.lattices[breakdown.name] = lattice
        publication.certificates[lattice.name] = directions
    police, coverage = _police_lattice(connection, gemeenten, quarters, units, times, context)
    police.mark_primary(k)
    if protect(police, k).unprotected:
        publication.withheld.add(POLITIE.name)
    publication.lattices[POLITIE.name] = police
    for u, unit in enumerate(units.nodes):
        for t_, period in enumerate(times.nodes):
            publication.police_coverage[(unit, period)] = int(coverage[u, t_])
    boas = _boa_lattice(connection, gemeenten, periods, units, context)
    boas.mark_primary(k)
    if protect(boas, k).unprotected:
        publication.withheld.add("boas")
    publication.lattices["boas"] = boas
    map_counts = counts.cells
    for g, gemeente in enumerate(gemeenten):
        offered_q = [q for q in range(len(quarters)) if spine_leaves[g, q] > 0]
        if not offered_q:
            continue
        lattice = _map_lattice(gemeente, map_counts.get(gemeente.id, {}), quarters, offered_q)
        lattice.mark_primary(k)
        protection = protect_slices(lattice, k)
        for t in {t for t, _ in protection.unprotected}:
            # No cell of this quarter's map is drawn: a drawn × is at least 1, so with the
            # exact cells and the total it could be counted back.
            lattice.status[t] = Status.HIDDEN
            lattice.offered[t] = False
        publication.maps[gemeente.cbs_code] = lattice
        publication.certificates[lattice.name] = protection.directions
    return publication


def data_version(connection) -> str:
    """Changes whenever anything an outsider figure depends on changes."""
    incident = connection.execute(
        select(
            func.count(),
            func.max(Incident.gewijzigd_op),
            func.sum(Incident.id),
            func.sum(Incident.version),
        )
    ).one()
    politie = connection.execute(
        select(
            func.count(),
            func.sum(PolitieCijfer.id),
            func.sum(PolitieCijfer.meldingen),
            func.sum(PolitieCijfer.aangiftes),
            func.sum(PolitieCijfer.processen_verbaal),
        )
    ).one()
    gemeenten = connection.execute(
        select(
            Gemeente.id,
            Gemeente.cbs_code,
            Gemeente.tranche,
            Gemeente.pilot_start,
            Gemeente.pilot_eind,
        ).order_by(Gemeente.id)
    ).all()
    frozen = connection.execute(select(func.count(), func.sum(FrozenQuarter.id))).one()
    parts: Iterable = [
        codes.current().versie,
        tuple(incident),
        tuple(politie),
        tuple(frozen),
        *map(tuple, gemeenten),
    ]
    return hashlib.sha256(repr(list(parts)).encode()).hexdigest()
