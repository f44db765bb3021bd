"""Loading gemeentegrenzen from a CBS/PDOK file or the official PDOK year: preview, confirm.

The web (upload or PDOK year) and the CLI (path or URL) call the same functions:

1. ``preview(source)`` reads the file (GeoJSON or GeoPackage, WGS84 or RD New) and
   describes, per registered gemeente, the change in area and how many of its existing
   incidents would lie outside the new boundary with the configured tolerance (and how
   many lie outside the current one); nothing is written.
2. ``apply(loaded, bron)`` stores the boundaries of the registered gemeenten found in the
   file and the CBS list of every gemeente of the file's year (name, boundary; province
   and population carried over), audited as one event, one commit.

The web keeps the file between the two steps in the instance folder, as the incident
import does (``store_upload`` / ``stored_source``). The web fetches only the official PDOK
service (``PILOT_PDOK_WFS``, a URL template with ``{jaar}``), never a URL typed in a form;
the CLI, run by the operator, accepts any path or URL.
"""

import json
import re
import secrets
import shutil
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from flask import current_app
from shapely.geometry.base import BaseGeometry

from gemeenten import BoundaryError, GemeenteFile, points_within, read_gemeente_file
from gemeenten.boundaries import PDOK_WFS
from gemeenten.registry import cbs_gemeenten
from pilot import audit, clock
from pilot.extensions import db
from pilot.models import CbsLijstGemeente, Gemeente, Incident
from pilot.services.errors import DomainError, NotFound
from pilot.services.gemeenten import boundary_of, clear_boundary_cache

FOLDER = "grenzen-uploads"  # beside the incident import's uploads/, not inside it
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
MAX_AGE_SECONDS = 24 * 3600
MAX_DOWNLOAD_BYTES = 300 * 1024 * 1024
DOWNLOAD_TIMEOUT_S = 120
FIRST_YEAR, LAST_YEAR = 2000, 2100
SUFFIXES = (".geojson", ".json", ".gpkg")


@dataclass(frozen=True)
class PreviewRow:
    cbs_code: str
    naam: str
    oppervlakte_oud_km2: float | None
    oppervlakte_nieuw_km2: float | None
    incidenten: int
    buiten_oud: int | None  # outside the current boundary (None: no current boundary)
    buiten_nieuw: int | None  # None: not in the file, the boundary stays as it is

    @property
    def in_bestand(self) -> bool:
        return self.oppervlakte_nieuw_km2 is not None

    @property
    def verschil_pct(self) -> float | None:
        old, new = self.oppervlakte_oud_km2, self.oppervlakte_nieuw_km2
        if old is None or new is None or old == 0:
            return None
        return (new - old) / old * 100


@dataclass(frozen=True)
class Preview:
    jaar: int | None
    aantal_gemeenten: int
    rijen: list[PreviewRow]
    tolerantie_m: float

    @property
    def bijgewerkt(self) -> list[PreviewRow]:
        return [row for row in self.rijen if row.in_bestand]


@dataclass(frozen=True)
class Loaded:
    """A read boundary file with the year it is for (None: unknown, then the boundaries
    of the pilot gemeenten are loaded but the CBS list of the year is not)."""

    file: GemeenteFile
    jaar: int | None


def read(source: str, jaar: int | None = None) -> Loaded:
    """Read a file or URL; the year comes from the file (``jrstatcode``), the PDOK URL or
    ``jaar``. Raises DomainError (field ``bron`` or ``jaar``) when it cannot be used."""
    try:
        file = read_gemeente_file(source)
    except BoundaryError as exc:
        raise DomainError(str(exc), field="bron") from exc
    jaar = file.jaar or jaar
    if jaar is not None and not FIRST_YEAR <= jaar <= LAST_YEAR:
        raise DomainError(f"Het jaar {jaar} is geen jaar van een CBS-indeling.", field="jaar")
    return Loaded(file, jaar)


def _area_km2(geometry: BaseGeometry | None) -> float | None:
    return None if geometry is None else round(geometry.area / 1e6, 2)


def _outside(geometry: BaseGeometry | None, xs: np.ndarray, ys: np.ndarray, tol: float):
    if geometry is None:
        return None
    return int((~points_within(geometry, xs, ys, tol)).sum())


def preview(loaded: Loaded) -> Preview:
    """Per registered gemeente: area now and in the file, incidents outside each (with the
    configured tolerance). Nothing is written."""
    tolerance = current_app.config["PILOT_BOUNDARY_TOLERANCE_M"]
    gemeenten = db.session.execute(db.select(Gemeente).order_by(Gemeente.naam)).scalars().all()
    points: dict[int, list[tuple[float, float]]] = {g.id: [] for g in gemeenten}
    for gemeente_id, x, y in db.session.execute(
        db.select(Incident.gemeente_id, Incident.rd_x, Incident.rd_y).where(
            Incident.ingetrokken_op.is_(None)
        )
    ):
        points[gemeente_id].append((x, y))
    rows = []
    for gemeente in gemeenten:
        xy = np.array(points[gemeente.id], dtype=float).reshape(-1, 2)
        xs, ys = xy[:, 0], xy[:, 1]
        old = boundary_of(gemeente)
        new = loaded.file.grenzen.get(gemeente.cbs_code)
        rows.append(
            PreviewRow(
                gemeente.cbs_code,
                gemeente.naam,
                _area_km2(old),
                _area_km2(new),
                len(xy),
                _outside(old, xs, ys, tolerance),
                _outside(new, xs, ys, tolerance),
            )
        )
    return Preview(loaded.jaar, len(loaded.file.grenzen), rows, tolerance)


def _province_finder(jaar: int) -> Callable[[str, BaseGeometry], str | None]:
    """Province of a gemeente in the file: as known for the same code (any year, or the
    shipped list), else that of the earlier gemeente that holds its representative point
    (a merged gemeente stays in its province)."""
    known: dict[str, str] = {}
    earlier: list[tuple[str, bytes]] = []
    rows = db.session.execute(
        db.select(
            CbsLijstGemeente.cbs_code,
            CbsLijstGemeente.provincie,
            CbsLijstGemeente.grens_rd_wkb,
            CbsLijstGemeente.jaar,
        ).order_by(CbsLijstGemeente.jaar)
    )
    for code, provincie, wkb, row_year in rows:
        if provincie:
            known[code] = provincie
            if wkb is not None and row_year != jaar:
                earlier.append((provincie, wkb))
    for entry in cbs_gemeenten():
        known.setdefault(entry.cbs_code, entry.provincie)
    shapes = [(provincie, shapely.from_wkb(wkb)) for provincie, wkb in earlier]

    def find(code: str, geometry: BaseGeometry) -> str | None:
        if code in known:
            return known[code]
        point = geometry.representative_point()
        return next((p for p, shape in shapes if shape.contains(point)), None)

    return find


def _store_cbs_list(loaded: Loaded, bron: str) -> int:
    jaar = loaded.jaar
    if jaar is None:
        return 0
    rows = {
        row.cbs_code: row
        for row in db.session.execute(
            db.select(CbsLijstGemeente).where(CbsLijstGemeente.jaar == jaar)
        ).scalars()
    }
    population = dict(
        db.session.execute(
            db.select(CbsLijstGemeente.cbs_code, CbsLijstGemeente.inwoners)
            .where(CbsLijstGemeente.inwoners.is_not(None))
            .order_by(CbsLijstGemeente.jaar)
        ).all()
    )
    province_of = _province_finder(jaar)
    for code, geometry in loaded.file.grenzen.items():
        row = rows.get(code)
        if row is None:
            row = CbsLijstGemeente(jaar=jaar, cbs_code=code)
            db.session.add(row)
        row.naam = loaded.file.namen[code][:100]
        row.provincie = row.provincie or province_of(code, geometry)
        row.inwoners = row.inwoners if row.inwoners is not None else population.get(code)
        row.grens_rd_wkb = shapely.to_wkb(geometry)
        row.grens_bron = bron[-300:]
    return len(loaded.file.grenzen)


def apply(loaded: Loaded, bron: str) -> list[Gemeente]:
    """Store the file's boundaries for the registered gemeenten in it and its CBS list.

    Returns the gemeenten that got a new boundary. Raises DomainError when the file has
    none of the registered gemeenten and is no national list either; then nothing changes.
    """
    gemeenten = db.session.execute(db.select(Gemeente)).scalars().all()
    updated = [g for g in gemeenten if g.cbs_code in loaded.file.grenzen]
    if not updated and len(loaded.file.grenzen) < 2:
        raise DomainError(
            "Het bestand bevat geen van de geregistreerde gemeenten (koppeling op statcode).",
            field="bron",
        )
    now = clock.now()
    for gemeente in updated:
        gemeente.grens_rd_wkb = shapely.to_wkb(loaded.file.grenzen[gemeente.cbs_code])
        gemeente.grens_bron = bron[-300:]
        gemeente.grens_geladen_op = now
    listed = _store_cbs_list(loaded, bron)
    audit.record(
        "laden",
        "gemeentegrenzen",
        str(loaded.jaar or ""),
        bron=bron[-300:],
        jaar=loaded.jaar,
        gemeenten=sorted(g.cbs_code for g in updated),
        cbs_lijst=listed,
    )
    db.session.commit()
    clear_boundary_cache()
    return updated


def import_boundaries(source: str, jaar: int | None = None) -> list[Gemeente]:
    """Read and apply in one step (CLI without preview, demo, benchmarks)."""
    return apply(read(source, jaar), source)


# --- the file between preview and confirm (web) ------------------------------------------


def _root() -> Path:
    return Path(current_app.instance_path) / FOLDER


def _purge_old(root: Path) -> None:
    limit = clock.now().timestamp() - MAX_AGE_SECONDS
    for folder in root.glob("*"):
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)


def _safe_name(name: str) -> str:
    return Path(name.replace("\\", "/")).name[:200] or "grenzen"


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise DomainError(
            "Kies een GeoJSON- (.geojson, .json) of GeoPackage-bestand (.gpkg).", field="bestand"
        )
    return suffix


def store_upload(
    user_id: int, name: str, save: Callable[[Path], None], jaar: int | None = None
) -> str:
    """Keep an uploaded file for preview and confirm; returns its token."""
    return _store(user_id, _safe_name(name), _suffix(name), save, jaar)


def store_pdok_year(user_id: int, jaar: int) -> str:
    """Fetch the official PDOK gemeentegrenzen of ``jaar`` and keep them; returns a token."""
    if not FIRST_YEAR <= jaar <= LAST_YEAR:
        raise DomainError(f"Het jaar {jaar} is geen jaar van een CBS-indeling.", field="jaar")
    url = current_app.config.get("PILOT_PDOK_WFS", PDOK_WFS).format(jaar=jaar)

    def download(path: Path) -> None:
        try:
            with (
                urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response,
                path.open("wb") as out,
            ):
                copied = 0
                while chunk := response.read(1 << 20):
                    copied += len(chunk)
                    if copied > MAX_DOWNLOAD_BYTES:
                        raise DomainError("Het PDOK-bestand is te groot.", field="jaar")
                    out.write(chunk)
        except OSError as exc:
            raise DomainError(
                f"PDOK kon niet worden bereikt voor {jaar} ({exc.__class__.__name__}). "
                "Probeer het later opnieuw of upload het bestand.",
                field="jaar",
            ) from exc

    return _store(user_id, f"PDOK gemeentegrenzen {jaar}", ".json", download, jaar, bron=url)


def _store(
    user_id: int,
    name: str,
    suffix: str,
    save: Callable[[Path], None],
    jaar: int | None,
    bron: str | None = None,
) -> str:
    root = _root()
    root.mkdir(parents=True, exist_ok=True)
    _purge_old(root)
    token = secrets.token_urlsafe(32)
    folder = root / token
    folder.mkdir(mode=0o700)
    path = folder / f"bestand{suffix}"
    try:
        save(path)
        read(str(path), jaar)  # refuse an unusable file now, not after the preview
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    meta = {"naam": name, "bron": bron or name, "jaar": jaar, "user_id": user_id, "pad": path.name}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


@dataclass(frozen=True)
class Stored:
    token: str
    path: Path
    naam: str
    bron: str
    jaar: int | None

    def read(self) -> Loaded:
        return read(str(self.path), self.jaar)

    def discard(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


def stored_source(token: str, user_id: int) -> Stored:
    """The file this user stored under ``token``, else NotFound."""
    if not TOKEN.match(token):
        raise NotFound
    folder = _root() / token
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NotFound from exc
    if meta.get("user_id") != user_id:
        raise NotFound
    return Stored(token, folder / meta["pad"], meta["naam"], meta["bron"], meta.get("jaar"))
