"""The attacker's linear program: a variable per cell, and every relation it knows.

What the attacker knows, and where from (nothing here comes from the disclosure code):

* The tables are counts of incidents per gemeente and completed quarter; a year and the
  whole pilot are the sum of their quarters; a tranche and the country the sum of their
  gemeenten (the reports' methods section says so; the tranche members are in the
  aggregate report). A gemeente-quarter the reports say was left out counts 0 everywhere
  (and only its own ``<k`` is shown); a quarter outside a gemeente's pilot has no
  incidents (each gemeente counts from its own start).
* Single-response code lists (afdoening, kleding, leeftijd, locatie, kennisname, rol,
  weekdag, tijdvak: one code per incident, ``pilot.codes``) sum to the incident total;
  a table over several of them (outcome × clothing × age, weekday × time band) is a cross
  table whose cells sum to its margins. Cells no output shows are unknowns, at least 0.
* Conduct is multiple response: each code is at most the total, the four together at
  least the total (every incident has a conduct) and at most four times it. The
  data-quality flags are each at most the total.
* Police figures add up over quarters and gemeenten. Authorised boa's count a boa once
  per period: a year's count is at least each of its quarters' and at most their sum
  (likewise the pilot); tranches and the country are sums of gemeenten.
* The 500 m cells of a gemeente-quarter's map sum to its incident total; a cell on the
  map has at least one incident (empty cells are not drawn).
* The same cell in two outputs is one variable (the figures are merged by key).

With ``domain`` also the relations the rules of the domain put between cells: a
reprimande is only for a minor (the incident form's rule: age band "jonger dan 18" or
"gemengd"), and a proces-verbaal without case number is a proces-verbaal (the data-quality
flag counts a subset of the outcome).
"""

import itertools
import math
from dataclasses import dataclass, field

from pilot import codes
from tests.attack.published import ALL, AXES, EXCLUDED, MAP, SPINE, Cell, Label, cell
from tests.attack.read import Reading

PV = "proces_verbaal"


def _codes(code_list: codes.CodeList) -> tuple[str, ...]:
    return tuple(item.code for item in code_list.codes)


# Code axes whose codes exclude each other (one per incident): they sum to the total.
SINGLE = {
    "afdoening": _codes(codes.AFDOENING),
    "kleding": _codes(codes.KLEDING),
    "leeftijd": _codes(codes.LEEFTIJD),
    "locatie_type": _codes(codes.LOCATIE_TYPE),
    "kennisname": _codes(codes.KENNISNAME),
    "rol_boa": _codes(codes.ROL_BOA),
    "weekdag": _codes(codes.WEEKDAG),
    "tijdvak": _codes(codes.TIJDVAK),
    "aanraking": ("met", "zonder"),  # incidents with and without touching (conduct)
    "slachtoffer": ("geen", "niet_doorverwezen", "doorverwezen"),
}
# Subtotals a code axis shows besides its total (the victims table's "met slachtoffer(s)").
GROUPS = {"slachtoffer": {"met_slachtoffer": ("niet_doorverwezen", "doorverwezen")}}
TOUCHING = "aanrakingen"  # the conduct code whose incidents are the "met aanraking" ones
MULTIPLE = {"gedraging": _codes(codes.GEDRAGING)}  # more than one code per incident
INCIDENT_TABLES = ("afdoening", "locatie_type", "kennisname", "rol_boa", "gedraging",
                   "weekdag_tijdvak", "kwaliteit", "slachtoffer")  # fmt: skip
MEASURES = "politie"
BOAS = "boas"
MINOR = ("onder_18", "gemengd")
AXIS_NAMES = ("gemeenten", "kwartalen")


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

    def var(self, key: Cell) -> int:
        """The column of a cell (the same column for a cell and its aliases)."""
        key = self.aliases.get(key, key)
        if key not in self.cells:
            self.cells[key] = len(self.lower)
            self.lower.append(0.0)
            self.upper.append(math.inf)
        return self.cells[key]

    def bound(self, key: Cell, low: float, high: float) -> None:
        i = self.var(key)
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
        for small in smaller:
            i = self.var(small)
            terms[i] = terms.get(i, 0) + 1
        for large in larger:
            i = self.var(large)
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
        for key, i in self.cells.items():
            cells[i] = key
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
        shown = {(c.eenheid, c.periode) for c in self.labels if c.tabel in (*INCIDENT_TABLES, MAP)}
        police = {(c.eenheid, c.periode) for c in self.labels if c.tabel == MEASURES}
        self.live = {**dict.fromkeys(INCIDENT_TABLES, shown), MEASURES: police}

    def spine(self, unit: str, period: str) -> Cell:
        return cell(SPINE, unit, period)

    def code_axis(self, tabel: str, name: str) -> Axis:
        """A code axis: a code list (with its total if single-response), else the codes
        the outputs show (data-quality flags, police measures)."""
        if name in SINGLE:
            return Axis(SINGLE[name], {**GROUPS.get(name, {}), ALL: SINGLE[name]})
        if name in MULTIPLE:
            return Axis(MULTIPLE[name], {})
        shown = sorted({c.code(name) for c in self.labels if c.tabel == tabel} - {ALL, None})
        return Axis(tuple(shown), {})

    def lattice(self, tabel: str, time_sums: bool = True) -> None:
        """Every cell of a table over units × periods × codes, and one sum per total.

        Leaf cells of a gemeente-quarter the publication does not hold count 0 (left out,
        or outside the gemeente's pilot); other cells nobody shows are unknowns. Each total
        gets one defining sum (over an axis whose parts are shown, where there is one): the
        other sums follow from these."""
        p = self.program
        names = AXES[tabel]
        code_axes = [self.code_axis(tabel, name) for name in names]
        periods = self.periods if time_sums else Axis(self.periods.nodes, {})
        axes = [self.units, periods, *code_axes]

        def key(node) -> Cell:
            return cell(tabel, node[0], node[1], **dict(zip(names, node[2:], strict=True)))

        for node in itertools.product(*(a.nodes for a in axes)):
            i = p.var(key(node))
            if all(n in a.leaves for n, a in zip(node, axes, strict=True)):
                if time_sums and (node[0], node[1]) not in self.live[tabel]:
                    p.bound(key(node), 0, 0)
                else:
                    p.leaves.add(i)
        for node in itertools.product(*(a.nodes for a in axes)):
            options = []
            for position, (n, axis) in enumerate(zip(node, axes, strict=True)):
                if n not in axis.groups:
                    continue
                parts = []
                for member in axis.groups[n]:
                    part = list(node)
                    part[position] = member
                    parts.append(key(part))
                options.append((position, parts))
            if options:
                position, parts = max(options, key=lambda o: all(c in self.labels for c in o[1]))
                name = AXIS_NAMES[position] if position < 2 else f"{names[position - 2]}-codes"
                p.equal(f"som over {name}", key(node), parts)

    def build(self) -> Program:
        p = self.program
        for unit in self.units.nodes:
            for period in self.periods.nodes:
                for tabel in INCIDENT_TABLES:
                    if tabel != SPINE and all(a in SINGLE for a in AXES[tabel]):
                        p.aliases[cell(tabel, unit, period)] = self.spine(unit, period)
                # "met aanraking" counts the incidents with the conduct aanrakingen
                touching = cell(SPINE, unit, period, aanraking="met")
                p.aliases[touching] = cell("gedraging", unit, period, gedraging=TOUCHING)
        for tabel in (*INCIDENT_TABLES, MEASURES):
            self.lattice(tabel)
        self.lattice(BOAS, time_sums=False)
        self._multiple_response()
        self._boas()
        self._maps()
        if self.domain:
            self._domain_rules()
        self._published()
        p.prune({p.var(c) for c in self.labels if p.aliases.get(c, c) in p.cells})
        return p

    def _multiple_response(self) -> None:
        p = self.program
        gedraging = self.code_axis("gedraging", "gedraging").leaves
        kwaliteit = self.code_axis("kwaliteit", "kwaliteit").leaves
        for unit in self.units.nodes:
            for period in self.periods.nodes:
                spine = self.spine(unit, period)
                cells = [cell("gedraging", unit, period, gedraging=c) for c in gedraging]
                for c in cells:
                    p.at_most("meervoudig: code <= totaal", [c], [spine])
                p.at_most("meervoudig: som >= totaal", [spine], cells)
                p.at_most("meervoudig: som <= 4 x totaal", cells, [spine], len(gedraging))
                for code in kwaliteit:
                    flag = cell("kwaliteit", unit, period, kwaliteit=code)
                    p.at_most("kwaliteit <= totaal", [flag], [spine])

    def _domain_rules(self) -> None:
        """A reprimande is for a minor; a PV without case number is a PV; an imported
        record is not counted as registered late (the reports' definitions)."""
        p = self.program
        adults = [band for band in SINGLE["leeftijd"] if band not in MINOR]
        for unit in self.units.leaves:
            for quarter in self.periods.leaves:
                for kleding, band in itertools.product(SINGLE["kleding"], adults):
                    leaf = cell(SPINE, unit, quarter, afdoening="reprimande", kleding=kleding,
                                leeftijd=band)  # fmt: skip
                    p.bound(leaf, 0, 0)
        for unit in self.units.nodes:
            for period in self.periods.nodes:
                p.at_most(
                    "pv zonder zaaknummer <= pv",
                    [cell("kwaliteit", unit, period, kwaliteit="pv_zonder_zaaknummer")],
                    [cell(SPINE, unit, period, afdoening=PV)],
                )
                p.at_most(
                    "laat geregistreerd + geimporteerd <= totaal",
                    [cell("kwaliteit", unit, period, kwaliteit=flag)
                     for flag in ("laat_geregistreerd", "geimporteerd")],
                    [self.spine(unit, period)],
                )  # fmt: skip

    def _boas(self) -> None:
        """A boa counts once per period: a longer period counts at least as many as each
        of its parts and at most their sum."""
        p = self.program
        for unit in self.units.nodes:
            for group, members in self.periods.groups.items():
                whole = cell(BOAS, unit, group, boas="bevoegd")
                parts = [cell(BOAS, unit, q, boas="bevoegd") for q in members]
                for part in parts:
                    p.at_most("boa's: deel <= periode", [part], [whole])
                p.at_most("boa's: periode <= som delen", [whole], parts)
                for year in self.periods.groups:
                    if group == "P" and year != "P":
                        year_cell = cell(BOAS, unit, year, boas="bevoegd")
                        p.at_most("boa's: jaar <= pilot", [year_cell], [whole])

    def _maps(self) -> None:
        p = self.program
        maps: dict[tuple[str, str], list[Cell]] = {}
        for c in self.labels:
            if c.tabel == MAP:
                maps.setdefault((c.eenheid, c.periode), []).append(c)
        for (gemeente, quarter), cells in sorted(maps.items()):
            for c in cells:
                p.bound(c, 1, math.inf)  # a cell on the map has an incident
                p.leaves.add(p.var(c))
            p.equal("kaart: cellen = kwartaaltotaal", self.spine(gemeente, quarter), cells, False)

    def _published(self) -> None:
        """Bounds from every label; hidden labels and unshown leaves become targets."""
        p = self.program
        for c, label in self.labels.items():
            if c.tabel == EXCLUDED:
                p.var(c)
            elif p.aliases.get(c, c) not in p.cells:
                continue  # a figure of no table the attacker models (a defect elsewhere)
            low, high = label.bounds()
            p.bound(c, low, high)
            if label.exact is None:
                p.targets[p.var(c)] = Target(c, label)
        shown = {p.var(c) for c in self.labels if p.aliases.get(c, c) in p.cells}
        for c, i in p.cells.items():
            if i in p.leaves and i not in shown and p.lower[i] < p.upper[i]:
                p.targets[i] = Target(c, None)


def build(reading: Reading, domain: bool = True) -> Program:
    """The linear program of everything ``reading`` knows; ``domain``: with the relations
    the rules of the domain put between cells (see the module docstring)."""
    return _Builder(reading, domain).build()
