"""The figures a report PDF prints, read back from its text (poppler's ``pdftotext``).

``pdftotext -layout`` keeps table rows on one line and is ten times faster than
pdfplumber on these reports (0.16 s against 1.7 s a report; the attack reads about a
hundred). Rows are found by their labels (the Dutch labels of ``pilot.codes`` and the
report's own row names), chart values by their order or, where a chart orders them by
height, as a multiset. Every line of the figure sections that holds a count and was not
understood is kept as a leftover: a figure the attacker cannot place is a defect too.
"""

import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field

from pilot import codes
from tests.attack.published import ALL, EXCLUDED, HIDDEN, NOT_SHOWN, Cell, Figure, Label
from tests.attack.published import cell as make

AF = "afdoening"  # outcome × clothing × age: its grand total is the incident count
PV = "proces_verbaal"
QUARTER_CODE = re.compile(r"^\d{4}-K[1-4]$")
QUARTER_LABEL = re.compile(r"\b(\d{4}) K([1-4])\b")
VALUE = re.compile(r"^(\d{1,3}(\.\d{3})*(,\d+)?|<\d+|×|—|niet_ingevoerd)$")
CHART_VALUE = re.compile(r"^(\d{1,3}(\.\d{3})*|<\d+|×|—)$")
COUNT_TOKEN = re.compile(r"(?<![\w.,:/–-])(\d{1,3}(\.\d{3})*|<\d+|×)(?![\w.,:/–-])")
# Text in the figure sections that holds digits or marks but is no figure.
NOT_FIGURES = [
    r"\d+ × \d+ m(eter)?",
    r"\d+ of meer",
    r"\d+–\d+",
    r"minder dan \d+",
    r"<\d+ staat voor",
    r"per 100( in[‐-]?)?",
    r"(per )?10\.000( inwo)?",
    r"\(\d\d:\d\d–(\d\d:\d\d\))?",
    r"art\. 429ter( Sr)?",
    r"Tranche \d+",
    r"\d{4} K[1-4]",
    r"\d{4}-K[1-4]",
    r"\d+e kwartaal \d{4}",
]
NOT_FIGURE = re.compile("|".join(NOT_FIGURES))


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with its layout (rows of a table stay on one line)."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


@dataclass(frozen=True)
class Rate:
    """A rate the report prints (count per ``per`` units) and the count it divides."""

    numerator: Cell
    denominator: float | None
    printed: str
    per: int
    source: str


@dataclass(frozen=True)
class Multiset:
    """Chart values printed in an order the attacker does not rely on."""

    cells: tuple[Cell, ...]
    printed: tuple[str, ...]
    source: str


@dataclass
class Printed:
    """What one PDF prints: table and chart figures, rates, unordered chart values,
    the gemeente-quarters it says were left out, and lines it could not place."""

    figures: list[Figure] = field(default_factory=list)
    rates: list[Rate] = field(default_factory=list)
    multisets: list[Multiset] = field(default_factory=list)
    excluded: set[tuple[str, str]] = field(default_factory=set)
    tranches: dict[str, list[str]] = field(default_factory=dict)  # "T1" -> gemeente names
    leftovers: list[str] = field(default_factory=list)
    ticks: list[str] = field(default_factory=list)  # numbers on chart axes


def _lines(text: str) -> list[str]:
    lines = []
    for line in text.replace("\f", "\n").splitlines():
        if not line.strip() or line.strip().startswith("Vingerafdruk ") and "Pagina" in line:
            continue
        lines.append(line.rstrip())
    return lines


def _split(line: str) -> tuple[str, list[str]]:
    """A table row: its label and the values at its end."""
    tokens = line.replace("niet ingevoerd", "niet_ingevoerd").split()
    values: list[str] = []
    while tokens and VALUE.match(tokens[-1]):
        values.insert(0, tokens.pop())
    return " ".join(tokens), values


def _values(line: str, bars: bool) -> list[str]:
    """Chart values on a line: all value tokens, or for a horizontal bar its last one."""
    tokens = line.split()
    if bars:
        return tokens[-1:] if tokens and CHART_VALUE.match(tokens[-1]) else []
    return [t for t in tokens if CHART_VALUE.match(t)]


def _number(text: str) -> float | None:
    if not re.match(r"^\d{1,3}(\.\d{3})*(,\d+)?$", text):
        return None
    return float(text.replace(".", "").replace(",", "."))


def _labels(code_list: codes.CodeList) -> dict[str, str]:
    return {item.label: item.code for item in code_list.codes}


WEEKDAGEN = _labels(codes.WEEKDAG)
TIJDVAKKEN = _labels(codes.TIJDVAK)
KLEDING = _labels(codes.KLEDING)


class _Reader:
    """Walks the lines of one report, table by table and chart by chart."""

    def __init__(self, text: str, source: str, k: int) -> None:
        self.lines = _lines(text)
        self.text = text
        self.source = source
        self.k = k
        self.at = 0
        self.out = Printed()
        self.used: set[int] = set()

    # -- primitives -------------------------------------------------------------------
    def find(self, predicate, start: int | None = None) -> int | None:
        for i in range(self.at if start is None else start, len(self.lines)):
            if predicate(self.lines[i]):
                return i
        return None

    def figure(self, cell: Cell, text: str, where: str) -> None:
        self.out.figures.append(Figure(cell, Label(text), f"{self.source}:{where}"))

    def rate(self, numerator: Cell, denominator: float | None, text: str, per: int) -> None:
        self.out.rates.append(Rate(numerator, denominator, text, per, self.source))

    def table(self, header, rows: dict[str, object], start: int | None = None) -> dict:
        """Rows of the table whose header line satisfies ``header``: {label: values}.

        Ends at the first line that is not a known row label followed by values (a
        repeated header after a page break continues the table)."""
        first = self.find(header, start)
        if first is None:
            return {}
        self.used.add(first)
        found = {}
        i = first + 1
        while i < len(self.lines):
            label, values = _split(self.lines[i])
            if header(self.lines[i]) or self.lines[i].strip() in rows:  # a group row
                self.used.add(i)
            elif label in rows and values:
                found[label] = values
                self.used.add(i)
            else:
                break
            i += 1
        self.at = i
        return found

    def chart(self, start_after, end, bars: bool = False) -> list[str]:
        """The value tokens between two lines (a chart's title or previous caption and its
        own caption), in reading order; the lines count as understood. ``bars``: a
        horizontal bar chart, whose value ends its line (a label may hold a dash)."""
        start = self.find(start_after)
        stop = self.find(end, start)
        if start is None or stop is None:
            self.out.leftovers.append(f"{self.source}: chart not found before {end}")
            return []
        tokens = []
        for i in range(start + 1, stop):
            self.used.add(i)
            tokens += _values(self.lines[i], bars)
        self.at = stop
        return tokens

    def leftovers(self, begin, end) -> None:
        """Lines of the figure sections with a count that no table or chart explained."""
        first = self.find(begin, 0)
        last = self.find(end, first or 0)
        for i in range(first or 0, len(self.lines) if last is None else last):
            if i in self.used:
                continue
            rest = NOT_FIGURE.sub(" ", self.lines[i])
            if COUNT_TOKEN.search(rest):
                self.out.leftovers.append(f"{self.source}: {self.lines[i].strip()}")

    def excluded_quarters(self, gemeente: str | None) -> None:
        """The gemeente-quarters the methods section says were left out."""
        flat = " ".join(self.text.split())
        match = re.search(r"landelijke totalen: (.*?)\.(\s|$)", flat)
        if match is None:
            return
        for item in match.group(1).split(", "):
            parts = item.split()
            if gemeente is not None and len(parts) == 1:
                self.out.excluded.add((gemeente, parts[0]))
            elif len(parts) == 2:
                self.out.excluded.add((parts[0], parts[1]))


def _starts(*words: str):
    """A line whose first words are ``words`` (a table's header row)."""
    return lambda line: line.split()[: len(words)] == list(words)


def _is(text: str):
    return lambda line: line.strip() == text


def _begins(text: str):
    return lambda line: line.strip().startswith(text)


def gemeente_report(text: str, gemeente: str, periode: str, k: int, source: str) -> Printed:
    """Every figure of one gemeente's report for one outsider period."""
    r = _Reader(text, source, k)
    g, p = gemeente, periode

    def cell(tabel: str, period: str = p, **codes_: str) -> Cell:
        return make(tabel, g, period, **codes_)

    spine = cell(AF)
    pv = cell(AF, afdoening=PV)
    key = {
        "Incidenten": spine,
        "Processen-verbaal": pv,
        "Waarschuwingen": cell(AF, afdoening="waarschuwing"),
        "Overgedragen aan politie": cell(AF, afdoening="overgedragen_politie"),
        "Bevoegde boa’s": cell("boas", boas="bevoegd"),
    }
    rates = {"Incidenten per 100 inzeturen": spine, "Processen-verbaal per 100 inzeturen": pv}
    rows = r.table(_starts("Kerncijfer", "Waarde"), {**key, **rates, "Diensten": 0, "Inzeturen": 0})
    inzeturen = _number(rows.get("Inzeturen", [""])[0])
    for label, c in key.items():
        if label in rows:
            r.figure(c, rows[label][0], "kerncijfers")
    for label, c in rates.items():
        if label in rows:
            r.rate(c, inzeturen, rows[label][0], 100)

    rows = r.table(_starts("Bron"), {"Boa’s (deze pilot)": 0, "Politie (art. 429ter)": 0})
    if rows:
        for c, v in zip((spine, None, pv), rows["Boa’s (deze pilot)"], strict=True):
            if c is None:
                continue
            r.figure(c, v, "politie")
        maten = ("meldingen", "aangiftes", "processen_verbaal")
        for maat, v in zip(maten, rows["Politie (art. 429ter)"], strict=True):
            r.figure(cell("politie", maat=maat), v, "politie")
        quarters = {f"{y}-K{q}": 0 for y in range(2000, 2100) for q in range(1, 5)}
        rows = r.table(_starts("Kwartaal"), quarters)
        for q, values in rows.items():
            cells = [cell(AF, q), cell(AF, q, afdoening=PV)]
            cells += [cell("politie", q, maat=m) for m in maten]
            for c, v in zip(cells, values, strict=True):
                r.figure(c, v, "politie per kwartaal")

    _period_chart(r, g, p)
    gedraging = codes.GEDRAGING.codes
    values = r.chart(
        _is("Gedraging, afdoening en type locatie"), _begins("Incidenten per gedraging"), True
    )
    _ordered(r, [cell("gedraging", gedraging=c.code) for c in gedraging], values, "gedraging")
    values = r.chart(_begins("incidenten."), _is("Incidenten per afdoening."), True)
    _ordered(r, [cell(AF, afdoening=c.code) for c in codes.AFDOENING.codes], values, "afdoening")
    values = r.chart(_is("Incidenten per afdoening."), _is("Incidenten per type locatie."), True)
    _ordered(
        r,
        [cell("locatie_type", locatie_type=c.code) for c in codes.LOCATIE_TYPE.codes],
        values,
        "locatie",
    )
    values = r.chart(_is("Uniform en in burger"), _begins("Incidenten en processen-verbaal naar"))
    kleding = [cell(AF, afdoening=a, kleding=c) for a in (ALL, PV) for c in KLEDING.values()]
    r.out.multisets.append(Multiset(tuple(kleding), tuple(values), f"{source}:kleding"))

    rows = r.table(_starts("Optreden"), dict.fromkeys(KLEDING, 0))
    for label, values in rows.items():
        code = KLEDING[label]
        incidents, pvs, uren, per_uur, pv_per_uur = values
        r.figure(cell(AF, kleding=code), incidents, "kleding")
        r.figure(cell(AF, afdoening=PV, kleding=code), pvs, "kleding")
        r.rate(cell(AF, kleding=code), _number(uren), per_uur, 100)
        r.rate(cell(AF, afdoening=PV, kleding=code), _number(uren), pv_per_uur, 100)

    if r.find(_starts("Dag", "Dag")) is not None:  # the cross table (whole pilot)
        rows = r.table(_starts("Dag", "Dag"), {**dict.fromkeys(WEEKDAGEN, 0), "Totaal": 0})
        tijdvakken = list(TIJDVAKKEN.values())
        for label, values in rows.items():
            w = WEEKDAGEN.get(label, ALL)
            cells = [cell("weekdag_tijdvak", weekdag=w, tijdvak=t) for t in [*tijdvakken, ALL]]
            if w == ALL:
                cells[-1] = spine
            for c, v in zip(cells, values, strict=True):
                r.figure(c, v, "weekdag × tijdvak")
    else:
        rows = r.table(_starts("Dag", "Incidenten"), dict.fromkeys(WEEKDAGEN, 0))
        for label, values in rows.items():
            r.figure(cell("weekdag_tijdvak", weekdag=WEEKDAGEN[label]), values[0], "weekdag")
        rows = r.table(_starts("Tijdvak", "Incidenten"), dict.fromkeys(TIJDVAKKEN, 0))
        for label, values in rows.items():
            r.figure(cell("weekdag_tijdvak", tijdvak=TIJDVAKKEN[label]), values[0], "tijdvak")

    kwaliteit = {
        "Ingetrokken registraties (niet meegeteld)": Cell("ingetrokken", g, p),
        "Laat geregistreerd (meer dan zeven dagen na het incident)": cell(
            "kwaliteit", kwaliteit="laat_geregistreerd"
        ),
        "Leeftijd verdachte(n) onbekend": cell(AF, leeftijd="onbekend"),
        "Proces-verbaal zonder zaaknummer": cell("kwaliteit", kwaliteit="pv_zonder_zaaknummer"),
        "Locatie niet tegen de gemeentegrens gecontroleerd": cell(
            "kwaliteit", kwaliteit="grens_niet_gecontroleerd"
        ),
    }
    rows = r.table(_starts("Controle", "Aantal"), kwaliteit)
    for label, values in rows.items():
        r.figure(kwaliteit[label], values[0], "datakwaliteit")

    r.excluded_quarters(g)
    r.leftovers(_starts("Kerncijfer", "Waarde"), _is("Hotspotkaart"))
    r.leftovers(_is("Datakwaliteit"), _is("Methode en definities"))
    return r.out


def _period_chart(r: _Reader, g: str, p: str) -> None:
    """Incidents per quarter: the labels say which quarters, the values (by height) what."""
    start = r.find(_is("Verloop per kwartaal"))
    stop = r.find(_begins("Incidenten per afgesloten kwartaal"), start)
    if start is None or stop is None:
        r.out.leftovers.append(f"{r.source}: the chart per quarter is missing")
        return
    quarters, values = [], []
    for i in range(start + 1, stop):
        r.used.add(i)
        quarters += [f"{y}-K{q}" for y, q in QUARTER_LABEL.findall(r.lines[i])]
        rest = QUARTER_LABEL.sub(" ", r.lines[i])
        values += [t for t in rest.split() if CHART_VALUE.match(t)]
    cells = []
    for q in quarters:
        cells.append(make(AF, g, q))
    r.out.multisets.append(Multiset(tuple(cells), tuple(values), f"{r.source}:verloop"))
    r.at = stop


def _ordered(r: _Reader, cells: list[Cell], values: list[str], where: str) -> None:
    if len(values) != len(cells):
        r.out.leftovers.append(f"{r.source}: chart {where} has {values}, expected {len(cells)}")
        return
    for c, v in zip(cells, values, strict=True):
        r.figure(c, v, where)


def aggregate_report(text: str, names: dict[str, str], k: int, source: str) -> Printed:
    """Every figure of the aggregate report (the whole pilot): ``names`` maps a gemeente's
    name to its CBS code (public: the CBS list)."""
    r = _Reader(text, source, k)
    p = "P"
    units = {**names, "Totaal": "NL"}
    groups = {f"Tranche {t}": 0 for t in range(1, 10)}

    def cell(unit: str, tabel: str, **codes_: str) -> Cell:
        return make(tabel, unit, p, **codes_)

    def header(word: str):
        return lambda line: line.split()[:1] == ["Gemeente"] and word in line

    rows = r.table(header("Incidenten"), {**units, **groups})
    for name, values in rows.items():
        u = units[name]
        cells = [
            cell(u, AF),
            cell(u, AF, afdoening=PV),
            cell(u, AF, afdoening="waarschuwing"),
            cell(u, AF, afdoening="overgedragen_politie"),
            cell(u, "boas", boas="bevoegd"),
        ]
        for c, v in zip(cells, values, strict=True):
            r.figure(c, v, "gemeenten")

    rows = r.table(header("Inzeturen"), names)
    for name, values in rows.items():
        u = names[name]
        uren, per_uur, pv_per_uur, inwoners, per_inwoner = values
        r.rate(cell(u, AF), _number(uren), per_uur, 100)
        r.rate(cell(u, AF, afdoening=PV), _number(uren), pv_per_uur, 100)
        r.rate(cell(u, AF), _number(inwoners), per_inwoner, 10_000)

    _tranches(r, names)
    values = _aggregate_afdoening(r)
    _ordered(
        r, [cell("NL", AF, afdoening=c.code) for c in codes.AFDOENING.codes], values, "afdoening"
    )

    start = r.find(_is("Verloop per kwartaal"))
    stop = r.find(_begins("Incidenten per afgesloten kwartaal, per gemeente"), start)
    if start is not None and stop is not None:
        for i in range(start + 1, stop):
            r.used.add(i)
            r.out.ticks += [t for t in r.lines[i].split() if CHART_VALUE.match(t)]

    rows = r.table(header("Boa:"), names)
    maten = ("meldingen", "aangiftes", "processen_verbaal")
    for name, values in rows.items():
        u = names[name]
        cells = [cell(u, AF), cell(u, AF, afdoening=PV)]
        cells += [cell(u, "politie", maat=m) for m in maten]
        for c, v in zip(cells, values, strict=True):
            r.figure(c, v, "politie")

    rows = r.table(header("Laat"), names)
    for name, values in rows.items():
        u = names[name]
        cells = [
            cell(u, "kwaliteit", kwaliteit="laat_geregistreerd"),
            cell(u, AF, leeftijd="onbekend"),
            cell(u, "kwaliteit", kwaliteit="grens_niet_gecontroleerd"),
        ]
        for c, v in zip(cells, values, strict=True):
            r.figure(c, v, "datakwaliteit")

    r.excluded_quarters(None)
    r.leftovers(_is("Gemeenten naast elkaar"), _is("Landelijke hotspotkaart"))
    return r.out


def _tranches(r: _Reader, names: dict[str, str]) -> None:
    """The tranche table: members (a list that may wrap) and the tranche's figures."""
    first = r.find(lambda line: line.split()[:2] == ["Tranche", "Gemeenten"])
    if first is None:
        r.out.leftovers.append(f"{r.source}: the tranche table is missing")
        return
    r.used.add(first)
    i, tranche = first + 1, None
    while i < len(r.lines):
        label, values = _split(r.lines[i])
        match = re.match(r"^Tranche (\d+) (.*)$", label)
        if match and len(values) == 4:
            tranche = f"T{match.group(1)}"
            r.out.tranches[tranche] = [n.strip() for n in match.group(2).split(",") if n.strip()]
            incidents, pvs, uren, per_uur = values
            r.figure(make(AF, tranche, "P"), incidents, "tranches")
            r.figure(make(AF, tranche, "P", afdoening=PV), pvs, "tranches")
            r.rate(make(AF, tranche, "P"), _number(uren), per_uur, 100)
        elif tranche and not values and all(n.strip() in names for n in label.split(",") if n):
            r.out.tranches[tranche] += [n.strip() for n in label.split(",") if n.strip()]
        else:
            break
        r.used.add(i)
        i += 1
    r.at = i


def _aggregate_afdoening(r: _Reader) -> list[str]:
    stop = r.find(_begins("Incidenten per afdoening, alle gemeenten samen"))
    if stop is None:
        r.out.leftovers.append(f"{r.source}: the outcome chart is missing")
        return []
    tokens = []
    for i in range(r.at, stop):
        r.used.add(i)
        tokens += _values(r.lines[i], bars=True)
    r.at = stop
    return tokens


def check_multisets(printed: Printed, labels: dict[Cell, Label]) -> list[str]:
    """Chart values printed without a reliable order must be the cells' labels."""
    defects = []
    for multiset in printed.multisets:
        expected, missing = [], []
        for c in multiset.cells:
            label = labels.get(c)
            if label is None and c == make(AF, c.eenheid, c.periode):  # a left-out quarter
                label = labels.get(make(EXCLUDED, c.eenheid, c.periode))
            expected.append(label.text if label else NOT_SHOWN)
            if label is None:
                missing.append(str(c))
        printed = [t for t in multiset.printed if t != NOT_SHOWN]
        if Counter(t for t in expected if t != NOT_SHOWN) != Counter(printed):
            defects.append(
                f"{multiset.source}: the chart prints {sorted(multiset.printed)}, the tables "
                f"say {sorted(expected)}" + (f" (the CSV lacks {missing})" if missing else "")
            )
    return defects


def check_rates(printed: Printed, labels: dict[Cell, Label]) -> list[str]:
    """A rate is printed only with an exact numerator, and then it agrees with it."""
    defects = []
    for rate in printed.rates:
        if rate.printed == NOT_SHOWN or rate.printed == "niet_ingevoerd":
            continue
        label = labels.get(rate.numerator)
        value = None if label is None else label.exact
        shown = _number(rate.printed)
        if value is None:
            defects.append(
                f"{rate.source}: a rate {rate.printed} per {rate.per} is printed for "
                f"{rate.numerator}, whose count is {label.text if label else 'not published'}"
                " (the rate gives the count back)"
            )
        elif rate.denominator and shown is not None:
            decimals = len(rate.printed.split(",")[1]) if "," in rate.printed else 0
            expected = value / rate.denominator * rate.per
            if abs(expected - shown) > 0.5 * 10**-decimals + 1e-9:
                defects.append(f"{rate.source}: {rate.numerator} rate {rate.printed} != {expected}")
    return defects


def check_ticks(printed: Printed, k: int) -> list[str]:
    """Axis ticks of the trend charts: never a small count."""
    return [
        f"a chart axis shows {t}"
        for t in printed.ticks
        if t in (HIDDEN, NOT_SHOWN) or t.startswith("<") or 0 < int(t.replace(".", "")) < k
    ]
