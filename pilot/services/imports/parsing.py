"""Turning raw rows into ``IncidentInput`` plus per-row format errors.

Only the *format* is judged here (is this a date, a number, a known boa code); every
domain rule (pilot period, mandate, boundary, codes, counts, personal data) is left to
``pilot.services.incidenten.validate_batch``, the one place for them. Unknown code values
are passed on unchanged so that the service reports them in the same words as the form.

Errors are keyed by the service's field names (``tijdstip``, ``locatie``, ``boa_id``, …),
so a format error and a rule error about the same field never both appear. A message names
the column and the problem, never the cell's value: a wrong cell may hold anything (a
name, a BSN), and the preview and the error file must not repeat it.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np

from gemeenten.boundaries import to_wgs84
from pilot import codes
from pilot.clock import AMSTERDAM
from pilot.services.imports.columns import (
    ALL_COLUMNS,
    BOOLEANS,
    LOCATION_ALTERNATIVES,
    RD_RANGES,
    RD_X_RANGE,
    RD_Y_RANGE,
    REQUIRED,
    code_lookup,
    normalise_header,
)
from pilot.services.imports.reading import ImportFileError, Table
from pilot.services.incidenten import CODE_FIELDS, IncidentInput, RowErrors
from pilot.templating import getal

EXCEL_EPOCH = date(1899, 12, 30)
DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
DATE_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
TIME_HM = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$")
GEDRAGING_SPLIT = re.compile(r"[,;/+]")


class FormatError(ValueError):
    """A cell that cannot be read; the message is Dutch."""


@dataclass
class ParsedRow:
    rij: int
    item: IncidentInput
    errors: RowErrors = field(default_factory=dict)
    rd: tuple[float, float] | None = None


@dataclass
class ParsedFile:
    rows: list[ParsedRow]
    genegeerde_kolommen: list[str]
    rd_omgezet: int


def _text(value: object) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


FIRST_YEAR, LAST_YEAR = 1900, 2100  # outside: a typing error, and out of datetime's reach


def parse_date(value: object) -> date:
    day = _parse_date(value)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise FormatError(
            f"Datum '{_text(value)}' ligt niet tussen {FIRST_YEAR} en {LAST_YEAR}; "
            "controleer het jaartal."
        )
    return day


def _parse_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and 20_000 <= value <= 80_000:
        return EXCEL_EPOCH + timedelta(days=int(value))
    text = _text(value)
    if match := DATE_DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := DATE_YMD.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise FormatError(
            "Datum niet herkend: gebruik dd-mm-jjjj (bijvoorbeeld 12-09-2025) of jjjj-mm-dd."
        )
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise FormatError("Deze datum bestaat niet (dag of maand te groot).") from exc


def parse_time(value: object) -> time:
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, timedelta) and value < timedelta(days=1):
        minutes = round(value.total_seconds() / 60)
        return time(minutes // 60 % 24, minutes % 60)
    if isinstance(value, float) and 0 <= value < 1:
        minutes = round(value * 24 * 60) % (24 * 60)
        return time(minutes // 60, minutes % 60)
    text = _text(value)
    match = TIME_HM.match(text)
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return time(int(match.group(1)), int(match.group(2)))
    raise FormatError("Tijd niet herkend: gebruik uu:mm (bijvoorbeeld 21:30).")


def parse_number(value: object, column: str) -> float | None:
    if isinstance(value, bool):
        raise FormatError(f"De waarde in kolom {column} is geen getal.")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = _text(value)
        if " " in text:
            text = text.replace(" ", "")
        if not text:
            return None
        if "," in text:  # decimal comma, as Dutch Excel writes it; dots are then thousands
            text = text.replace(".", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError as exc:
            raise FormatError(f"De waarde in kolom {column} is geen getal.") from exc
    if not math.isfinite(number):
        raise FormatError(f"De waarde in kolom {column} is geen getal.")
    return number


def parse_count(value: object, column: str) -> int | None:
    number = parse_number(value, column)
    if number is None:
        return None
    if not number.is_integer():
        raise FormatError(f"De waarde in kolom {column} is geen geheel getal.")
    return int(number)


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if not text:
        return False
    if text in BOOLEANS:
        return BOOLEANS[text]
    raise FormatError("Niet herkend: vul 'ja' of 'nee' in.")


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    known = {c.name for c in ALL_COLUMNS}
    index: dict[str, int] = {}
    ignored: list[str] = []
    for position, raw in enumerate(header):
        name = normalise_header(raw)
        if not name:
            continue
        if name not in known:
            ignored.append(raw)
            continue
        if name in index:
            raise ImportFileError(f"De kolom '{name}' komt twee keer voor in de eerste rij.")
        index[name] = position
    missing = [name for name in REQUIRED if name not in index]
    if not any(all(n in index for n in pair) for pair in LOCATION_ALTERNATIVES):
        missing[2:2] = ["breedtegraad", "lengtegraad"]
    if missing:
        raise ImportFileError(
            "Deze verplichte kolommen ontbreken in de eerste rij: "
            + ", ".join(missing)
            + ". Gebruik het sjabloon (kolomnamen zoals daar, hoofdletters maken niet uit)."
        )
    return index, ignored


def _is_rd(a: float, b: float) -> tuple[float, float] | None:
    x, y = min(a, b), max(a, b)
    if RD_X_RANGE[0] <= x <= RD_X_RANGE[1] and RD_Y_RANGE[0] < y <= RD_Y_RANGE[1]:
        return x, y
    return None


SLOTS = (
    "datum",
    "tijd",
    "breedtegraad",
    "lengtegraad",
    "rd_x",
    "rd_y",
    "boa_code",
    "gedragingen",
    "aantal_verdachten",
    "aantal_slachtoffers",
    "slachtofferhulp",
    "zaaknummer",
    "opmerking",
    *CODE_FIELDS,
)


class _RowParser:
    """Parses rows of one file; column positions and code lookups are resolved once."""

    def __init__(self, index: dict[str, int], boas: dict[str, int], gemeente_naam: str) -> None:
        self.positions = [index.get(name) for name in SLOTS]
        self.boas = boas
        self.gemeente_naam = gemeente_naam
        self.code_lookups = [
            (SLOTS.index(name), name, code_lookup(code_list))
            for name, code_list in CODE_FIELDS.items()
        ]
        self.gedraging_lookup = code_lookup(codes.GEDRAGING)

    def parse(self, rij: int, values: list) -> ParsedRow:
        cells = [
            "" if p is None or values[p] is None else _text(values[p]) if type(values[p]) is str
            else values[p]
            for p in self.positions
        ]  # fmt: skip
        (datum, tijd, lat, lon, rd_x, rd_y, boa, gedragingen, verdachten, slachtoffers,
         hulp, zaaknummer, opmerking) = cells[:13]  # fmt: skip
        errors: RowErrors = {}
        item = IncidentInput(tijdstip=None, lat=None, lon=None, boa_id=None)
        row = ParsedRow(rij, item, errors)
        self._moment(datum, tijd, item, errors)
        self._location(lat, lon, rd_x, rd_y, row, errors)
        self._boa(_text(boa).upper(), item, errors)
        for slot, name, lookup in self.code_lookups:
            text = _text(cells[slot])
            setattr(item, name, lookup.get(text.lower(), text))
        lookup = self.gedraging_lookup
        parts = [p.strip() for p in GEDRAGING_SPLIT.split(_text(gedragingen))]
        item.gedragingen = list(dict.fromkeys(lookup.get(p.lower(), p) for p in parts if p))
        for name, value in (
            ("aantal_verdachten", verdachten),
            ("aantal_slachtoffers", slachtoffers),
        ):
            try:
                setattr(item, name, parse_count(value, name))
            except FormatError as exc:
                setattr(item, name, 0)
                errors[name] = [str(exc)]
        try:
            item.slachtofferhulp = parse_bool(hulp)
        except FormatError as exc:
            errors["slachtofferhulp"] = [str(exc)]
        item.zaaknummer = _text(zaaknummer) or None
        item.opmerking = _text(opmerking) or None
        return row

    @staticmethod
    def _moment(datum: object, tijd: object, item: IncidentInput, errors: RowErrors) -> None:
        messages = []
        day = moment = None
        if datum == "":
            messages.append("Vul de datum in (dd-mm-jjjj).")
        else:
            try:
                day = parse_date(datum)
            except FormatError as exc:
                messages.append(str(exc))
        if tijd == "":
            messages.append("Vul de tijd in (uu:mm).")
        else:
            try:
                moment = parse_time(tijd)
            except FormatError as exc:
                messages.append(str(exc))
        if messages:
            errors["tijdstip"] = messages
        else:
            item.tijdstip = datetime.combine(day, moment, tzinfo=AMSTERDAM)

    @staticmethod
    def _location(lat_raw, lon_raw, x_raw, y_raw, row: ParsedRow, errors: RowErrors) -> None:
        try:
            lat = parse_number(lat_raw, "breedtegraad")
            lon = parse_number(lon_raw, "lengtegraad")
            if lat is None or lon is None:
                x, y = parse_number(x_raw, "rd_x"), parse_number(y_raw, "rd_y")
        except FormatError as exc:
            errors["locatie"] = [str(exc)]
            return
        if lat is not None and lon is not None:
            if abs(lat) > 360 or abs(lon) > 360:
                row.rd = _is_rd(lat, lon)
                if row.rd is None:
                    errors["locatie"] = [
                        "Deze coördinaten zijn geen breedte-/lengtegraad en ook geen "
                        f"RD-coördinaten ({RD_RANGES})."
                    ]
                return
            row.item.lat, row.item.lon = lat, lon
        elif x is not None and y is not None:
            row.rd = _is_rd(x, y) if x < y else None
            if row.rd is None:
                errors["locatie"] = [
                    f"RD-coördinaten buiten Nederland: x moet tussen {getal(RD_X_RANGE[0])} en "
                    f"{getal(RD_X_RANGE[1])} liggen, y tussen {getal(RD_Y_RANGE[0])} en "
                    f"{getal(RD_Y_RANGE[1])}."
                ]
        else:
            errors["locatie"] = ["Vul breedtegraad en lengtegraad (of rd_x en rd_y) in."]

    def _boa(self, code: str, item: IncidentInput, errors: RowErrors) -> None:
        if not code:
            errors["boa_id"] = ["Vul de boa-code in."]
        elif code not in self.boas:
            errors["boa_id"] = [
                f"Onbekende boa-code voor {self.gemeente_naam}: gebruik de code uit de lijst "
                "van boa's (zie het sjabloon)."
            ]
        else:
            item.boa_id = self.boas[code]


def parse_table(table: Table, boas: dict[str, int], gemeente_naam: str) -> ParsedFile:
    """Parse every row; ``boas`` maps upper-case boa codes of the gemeente to ids.

    RD coordinates (recognised by range) are converted to WGS84 in one vectorised call.
    """
    index, ignored = _columns(table.header)
    parser = _RowParser(index, boas, gemeente_naam)
    rows = [parser.parse(rij, values) for rij, values in table.rows]
    rd_rows = [row for row in rows if row.rd is not None]
    if rd_rows:
        xs = np.array([row.rd[0] for row in rd_rows])
        ys = np.array([row.rd[1] for row in rd_rows])
        lats, lons = to_wgs84(xs, ys)
        for row, lat, lon in zip(rd_rows, lats.tolist(), lons.tolist(), strict=True):
            row.item.lat, row.item.lon = lat, lon
    return ParsedFile(rows=rows, genegeerde_kolommen=ignored, rd_omgezet=len(rd_rows))
