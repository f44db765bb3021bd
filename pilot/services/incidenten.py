"""Validating and storing incidents: the one place for the rules of the pilot.

The web form, the file import and any later API all go through ``validate_batch``; a
single record is a batch of one. Locations are tested for the whole batch at once
(shapely 2, one prepared boundary), boa's are looked up once per batch, so the same code
is fast for a 100,000-row import and exact for one form.

Rules (each gives a Dutch message on the field it concerns):
- tijdstip: given, not in the future, local date within the gemeente's pilot period and
  not in a period whose incidents were purged (retention: the figures are frozen);
- boa: belongs to the gemeente, trained on or before that date, OM mandate on that date;
- location: inside the gemeente's boundary within the configured tolerance (default
  250 m, because loaded boundaries are simplified); without a boundary the rule is skipped
  and the record flagged ``grens_gecontroleerd = False``;
- at least one gedraging; every code from its code list;
- counts 0..MAX_COUNT; a reprimande only for a minor; an outcome that needs a suspect needs one;
  referral to victim support needs a victim;
- the remark is screened for personal data and refused when any is found;
- an external case number seen before in this gemeente, or earlier in the same batch, is
  refused as a duplicate.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from flask import current_app
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from gemeenten.boundaries import points_within, to_rd
from pilot import clock, codes
from pilot.extensions import db
from pilot.models import Boa, Gemeente, Incident
from pilot.pseudonym import keyed_hash
from pilot.services import pii
from pilot.services.derived import Derived, derive, derive_many
from pilot.services.errors import Conflict, DomainError
from pilot.services.gemeenten import boundary_of, check_accepts_records, pilot_period_error
from pilot.services.retention.frozen import purged_before
from pilot.services.scoped import get_of_gemeente
from pilot.services.versioning import commit_or_conflict

MAX_COUNT = 50
MAX_OPMERKING = 500
MAX_REDEN = 300
FUTURE_SLACK = timedelta(minutes=5)
NL_BOUNDS = (50.70, 53.60, 3.20, 7.25)  # lat min/max, lon min/max
NEEDS_SUSPECT = {"reprimande", "staandehouding", "proces_verbaal", "aanhouding"}
MINOR_AGE_BANDS = {"onder_18", "gemengd"}

CODE_FIELDS = {
    "locatie_type": codes.LOCATIE_TYPE,
    "kennisname": codes.KENNISNAME,
    "kleding": codes.KLEDING,
    "rol_boa": codes.ROL_BOA,
    "afdoening": codes.AFDOENING,
    "leeftijd_verdachten": codes.LEEFTIJD,
}


@dataclass
class IncidentInput:
    """One incident as entered: plain values, not yet validated."""

    tijdstip: datetime | None
    lat: float | None
    lon: float | None
    boa_id: int | None
    locatie_type: str = ""
    gedragingen: list[str] = field(default_factory=list)
    kennisname: str = ""
    kleding: str = ""
    rol_boa: str = ""
    afdoening: str = ""
    aantal_verdachten: int | None = 1
    leeftijd_verdachten: str = "onbekend"
    aantal_slachtoffers: int | None = 1
    slachtofferhulp: bool = False
    zaaknummer: str | None = None
    opmerking: str | None = None


RowErrors = dict[str, list[str]]


def _add(errors: RowErrors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def zaaknummer_hash(zaaknummer: str | None) -> str | None:
    if zaaknummer is None or not zaaknummer.strip():
        return None
    return keyed_hash(zaaknummer, "zaaknummer")


def fingerprint(gemeente_id: int, item: IncidentInput) -> str:
    """Identity of a record without case number: minute, ~1 m location, boa and conduct."""
    try:
        moment = item.tijdstip.astimezone(UTC).strftime("%Y-%m-%dT%H:%M") if item.tijdstip else ""
    except (OverflowError, ValueError):  # year 1 or 9999: validation refuses it anyway
        moment = "buiten-bereik"
    gedraging = codes.GEDRAGING.resolve()
    mask = codes.gedragingen_to_mask([c for c in item.gedragingen if c in gedraging])
    key = f"{gemeente_id}|{moment}|{item.lat:.5f}|{item.lon:.5f}|{item.boa_id}|{mask}"
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class _Lists:
    """The code lists of one batch, resolved once from the codebook."""

    fields: dict[str, codes.CodeList]
    gedraging: codes.CodeList

    @classmethod
    def current(cls) -> "_Lists":
        book = codes.current()
        return cls(
            {name: book[ref.name] for name, ref in CODE_FIELDS.items()},
            book[codes.GEDRAGING.name],
        )


def _check_fields(item: IncidentInput, now: datetime, errors: RowErrors, lists: _Lists) -> None:
    if item.tijdstip is None:
        _add(errors, "tijdstip", "Vul datum en tijd in.")
    elif item.tijdstip.tzinfo is None:
        _add(errors, "tijdstip", "Datum en tijd zonder tijdzone zijn niet eenduidig.")
    elif item.tijdstip > now + FUTURE_SLACK:
        _add(errors, "tijdstip", "Datum en tijd liggen in de toekomst.")
    if item.lat is None or item.lon is None:
        _add(errors, "locatie", "Kies een locatie op de kaart of vul breedte- en lengtegraad in.")
    else:
        lat_min, lat_max, lon_min, lon_max = NL_BOUNDS
        if not (lat_min <= item.lat <= lat_max and lon_min <= item.lon <= lon_max):
            _add(errors, "locatie", "Deze coördinaten liggen niet in Nederland.")
    if not item.gedragingen:
        _add(errors, "gedragingen", "Kies ten minste één gedraging.")
    elif set(item.gedragingen) - lists.gedraging.labels().keys():
        _add(
            errors,
            "gedragingen",
            f"Onbekende gedraging: kies uit {', '.join(c.code for c in lists.gedraging.codes)}.",
        )
    for name, code_list in lists.fields.items():
        value = getattr(item, name)
        if not value:
            _add(errors, name, f"Kies een waarde voor '{code_list.titel}'.")
        elif value not in code_list:
            _add(errors, name, f"Onbekende code voor '{code_list.titel}': kies uit de codelijst.")
    _check_counts(item, errors)
    if item.opmerking:
        if len(item.opmerking) > MAX_OPMERKING:
            _add(errors, "opmerking", f"De opmerking is langer dan {MAX_OPMERKING} tekens.")
        if found := pii.screen(item.opmerking):
            _add(errors, "opmerking", pii.message(found, "opmerking"))


def _check_counts(item: IncidentInput, errors: RowErrors) -> None:
    for name, label in (
        ("aantal_verdachten", "verdachten"),
        ("aantal_slachtoffers", "slachtoffers"),
    ):
        value = getattr(item, name)
        if value is None:
            _add(errors, name, f"Vul het aantal {label} in.")
        elif not 0 <= value <= MAX_COUNT:
            _add(errors, name, f"Het aantal {label} moet tussen 0 en {MAX_COUNT} liggen.")
    if item.afdoening in NEEDS_SUSPECT and item.aantal_verdachten == 0:
        _add(
            errors,
            "aantal_verdachten",
            f"Bij de afdoening '{codes.AFDOENING.label(item.afdoening)}' hoort ten minste "
            "één verdachte.",
        )
    if item.afdoening == "reprimande" and item.leeftijd_verdachten not in MINOR_AGE_BANDS:
        _add(
            errors,
            "afdoening",
            "Een reprimande is alleen voor minderjarigen: kies als leeftijd 'Jonger dan 18'.",
        )
    if item.slachtofferhulp and item.aantal_slachtoffers == 0:
        _add(
            errors, "slachtofferhulp", "Doorverwijzing naar slachtofferhulp vraagt een slachtoffer."
        )


def _check_boa(gemeente: Gemeente, item: IncidentInput, boas: dict[int, Boa], errors) -> None:
    if item.boa_id is None:
        _add(errors, "boa_id", "Kies de boa.")
        return
    boa = boas.get(item.boa_id)
    if boa is None:
        _add(errors, "boa_id", f"Deze boa hoort niet bij {gemeente.naam}.")
        return
    if item.tijdstip is None or item.tijdstip.tzinfo is None:
        return
    day = derive_local_date(item.tijdstip)
    if boa.opleidingsdatum is None:
        _add(
            errors,
            "boa_id",
            f"Boa {boa.code} is nog in opleiding: er is geen opleidingsdatum vastgelegd.",
        )
    elif not boa.getraind_op(day):
        _add(
            errors, "boa_id", f"Boa {boa.code} was op de datum van het incident nog niet opgeleid."
        )
    elif not boa.mandaat_op(day):
        _add(
            errors,
            "boa_id",
            f"Boa {boa.code} had op de datum van het incident geen mandaat van het OM.",
        )


def derive_local_date(tijdstip: datetime) -> date:
    return tijdstip.astimezone(clock.AMSTERDAM).date()


def _check_period(
    gemeente: Gemeente, item: IncidentInput, errors: RowErrors, purged: date | None
) -> None:
    if item.tijdstip is None or item.tijdstip.tzinfo is None:
        return
    day = derive_local_date(item.tijdstip)
    if message := pilot_period_error(gemeente, day):
        _add(errors, "tijdstip", message)
    elif purged is not None and day < purged:
        _add(
            errors,
            "tijdstip",
            f"De incidentgegevens van {gemeente.naam} van vóór {purged:%d-%m-%Y} zijn "
            "verwijderd (bewaartermijn); een incident van vóór die datum kan niet meer "
            "worden geregistreerd.",
        )


# Built once: the incident list, form and registration each run it, and building the
# statement cost about as much as running it.
_BOAS_OF_GEMEENTE = select(Boa).where(Boa.gemeente_id == bindparam("gemeente_id"))


def boas_by_id(gemeente: Gemeente) -> dict[int, Boa]:
    rows = db.session.execute(_BOAS_OF_GEMEENTE, {"gemeente_id": gemeente.id}).scalars()
    return {boa.id: boa for boa in rows}


def locations_inside(gemeente: Gemeente, lats: Sequence, lons: Sequence) -> np.ndarray | None:
    """Per point: inside the boundary (with tolerance); None when no boundary is loaded."""
    boundary = boundary_of(gemeente)
    if boundary is None:
        return None
    xs, ys = to_rd(np.asarray(lats, dtype=float), np.asarray(lons, dtype=float))
    return points_within(boundary, xs, ys, current_app.config["PILOT_BOUNDARY_TOLERANCE_M"])


def validate_batch(
    gemeente: Gemeente,
    items: Sequence[IncidentInput],
    now: datetime | None = None,
    ignore_incident_id: int | None = None,
) -> list[RowErrors]:
    """Errors per item (an empty dict means valid). Nothing is written."""
    now = now or clock.now()
    boas = boas_by_id(gemeente)
    purged = purged_before(db.session, gemeente.id)
    lists = _Lists.current()
    results: list[RowErrors] = []
    for item in items:
        errors: RowErrors = {}
        _check_fields(item, now, errors, lists)
        _check_period(gemeente, item, errors, purged)
        _check_boa(gemeente, item, boas, errors)
        results.append(errors)
    located = [i for i, item in enumerate(items) if "locatie" not in results[i]]
    inside = locations_inside(
        gemeente, [items[i].lat for i in located], [items[i].lon for i in located]
    )
    if inside is not None:
        tolerance = current_app.config["PILOT_BOUNDARY_TOLERANCE_M"]
        for index, ok in zip(located, inside, strict=True):
            if not ok:
                _add(
                    results[index],
                    "locatie",
                    f"De locatie ligt buiten de gemeente {gemeente.naam} "
                    f"(ook met een marge van {tolerance:.0f} m).",
                )
    _check_duplicate_case_numbers(gemeente, items, results, ignore_incident_id)
    return results


def _check_duplicate_case_numbers(
    gemeente: Gemeente,
    items: Sequence[IncidentInput],
    results: list[RowErrors],
    ignore_incident_id: int | None,
) -> None:
    hashes = {i: zaaknummer_hash(item.zaaknummer) for i, item in enumerate(items)}
    wanted = {h for h in hashes.values() if h}
    if not wanted:
        return
    query = select(Incident.zaaknummer_hmac).where(
        Incident.gemeente_id == gemeente.id, Incident.zaaknummer_hmac.in_(wanted)
    )
    if ignore_incident_id is not None:
        query = query.where(Incident.id != ignore_incident_id)
    known = set(db.session.execute(query).scalars())
    earlier: set[str] = set()
    for index, value in hashes.items():
        if value and value in known:
            _add(results[index], "zaaknummer", "Er is al een incident met dit zaaknummer.")
        elif value and value in earlier:
            _add(results[index], "zaaknummer", "Dit zaaknummer staat al eerder in deze reeks.")
        if value:
            earlier.add(value)


DUPLICATE = (
    "Dit incident is al geregistreerd (zelfde moment, plaats, boa en gedraging, zonder zaaknummer)."
)
REPEATED = "Dit incident staat al eerder in deze reeks (zelfde moment, plaats, boa en gedraging)."
FINGERPRINT_CHUNK = 500


def _check_duplicate_fingerprints(
    gemeente: Gemeente,
    items: Sequence[IncidentInput],
    results: list[RowErrors],
    ignore_incident_id: int | None,
) -> None:
    """A live incident without case number is unique by its fingerprint (a DB index too);
    within ``items`` a second copy is refused too."""
    prints = {
        i: fingerprint(gemeente.id, item)
        for i, item in enumerate(items)
        if not zaaknummer_hash(item.zaaknummer) and not results[i]
    }
    wanted = sorted(set(prints.values()))
    known: set[str] = set()
    for start in range(0, len(wanted), FINGERPRINT_CHUNK):
        query = select(Incident.vingerafdruk).where(
            Incident.gemeente_id == gemeente.id,
            Incident.vingerafdruk.in_(wanted[start : start + FINGERPRINT_CHUNK]),
            Incident.ingetrokken_op.is_(None),
            Incident.zaaknummer_hmac.is_(None),
        )
        if ignore_incident_id is not None:
            query = query.where(Incident.id != ignore_incident_id)
        known.update(db.session.execute(query).scalars())
    earlier: set[str] = set()
    for index, value in prints.items():
        if value in known:
            _add(results[index], "tijdstip", DUPLICATE)
        elif value in earlier:
            _add(results[index], "tijdstip", REPEATED)
        earlier.add(value)


def validate_new(gemeente: Gemeente, items: Sequence[IncidentInput]) -> list[RowErrors]:
    """Errors per new item: ``validate_batch`` and, for an item without case number, the
    same live incident stored before or earlier in ``items``. Nothing is written."""
    results = validate_batch(gemeente, items)
    _check_duplicate_fingerprints(gemeente, items, results, None)
    return results


def row_values(gemeente: Gemeente, item: IncidentInput, grens_gecontroleerd: bool) -> dict:
    """Column values of a valid item, with every derived field."""
    return _values(gemeente, item, derive(item.tijdstip, item.lat, item.lon), grens_gecontroleerd)


def rows_values_many(
    gemeente: Gemeente, items: Sequence[IncidentInput], grens_gecontroleerd: bool
) -> list[dict]:
    """``row_values`` for a batch of valid items, the derived fields computed vectorised."""
    if not items:
        return []
    import pandas as pd  # ~1 s to import: only for batches

    frame = derive_many(
        pd.Series([item.tijdstip for item in items]),
        np.fromiter((item.lat for item in items), dtype=float, count=len(items)),
        np.fromiter((item.lon for item in items), dtype=float, count=len(items)),
    )
    columns = zip(
        frame["lokale_datum"].tolist(),
        frame["weekdag"].tolist(),
        frame["tijdvak"].tolist(),
        frame["rd_x"].tolist(),
        frame["rd_y"].tolist(),
        strict=True,
    )
    return [
        _values(gemeente, item, Derived(*derived), grens_gecontroleerd)
        for item, derived in zip(items, columns, strict=True)
    ]


def _values(gemeente: Gemeente, item: IncidentInput, derived: Derived, grens: bool) -> dict:
    return {
        "gemeente_id": gemeente.id,
        "boa_id": item.boa_id,
        "tijdstip": item.tijdstip,
        "lokale_datum": derived.lokale_datum,
        "weekdag": derived.weekdag,
        "tijdvak": derived.tijdvak,
        "lat": round(item.lat, 6),
        "lon": round(item.lon, 6),
        "rd_x": derived.rd_x,
        "rd_y": derived.rd_y,
        "locatie_type": item.locatie_type,
        "gedragingen": codes.gedragingen_to_mask(item.gedragingen),
        "kennisname": item.kennisname,
        "kleding": item.kleding,
        "rol_boa": item.rol_boa,
        "afdoening": item.afdoening,
        "aantal_verdachten": item.aantal_verdachten,
        "leeftijd_verdachten": item.leeftijd_verdachten,
        "aantal_slachtoffers": item.aantal_slachtoffers,
        "slachtofferhulp": item.slachtofferhulp,
        "zaaknummer_hmac": zaaknummer_hash(item.zaaknummer),
        "opmerking": (item.opmerking or "").strip() or None,
        "vingerafdruk": fingerprint(gemeente.id, item),
        "grens_gecontroleerd": grens,
    }


def create_incident(gemeente: Gemeente, item: IncidentInput, synthetisch: bool = False) -> Incident:
    """Validate and store one incident; raises DomainError with messages per field."""
    check_accepts_records(gemeente)
    errors = validate_new(gemeente, [item])[0]
    if errors:
        raise DomainError(errors)
    incident = Incident(**row_values(gemeente, item, gemeente.heeft_grens), synthetisch=synthetisch)
    db.session.add(incident)
    try:
        db.session.commit()
    except IntegrityError as exc:  # the same incident was stored a moment ago by someone else
        db.session.rollback()
        raise DomainError({"tijdstip": [DUPLICATE]}) from exc
    return incident


def get_incident(gemeente: Gemeente, incident_id: int) -> Incident:
    """The gemeente's incident, or NotFound (also for another gemeente's id)."""
    return get_of_gemeente(Incident, gemeente, incident_id)


def update_incident(
    gemeente: Gemeente, incident: Incident, item: IncidentInput, expected_version: int
) -> Incident:
    """Change an incident if nobody else changed it since ``expected_version`` was read."""
    if incident.ingetrokken:
        raise DomainError("Een ingetrokken incident kan niet meer worden gewijzigd.")
    if incident.version != expected_version:
        raise Conflict
    errors = validate_batch(gemeente, [item], ignore_incident_id=incident.id)[0]
    if incident.zaaknummer_hmac is None:
        _check_duplicate_fingerprints(gemeente, [item], [errors], incident.id)
    if errors:
        raise DomainError(errors)
    values = row_values(gemeente, item, gemeente.heeft_grens)
    if not item.zaaknummer:
        values.pop("zaaknummer_hmac")  # an empty field keeps the stored hash
    for name, value in values.items():
        setattr(incident, name, value)
    commit_or_conflict()
    return incident


def withdraw_incident(incident: Incident, reden: str, expected_version: int) -> Incident:
    """Withdraw (intrekken): the record leaves all counts but stays in the audit trail."""
    reden = (reden or "").strip()
    if incident.ingetrokken:
        raise DomainError("Dit incident is al ingetrokken.")
    if len(reden) < 5:
        raise DomainError("Geef een reden voor het intrekken (minstens 5 tekens).", field="reden")
    if found := pii.screen(reden):
        raise DomainError(pii.message(found, "reden"), field="reden")
    if incident.version != expected_version:
        raise Conflict
    incident.ingetrokken_op = clock.now()
    incident.intrek_reden = reden[:MAX_REDEN]
    commit_or_conflict()
    return incident


def input_from_incident(incident: Incident) -> IncidentInput:
    """The stored record as form input (the case number is never shown again)."""
    values: dict[str, Any] = {
        f.name: getattr(incident, f.name)
        for f in fields(IncidentInput)
        if f.name not in {"gedragingen", "zaaknummer"}
    }
    values["gedragingen"] = codes.mask_to_gedragingen(incident.gedragingen)
    return IncidentInput(**values)


def list_incidenten(gemeente: Gemeente, **filters: Any):
    """Select the gemeente's incidents, newest first, with optional filters."""
    query = select(Incident).where(Incident.gemeente_id == gemeente.id)
    if van := filters.get("van"):
        query = query.where(Incident.lokale_datum >= van)
    if tot := filters.get("tot"):
        query = query.where(Incident.lokale_datum <= tot)
    if boa_id := filters.get("boa_id"):
        query = query.where(Incident.boa_id == boa_id)
    if gedraging := filters.get("gedraging"):
        query = query.where(Incident.gedragingen.op("&")(codes.gedraging_bit(gedraging)) != 0)
    for name in ("afdoening", "locatie_type"):
        if value := filters.get(name):
            query = query.where(getattr(Incident, name) == value)
    if not filters.get("met_ingetrokken"):
        query = query.where(Incident.ingetrokken_op.is_(None))
    return query.order_by(Incident.tijdstip.desc(), Incident.id.desc())
