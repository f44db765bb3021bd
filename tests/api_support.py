"""Helpers for the API tests: tokens issued through the token service, request bodies."""

from datetime import date

from flask import Flask

from pilot.extensions import db
from pilot.models import Gemeente, Rol, User
from pilot.services.api import tokens
from tests.conftest import gemeente_by_code

WITTE_DE_WITHSTRAAT = {"lat": 51.9165, "lon": 4.4788}
DOMPLEIN_UTRECHT = {"lat": 52.0907, "lon": 5.1214}


def issuer(rol: Rol = Rol.BEHEERDER, cbs_code: str | None = None) -> User:
    name = f"uitgever-{rol.value}-{cbs_code or 'x'}".lower()
    user = db.session.execute(
        db.select(User).where(User.gebruikersnaam == name)
    ).scalar_one_or_none()
    if user is None:
        gemeente = gemeente_by_code(cbs_code) if cbs_code else None
        user = User(
            gebruikersnaam=name,
            naam=name,
            password_hash="-",
            rol=rol.value,
            gemeente_id=gemeente.id if gemeente else None,
            actief=True,
        )
        db.session.add(user)
        db.session.commit()
    return user


def issue(
    app: Flask,
    soort: str = tokens.GEMEENTE,
    scope: str = tokens.SCHRIJVEN,
    cbs_code: str | None = "GM0599",
    geldig_tot: date = date(2026, 6, 30),
) -> tuple[int, str]:
    """A token issued by a beheerder: (id, secret)."""
    with app.app_context():
        gemeente_id = None
        if soort == tokens.GEMEENTE:
            gemeente_id = db.session.execute(
                db.select(Gemeente.id).where(Gemeente.cbs_code == cbs_code)
            ).scalar_one()
        issued = tokens.issue_token(
            issuer(), tokens.TokenInput(f"Systeem {soort}", soort, scope, geldig_tot, gemeente_id)
        )
        return issued.token.id, issued.secret


def bearer(secret: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", **headers}


def incident_body(boa_code: str, /, **changes) -> dict:
    body = {
        "tijdstip": "2025-09-12T23:30:00+02:00",
        "locatie": dict(WITTE_DE_WITHSTRAAT),
        "boa_code": boa_code,
        "locatie_type": "uitgaansgebied",
        "gedragingen": ["opmerkingen", "gebaren"],
        "kennisname": "eigen_waarneming",
        "kleding": "burger",
        "rol_boa": "spotter",
        "afdoening": "waarschuwing",
        "aantal_verdachten": 1,
        "leeftijd_verdachten": "18_24",
        "aantal_slachtoffers": 1,
    }
    body.update(changes)
    return body
