"""The pilot gemeenten: seeding, adding one from the CBS list, editing with the period
guard, deactivating, and their boundaries for maps and rules.

Loading boundary files (preview, then confirm) is in ``pilot.services.boundaries``; the
counts of records outside a pilot period and the pilot status in
``pilot.services.pilot_period``.
"""

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from gemeenten import cbs_gemeenten, pilot_gemeenten
from gemeenten.boundaries import to_wgs84
from gemeenten.registry import SEED_YEAR
from pilot import audit, clock
from pilot.extensions import db
from pilot.models import CbsLijstGemeente, Gemeente
from pilot.services.errors import DomainError, NotFound
from pilot.services.pilot_period import OutsideCounts, newly_outside

MIN_TRANCHE = 1
MIN_INWONERS = 0
START_MISSING = "Vul de startdatum van de pilot in."
TRANCHE_MISSING = "Vul de tranche in."
TRANCHE_TOO_LOW = f"De tranche is een geheel getal van {MIN_TRANCHE} of hoger."
INWONERS_NEGATIVE = "Het aantal inwoners kan niet negatief zijn."
END_BEFORE_START = (
    "De einddatum ligt vóór de startdatum; kies een einddatum op of na de startdatum."
)
GEMEENTE_MISSING = "Kies een gemeente uit de CBS-lijst."
PROVINCIE_MISSING = "De CBS-lijst kent de provincie van deze gemeente niet; vul haar in."
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


def seed_cbs_list(jaar: int = SEED_YEAR) -> int:
    """Add the shipped CBS list of ``jaar`` (names, provinces, population where known);
    rows already there keep their values, empty ones are filled."""
    existing = {
        row.cbs_code: row
        for row in db.session.execute(
            db.select(CbsLijstGemeente).where(CbsLijstGemeente.jaar == jaar)
        ).scalars()
    }
    added = 0
    for entry in cbs_gemeenten(jaar):
        row = existing.get(entry.cbs_code)
        if row is None:
            row = CbsLijstGemeente(jaar=jaar, cbs_code=entry.cbs_code, naam=entry.naam)
            db.session.add(row)
            added += 1
        row.provincie = row.provincie or entry.provincie
        row.inwoners = row.inwoners if row.inwoners is not None else entry.inwoners
    db.session.commit()
    return added


def cbs_list_year() -> int | None:
    """The year of the newest CBS list loaded (the loaded boundary year), or None."""
    return db.session.execute(db.select(db.func.max(CbsLijstGemeente.jaar))).scalar()


def cbs_list_candidates(jaar: int | None = None) -> list[CbsLijstGemeente]:
    """The gemeenten of the CBS list of ``jaar`` (default: the newest) not yet in the pilot."""
    jaar = jaar or cbs_list_year()
    if jaar is None:
        return []
    registered = db.select(Gemeente.cbs_code)
    return list(
        db.session.execute(
            db.select(CbsLijstGemeente)
            .where(CbsLijstGemeente.jaar == jaar, CbsLijstGemeente.cbs_code.not_in(registered))
            .order_by(CbsLijstGemeente.naam)
        ).scalars()
    )


@dataclass
class GemeenteInput:
    """The editable part of a gemeente: its pilot period, tranche and population."""

    pilot_start: date | None
    pilot_eind: date | None
    tranche: int | None
    inwoners: int | None = None


@dataclass
class NewGemeenteInput(GemeenteInput):
    """A gemeente to add: its CBS code from the list, plus the editable part."""

    cbs_code: str = ""
    provincie: str = ""


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


class PeriodConfirmationNeeded(Exception):
    """The new pilot period leaves existing records outside; the user must confirm."""

    def __init__(self, outside: OutsideCounts) -> None:
        self.outside = outside
        super().__init__(outside.tekst())


def _check_input(data: GemeenteInput) -> dict[str, list[str]]:
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
    return errors


def update_gemeente(gemeente: Gemeente, data: GemeenteInput, bevestigd: bool = False) -> Gemeente:
    """Change a gemeente's pilot period, tranche and population (DOMAIN: dates change).

    The period guard: when the new period leaves incidents, diensten or police figures
    outside that were inside, raise PeriodConfirmationNeeded with the counts unless
    ``bevestigd``; a confirmed change is audited with those counts.
    """
    if errors := _check_input(data):
        raise DomainError(errors)
    outside = newly_outside(gemeente, data.pilot_start, data.pilot_eind)
    if outside.totaal and not bevestigd:
        raise PeriodConfirmationNeeded(outside)
    if outside.totaal:
        audit.record(
            "bevestigen",
            "pilotperiode",
            gemeente.cbs_code,
            gemeente_id=gemeente.id,
            pilot_start=data.pilot_start,
            pilot_eind=data.pilot_eind,
            incidenten_buiten=outside.incidenten,
            diensten_buiten=outside.diensten,
            politiecijfers_buiten=outside.politiecijfers,
        )
    gemeente.pilot_start = data.pilot_start
    gemeente.pilot_eind = data.pilot_eind
    gemeente.tranche = data.tranche
    gemeente.inwoners = data.inwoners
    db.session.commit()
    return gemeente


def add_gemeente(data: NewGemeenteInput) -> Gemeente:
    """Add a gemeente from the newest CBS list: name, province and (when loaded) boundary
    come from the list; the CBS code stays the key. An empty population takes the list's."""
    errors = _check_input(data)
    jaar = cbs_list_year()
    entry = None
    if jaar is not None and data.cbs_code:
        entry = db.session.execute(
            db.select(CbsLijstGemeente).where(
                CbsLijstGemeente.jaar == jaar, CbsLijstGemeente.cbs_code == data.cbs_code
            )
        ).scalar_one_or_none()
    if entry is None:
        errors["cbs_code"] = [GEMEENTE_MISSING]
    elif db.session.execute(
        db.select(Gemeente.id).where(Gemeente.cbs_code == entry.cbs_code)
    ).first():
        errors["cbs_code"] = [f"{entry.naam} ({entry.cbs_code}) doet al mee aan de pilot."]
    provincie = (entry.provincie if entry else None) or (data.provincie or "").strip()
    if entry is not None and not provincie:
        errors["provincie"] = [PROVINCIE_MISSING]
    if errors:
        raise DomainError(errors)
    gemeente = Gemeente(
        cbs_code=entry.cbs_code,
        naam=entry.naam,
        provincie=provincie[:50],
        tranche=data.tranche,
        pilot_start=data.pilot_start,
        pilot_eind=data.pilot_eind,
        inwoners=data.inwoners if data.inwoners is not None else entry.inwoners,
        actief=True,
    )
    if entry.grens_rd_wkb is not None:
        gemeente.grens_rd_wkb = entry.grens_rd_wkb
        gemeente.grens_bron = f"CBS-lijst {jaar}: {entry.grens_bron or ''}"[:300]
        gemeente.grens_geladen_op = clock.now()
    db.session.add(gemeente)
    db.session.commit()
    return gemeente


def deactivate_gemeente(gemeente: Gemeente) -> Gemeente:
    """No new records for the gemeente; everything it has stays and keeps counting."""
    gemeente.actief = False
    db.session.commit()
    return gemeente


def activate_gemeente(gemeente: Gemeente) -> Gemeente:
    gemeente.actief = True
    db.session.commit()
    return gemeente


def check_accepts_records(gemeente: Gemeente) -> None:
    """Raise DomainError when the gemeente is deactivated (no new records)."""
    if not gemeente.actief:
        raise DomainError(inactive_message(gemeente))


def inactive_message(gemeente: Gemeente) -> str:
    return (
        f"{gemeente.naam} is gedeactiveerd in de pilot: nieuwe registraties zijn niet "
        "mogelijk. Bestaande gegevens blijven bewaard. Vragen? Neem contact op met de "
        "beheerder (het programmateam)."
    )


def import_boundaries(source: str) -> list[Gemeente]:
    """Load a boundary file or URL at once (preview and confirm in one step, as the demo
    and the benchmarks do); see ``pilot.services.boundaries``."""
    from pilot.services import boundaries

    return boundaries.import_boundaries(source)


def clear_boundary_cache() -> None:
    _geometry.cache_clear()


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


CODE_HEADERS = ("cbs_code", "statcode", "regios", "regio's", "gemeentecode", "code")
POPULATION_HEADERS = ("inwoners", "bevolking", "totalebevolking", "aantalinwoners")


@dataclass(frozen=True)
class PopulationResult:
    jaar: int
    in_bestand: int
    cbs_lijst: int
    gemeenten: list[str]


def _header_index(header: list[str], names: tuple[str, ...]) -> int | None:
    cleaned = [h.strip().lower().replace(" ", "") for h in header]
    for name in names:
        for i, text in enumerate(cleaned):
            if text == name or text.startswith(name):
                return i
    return None


def read_population(path: str) -> dict[str, int]:
    """CBS population per gemeente from a CSV (``;`` or ``,``, UTF-8): a code column
    (``cbs_code``, ``statcode``, StatLine's ``RegioS`` …) and a population column
    (``inwoners``, ``Bevolking…``, StatLine's ``TotaleBevolking_1`` …). Dutch thousands
    separators are accepted; rows that are not a gemeente (GM + 4 digits) are skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DomainError(f"Het bestand kon niet worden gelezen: {exc}", field="bron") from exc
    dialect = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    rows = list(csv.reader(text.splitlines(), delimiter=dialect))
    code_at = _header_index(rows[0], CODE_HEADERS) if rows else None
    count_at = _header_index(rows[0], POPULATION_HEADERS) if rows else None
    if code_at is None or count_at is None:
        raise DomainError(
            "Het bestand heeft geen kolom met de CBS-code (cbs_code, statcode of RegioS) en "
            "een kolom met het aantal inwoners (inwoners of Bevolking…).",
            field="bron",
        )
    result = {}
    for row in rows[1:]:
        if len(row) <= max(code_at, count_at):
            continue
        code = row[code_at].strip().upper()
        value = re.sub(r"[\s.]", "", row[count_at])
        if re.fullmatch(r"GM\d{4}", code) and value.isdigit():
            result[code] = int(value)
    if not result:
        raise DomainError("Het bestand bevat geen inwonertallen van gemeenten.", field="bron")
    return result


def load_population(
    path: str, jaar: int | None = None, overwrite: bool = False
) -> PopulationResult:
    """Put CBS population figures in the CBS list of ``jaar`` (default: the newest) and in
    the pilot gemeenten that have none (or all, with ``overwrite``); audited, one commit."""
    figures = read_population(path)
    jaar = jaar or cbs_list_year()
    if jaar is None:
        raise DomainError("Laad eerst de CBS-lijst (gemeenten seed of grenzen).", field="jaar")
    listed = 0
    for row in db.session.execute(
        db.select(CbsLijstGemeente).where(
            CbsLijstGemeente.jaar == jaar, CbsLijstGemeente.cbs_code.in_(list(figures))
        )
    ).scalars():
        row.inwoners = figures[row.cbs_code]
        listed += 1
    changed = []
    for gemeente in db.session.execute(
        db.select(Gemeente).where(Gemeente.cbs_code.in_(list(figures)))
    ).scalars():
        if gemeente.inwoners is None or overwrite:
            gemeente.inwoners = figures[gemeente.cbs_code]
            changed.append(gemeente.cbs_code)
    audit.record(
        "laden", "inwoners", str(jaar), bron=path[-300:], cbs_lijst=listed, gemeenten=changed
    )
    db.session.commit()
    return PopulationResult(jaar, len(figures), listed, sorted(changed))
