"""Unit tests of the incident rules in the domain service (the HTTP form tests are elsewhere)."""

from datetime import UTC, date, datetime

import pytest

from pilot.extensions import db
from pilot.models import Incident
from pilot.services import pii
from pilot.services.errors import Conflict, DomainError
from pilot.services.incidenten import (
    IncidentInput,
    create_incident,
    update_incident,
    validate_batch,
    withdraw_incident,
)
from tests.factories import gemeente, make_boa

ROTTERDAM_CENTRUM = (51.9225, 4.47917)
UTRECHT_CENTRUM = (52.0907, 5.1214)
pytestmark = pytest.mark.usefixtures("frozen_clock")  # today is 15-11-2025


def valid_input(boa_id: int, **changes) -> IncidentInput:
    values = dict(
        tijdstip=datetime(2025, 9, 12, 21, 30, tzinfo=UTC),
        lat=ROTTERDAM_CENTRUM[0],
        lon=ROTTERDAM_CENTRUM[1],
        boa_id=boa_id,
        locatie_type="uitgaansgebied",
        gedragingen=["opmerkingen", "gebaren"],
        kennisname="eigen_waarneming",
        kleding="burger",
        rol_boa="spotter",
        afdoening="waarschuwing",
        aantal_verdachten=1,
        leeftijd_verdachten="18_24",
        aantal_slachtoffers=1,
        slachtofferhulp=False,
    )
    values.update(changes)
    return IncidentInput(**values)


@pytest.fixture
def rotterdam(app, boundaries_loaded):
    with app.app_context():
        boa = make_boa("GM0599")
        yield gemeente("GM0599"), boa


def errors_for(rotterdam, **changes):
    g, boa = rotterdam
    return validate_batch(g, [valid_input(boa.id, **changes)])[0]


def test_valid_input_has_no_errors(rotterdam):
    assert errors_for(rotterdam) == {}


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"tijdstip": datetime(2024, 6, 30, 12, tzinfo=UTC)}, "tijdstip", "buiten de pilotperiode"),
        ({"tijdstip": datetime(2025, 11, 16, 12, tzinfo=UTC)}, "tijdstip", "in de toekomst"),
        ({"lat": UTRECHT_CENTRUM[0], "lon": UTRECHT_CENTRUM[1]}, "locatie", "buiten de gemeente"),
        ({"lat": 48.85, "lon": 2.35}, "locatie", "niet in Nederland"),
        ({"gedragingen": []}, "gedragingen", "ten minste één"),
        ({"afdoening": "boete"}, "afdoening", "Onbekende code"),
        ({"aantal_verdachten": -1}, "aantal_verdachten", "tussen 0 en"),
        ({"afdoening": "reprimande"}, "afdoening", "alleen voor minderjarigen"),
        ({"opmerking": "bellen naar 0612345678"}, "opmerking", "telefoonnummer"),
        ({"opmerking": "BSN 111222333"}, "opmerking", "burgerservicenummer"),
    ],
)
def test_each_rule_reports_on_its_field(rotterdam, changes, field, fragment):
    errors = errors_for(rotterdam, **changes)
    assert any(fragment in message for message in errors.get(field, [])), errors


def test_boa_without_mandate_on_the_date_is_refused(app, boundaries_loaded):
    with app.app_context():
        boa = make_boa("GM0599", mandaat_start=date(2025, 10, 1))
        errors = validate_batch(gemeente("GM0599"), [valid_input(boa.id)])[0]
        assert "geen mandaat" in errors["boa_id"][0]


def test_boa_of_another_gemeente_is_refused(app, boundaries_loaded):
    with app.app_context():
        other = make_boa("GM0344")
        errors = validate_batch(gemeente("GM0599"), [valid_input(other.id)])[0]
        assert "hoort niet bij Rotterdam" in errors["boa_id"][0]


def test_without_boundary_location_is_not_checked_and_record_is_flagged(app):
    with app.app_context():
        boa = make_boa("GM0599")
        incident = create_incident(
            gemeente("GM0599"), valid_input(boa.id, lat=UTRECHT_CENTRUM[0], lon=UTRECHT_CENTRUM[1])
        )
        assert incident.grens_gecontroleerd is False


def test_pii_message_does_not_repeat_the_data():
    found = pii.screen("mail jan.jansen@example.nl of 06-12345678")
    assert found == ["email", "telefoon"]
    message = pii.message(found, "opmerking")
    assert "een e-mailadres en een telefoonnummer" in message
    assert "jan.jansen" not in message and "12345678" not in message


def test_duplicate_case_number_is_refused(rotterdam):
    g, boa = rotterdam
    create_incident(g, valid_input(boa.id, zaaknummer="PL1700-2025-123"))
    errors = validate_batch(g, [valid_input(boa.id, zaaknummer="pl1700 2025 123")])[0]
    assert "al een incident met dit zaaknummer" in errors["zaaknummer"][0]
    stored = db.session.execute(db.select(Incident.zaaknummer_hmac)).scalar_one()
    assert "1700" not in stored


def test_stale_version_is_a_conflict_and_withdraw_needs_reason(rotterdam):
    g, boa = rotterdam
    incident = create_incident(g, valid_input(boa.id))
    update_incident(g, incident, valid_input(boa.id, afdoening="proces_verbaal"), 1)
    assert incident.version == 2
    with pytest.raises(Conflict):
        update_incident(g, incident, valid_input(boa.id), 1)
    with pytest.raises(DomainError, match="Geef een reden"):
        withdraw_incident(incident, "", 2)
    withdraw_incident(incident, "dubbel ingevoerd", 2)
    assert incident.ingetrokken
