"""Test data built with the real models (no mocks): boa's and incidents.

``make_incident`` writes a row directly, for tests of reading code (hotspots, reports);
tests of the validation rules go through the incident service or the HTTP form instead.
"""

import hashlib
from datetime import UTC, date, datetime

from pilot.codes import gedragingen_to_mask
from pilot.extensions import db
from pilot.models import Boa, Gemeente, Incident
from pilot.services.derived import derive


def gemeente(cbs_code: str) -> Gemeente:
    return db.session.execute(db.select(Gemeente).where(Gemeente.cbs_code == cbs_code)).scalar_one()


def make_boa(cbs_code: str = "GM0599", code: str | None = None, **fields) -> Boa:
    g = gemeente(cbs_code)
    values = {
        "opleidingsdatum": date(2024, 6, 1),
        "mandaat_start": date(2024, 6, 15),
        "mandaat_eind": None,
        "actief": True,
    }
    values.update(fields)
    count = db.session.execute(db.select(db.func.count(Boa.id))).scalar_one()
    boa = Boa(gemeente_id=g.id, code=code or f"BOA-{cbs_code[2:]}-T{count:03d}", **values)
    db.session.add(boa)
    db.session.commit()
    return boa


def make_incident(
    boa: Boa,
    lat: float,
    lon: float,
    tijdstip: datetime | None = None,
    gedragingen: tuple[str, ...] = ("opmerkingen",),
    **fields,
) -> Incident:
    tijdstip = tijdstip or datetime(2025, 9, 12, 21, 30, tzinfo=UTC)
    derived = derive(tijdstip, lat, lon)
    values = {
        "locatie_type": "straat",
        "kennisname": "eigen_waarneming",
        "kleding": "uniform",
        "rol_boa": "interventie",
        "afdoening": "waarschuwing",
        "aantal_verdachten": 1,
        "leeftijd_verdachten": "18_24",
        "aantal_slachtoffers": 1,
        "slachtofferhulp": False,
    }
    values.update(fields)
    fingerprint = hashlib.sha256(f"{tijdstip}{lat}{lon}{boa.id}{gedragingen}".encode()).hexdigest()
    incident = Incident(
        gemeente_id=boa.gemeente_id,
        boa_id=boa.id,
        tijdstip=tijdstip,
        lat=lat,
        lon=lon,
        gedragingen=gedragingen_to_mask(list(gedragingen)),
        vingerafdruk=fingerprint,
        lokale_datum=derived.lokale_datum,
        weekdag=derived.weekdag,
        tijdvak=derived.tijdvak,
        rd_x=derived.rd_x,
        rd_y=derived.rd_y,
        **values,
    )
    db.session.add(incident)
    db.session.commit()
    return incident
