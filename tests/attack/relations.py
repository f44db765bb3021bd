"""The attacker's linear program: a variable per cell, and every relation it knows.

What the attacker knows, and where from (nothing here comes from the disclosure code):

* The tables are counts of incidents per gemeente and completed quarter; a year and the
  whole pilot are the sum of their quarters; a tranche and the country the sum of their
  gemeenten (the reports' methods section says so; the tranche members are in the
  aggregate report). A gemeente-quarter the reports say was left out counts 0 everywhere
  (and only its own ``<k`` is shown); a quarter outside a gemeente's pilot has no
  incidents (each gemeente counts from its own start).
* Single-response code lists (afdoening, kleding, locatie, kennisname, rol, leeftijd,
  weekdag, tijdvak: one code per incident, ``pilot.codes``) sum to the incident total;
  the outcome × clothing and weekday × time-band tables are cross tables whose rows and
  columns sum to their margins. Cells no output shows are unknowns, at least 0.
* Conduct is multiple response: each code is at most the total, the four together at
  least the total (every incident has a conduct) and at most four times it. The
  data-quality flags are each at most the total; a proces-verbaal without case number is
  a proces-verbaal. A reprimande is only for a minor (the form's rule): reprimandes are at
  most the incidents with age band "jonger dan 18" or "gemengd".
* Police figures add up over quarters and gemeenten. Authorised boa's count a boa once
  per period: a year's count is at least each of its quarters' and at most their sum
  (likewise the pilot); tranches and the country are sums of gemeenten.
* The 500 m cells of a gemeente-quarter's map sum to its incident total; a listed cell
  has at least one incident.
* The same cell in two outputs is one variable (the figures are merged by key).
"""

import itertools
import math
from dataclasses import dataclass, field

from pilot import codes
from tests.attack.published import EXCLUDED, MAP, Cell, Label
from tests.attack.read import Reading

ALL = "ALL"
AK = "afdoening_kleding"
PV = "proces_verbaal"


def _codes(code_list: codes.CodeList) -> tuple[str, ...]:
    return tuple(item.code for item in code_list.codes)


SINGLE: dict[str, tuple[tuple[str, ...], ...]] = {
    AK: (_codes(codes.AFDOENING), _codes(codes.KLEDING)),
    "locatie_type": (_codes(codes.LOCATIE_TYPE),),
    "kennisname": (_codes(codes.KENNISNAME),),
    "rol_boa": (_codes(codes.ROL_BOA),),
    "leeftijd": (_codes(codes.LEEFTIJD),),
    "weekdag_tijdvak": (_codes(codes.WEEKDAG), _codes(codes.TIJDVAK)),
}
MULTIPLE = {"gedraging": _codes(codes.GEDRAGING), "kwaliteit": None}  # None: codes from CSV
MEASURES = "politie"
BOAS = "boas"
MINOR = ("onder_18", "gemengd")
AXIS_NAMES = ("gemeenten", "kwartalen", "codes", "codes")


@dataclass
class Target:
    """A cell whose value the attacker tries to narrow: shown hidden, or never shown."""

    cell: Cell
    label: Label | None  # None: a leaf cell no output shows


@dataclass
class Row:
    """``low <= sum(coefficient * column) <= high``, and which relation it is."""

    terms: dict[int, float]
    low: float
    high: float
    kind: str


@dataclass
class Program:
    """Columns (one per cell) with bounds, rows, and the targets."""

    cells: dict[Cell, int] = field(default_factory=dict)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    targets: dict[int, Target] = field(default_factory=dict)
    leaves: set[int] = field(default_factory=set)
    aliases: dict[Cell, Cell] = field(default_factory=dict)
    defines: dict[int, int] = field(default_factory=dict)  # aggregate column -> its row

    def var(self, cell: Cell) -> int:
        cell = self.aliases.get(cell, cell)
        if cell not in self.cells:
            self.cells[cell] = len(self.lower)
            self.lower.append(0.0)
            self.upper.append(math.inf)
        return self.cells[cell]

    def bound(self, cell: Cell, low: float, high: float) -> None:
        i = self.var(cell)
        self.lower[i] = max(self.lower[i], low)
        self.upper[i] = min(self.upper[i], high)

    def row(self, kind: str, coefficients: dict[int, float], low: float, high: float) -> int:
        self.rows.append(Row({i: c for i, c in coefficients.items() if c}, low, high, kind))
        return len(self.rows) - 1

    def equal(self, kind: str, total: Cell, parts: list[Cell], defines: bool = True) -> None:
        """total = sum(parts); ``defines``: the row that defines the total as a sum."""
        terms: dict[int, float] = {}
        for part in parts:
            i = self.var(part)
            terms[i] = terms.get(i, 0) - 1
        i = self.var(total)
        terms[i] = terms.get(i, 0) + 1
        row = self.row(kind, terms, 0, 0)
        if defines:
            self.defines[i] = row

    def at_most(self, kind: str, smaller: list[Cell], larger: list[Cell], factor: float = 1):
        """sum(smaller) <= factor * sum(larger)."""
        terms: dict[int, float] = {}
        for cell in smaller:
            i = self.var(cell)
            terms[i] = terms.get(i, 0) + 1
        for cell in larger:
            i = self.var(cell)
            terms[i] = terms.get(i, 0) - factor
        self.row(kind, terms, -math.inf, 0)

    @property
    def kinds(self) -> dict[str, int]:
        count: dict[str, int] = {}
        for row in self.rows:
            count[row.kind] = count.get(row.kind, 0) + 1
        return count

    def cell_of(self) -> list[Cell]:
        cells = [Cell("", "", "")] * len(self.lower)
        for cell, i in self.cells.items():
            cells[i] = cell
        return cells

    def prune(self, published: set[int]) -> None:
        """Drop sums nobody shows and no other relation uses: they constrain nothing
        (an unshown total of parts that are at least 0 is any value at least 0)."""
        used: dict[int, int] = {}
        for row in self.rows:
            for i in row.terms:
                used[i] = used.get(i, 0) + 1
        dropped: set[int] = set()
        queue = [i for i, r in self.defines.items() if i not in published and used[i] == 1]
        while queue:
            i = queue.pop()
            if i in published or used.get(i) != 1 or self.defines.get(i) in dropped:
                continue
            r = self.defines[i]
            dropped.add(r)
            for j in self.rows[r].terms:
                used[j] -= 1
                if used[j] == 1 and j in self.defines and j not in published:
                    queue.append(j)
        self.rows = [row for r, row in enumerate(self.rows) if r not in dropped]
        self.defines = {}


@dataclass(frozen=True)
class Axis:
    """Nodes of one dimension: leaves, and groups that are sums of leaves."""

    leaves: tuple[str, ...]
    groups: dict[str, tuple[str, ...]]

    @property
    def nodes(self) -> tuple[str, ...]:
        return self.leaves + tuple(self.groups)


def _unit_axis(reading: Reading) -> Axis:
    gemeenten = tuple(reading.gemeenten)
    groups = {t: tuple(m for m in members if m in reading.gemeenten) for t, members in
              sorted(reading.tranches.items())}  # fmt: skip
    groups["NL"] = gemeenten
    return Axis(gemeenten, groups)


def _period_axis(reading: Reading) -> Axis:
    periods = {c.periode for c in reading.published.labels}
    quarters = tuple(reading.quarters)
    groups = {
        year: tuple(q for q in quarters if q.startswith(year + "-"))
        for year in sorted(p for p in periods if p.isdigit())
    }
    if "P" in periods:
        groups["P"] = quarters
    return Axis(quarters, groups)


def _code_axis(leaves: tuple[str, ...], total: bool) -> Axis:
    return Axis(leaves, {ALL: leaves} if total else {})


class _Builder:
    def __init__(self, reading: Reading, domain: bool) -> None:
        self.reading = reading
        self.domain = domain
        self.program = Program()
        self.labels = reading.published.labels
        self.units = _unit_axis(reading)
        self.periods = _period_axis(reading)
        # The gemeente-quarters the publication holds: incident figures where any incident
        # table or map shows one, police figures where they are shown; the rest count 0.
        incident_tables = {*SINGLE, *MULTIPLE, MAP}
        shown = {(c.eenheid, c.periode) for c in self.labels if c.tabel in incident_tables}
        police = {(c.eenheid, c.periode) for c in self.labels if c.tabel == MEASURES}
        self.live = {name: shown for name in [*SINGLE, *MULTIPLE]}
        self.live[MEASURES] = police

    def spine(self, unit: str, period: str) -> Cell:
        return Cell(AK, unit, period, ALL, ALL)

    def lattice(self, tabel: str, code_axes: list[Axis], kind: str, time_sums: bool = True):
        """Every cell of a table over units × periods × codes, and every sum between them.

        Leaf cells of a gemeente-quarter the publication does not hold count 0 (left out,
        or outside the gemeente's pilot); other cells nobody shows are unknowns."""
        p = self.program
        axes = [self.units, self.periods if time_sums else Axis(self.periods.nodes, {})]
        axes += code_axes
        for node in itertools.product(*(a.nodes for a in axes)):
            cell = Cell(tabel, node[0], node[1], *(list(node[2:]) + ["", ""])[:2])
            p.var(cell)
            is_leaf = all(n in a.leaves for n, a in zip(node, axes, strict=True))
            if is_leaf and time_sums and (node[0], node[1]) not in self.live[tabel]:
                p.bound(cell, 0, 0)
            elif is_leaf:
                p.leaves.add(p.var(cell))
        for node in itertools.product(*(a.nodes for a in axes)):
            aggregate = [
                i for i, (n, a) in enumerate(zip(node, axes, strict=True)) if n in a.groups
            ]
            if not aggregate:
                continue
            options = []
            for position in aggregate:
                parts = []
                for member in axes[position].groups[node[position]]:
                    part = list(node)
                    part[position] = member
                    parts.append(self._cell(tabel, part))
                options.append((position, parts))
            # Sum over the axis whose parts are shown, where there is one (fewer unknowns).
            position, parts = max(options, key=lambda o: all(c in self.labels for c in o[1]))
            p.equal(f"{kind} over {AXIS_NAMES[position]}", self._cell(tabel, node), parts)

    def _cell(self, tabel: str, node) -> Cell:
        return Cell(tabel, node[0], node[1], *(list(node[2:]) + ["", ""])[:2])

    def build(self) -> Program:
        p = self.program
        for unit in self.units.nodes:
            for period in self.periods.nodes:
                for tabel, axes in SINGLE.items():
                    if tabel != AK:
                        total = Cell(tabel, unit, period, *([ALL] * len(axes) + [""])[:2])
                        p.aliases[total] = self.spine(unit, period)
        for tabel, axes in SINGLE.items():
            self.lattice(tabel, [_code_axis(a, True) for a in axes], "som")
        table_codes = {
            name: leaves or tuple(sorted({c.code for c in self.labels if c.tabel == name}))
            for name, leaves in MULTIPLE.items()
        }
        table_codes[MEASURES] = tuple(sorted({c.code for c in self.labels if c.tabel == MEASURES}))
        for name, leaves in table_codes.items():
            self.lattice(name, [_code_axis(leaves, False)], "som")
        self.lattice(BOAS, [_code_axis(("bevoegd",), False)], "som", time_sums=False)
        self._per_unit_period(table_codes)
        self._boas()
        self._maps()
        self._published()
        p.prune({p.var(cell) for cell in self.labels if p.aliases.get(cell, cell) in p.cells})
        return p

    def _per_unit_period(self, table_codes: dict[str, tuple[str, ...]]) -> None:
        p = self.program
        gedraging = table_codes["gedraging"]
        for unit in self.units.nodes:
            for period in self.periods.nodes:
                spine = self.spine(unit, period)
                cells = [Cell("gedraging", unit, period, c) for c in gedraging]
                for cell in cells:
                    p.at_most("meervoudig: code <= totaal", [cell], [spine])
                p.at_most("meervoudig: som >= totaal", [spine], cells)
                p.at_most("meervoudig: som <= 4 x totaal", cells, [spine], len(gedraging))
                for code in table_codes["kwaliteit"]:
                    cell = Cell("kwaliteit", unit, period, code)
                    p.at_most("kwaliteit <= totaal", [cell], [spine])
                if not self.domain:
                    continue
                if "pv_zonder_zaaknummer" in table_codes["kwaliteit"]:
                    p.at_most(
                        "pv zonder zaaknummer <= pv",
                        [Cell("kwaliteit", unit, period, "pv_zonder_zaaknummer")],
                        [Cell(AK, unit, period, PV, ALL)],
                    )
                p.at_most(
                    "reprimande <= minderjarig",
                    [Cell(AK, unit, period, "reprimande", ALL)],
                    [Cell("leeftijd", unit, period, band) for band in MINOR],
                )

    def _boas(self) -> None:
        """A boa counts once per period: a longer period counts at least as many as each
        of its parts and at most their sum."""
        p = self.program
        for unit in self.units.nodes:
            for group, members in self.periods.groups.items():
                whole = Cell(BOAS, unit, group, "bevoegd")
                parts = [Cell(BOAS, unit, q, "bevoegd") for q in members]
                for part in parts:
                    p.at_most("boa's: deel <= periode", [part], [whole])
                p.at_most("boa's: periode <= som delen", [whole], parts)
                for year in self.periods.groups:
                    if group == "P" and year != "P":
                        p.at_most("boa's: jaar <= pilot", [Cell(BOAS, unit, year, "bevoegd")],
                                  [whole])  # fmt: skip

    def _maps(self) -> None:
        p = self.program
        maps: dict[tuple[str, str], list[Cell]] = {}
        for cell in self.labels:
            if cell.tabel == MAP:
                maps.setdefault((cell.eenheid, cell.periode), []).append(cell)
        for (gemeente, quarter), cells in sorted(maps.items()):
            for cell in cells:
                p.bound(cell, 1, math.inf)  # a listed cell has an incident
                p.leaves.add(p.var(cell))
            p.equal("kaart: cellen = kwartaaltotaal", self.spine(gemeente, quarter), cells, False)

    def _published(self) -> None:
        """Bounds from every label; hidden labels and unshown leaves become targets."""
        p = self.program
        for cell, label in self.labels.items():
            if cell.tabel == EXCLUDED:
                p.var(cell)
            elif p.aliases.get(cell, cell) not in p.cells:
                continue  # a figure of no table the attacker models (a defect elsewhere)
            low, high = label.bounds()
            p.bound(cell, low, high)
            if label.exact is None:
                p.targets[p.var(cell)] = Target(cell, label)
        shown = {p.var(cell) for cell in self.labels if p.aliases.get(cell, cell) in p.cells}
        for cell, i in p.cells.items():
            if i in p.leaves and i not in shown and p.lower[i] < p.upper[i]:
                p.targets[i] = Target(cell, None)


def build(reading: Reading, domain: bool = True) -> Program:
    """The linear program of everything ``reading`` knows; ``domain``: with the relations
    between tables that come from the rules of the domain (a proces-verbaal without case
    number is a proces-verbaal; a reprimande is for a minor), not only from the tables."""
    return _Builder(reading, domain).build()
