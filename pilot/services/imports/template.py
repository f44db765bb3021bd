"""The import template: an XLSX with drop-downs and an instruction sheet, and a CSV.

Generated from ``COLUMNS`` and ``pilot.codes``, the same code lists as the forms. The
drop-downs show the stable codes; the reader also accepts the Dutch labels.
"""

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from pilot.services import pii
from pilot.services.imports.columns import COLUMNS, RD_COLUMNS
from pilot.services.imports.reading import DATA_SHEET, MAX_BYTES, MAX_ROWS
from pilot.services.incidenten import MAX_COUNT
from pilot.templating import getal

CODES_SHEET = "codes"
LAST_ROW = MAX_ROWS + 1
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INSTRUCTIONS = (
    "Vul per incident één rij in op het blad 'Incidenten'. Rij 1 bevat de kolomnamen; laat "
    "die staan. Foutmeldingen noemen het rijnummer zoals Excel het toont.",
    "Codekolommen: kies uit de lijst (de code) of typ de Nederlandse omschrijving; "
    "hoofdletters maken niet uit. Meerdere gedragingen scheidt u met een komma.",
    "Locatie: breedtegraad en lengtegraad (WGS84). RD-coördinaten mogen ook, in deze kolommen "
    "of in extra kolommen rd_x en rd_y; ze worden herkend en omgerekend.",
    "Datum en tijd zijn Nederlandse tijd. Een rij die al in de applicatie staat (zelfde "
    "zaaknummer, of anders zelfde moment, plek, boa en gedragingen) wordt overgeslagen: "
    "hetzelfde bestand twee keer importeren geeft geen dubbele incidenten.",
    f"Grenzen: hoogstens {getal(MAX_ROWS)} rijen en {MAX_BYTES // 1024 // 1024} MB per bestand. "
    "CSV mag met ';' of ',' gescheiden zijn, in UTF-8 of Windows-1252.",
    f"Noteer nooit {pii.NOT_STORED}.",
)


def _codes_sheet(workbook: Workbook, boa_codes: Sequence[str]) -> dict[str, str]:
    """Write each code list in a column of the hidden sheet; return column -> range."""
    sheet = workbook.create_sheet(CODES_SHEET)
    sheet.sheet_state = "hidden"
    lists = [(c.name, [code.code for code in c.code_list.codes]) for c in COLUMNS if c.code_list]
    lists.append(("slachtofferhulp", ["ja", "nee"]))
    if boa_codes:
        lists.append(("boa_code", list(boa_codes)))
    ranges = {}
    for number, (name, values) in enumerate(lists, start=1):
        letter = get_column_letter(number)
        sheet.cell(row=1, column=number, value=name)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=number, value=value)
        ranges[name] = f"{quote_sheetname(CODES_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _validations(sheet, ranges: dict[str, str]) -> None:
    for number, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(number)
        cells = f"{letter}2:{letter}{LAST_ROW}"
        if column.name in ranges:
            validation = DataValidation(type="list", formula1=ranges[column.name])
            # gedragingen holds several codes and labels are accepted too: suggest, not force
            validation.showErrorMessage = column.name in {"slachtofferhulp"}
        elif column.name.startswith("aantal_"):
            validation = DataValidation(
                type="whole",
                operator="between",
                formula1="0",
                formula2=str(MAX_COUNT),
                showErrorMessage=True,
            )
        else:
            continue
        validation.promptTitle = column.name
        validation.prompt = column.toelichting[:250]
        validation.showInputMessage = True
        validation.error = f"Kies een waarde uit de lijst voor {column.name}."
        sheet.add_data_validation(validation)
        validation.add(cells)


def _instructions(workbook: Workbook) -> None:
    sheet = workbook.create_sheet("Toelichting")
    sheet.append(["Toelichting bij het importbestand voor incidenten (art. 429ter Sr)"])
    sheet["A1"].font = Font(bold=True, size=13)
    for line in INSTRUCTIONS:
        sheet.append([line])
    sheet.append([])
    sheet.append(["kolom", "verplicht", "formaat", "toelichting", "voorbeeld"])
    header_row = sheet.max_row
    for column in COLUMNS + RD_COLUMNS:
        sheet.append(
            [
                column.name,
                "ja" if column.verplicht else "nee",
                column.formaat,
                column.toelichting,
                column.voorbeeld,
            ]
        )
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for column in COLUMNS:
        if not column.code_list:
            continue
        sheet.append([])
        sheet.append([f"Codes voor {column.name} ({column.code_list.titel})", "omschrijving"])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for code in column.code_list.codes:
            sheet.append([code.code, code.label])
    for letter, width in zip("ABCDE", (34, 26, 34, 80, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def template_xlsx(boa_codes: Sequence[str] = ()) -> bytes:
    """The XLSX template; ``boa_codes`` (a gemeente's boa's) become a drop-down too."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    sheet.append([column.name for column in COLUMNS])
    for number, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=number)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(number)].width = max(14, len(column.name) + 4)
    sheet.freeze_panes = "A2"
    _instructions(workbook)
    _validations(sheet, _codes_sheet(workbook, boa_codes))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv() -> bytes:
    """The CSV template: the header row, ';'-separated, UTF-8 with BOM (as Dutch Excel likes)."""
    return ("\ufeff" + ";".join(column.name for column in COLUMNS) + "\r\n").encode("utf-8")
