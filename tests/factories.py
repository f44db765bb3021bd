"""Test data built with the real models (no mocks): boa's and incidents.

``make_incident`` writes a row without validating it, for tests of reading code (hotspots,
reports); tests of the validation rules go through the incident service or the HTTP form
instead. Reading tests often need several incidents at one minute and spot, which the
fingerprint index (one live incident per fingerprint) would refuse: each factory row gets
its own fingerprint, derived from the real one and a counter. Its other column values
(derived fields, gedragingen mask) come from the incident service's own ``row_values``, so
the factory cannot drift from the real rules.
"""

import hashlib
import itertools
from dataclasses import fields as dataclass_fields
from datetime import UTC, date, datetime

from pilot.extensions import db
from pilot.models import Boa, Gemeente, Incident
from pilot.services.incidenten import IncidentInput, row_values

INPUT_FIELDS = {f.name for f in dataclass_fields(IncidentInput)}
_distinct = itertools.count()


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
    grens_gecontroleerd: bool = True,
    commit: bool = True,
    **fields,
) -> Incident:
    """Store one incident of ``boa``'s gemeente; ``fields`` are IncidentInput fields or
    other Incident columns (``synthetisch``, …). ``commit=False`` leaves the commit to the
    caller (many incidents in one transaction)."""
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
    item = IncidentInput(
        tijdstip=tijdstip or datetime(2025, 9, 12, 21, 30, tzinfo=UTC),
        lat=lat,
        lon=lon,
        boa_id=boa.id,
        gedragingen=list(gedragingen),
        **{name: value for name, value in values.items() if name in INPUT_FIELDS},
    )
    columns = {name: value for name, value in values.items() if name not in INPUT_FIELDS}
    owner = db.session.get(Gemeente, boa.gemeente_id)
    values = row_values(owner, item, grens_gecontroleerd)
    values["vingerafdruk"] = hashlib.sha256(
        f"{values['vingerafdruk']}|{next(_distinct)}".encode()
    ).hexdigest()
    incident = Incident(**{**values, **columns})
    db.session.add(incident)
    if commit:
        db.session.commit()
    return incident
