"""The pseudonymised evaluation dataset: incidents, diensten, police figures and codebook.

Incidents are exported with their location coarsened to the 100 m RD cell (corner in RD,
centre in WGS84), the boa as pseudonym, the local date and time band but not the exact
time, and without the free-text remark or any keyed hash. Withdrawn incidents are left
out. Files: CSV (UTF-8, comma), one XLSX workbook (openpyxl write-only), a GeoPackage of
the incidents (point = cell centre, EPSG:28992) and the codebook as CSV and PDF.
"""

import csv
import io
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from openpyxl import Workbook

from gemeenten.boundaries import RD, to_wgs84
from pilot import audit, clock, codes
from pilot.extensions import db
from pilot.models import Boa, Dienst, Gemeente, Incident, PolitieCijfer
from pilot.services.dataset.codebook import (
    DIENST_VARIABLES,
    FIELDS,
    POLITIE_VARIABLES,
    codebook_rows,
    gedraging_column,
    incident_variables,
)
from pilot.services.reports.pdf import render_pdf

CELL_M = 100


def incidenten() -> pd.DataFrame:
    """Every non-withdrawn incident, pseudonymised and coarsened, in codebook column order."""
    statement = (
        db.select(
            Incident.id.label("incident_id"),
            Gemeente.cbs_code.label("gemeente"),
            Gemeente.naam.label("gemeente_naam"),
            Gemeente.tranche,
            Boa.code.label("boa"),
            Incident.lokale_datum.label("datum"),
            Incident.weekdag,
            Incident.tijdvak,
            Incident.rd_x,
            Incident.rd_y,
            Incident.locatie_type,
            Incident.gedragingen,
            Incident.kennisname,
            Incident.kleding,
            Incident.rol_boa,
            Incident.afdoening,
            Incident.aantal_verdachten,
            Incident.leeftijd_verdachten,
            Incident.aantal_slachtoffers,
            Incident.slachtofferhulp,
            Incident.tijdstip,
            Incident.aangemaakt_op,
            Incident.synthetisch,
        )
        .join(Gemeente, Gemeente.id == Incident.gemeente_id)
        .join(Boa, Boa.id == Incident.boa_id)
        .where(Incident.ingetrokken_op.is_(None))
        .order_by(Incident.id)
    )
    result = db.session.execute(statement)
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    x = np.floor(frame["rd_x"].to_numpy(dtype=float) / CELL_M) * CELL_M
    y = np.floor(frame["rd_y"].to_numpy(dtype=float) / CELL_M) * CELL_M
    lat, lon = to_wgs84(x + CELL_M / 2, y + CELL_M / 2) if len(frame) else ([], [])
    frame["cel_x"] = x.astype(int)
    frame["cel_y"] = y.astype(int)
    frame["cel_lat"] = np.round(lat, 6)
    frame["cel_lon"] = np.round(lon, 6)
    frame["datum"] = frame["datum"].astype(str)
    for item in codes.GEDRAGING.codes:
        bit = codes.gedraging_bit(item.code)
        frame[gedraging_column(item.code)] = (frame["gedragingen"].astype(int) & bit != 0).astype(
            int
        )
    delay = pd.to_datetime(frame["aangemaakt_op"], utc=True) - pd.to_datetime(
        frame["tijdstip"], utc=True
    )
    frame["registratie_vertraging_dagen"] = delay.dt.days.astype("Int64")
    frame["slachtofferhulp"] = frame["slachtofferhulp"].astype(int)
    frame["synthetisch"] = frame["synthetisch"].astype(int)
    return frame[[v.naam for v in incident_variables()]]


def diensten() -> pd.DataFrame:
    statement = (
        db.select(
            Dienst.id.label("dienst_id"),
            Gemeente.cbs_code.label("gemeente"),
            Dienst.datum,
            Dienst.duur_minuten,
            Dienst.aantal_uniform,
            Dienst.aantal_burger,
            Dienst.synthetisch,
        )
        .join(Gemeente, Gemeente.id == Dienst.gemeente_id)
        .order_by(Dienst.id)
    )
    result = db.session.execute(statement)
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    frame["datum"] = frame["datum"].astype(str)
    people = frame["aantal_uniform"] + frame["aantal_burger"]
    frame["inzeturen"] = (frame["duur_minuten"] / 60 * people).round(2)
    frame["synthetisch"] = frame["synthetisch"].astype(int)
    return frame[[v.naam for v in DIENST_VARIABLES]]


def politiecijfers() -> pd.DataFrame:
    statement = (
        db.select(
            Gemeente.cbs_code.label("gemeente"),
            PolitieCijfer.maand,
            PolitieCijfer.meldingen,
            PolitieCijfer.aangiftes,
            PolitieCijfer.processen_verbaal,
        )
        .join(Gemeente, Gemeente.id == PolitieCijfer.gemeente_id)
        .order_by(Gemeente.cbs_code, PolitieCijfer.maand)
    )
    result = db.session.execute(statement)
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    frame["maand"] = frame["maand"].astype(str)
    for name in ("meldingen", "aangiftes", "processen_verbaal"):
        frame[name] = frame[name].astype("Int64")
    return frame[[v.naam for v in POLITIE_VARIABLES]]


def _xlsx(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    workbook = Workbook(write_only=True)
    for name, frame in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.append(list(frame.columns))
        for row in frame.astype(object).where(frame.notna(), None).to_numpy().tolist():
            sheet.append(row)
    workbook.save(path)


def _gpkg(path: Path, frame: pd.DataFrame) -> None:
    points = gpd.points_from_xy(frame["cel_x"] + CELL_M / 2, frame["cel_y"] + CELL_M / 2)
    data = frame.copy()
    data["registratie_vertraging_dagen"] = data["registratie_vertraging_dagen"].astype(float)
    gpd.GeoDataFrame(data, geometry=points, crs=RD).to_file(
        path, layer="incidenten", driver="GPKG", engine="pyogrio"
    )


def codebook_pdf(rows) -> bytes:
    return render_pdf("dataset/codebook.html", rijen=rows, vingerafdruk="", gegenereerd=clock.now())


def write_dataset(directory: Path) -> list[Path]:
    """Write every file of the dataset into ``directory``; returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    frames = {
        "incidenten": incidenten(),
        "diensten": diensten(),
        "politiecijfers": politiecijfers(),
    }
    rows = codebook_rows()
    paths = []
    for name, frame in frames.items():
        path = directory / f"{name}.csv"
        frame.to_csv(path, index=False, encoding="utf-8")
        paths.append(path)
    path = directory / "codeboek.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        writer.writerows([getattr(row, name) for name in FIELDS] for row in rows)
    paths.append(path)
    codebook_frame = pd.DataFrame([[getattr(r, f) for f in FIELDS] for r in rows], columns=FIELDS)
    _xlsx(directory / "dataset.xlsx", {**frames, "codeboek": codebook_frame})
    _gpkg(directory / "incidenten.gpkg", frames["incidenten"])
    (directory / "codeboek.pdf").write_bytes(codebook_pdf(rows))
    paths += [directory / "dataset.xlsx", directory / "incidenten.gpkg", directory / "codeboek.pdf"]
    return paths


def dataset_zip() -> bytes:
    """The dataset as one zip file (for the web download)."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_dataset(Path(tmp))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, arcname=path.name)
    return buffer.getvalue()


def _audit(vorm: str) -> None:
    audit.record("exporteren", "dataset", "evaluatie", vorm=vorm)
    db.session.commit()


def download_dataset() -> bytes:
    """Build the zip and record the download in the audit trail (one commit)."""
    content = dataset_zip()
    _audit("zip")
    return content


def export_dataset(directory: Path) -> list[Path]:
    """Write the dataset into a folder (CLI) and record the export in the audit trail."""
    paths = write_dataset(directory)
    _audit("map")
    return paths
