"""Seeding and editing the pilot gemeenten, loading their boundaries, boundaries for maps."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from gemeenten import pilot_gemeenten, read_boundaries
from gemeenten.boundaries import to_wgs84
from pilot import clock
from pilot.extensions import db
from pilot.models import Gemeente
from pilot.services.errors import DomainError, NotFound

MIN_TRANCHE = 1
MIN_INWONERS = 0
START_MISSING = "Vul de startdatum van de pilot in."
TRANCHE_MISSING = "Vul de tranche in."
TRANCHE_TOO_LOW = f"De tranche is een geheel getal van {MIN_TRANCHE} of hoger."
INWONERS_NEGATIVE = "Het aantal inwoners kan niet negatief zijn."
END_BEFORE_START = (
    "De einddatum ligt vóór de startdatum; kies een einddatum op of na de startdatum."
)
SIMPLIFY_M = 5.0  # the drawn line only has to look right; 5 m is invisible at street zoom
_geojson_cache: dict[tuple[int, str], dict] = {}


def seed_pilot_gemeenten() -> int:
    """Insert the registry's gemeenten that are missing; never overwrite edited dates."""
    existing = set(db.session.execute(db.select(Gemeente.cbs_code)).scalars())
    added = 0
    for entry in pilot_gemeenten():
        if entry.cbs_code in existing:
            continue
        db.session.add(
            Gemeente(
                cbs_code=entry.cbs_code,
                naam=entry.naam,
                provincie=entry.provincie,
                tranche=entry.tranche,
                pilot_start=entry.pilot_start,
                pilot_eind=entry.pilot_eind,
            )
        )
        added += 1
    db.session.commit()
    return added


@dataclass
class GemeenteInput:
    """The editable part of a gemeente: its pilot period, tranche and population."""

    pilot_start: date | None
    pilot_eind: date | None
    tranche: int | None
    inwoners: int | None = None


def get_gemeente(cbs_code: str) -> Gemeente:
    gemeente = db.session.execute(
        db.select(Gemeente).where(Gemeente.cbs_code == cbs_code)
    ).scalar_one_or_none()
    if gemeente is None:
        raise NotFound
    return gemeente


def pilot_period_error(gemeente: Gemeente, day: date) -> str | None:
    """The Dutch message when ``day`` lies outside the gemeente's pilot period, else None."""
    if gemeente.in_pilot_period(day):
        return None
    end = f"{gemeente.pilot_eind:%d-%m-%Y}" if gemeente.pilot_eind else "heden"
    return (
        f"De datum valt buiten de pilotperiode van {gemeente.naam} "
        f"({gemeente.pilot_start:%d-%m-%Y} t/m {end})."
    )


def update_gemeente(gemeente: Gemeente, data: GemeenteInput) -> Gemeente:
    """Change a gemeente's pilot period, tranche and population (DOMAIN: dates change)."""
    errors: dict[str, list[str]] = {}
    if data.pilot_start is None:
        errors["pilot_start"] = [START_MISSING]
    elif data.pilot_eind is not None and data.pilot_eind < data.pilot_start:
        errors["pilot_eind"] = [END_BEFORE_START]
    if data.tranche is None:
        errors["tranche"] = [TRANCHE_MISSING]
    elif data.tranche < MIN_TRANCHE:
        errors["tranche"] = [TRANCHE_TOO_LOW]
    if data.inwoners is not None and data.inwoners < MIN_INWONERS:
        errors["inwoners"] = [INWONERS_NEGATIVE]
    if errors:
        raise DomainError(errors)
    gemeente.pilot_start = data.pilot_start
    gemeente.pilot_eind = data.pilot_eind
    gemeente.tranche = data.tranche
    gemeente.inwoners = data.inwoners
    db.session.commit()
    return gemeente


def import_boundaries(source: str) -> list[Gemeente]:
    """Store the boundary of every registered gemeente found in ``source`` (joined on statcode).

    Returns the gemeenten that got a boundary. Raises DomainError when the file cannot be
    used or contains none of the registered gemeenten; then nothing is changed.
    """
    try:
        boundaries = read_boundaries(source)
    except ValueError as exc:
        raise DomainError(str(exc), field="bron") from exc
    gemeenten = db.session.execute(db.select(Gemeente)).scalars().all()
    updated = [g for g in gemeenten if g.cbs_code in boundaries]
    if not updated:
        raise DomainError(
            "Het bestand bevat geen van de geregistreerde gemeenten (koppeling op statcode).",
            field="bron",
        )
    now = clock.now()
    for gemeente in updated:
        gemeente.grens_rd_wkb = shapely.to_wkb(boundaries[gemeente.cbs_code])
        gemeente.grens_bron = source[-300:]
        gemeente.grens_geladen_op = now
    db.session.commit()
    _geometry.cache_clear()
    return updated


@lru_cache(maxsize=64)
def _geometry(gemeente_id: int, loaded_at: str) -> BaseGeometry | None:
    wkb = db.session.execute(
        db.select(Gemeente.grens_rd_wkb).where(Gemeente.id == gemeente_id)
    ).scalar_one_or_none()
    if wkb is None:
        return None
    geometry = shapely.from_wkb(wkb)
    shapely.prepare(geometry)
    return geometry


def boundary_of(gemeente: Gemeente) -> BaseGeometry | None:
    """The gemeente's boundary in RD New, prepared, cached until a new one is loaded."""
    if gemeente.grens_geladen_op is None:
        return None
    return _geometry(gemeente.id, gemeente.grens_geladen_op.isoformat())


def all_gemeenten():
    return db.select(Gemeente).order_by(Gemeente.tranche, Gemeente.naam)


def _rd_to_lonlat(coords: np.ndarray) -> np.ndarray:
    lat, lon = to_wgs84(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def boundary_geojson(gemeente: Gemeente) -> dict | None:
    """The boundary as a GeoJSON geometry in WGS84 (lon, lat), or None without a boundary."""
    if gemeente.grens_geladen_op is None:
        return None
    key = (gemeente.id, gemeente.grens_geladen_op.isoformat())
    if key not in _geojson_cache:
        boundary = boundary_of(gemeente)
        if boundary is None:
            return None
        simple = boundary.simplify(SIMPLIFY_M, preserve_topology=True)
        wgs84 = shapely.set_precision(shapely.transform(simple, _rd_to_lonlat), 1e-6)
        _geojson_cache[key] = mapping(wgs84)
    return _geojson_cache[key]
