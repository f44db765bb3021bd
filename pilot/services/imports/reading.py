"""Reading an uploaded CSV or XLSX file into a header and raw rows, within limits.

Pure: a path in, plain values out, no Flask. Problems with the file as a whole (type,
encoding, size, broken workbook, too many rows) raise ``ImportFileError`` with a Dutch
message; nothing about single rows is decided here. Row numbers are those the user sees
in Excel: the header is row 1, the first record row 2.

XLSX is read with python-calamine (Rust): openpyxl's read-only mode needs ~15 s for
100,000 rows on our machines, calamine under 2 s. Calamine reads a whole sheet into memory,
so ``_check_xlsx`` first streams every part of the zip through zlib, counting the real
uncompressed bytes (not the sizes the zip claims), the rows and the highest row and column
named in the sheets; a zip bomb or a sheet with a cell at XFD1048576 is refused early,
with a Dutch message, before calamine sees it (ASVS 12.1.2).
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from pilot.services.errors import DomainError
from pilot.templating import getal

MAX_BYTES = 16 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 60
DATA_SHEET = "Incidenten"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
MAX_UNCOMPRESSED = 160 * 1024 * 1024  # a full 100,000-row import is ~60 MB of XML
MAX_SHEET_COLUMNS = 200  # columns beyond MAX_COLUMNS are ignored, but calamine allocates them
ROW_REF = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,4})(\d+)\"")
CHUNK = 1024 * 1024
CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}


class ImportFileError(DomainError):
    """The file as a whole cannot be imported; the message is Dutch and meant for users."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="bestand")


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list]]  # (row number as in Excel, raw cell values)
    soort: str  # "csv" or "xlsx"


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def read_table(path: Path, bestand: str, max_rows: int = MAX_ROWS) -> Table:
    """Read ``path`` (original name ``bestand``) as CSV or XLSX, judged by its content."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ImportFileError(
            f"Het bestand is {_megabytes(size)}; de grens is {_megabytes(MAX_BYTES)}. "
            "Splits het bestand in delen."
        )
    if size == 0:
        raise ImportFileError("Het bestand is leeg.")
    with path.open("rb") as handle:
        start = handle.read(8)
    suffix = Path(bestand).suffix.lower()
    if start.startswith(OLE_MAGIC) or suffix == ".xls":
        raise ImportFileError(
            "Dit is een oud Excel-bestand (.xls). Sla het in Excel op als .xlsx of als CSV "
            "en probeer het opnieuw."
        )
    if start.startswith(ZIP_MAGIC):
        if suffix not in XLSX_SUFFIXES:
            raise ImportFileError(
                "Dit bestandstype wordt niet ondersteund. Gebruik een Excel-bestand (.xlsx) "
                "of een CSV-bestand (.csv)."
            )
        _check_xlsx(path, max_rows)
        return _read_xlsx(path, max_rows)
    if suffix in XLSX_SUFFIXES:
        raise ImportFileError(
            "Het Excel-bestand is beschadigd of geen echt .xlsx-bestand. Open het in Excel, "
            "sla het opnieuw op en probeer het nog eens."
        )
    if suffix not in CSV_SUFFIXES:
        raise ImportFileError(
            "Dit bestandstype wordt niet ondersteund. Gebruik een Excel-bestand (.xlsx) of een "
            "CSV-bestand (.csv)."
        )
    return _read_csv(path.read_bytes(), max_rows)


def _too_big() -> ImportFileError:
    return ImportFileError(
        f"Het Excel-bestand is uitgepakt groter dan {_megabytes(MAX_UNCOMPRESSED)} of heeft "
        "cellen ver buiten de kolommen van het sjabloon. Sla alleen het werkblad met de "
        "incidenten op in een nieuw bestand (of als CSV) en probeer het opnieuw."
    )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_xlsx(path: Path, max_rows: int) -> None:
    """Stream every zip member; refuse when real size, rows or columns exceed the limits."""
    total = 0
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > MAX_UNCOMPRESSED:
                raise _too_big()
            for member in members:
                is_sheet = member.filename.startswith("xl/worksheets/")
                tail = b""
                with archive.open(member) as handle:
                    while chunk := handle.read(CHUNK):
                        total += len(chunk)
                        if total > MAX_UNCOMPRESSED:
                            raise _too_big()
                        if is_sheet:
                            _check_refs(tail + chunk, max_rows)
                            tail = chunk[-256:]
    except zipfile.BadZipFile as exc:
        raise ImportFileError(
            "Het Excel-bestand is beschadigd en kan niet worden gelezen. Open het in Excel, "
            "sla het opnieuw op en probeer het nog eens."
        ) from exc


def _check_refs(data: bytes, max_rows: int) -> None:
    limit = max_rows + 1_000  # the header and some empty rows
    for match in ROW_REF.finditer(data):
        if int(match[1]) > limit:
            raise _rows_error(max_rows)
    for match in CELL_REF.finditer(data):
        if _column_number(match[1]) > MAX_SHEET_COLUMNS:
            raise _too_big()
        if int(match[2]) > limit:
            raise _rows_error(max_rows)


def _rows_error(max_rows: int) -> ImportFileError:
    return ImportFileError(
        f"Het bestand bevat meer dan {getal(max_rows)} rijen; de grens is "
        f"{getal(max_rows)}. Splits het bestand in delen."
    )


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            "Het bestand lijkt geen tekst (CSV) te zijn. Gebruik een Excel-bestand (.xlsx) "
            "of een CSV-bestand (.csv)."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "De tekenset van het CSV-bestand is niet herkend. Sla het op als 'CSV UTF-8' of "
            "als 'CSV (gescheiden door lijstscheidingsteken)'."
        ) from exc


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def _read_csv(data: bytes, max_rows: int) -> Table:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        return _collect(reader, max_rows, "csv")
    except csv.Error as exc:
        raise ImportFileError(f"Het CSV-bestand kan niet worden gelezen: {exc}.") from exc


def _read_xlsx(path: Path, max_rows: int) -> Table:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        if not names:
            raise ImportFileError("Het Excel-bestand bevat geen werkbladen.")
        sheet = workbook.get_sheet_by_name(DATA_SHEET if DATA_SHEET in names else names[0])
        return _collect(sheet.iter_rows(), max_rows, "xlsx")
    except CalamineError as exc:
        raise ImportFileError(
            "Het Excel-bestand is beschadigd en kan niet worden gelezen. Open het in Excel, "
            "sla het opnieuw op en probeer het nog eens."
        ) from exc
    except (ValueError, KeyError, OSError) as exc:  # zip-level damage surfaces as these
        raise ImportFileError(
            "Het Excel-bestand is beschadigd en kan niet worden gelezen. Open het in Excel, "
            "sla het opnieuw op en probeer het nog eens."
        ) from exc


def _is_empty(values: list) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _collect(records: Iterable[list], max_rows: int, soort: str) -> Table:
    iterator: Iterator[list] = iter(records)
    header = next(iterator, None)
    if header is None or _is_empty(list(header)):
        raise ImportFileError(
            "De eerste rij van het bestand moet de kolomnamen bevatten (zie het sjabloon)."
        )
    header = [str(v if v is not None else "").strip() for v in header][:MAX_COLUMNS]
    width = len(header)
    rows: list[tuple[int, list]] = []
    for number, values in enumerate(iterator, start=2):
        values = list(values[:width])
        if _is_empty(values):
            continue
        if len(rows) >= max_rows:
            raise _rows_error(max_rows)
        if len(values) < width:
            values.extend([""] * (width - len(values)))
        rows.append((number, values))
    if not rows:
        raise ImportFileError("Het bestand bevat geen rijen onder de kolomnamen.")
    return Table(header=header, rows=rows, soort=soort)
