"""The audit trail: creating, changing and deactivating boa's, users and gemeenten through
the screens writes AuditEvents (who, what, which record) without personal or secret data."""

from flask import Flask

from pilot.extensions import db
from pilot.models import AuditEvent, Boa, Incident, Rol, User

NUMMER = "PN-5551234"
NEW_PASSWORD = "een-heel-geheim-wachtwoord"


def _events(app: Flask, entiteit: str) -> list[AuditEvent]:
    with app.app_context():
        rows = (
            db.session.execute(
                db.select(AuditEvent).where(AuditEvent.entiteit == entiteit).order_by(AuditEvent.id)
            )
            .scalars()
            .all()
        )
        db.session.expunge_all()
        return rows


def test_boa_create_change_deactivate_are_audited_without_personal_data(
    app: Flask, client, login_as
):
    coordinator = login_as(Rol.COORDINATOR, "GM0599")
    client.post(
        "/gemeente/GM0599/boas/nieuw",
        data={"personeelsnummer": NUMMER, "opleidingsdatum": "2024-06-01"},
    )
    with app.app_context():
        boa = db.session.execute(db.select(Boa)).scalar_one()
        boa_id, code, digest, gemeente_id = (
            boa.id,
            boa.code,
            boa.personeelsnummer_hmac,
            boa.gemeente_id,
        )
    client.post(
        f"/gemeente/GM0599/boas/{boa_id}/bewerken",
        data={"personeelsnummer": "PN-999", "opleidingsdatum": "2024-05-01"},
    )
    client.post(f"/gemeente/GM0599/boas/{boa_id}/deactiveren", data={"bevestigd": "ja"})

    created, changed, deactivated = _events(app, "boa")
    for event in (created, changed, deactivated):
        assert (event.user_id, event.actor) == (coordinator.id, coordinator.gebruikersnaam)
        assert (event.entiteit_id, event.gemeente_id) == (str(boa_id), gemeente_id)
        trail = str(event.details)
        for secret in ("5551234", "PN999", "PN-999", digest):
            assert secret not in trail
    assert created.actie == "aanmaken"
    assert created.details["code"] == code
    assert created.details["opleidingsdatum"] == "2024-06-01"
    assert "personeelsnummer_hmac" not in created.details
    assert changed.actie == "wijzigen"
    assert changed.details["opleidingsdatum"] == ["2024-06-01", "2024-05-01"]
    assert changed.details["personeelsnummer_hmac"] == "gewijzigd"
    assert deactivated.actie == "deactiveren"
    assert deactivated.details == {"actief": [True, False]}


def test_user_create_and_deactivate_are_audited_without_password(app: Flask, client, login_as):
    beheerder = login_as(Rol.BEHEERDER)
    client.post(
        "/beheer/gebruikers/nieuw",
        data={"gebruikersnaam": "nieuwe.evaluator", "wachtwoord": NEW_PASSWORD, "rol": "evaluator"},
    )
    with app.app_context():
        user = db.session.execute(
            db.select(User).where(User.gebruikersnaam == "nieuwe.evaluator")
        ).scalar_one()
        user_id, password_hash = user.id, user.password_hash
    client.post(f"/beheer/gebruikers/{user_id}/deactiveren")
    client.post(f"/beheer/gebruikers/{user_id}/heractiveren")

    events = [e for e in _events(app, "user_account") if e.entiteit_id == str(user_id)]
    assert [e.actie for e in events] == ["aanmaken", "deactiveren", "wijzigen"]
    assert all(e.user_id == beheerder.id for e in events)
    assert events[0].details["rol"] == "evaluator"
    assert events[2].details == {"actief": [False, True]}
    for event in events:
        assert NEW_PASSWORD not in str(event.details)
        assert password_hash not in str(event.details)
        assert "password_hash" not in event.details


def test_gemeente_change_is_audited(app: Flask, client, login_as):
    beheerder = login_as(Rol.BEHEERDER)
    client.post(
        "/beheer/gemeenten/GM0546/bewerken",
        data={"pilot_start": "2025-07-01", "pilot_eind": "2026-12-31", "tranche": "3"},
    )
    [event] = [e for e in _events(app, "gemeente") if e.actie == "wijzigen"]
    assert event.user_id == beheerder.id
    assert event.details == {"pilot_eind": ["2026-06-30", "2026-12-31"]}


def test_refused_change_writes_no_audit_event(app: Flask, client, login_as):
    login_as(Rol.BEHEERDER)
    response = client.post(
        "/beheer/gemeenten/GM0546/bewerken",
        data={"pilot_start": "2025-07-01", "pilot_eind": "2020-01-01", "tranche": "3"},
    )
    assert response.status_code == 200
    assert 'id="pilot_eind-fout">De einddatum ligt vóór de startdatum' in response.text
    assert [e for e in _events(app, "gemeente") if e.actie == "wijzigen"] == []


def test_incident_events_name_the_changed_fields_never_location_or_time(
    app: Flask, client, login_as, boundaries_loaded, frozen_clock
):
    from tests.factories import make_boa
    from tests.test_incidenten import BASE, form

    login_as(Rol.COORDINATOR, "GM0599")
    with app.app_context():
        boa_id = make_boa("GM0599", code="BOA-R-01").id
    client.post(f"{BASE}/nieuw", data=form(boa_id, datum="2025-09-12", tijd="23:17"))
    with app.app_context():
        incident_id = db.session.execute(db.select(Incident.id)).scalar_one()
    moved = form(boa_id, datum="2025-09-13", tijd="01:47", lat="51.91913", lon="4.47561",
                 afdoening="proces_verbaal", version="1")  # fmt: skip
    assert client.post(f"{BASE}/{incident_id}/wijzigen", data=moved).status_code == 302
    withdraw = {"reden": "dubbel ingevoerd", "version": "2"}
    assert client.post(f"{BASE}/{incident_id}/intrekken", data=withdraw).status_code == 302

    created, changed, withdrawn = _events(app, "incident")
    assert (created.actie, created.details) == ("aanmaken", {})
    assert changed.actie == "wijzigen"
    assert changed.details == {"velden": ["afdoening", "locatie", "tijdstip"]}
    assert withdrawn.actie == "intrekken"
    assert withdrawn.details == {"velden": ["ingetrokken_op", "intrek_reden"]}
    trail = " ".join(str(e.details) for e in (created, changed, withdrawn))
    for value in ("51.9", "4.47", "2025-09", "23:17", "01:47", "21:17", "23:47", "proces"):
        assert value not in trail
    page = client.get(f"{BASE}/{incident_id}").get_data(as_text=True)
    history = page[page.index("<h2>Geschiedenis</h2>") :]
    assert "afdoening, locatie, datum en tijd" in history
    assert "ingetrokken, reden van intrekken" in history
    assert "51.919" not in history and "01:47" not in history
