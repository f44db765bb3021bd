"""Gemeente screens through HTTP: the beheerder's edit and boundary status."""

from datetime import date

from flask import Flask

from pilot.extensions import db
from pilot.models import Rol
from tests.conftest import gemeente_by_code


def _gemeente(app: Flask, cbs_code: str):
    with app.app_context():
        g = gemeente_by_code(cbs_code)
        db.session.expunge(g)
        return g


def test_edit_gemeente_saves_period_tranche_and_population(app, client, login_as):
    login_as(Rol.BEHEERDER)
    url = "/beheer/gemeenten/GM0546/bewerken"
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="2025-07-01"' in page.text  # current start date pre-filled
    response = client.post(
        url,
        data={
            "pilot_start": "2025-08-15",
            "pilot_eind": "2026-07-01",
            "tranche": "3",
            "inwoners": "130000",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/beheer/gemeenten")
    leiden = _gemeente(app, "GM0546")
    assert (leiden.pilot_start, leiden.pilot_eind) == (date(2025, 8, 15), date(2026, 7, 1))
    assert (leiden.tranche, leiden.inwoners) == (3, 130000)
    assert "De gegevens van Leiden zijn opgeslagen." in client.get("/beheer/gemeenten").text


def test_edit_gemeente_end_before_start_is_refused_beside_the_field_and_input_kept(
    app, client, login_as
):
    login_as(Rol.BEHEERDER)
    response = client.post(
        "/beheer/gemeenten/GM0599/bewerken",
        data={"pilot_start": "2025-01-01", "pilot_eind": "2024-12-31", "tranche": "1"},
    )
    assert response.status_code == 200
    assert '<p class="error" id="pilot_eind-fout">De einddatum ligt vóór de startdatum' in (
        response.text
    )
    assert 'value="2025-01-01"' in response.text and 'value="2024-12-31"' in response.text
    rotterdam = _gemeente(app, "GM0599")
    assert rotterdam.pilot_start == date(2024, 7, 1)  # unchanged


def test_edit_gemeente_shape_errors_are_dutch(app, client, login_as):
    login_as(Rol.BEHEERDER)
    response = client.post(
        "/beheer/gemeenten/GM0599/bewerken",
        data={"pilot_start": "morgen", "pilot_eind": "", "tranche": "0", "inwoners": "-5"},
    )
    assert response.status_code == 200
    assert 'id="pilot_start-fout">Ongeldige datum.' in response.text
    assert 'id="tranche-fout">De tranche is een geheel getal van 1 of hoger.' in response.text
    assert 'id="inwoners-fout">Het aantal inwoners kan niet negatief zijn.' in response.text
    assert 'value="morgen"' in response.text
    assert '"None"' not in response.text  # no attribute rendered from a missing value
    assert 'aria-invalid="true"' in response.text
    assert "Not a valid" not in response.text


def test_edit_unknown_gemeente_is_404(client, login_as):
    login_as(Rol.BEHEERDER)
    assert client.get("/beheer/gemeenten/GM9999/bewerken").status_code == 404


def test_ui_says_plainly_when_no_boundaries_are_loaded(client, login_as):
    login_as(Rol.BEHEERDER)
    listing = client.get("/beheer/gemeenten").text
    assert "Er zijn nog geen gemeentegrenzen geladen" in listing
    assert "flask --app pilot gemeenten import-grenzen PAD_OF_URL" in listing
    edit = client.get("/beheer/gemeenten/GM0599/bewerken").text
    assert "Er zijn nog geen gemeentegrenzen geladen voor Rotterdam" in edit
    assert "niet geladen" in edit


def test_boundary_status_shows_when_loaded(client, login_as, boundaries_loaded):
    login_as(Rol.BEHEERDER)
    listing = client.get("/beheer/gemeenten").text
    assert "Er zijn nog geen gemeentegrenzen geladen" not in listing
    assert "niet geladen" not in listing
    edit = client.get("/beheer/gemeenten/GM0599/bewerken").text
    assert "gemeenten_2026_wgs84.geojson" in edit
    assert "niet geladen" not in edit
