"""Files for statistics packages: SPSS ``.sav`` and Stata ``.dta`` per table (pyreadstat),
and ``codebook.json`` for R (with the UTF-8 CSV files the dataset has already).

One source of labels: the dataset's variables, whose codes and Dutch labels come from the
current codebook (``codebook.py``). A coded variable is stored as a number with value
labels: the code itself where every code is a whole number (weekdag 0 = maandag), else the
code's position in its list (1, 2, …; a code is never removed or moved, so the numbers
stay). ``codebook.json`` gives per variable the code, its number and its label, so the CSV
(codes as text) and the ``.sav``/``.dta`` (numbers) can be matched without guessing.

A blank (suppressed or unknown) value is system-missing in SPSS and ``.`` in Stata. Stata's
limits: names of at most 32 characters (ours are shorter; a longer one is cut and made
unique, and ``codebook.json`` names it), variable labels of at most 80 characters (a longer
description is cut with "…"; SPSS allows 256 bytes; the full text is in the JSON and the
codebook). Value labels are cut only beyond 80 characters (Stata) or 120 bytes (SPSS),
which the seed labels are far from.
"""

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pilot import codes
from pilot.services.dataset.codebook import (
    CODE,
    DATUM,
    GETAL,
    JANEE,
    KOMMA,
    SUPPRESSED,
    SUPPRESSED_LABEL,
    Variable,
)

if TYPE_CHECKING:
    from pilot.services.dataset.formats import Dataset

NAME_MAX = 32
STATA_LABEL_MAX = 80
SPSS_VALUE_LABEL_BYTES = 120
SPSS_LABEL_BYTES = 256
NUMERIC = (GETAL, KOMMA, JANEE)
NOTE = (
    "Bestanden: per tabel een CSV (UTF-8, codes als tekst zoals in het codeboek, een lege "
    "cel is ontbrekend; in R met readr::read_csv of read.csv(na.strings = '')), een SPSS-"
    "bestand (.sav) en een Stata-bestand (.dta) met de codes als getallen, waardelabels en "
    "variabelelabels uit dit codeboek en ontbrekende waarden als system-missing of '.'; "
    "codebook.json geeft per variabele de code, het getal en het label."
)
MISSING = {
    "csv": "lege cel (R: NA met readr::read_csv of read.csv(na.strings = ''))",
    "sav": "system-missing",
    "dta": ". (missing)",
}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cut_bytes(text: str, limit: int) -> str:
    if len(text.encode()) <= limit:
        return text
    while len((text + "…").encode()) > limit:
        text = text[:-1]
    return text + "…"


@dataclass(frozen=True)
class Coding:
    """How one variable is stored in ``.sav`` and ``.dta``."""

    variable: Variable
    name: str  # ≤ 32 characters, unique within its table
    numbers: dict[str, int]  # codebook code → stored number; empty: not coded

    @property
    def value_labels(self) -> dict[int, str]:
        labels = dict(self.variable.codes)
        return {number: labels[code] for code, number in self.numbers.items()}


def _numbers(variable: Variable) -> dict[str, int]:
    if variable.type != CODE or not variable.codes:
        return {}
    keys = [code for code, _ in variable.codes]
    if all(re.fullmatch(r"-?\d+", code) for code in keys):
        return {code: int(code) for code in keys}
    return {code: position for position, code in enumerate(keys, start=1)}


def _name(name: str, taken: set[str]) -> str:
    base = re.sub(r"\W", "_", name, flags=re.ASCII)
    if not re.match(r"[A-Za-z_]", base):
        base = f"v_{base}"
    candidate, suffix = base[:NAME_MAX], 1
    while candidate.lower() in taken:
        tail = f"_{suffix}"
        candidate, suffix = base[: NAME_MAX - len(tail)] + tail, suffix + 1
    taken.add(candidate.lower())
    return candidate


def codings(variables: list[Variable], columns: list[str]) -> list[Coding]:
    """The codings of one table's columns, in file order."""
    of = {v.naam: v for v in variables}
    taken: set[str] = set()
    return [Coding(of[c], _name(c, taken), _numbers(of[c])) for c in columns]


def _as_date(value) -> date | None:
    if value is None or pd.isna(value) or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _key(value) -> str | None:
    """A value as its codebook code (None: blank); 3.0 and 3 are code '3'."""
    if value is None or pd.isna(value) or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column(coding: Coding, values: pd.Series) -> pd.Series:
    variable = coding.variable
    if coding.numbers:
        keys = [_key(v) for v in values]
        unknown = {k for k in keys if k is not None} - set(coding.numbers)
        if unknown:
            raise ValueError(f"{variable.naam}: codes buiten het codeboek: {sorted(unknown)}")
        numbers = [float("nan") if k is None else float(coding.numbers[k]) for k in keys]
        return pd.Series(numbers, index=values.index, dtype=float)
    if variable.type in NUMERIC:
        return pd.to_numeric(values, errors="raise").astype("Float64").astype(float)
    if variable.type == DATUM:
        return values.map(_as_date).astype(object)
    return values.map(lambda v: "" if v is None or pd.isna(v) else str(v)).astype(object)


def statistics_frame(frame: pd.DataFrame, table_codings: list[Coding]) -> pd.DataFrame:
    """A table as ``.sav``/``.dta`` hold it: numbers for codes, NaN for blanks."""
    out = pd.DataFrame(index=frame.index)
    for coding in table_codings:
        out[coding.name] = _column(coding, frame[coding.variable.naam])
    return out.reset_index(drop=True)


def _table_codings(dataset: "Dataset", name: str) -> list[Coding]:
    variables = [v for v in dataset.variables if v.bestand == name]
    return codings(variables, list(dataset.tables[name].columns))


def _sav_format(coding: Coding) -> str | None:
    if coding.numbers or coding.variable.type in (GETAL, JANEE):
        return "F8.0"
    if coding.variable.type == KOMMA:
        return "F12.6"
    return None


def write_sav(dataset: "Dataset", directory: Path) -> list[Path]:
    """One SPSS file per table, with variable and value labels from the codebook."""
    import pyreadstat

    paths = []
    for name, frame in dataset.tables.items():
        table = _table_codings(dataset, name)
        path = directory / f"{name}.sav"
        pyreadstat.write_sav(
            statistics_frame(frame, table),
            path,
            file_label=_cut(f"{dataset.title}: {name}", 64),
            column_labels={
                c.name: _cut_bytes(c.variable.omschrijving, SPSS_LABEL_BYTES) for c in table
            },
            variable_value_labels={
                c.name: {
                    n: _cut_bytes(label, SPSS_VALUE_LABEL_BYTES)
                    for n, label in c.value_labels.items()
                }
                for c in table
                if c.numbers
            },  # fmt: skip
            variable_format={c.name: f for c in table if (f := _sav_format(c))},
        )
        paths.append(path)
    return paths


def write_dta(dataset: "Dataset", directory: Path) -> list[Path]:
    """One Stata file per table (format 118/119), labels within Stata's limits."""
    import pyreadstat

    paths = []
    for name, frame in dataset.tables.items():
        table = _table_codings(dataset, name)
        path = directory / f"{name}.dta"
        pyreadstat.write_dta(
            statistics_frame(frame, table),
            path,
            file_label=_cut(f"{dataset.title}: {name}", STATA_LABEL_MAX),
            column_labels={c.name: _cut(c.variable.omschrijving, STATA_LABEL_MAX) for c in table},
            variable_value_labels={
                c.name: {n: _cut(label, STATA_LABEL_MAX) for n, label in c.value_labels.items()}
                for c in table
                if c.numbers
            },
        )
        paths.append(path)
    return paths


def _stored(coding: Coding, code: str) -> int | None:
    """The number a code is stored as (a 0/1 variable's one code: 1)."""
    if coding.variable.type == JANEE:
        return 1
    return coding.numbers.get(code)


def codebook_json(dataset: "Dataset") -> dict:
    """The codebook as one JSON document: files, variables, codes, missing values."""
    tables = {}
    for name in dataset.tables:
        variables = []
        for coding in _table_codings(dataset, name):
            v = coding.variable
            entry = {
                "naam": v.naam,
                "naam_sav_dta": coding.name,
                "type": v.type,
                "label": v.omschrijving,
                "codelijst": v.codelijst or None,
                "kan_onderdrukt_zijn": v.beschermd,
                "waarden": [
                    {"code": code, "waarde": _stored(coding, code), "label": label}
                    for code, label in v.codes
                ],
            }
            variables.append(entry)
        tables[name] = {
            "bestanden": {"csv": f"{name}.csv", "sav": f"{name}.sav", "dta": f"{name}.dta"},
            "rijen": len(dataset.tables[name]),
            "variabelen": variables,
        }
    rows = dataset.codebook
    return {
        "titel": dataset.title,
        "codeboek_versie": codes.current().versie,
        "toelichting": dataset.notes,
        "ontbrekende_waarde": {
            "code": SUPPRESSED,
            "betekenis": SUPPRESSED_LABEL + " Zonder die code in het codeboek: onbekend.",
            **MISSING,
        },
        "codering_sav_dta": (
            "Een gecodeerde variabele is in .sav en .dta een getal met waardelabels: de code "
            "zelf als alle codes gehele getallen zijn, anders de plaats van de code in de "
            "codelijst (1, 2, …). 'waarde' per code hieronder."
        ),
        "tabellen": tables,
        "wijzigingen": [
            {"versie": r.code, "datum": r.label, "codelijst": r.codelijst,
             "wijziging": r.omschrijving}
            for r in rows
            if r.bestand == "codeboek"
        ],
        "bescherming": [
            {"variabele": r.variabele, "maat": r.code, "waarde": r.label,
             "toelichting": r.omschrijving}
            for r in rows
            if r.bestand == "bescherming"
        ],
    }  # fmt: skip


def write_codebook_json(dataset: "Dataset", directory: Path) -> list[Path]:
    path = directory / "codebook.json"
    path.write_text(
        json.dumps(codebook_json(dataset), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return [path]
