"""The files of a dataset: one writer per format, so that a format is one function more.
The files for statistics packages (``.sav``, ``.dta``, ``codebook.json``) are in
``statistics.py``.

Every writer takes the dataset and a folder and returns the paths it wrote. A blank
(suppressed) value is the format's own missing value: an empty CSV field, an empty XLSX
cell, NULL in the GeoPackage; the codebook documents it as the code ``onderdrukt``.
"""

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from openpyxl import Workbook

from gemeenten.boundaries import RD
from pilot import clock, codes
from pilot.services.dataset.codebook import FIELDS, CodebookRow, Variable, codebook_rows
from pilot.services.dataset.statistics import write_codebook_json, write_dta, write_sav
from pilot.services.reports.pdf import render_pdf


@dataclass
class Dataset:
    """The tables of one export and what the codebook says about them."""

    title: str
    tables: dict[str, pd.DataFrame]
    variables: list[Variable]
    notes: list[str] = field(default_factory=list)
    protection: list[CodebookRow] = field(default_factory=list)
    cell_size: int | None = None  # the incidents' location cell (m); None: no location

    @property
    def codebook(self) -> list[CodebookRow]:
        return codebook_rows(self.variables, protection=self.protection)


Writer = Callable[[Dataset, Path], list[Path]]


def write_csv(dataset: Dataset, directory: Path) -> list[Path]:
    """One UTF-8 CSV file per table."""
    paths = []
    for name, frame in dataset.tables.items():
        path = directory / f"{name}.csv"
        frame.to_csv(path, index=False, encoding="utf-8")
        paths.append(path)
    return paths


def _codebook_frame(rows: list[CodebookRow]) -> pd.DataFrame:
    return pd.DataFrame([[getattr(r, f) for f in FIELDS] for r in rows], columns=FIELDS)


def write_xlsx(dataset: Dataset, directory: Path) -> list[Path]:
    """One workbook: a sheet per table and the codebook (openpyxl write-only)."""
    path = directory / "dataset.xlsx"
    workbook = Workbook(write_only=True)
    sheets = {**dataset.tables, "codeboek": _codebook_frame(dataset.codebook)}
    for name, frame in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.append(list(frame.columns))
        for row in frame.astype(object).where(frame.notna(), None).to_numpy().tolist():
            sheet.append(row)
    workbook.save(path)
    return [path]


def write_gpkg(dataset: Dataset, directory: Path) -> list[Path]:
    """The incidents as points (cell centres, EPSG:28992); none without a location."""
    if dataset.cell_size is None:
        return []
    path = directory / "incidenten.gpkg"
    frame = dataset.tables["incidenten"]
    half = dataset.cell_size / 2
    x = frame["cel_x"].astype("Float64").to_numpy(dtype=float, na_value=float("nan"))
    y = frame["cel_y"].astype("Float64").to_numpy(dtype=float, na_value=float("nan"))
    points = gpd.points_from_xy(x + half, y + half)
    points[pd.isna(x)] = None
    data = frame.copy()
    for name in data.columns:
        if isinstance(data[name].dtype, pd.api.extensions.ExtensionDtype):
            data[name] = data[name].astype(object).where(data[name].notna(), None)
    gpd.GeoDataFrame(data, geometry=points, crs=RD).to_file(
        path, layer="incidenten", driver="GPKG", engine="pyogrio"
    )
    return [path]


def write_codebook_csv(dataset: Dataset, directory: Path) -> list[Path]:
    path = directory / "codeboek.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        writer.writerows([getattr(row, name) for name in FIELDS] for row in dataset.codebook)
    return [path]


def write_codebook_pdf(dataset: Dataset, directory: Path) -> list[Path]:
    path = directory / "codeboek.pdf"
    rows = dataset.codebook
    path.write_bytes(
        render_pdf(
            "dataset/codebook.html",
            titel=dataset.title,
            codeboek_versie=codes.current().versie,
            toelichting=dataset.notes,
            rijen=[r for r in rows if r.bestand != "bescherming"],
            bescherming=[r for r in rows if r.bestand == "bescherming"],
            vingerafdruk="",
            gegenereerd=clock.now(),
        )
    )
    return [path]


WRITERS: tuple[Writer, ...] = (
    write_csv,
    write_codebook_csv,
    write_xlsx,
    write_gpkg,
    write_codebook_pdf,
    write_codebook_json,
    write_sav,
    write_dta,
)
