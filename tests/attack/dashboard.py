"""Read the dashboards (and the start page's key figures) as the attacker does: every
number in their data tables, under the tabellen CSV's keys.

A dashboard writes its figures in tables with fixed ids (each chart has its data as a
table beside it); the row and column headers say which cell a figure is. What cannot
be placed is reported (``leftovers``), so a new table or column is not silently skipped.
A rate (per 100 inzeturen) of a count that is not exact would tell more than the count:
that is a defect.
"""

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup

from pilot import codes
from tests.attack.published import SPINE, Cell, Figure, Label, cell

NATIONAL_NAME = "Alle pilotgemeenten"
QUARTER = re.compile(r"^(\d{4})\D+K([1-4])$")
KEY_COLUMNS = {  # kerncijfers: column header -> (table, codes)
    "Incidenten": (SPINE, {}),
    "Processen-verbaal": (SPINE, {"afdoening": "proces_verbaal"}),
    "Waarschuwingen": (SPINE, {"afdoening": "waarschuwing"}),
    "Reprimandes": (SPINE, {"afdoening": "reprimande"}),
    "Overgedragen aan politie": (SPINE, {"afdoening": "overgedragen_politie"}),
}
RATE = "per 100 inzeturen"
CODE_TABLES = {  # table id -> (table, code axis, code list)
    "tabel-afdoening": (SPINE, "afdoening", codes.AFDOENING),
    "tabel-gedraging": ("gedraging", "gedraging", codes.GEDRAGING),
    "tabel-kennisname": ("kennisname", "kennisname", codes.KENNISNAME),
    "tabel-leeftijd": (SPINE, "leeftijd", codes.LEEFTIJD),
    "tabel-rol": ("rol_boa", "rol_boa", codes.ROL_BOA),
}
VICTIMS = {
    "Zonder bekend slachtoffer": "geen",
    "Met slachtoffer(s)": "met_slachtoffer",
    "… waarvan doorverwezen naar Slachtofferhulp": "doorverwezen",
    "… waarvan niet doorverwezen": "niet_doorverwezen",
}
POLICE = {  # politie table: column header -> (table, codes)
    "Boa: incidenten": (SPINE, {}),
    "Boa: pv’s": (SPINE, {"afdoening": "proces_verbaal"}),
    "Politie: meldingen": ("politie", {"maat": "meldingen"}),
    "Politie: aangiftes": ("politie", {"maat": "aangiftes"}),
    "Politie: pv’s": ("politie", {"maat": "processen_verbaal"}),
}
SKIPPED = {"tabel-hotspots"}  # count classes of map cells, which the map pages carry


@dataclass
class DashboardReading:
    figures: list[Figure] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)


def _text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def _code(code_list: codes.CodeList, label: str) -> str | None:
    return next((item.code for item in code_list.codes if item.label == label), None)


def quarter(label: str) -> str | None:
    match = QUARTER.match(label)
    return f"{match.group(1)}-K{match.group(2)}" if match else None


class _Reader:
    def __init__(self, html: str, unit: str, period: str, names: dict[str, str], source: str):
        self.soup = BeautifulSoup(html, "html.parser")
        self.unit, self.period, self.source = unit, period, source
        self.names = {**names, NATIONAL_NAME: "NL"}
        self.out = DashboardReading()

    def add(self, key: Cell, text: str) -> None:
        self.out.figures.append(Figure(key, Label(text), self.source))

    def unit_of(self, name: str) -> str | None:
        if name in self.names:
            return self.names[name]
        if match := re.match(r"^Tranche (\d+)$", name):
            return f"T{match.group(1)}"
        return None

    def rows(self, table):
        """(row header, [(column header, cell text)]) for body and foot rows."""
        head = [_text(th) for th in table.select("thead th")]
        for tr in table.select("tbody tr, tfoot tr"):
            th = tr.find("th")
            tds = tr.find_all("td")
            columns = head[len(head) - len(tds) :]
            yield (_text(th) if th else ""), list(zip(columns, map(_text, tds), strict=True))

    def read(self) -> DashboardReading:
        for table in self.soup.find_all("table"):
            name = table.get("id", "")
            reader = getattr(self, "_" + name.replace("-", "_"), None)
            if name in CODE_TABLES:
                self._code_table(table, *CODE_TABLES[name])
            elif reader is not None:
                reader(table)
            elif name not in SKIPPED:
                self.out.leftovers.append(f"{self.source}: table {name!r} not read")
        return self.out

    def _rate(self, count: Label, rate: str, what: str) -> None:
        shown = Label(rate).exact is not None or re.match(r"^\d+,\d+$", rate)
        if shown and count.exact is None:
            self.out.defects.append(
                f"{self.source}: rate {rate} of {what} shown while the count is {count.text}"
            )

    def _tabel_kerncijfers(self, table) -> None:
        for name, columns in self.rows(table):
            unit = self.unit_of(name) or self.unit
            shown: dict[str, Label] = {}
            for header, text in columns:
                if header in KEY_COLUMNS:
                    tabel, key = KEY_COLUMNS[header]
                    self.add(cell(tabel, unit, self.period, **key), text)
                    shown[header] = Label(text)
                elif header.endswith(RATE):
                    counted = "Processen-verbaal"
                    if header.startswith("Incidenten"):
                        counted = "Incidenten"
                    self._rate(shown[counted], text, f"{header} {unit}")

    def _tabel_reeks(self, table) -> None:
        for label, columns in self.rows(table):
            q = quarter(label)
            if q is None:
                self.out.leftovers.append(f"{self.source}: quarter {label!r}")
                continue
            values = dict(columns)
            self.add(cell(SPINE, self.unit, q), values["Incidenten"])
            pv = cell(SPINE, self.unit, q, afdoening="proces_verbaal")
            self.add(pv, values["Processen-verbaal"])

    def _tabel_reeksen(self, table) -> None:
        for name, columns in self.rows(table):
            unit = self.unit_of(name)
            for header, text in columns:
                q = quarter(header)
                if unit is None or q is None:
                    self.out.leftovers.append(f"{self.source}: {name!r} {header!r}")
                    continue
                self.add(cell(SPINE, unit, q), text)

    def _tabel_politie(self, table) -> None:
        for name, columns in self.rows(table):
            unit = self.unit_of(name) or self.unit
            for header, text in columns:
                if header in POLICE:
                    tabel, key = POLICE[header]
                    self.add(cell(tabel, unit, self.period, **key), text)

    def _tabel_aanraking(self, table) -> None:
        for name, columns in self.rows(table):
            code = "ALL" if name == "Totaal" else _code(codes.AFDOENING, name)
            if code is None:
                self.out.leftovers.append(f"{self.source}: afdoening {name!r}")
                continue
            touching = {"Met aanraking": "met", "Zonder aanraking": "zonder", "Totaal": "ALL"}
            for header, text in columns:
                self.add(
                    cell(SPINE, self.unit, self.period, afdoening=code, aanraking=touching[header]),
                    text,
                )

    def _tabel_kleding(self, table) -> None:
        for name, columns in self.rows(table):
            code = _code(codes.KLEDING, name)
            values = dict(columns)
            incidents = cell(SPINE, self.unit, self.period, kleding=code)
            pv = cell(SPINE, self.unit, self.period, afdoening="proces_verbaal", kleding=code)
            self.add(incidents, values["Incidenten"])
            self.add(pv, values["Processen-verbaal"])
            self._rate(Label(values["Incidenten"]), values["Incidenten per 100 inzeturen"], name)
            self._rate(Label(values["Processen-verbaal"]), values["Pv’s per 100 inzeturen"], name)

    def _tabel_slachtoffers(self, table) -> None:
        for name, columns in self.rows(table):
            code = VICTIMS.get(name)
            if code is None:
                self.out.leftovers.append(f"{self.source}: slachtoffers {name!r}")
                continue
            self.add(cell("slachtoffer", self.unit, self.period, slachtoffer=code), columns[0][1])

    def _code_table(self, table, tabel: str, axis: str, code_list: codes.CodeList) -> None:
        for name, columns in self.rows(table):
            text = columns[0][1]
            if name == "Reprimandes":
                self.add(cell(SPINE, self.unit, self.period, afdoening="reprimande"), text)
                continue
            code = _code(code_list, name)
            if code is None:
                self.out.leftovers.append(f"{self.source}: {axis} {name!r}")
                continue
            self.add(cell(tabel, self.unit, self.period, **{axis: code}), text)


def read_dashboard(html: str, unit: str, period: str, names: dict[str, str]) -> DashboardReading:
    """Every figure of one dashboard page of ``unit`` (a gemeente's code, or NL) and
    ``period``; ``names``: gemeente name -> CBS code."""
    return _Reader(html, unit, period, names, f"dashboard {unit} {period}").read()
