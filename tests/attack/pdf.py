"""The figures a report PDF prints, read through its tags (``tagged.py``).

Tables are placed by their caption or first column header and read cell by cell under
the tabellen CSV's keys (the tables the reports share with the dashboards by the same
code as the dashboards, ``dashboard.TableReader``); charts by their alternate text, which
states every value ("title: label value; …"). Text outside tables and charts that holds
a count is kept as a leftover: a figure the attacker cannot place is a defect too.
"""

import re
from dataclasses import dataclass, field

from pilot import codes
from tests.attack.dashboard import TableReader, _code, header, quarter
from tests.attack.published import SPINE, Cell, Figure, Label, cell
from tests.attack.tagged import Table, read_tagged

PV = "proces_verbaal"
# A count in running text (a "<k" or "×" there explains the marks; figures are numbers).
COUNT_TOKEN = re.compile(r"(?<![\w.,:/–-])\d{1,3}(\.\d{3})*(?![\w.,:/–-])")
# Text outside tables and charts that holds digits or marks but is no figure.
NOT_FIGURES = [
    r"\d+ × \d+ m(eter)?",
    r"\d+ bij \d+ meter",
    r"\d+ of meer",
    r"\d+–\d+",
    r"(minder dan|onder|kleiner dan|groter dan) \d+",
    r"als <\d+",
    r"die <\d+ toelaat",
    r"als 0 weergegeven",
    r"<\d+ (en|:)",
    r"per 100( inzeturen)?",
    r"(per )?10\.000( inwoners)?",
    r"× 10\.000",
    r"× 100",
    r"\d\d:\d\d",
    r"\d\d-\d\d-\d{4}",
    r"art\. 429ter( Sr)?",
    r"Tranche \d+",
    r"\d{4} K[1-4]",
    r"\d{4}-K[1-4]",
    r"\d+e kwartaal \d{4}",
    r"GM\d{4}",
    r"SHA-256",
    r"EPSG:\d+",
    r"veelvouden van \d+ m",
    r"\d+ m\b",
    r"zeven dagen",
]
NOT_FIGURE = re.compile("|".join(NOT_FIGURES), re.IGNORECASE)
KINDS_BY_CAPTION = {  # a report table's caption (its start) -> the kind of table
    "Boa’s en politie naast elkaar": "tabel-politie",
    "Afdoening van incidenten met en zonder aanraking": "tabel-aanraking",
    "Hoe het incident bekend werd": "tabel-kennisname",
    "Geschatte leeftijd": "tabel-leeftijd",
    "Slachtoffers en doorverwijzing": "tabel-slachtoffers",
    "Rol van de boa": "tabel-rol",
    "Optreden in uniform en in burger": "tabel-kleding",
    "Hotspotcellen": "tabel-hotspots",
    "Per kwartaal met politiecijfers": "rapport-politie-kwartaal",
    "Per gemeente, met verhoudingsgetallen per 100 inzeturen in uniform en in burger": (
        "rapport-kleding-gemeenten"
    ),
}
KINDS_BY_HEADER = {  # (first column header, second) -> kind; second None: any
    ("Kerncijfer", None): "rapport-samenvatting",
    ("Kerncijfer, alle gemeenten", None): "rapport-samenvatting",
    ("Bron", None): "rapport-bron",
    ("Dag", None): "rapport-dag",
    ("Tijdvak", None): "rapport-tijdvak",
    ("Controle", None): "rapport-kwaliteit",
    ("Tranche", None): "rapport-tranches",
    ("Gemeente", "Incidenten"): "rapport-gemeenten",
    ("Gemeente", "Inzeturen"): "rapport-inzet",
    ("Gemeente", "Laat geregistreerd"): "rapport-kwaliteit-gemeenten",
    ("Gemeente", "Cel"): "tabel-hotspots",
}
KEY_ROWS = {  # the summary's rows -> (table, codes)
    "Incidenten": (SPINE, {}),
    "Processen-verbaal": (SPINE, {"afdoening": PV}),
    "Waarschuwingen": (SPINE, {"afdoening": "waarschuwing"}),
    "Reprimandes (minderjarigen)": (SPINE, {"afdoening": "reprimande"}),
    "Overgedragen aan politie": (SPINE, {"afdoening": "overgedragen_politie"}),
    "Bevoegde boa’s": ("boas", {"boas": "bevoegd"}),
}
QUALITY = {  # data-quality rows and columns -> (table, codes)
    "Laat geregistreerd (meer dan zeven dagen na het incident)": (
        "kwaliteit",
        {"kwaliteit": "laat_geregistreerd"},
    ),
    "Laat geregistreerd": ("kwaliteit", {"kwaliteit": "laat_geregistreerd"}),
    "Geïmporteerd (apart geteld)": ("kwaliteit", {"kwaliteit": "geimporteerd"}),
    "Geïmporteerd": ("kwaliteit", {"kwaliteit": "geimporteerd"}),
    "Leeftijd verdachte(n) onbekend": (SPINE, {"leeftijd": "onbekend"}),
    "Leeftijd onbekend": (SPINE, {"leeftijd": "onbekend"}),
    "Proces-verbaal zonder zaaknummer": ("kwaliteit", {"kwaliteit": "pv_zonder_zaaknummer"}),
    "Locatie niet tegen de gemeentegrens gecontroleerd": (
        "kwaliteit",
        {"kwaliteit": "grens_niet_gecontroleerd"},
    ),
    "Grens niet gecontroleerd": ("kwaliteit", {"kwaliteit": "grens_niet_gecontroleerd"}),
}
POLICE = ("meldingen", "aangiftes", "processen_verbaal")
CHARTS = {  # a chart's title (its start) -> (table, code axis, code list)
    "Incidenten per gedraging": ("gedraging", "gedraging", codes.GEDRAGING),
    "Incidenten per afdoening": (SPINE, "afdoening", codes.AFDOENING),
    "Incidenten per type locatie": ("locatie_type", "locatie_type", codes.LOCATIE_TYPE),
}
MAP_ALT = ("Kaart van", "Kaarten van")


@dataclass
class Printed:
    """What one PDF prints: its figures, the rates it prints (with the count each divides),
    the gemeente-quarters it says were left out, tranche members, and what it could not
    place."""

    figures: list[Figure] = field(default_factory=list)
    rates: list[tuple[Cell, str, str]] = field(default_factory=list)  # (count, rate, source)
    excluded: set[tuple[str, str]] = field(default_factory=set)
    tranches: dict[str, list[str]] = field(default_factory=dict)  # "T1" -> gemeente names
    leftovers: list[str] = field(default_factory=list)


def _kind(table: Table) -> str:
    for start, kind in KINDS_BY_CAPTION.items():
        if table.caption.startswith(start):
            return kind
    head = [header(h) for h in table.head]
    if not head:
        return "meta" if table.rows and table.rows[0][0] == "Periode" else ""
    for (first, second), kind in KINDS_BY_HEADER.items():
        if head[0] == first and (second is None or (len(head) > 1 and head[1] == second)):
            return kind
    return ""


class ReportReader(TableReader):
    """The report-only tables, besides the dashboard tables the reports share."""

    def rate(self, count: Cell, text: str) -> None:
        self.rates.append((count, text, self.source))

    def _meta(self, table: Table) -> None:
        """Period, dates, version and fingerprint: no figures."""

    def _rapport_samenvatting(self, table: Table) -> None:
        for name, columns in self.rows(table):
            text = columns[0][1]
            if name in KEY_ROWS:
                tabel, key = KEY_ROWS[name]
                self.add(cell(tabel, self.unit, self.period, **key), text)
            elif name == "Incidenten per 100 inzeturen":
                self.rate(cell(SPINE, self.unit, self.period), text)
            elif name == "Processen-verbaal per 100 inzeturen":
                self.rate(cell(SPINE, self.unit, self.period, afdoening=PV), text)
            elif name not in ("Diensten", "Inzeturen"):
                self.out.leftovers.append(f"{self.source}: samenvatting {name!r}")

    def _rapport_gemeenten(self, table: Table) -> None:
        columns_to = {
            "Incidenten": (SPINE, {}),
            "Processen-verbaal": (SPINE, {"afdoening": PV}),
            "Waarschuwingen": (SPINE, {"afdoening": "waarschuwing"}),
            "Overgedragen aan politie": (SPINE, {"afdoening": "overgedragen_politie"}),
            "Bevoegde boa’s": ("boas", {"boas": "bevoegd"}),
        }
        for name, columns in self.rows(table):
            if not columns:  # a tranche's group row
                continue
            unit = "NL" if name == "Totaal" else self.unit_of(name)
            for column, text in columns:
                tabel, key = columns_to[column]
                self.add(cell(tabel, unit, self.period, **key), text)

    def _rapport_inzet(self, table: Table) -> None:
        for name, columns in self.rows(table):
            unit = self.unit_of(name)
            for column, text in columns:
                if column == "Incidenten per 100 inzeturen":
                    self.rate(cell(SPINE, unit, self.period), text)
                elif column == "Pv’s per 100 inzeturen":
                    self.rate(cell(SPINE, unit, self.period, afdoening=PV), text)
                elif column == "Incidenten per 10.000 inwoners":
                    self.rate(cell(SPINE, unit, self.period), text)

    def _rapport_tranches(self, table: Table) -> None:
        for name, columns in self.rows(table):
            unit = self.unit_of(name)
            values = dict(columns)
            self.tranches[unit] = [n.strip() for n in values["Gemeenten"].split(",")]
            self.add(cell(SPINE, unit, self.period), values["Incidenten"])
            self.add(cell(SPINE, unit, self.period, afdoening=PV), values["Processen-verbaal"])
            self.rate(cell(SPINE, unit, self.period), values["Incidenten per 100 inzeturen"])

    def _rapport_bron(self, table: Table) -> None:
        for name, columns in self.rows(table):
            values = [text for _, text in columns]
            if name.startswith("Boa’s"):
                self.add(cell(SPINE, self.unit, self.period), values[0])
                self.add(cell(SPINE, self.unit, self.period, afdoening=PV), values[2])
            else:
                for maat, text in zip(POLICE, values, strict=True):
                    self.add(cell("politie", self.unit, self.period, maat=maat), text)

    def _rapport_politie_kwartaal(self, table: Table) -> None:
        for name, columns in self.rows(table):
            q = quarter(name.replace("-", " "))
            values = [text for _, text in columns]
            self.add(cell(SPINE, self.unit, q), values[0])
            self.add(cell(SPINE, self.unit, q, afdoening=PV), values[1])
            for maat, text in zip(POLICE, values[2:], strict=True):
                self.add(cell("politie", self.unit, q, maat=maat), text)

    def _rapport_dag(self, table: Table) -> None:
        bands = {item.label: item.code for item in codes.TIJDVAK.codes}
        for name, columns in self.rows(table):
            weekdag = "ALL" if name == "Totaal" else _code(codes.WEEKDAG, name)
            for column, text in columns:
                tijdvak = bands.get(column, "ALL")
                if weekdag == "ALL" and tijdvak == "ALL":
                    self.add(cell(SPINE, self.unit, self.period), text)
                else:
                    key = {"weekdag": weekdag, "tijdvak": tijdvak}
                    self.add(cell("weekdag_tijdvak", self.unit, self.period, **key), text)

    def _rapport_tijdvak(self, table: Table) -> None:
        for name, columns in self.rows(table):
            tijdvak = _code(codes.TIJDVAK, name)
            self.add(
                cell("weekdag_tijdvak", self.unit, self.period, tijdvak=tijdvak), columns[0][1]
            )

    def _rapport_kwaliteit(self, table: Table) -> None:
        for name, columns in self.rows(table):
            if name not in QUALITY:
                self.out.leftovers.append(f"{self.source}: datakwaliteit {name!r}")
                continue
            tabel, key = QUALITY[name]
            self.add(cell(tabel, self.unit, self.period, **key), columns[0][1])

    def _rapport_kwaliteit_gemeenten(self, table: Table) -> None:
        for name, columns in self.rows(table):
            unit = self.unit_of(name)
            for column, text in columns:
                tabel, key = QUALITY[column]
                self.add(cell(tabel, unit, self.period, **key), text)

    def _rapport_kleding_gemeenten(self, table: Table) -> None:
        unit = None
        for name, columns in self.rows(table):
            unit = self.unit_of(name) if name else unit
            values = dict(columns)
            kleding = _code(codes.KLEDING, values["Optreden"])
            incidents = cell(SPINE, unit, self.period, kleding=kleding)
            pv = cell(SPINE, unit, self.period, afdoening=PV, kleding=kleding)
            self.add(incidents, values["Incidenten"])
            self.add(pv, values["Pv’s"])
            self.rate(incidents, values["Incidenten per 100 inzeturen"])
            self.rate(pv, values["Pv’s per 100 inzeturen"])

    # -- charts: their alternate text -------------------------------------------------
    def chart(self, alt: str) -> None:
        if alt.startswith(MAP_ALT):
            return
        title, _, text = alt.partition(": ")
        items = [item for item in text.rstrip(".").split("; ") if item]
        if title.startswith("Incidenten en processen-verbaal per kwartaal"):
            unit = self._chart_unit(title)
            for item in items:
                label, _, series = item.partition(": ")
                values = dict(part.rsplit(" ", 1) for part in series.split(", "))
                q = quarter(label.replace("-", " "))
                self.add(cell(SPINE, unit, q), values["Incidenten"])
                self.add(cell(SPINE, unit, q, afdoening=PV), values["Processen-verbaal"])
        elif title.startswith("Incidenten per kwartaal,"):
            unit = self._chart_unit(title.split(" (")[0])
            for item in items:
                label, value = item.rsplit(" ", 1)
                self.add(cell(SPINE, unit, quarter(label.replace("-", " "))), value)
        elif title.startswith("Afdoening van incidenten met en zonder aanraking"):
            touching = {"Met aanraking": "met", "Zonder aanraking": "zonder"}
            for item in items:
                label, _, series = item.rpartition(": ")
                afdoening = _code(codes.AFDOENING, label)
                for part in series.split(", "):
                    name, value = part.rsplit(" ", 1)
                    key = {"afdoening": afdoening, "aanraking": touching[name]}
                    self.add(cell(SPINE, self.unit, self.period, **key), value)
        elif title.startswith("Incidenten en processen-verbaal, in uniform en in burger"):
            for item in items:
                label, _, series = item.partition(": ")
                kleding = _code(codes.KLEDING, label)
                values = dict(part.rsplit(" ", 1) for part in series.split(", "))
                self.add(cell(SPINE, self.unit, self.period, kleding=kleding), values["Incidenten"])
                pv = cell(SPINE, self.unit, self.period, afdoening=PV, kleding=kleding)
                self.add(pv, values["Processen-verbaal"])
        elif start := next((s for s in CHARTS if title.startswith(s)), None):
            tabel, axis, code_list = CHARTS[start]
            for item in items:
                label, value = item.rsplit(" ", 1)
                code = _code(code_list, label)
                if code is None:
                    self.out.leftovers.append(f"{self.source}: chart {title!r} {label!r}")
                    continue
                self.add(cell(tabel, self.unit, self.period, **{axis: code}), value)
        else:
            self.out.leftovers.append(f"{self.source}: chart not read: {alt[:80]}")

    def _chart_unit(self, title: str) -> str:
        name = title.rsplit(", ", 1)[-1] if ", " in title else ""
        return self.unit_of(name) or self.unit


def _leftovers(paragraphs: list[str], source: str) -> list[str]:
    return [
        f"{source}: {text[:120]}"
        for text in paragraphs
        if COUNT_TOKEN.search(NOT_FIGURE.sub(" ", text))
    ]


def _excluded(paragraphs: list[str], gemeente: str | None) -> set[tuple[str, str]]:
    """The gemeente-quarters the methods section says were left out."""
    found: set[tuple[str, str]] = set()
    match = re.search(r"landelijke totalen: (.*?)\.(\s|$)", " ".join(paragraphs))
    if match is None:
        return found
    for item in match.group(1).split(", "):
        parts = item.split()
        if gemeente is not None and len(parts) == 1:
            found.add((gemeente, parts[0]))
        elif len(parts) == 2:
            found.add((parts[0], parts[1]))
    return found


def _read(pdf: bytes, unit: str, period: str, names: dict[str, str], source: str) -> Printed:
    tagged = read_tagged(pdf)
    reader = ReportReader(unit, period, names, source)
    reader.rates, reader.tranches = [], {}
    for table in tagged.tables:
        reader.read(_kind(table), table)
    for alt in tagged.alts:
        reader.chart(alt)
    printed = Printed(reader.out.figures, reader.rates, tranches=reader.tranches)
    printed.leftovers = reader.out.leftovers + _leftovers(tagged.paragraphs, source)
    printed.leftovers += reader.out.defects
    printed.excluded = _excluded(tagged.paragraphs, None if unit == "NL" else unit)
    return printed


def gemeente_report(
    pdf: bytes, gemeente: str, periode: str, names: dict[str, str], source: str
) -> Printed:
    """Every figure of one gemeente's report for one outsider period."""
    return _read(pdf, gemeente, periode, names, source)


def aggregate_report(pdf: bytes, names: dict[str, str], source: str) -> Printed:
    """Every figure of the aggregate report (the whole pilot): ``names`` maps a gemeente's
    name to its CBS code (public: the CBS list)."""
    return _read(pdf, "NL", "P", names, source)


def check_rates(printed: Printed, labels: dict[Cell, Label]) -> list[str]:
    """A rate is printed only with an exact count: a rate of a hidden count gives it back."""
    defects = []
    for count, text, source in printed.rates:
        if not re.match(r"^\d{1,3}(\.\d{3})*(,\d+)?$", text):
            continue
        label = labels.get(count)
        if label is None or label.exact is None:
            shown = label.text if label else "not published"
            defects.append(
                f"{source}: a rate {text} is printed for {count}, whose count is {shown}"
            )
    return defects
