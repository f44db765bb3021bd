"""Acceptance of issue 13 in a real headless Chromium: the beheerder adds Den Haag (GM0518)
as tranche 4 with its boundary from the shared boundary file, creates its coordinator, who
registers a boa and records an incident in Den Haag; the incident counts in the outsider
outputs of its completed quarter (the evaluator's hotspot cells of 2025-K3)."""

import csv
import io
from datetime import UTC, datetime

import pyotp
import pytest
import shapely

from gemeenten.boundaries import to_wgs84
from pilot import clock
from pilot.extensions import db
from pilot.models import Boa, Incident, Rol
from tests.browser import ARTIFACTS, logged_in_page
from tests.conftest import FROZEN_NOW, PASSWORD, SHARED_DATA, log_in
from tests.factories import gemeente, make_incident

pytestmark = [pytest.mark.browser, pytest.mark.db_independent]

QUARTER = "2025-07-01"  # 2025-K3, the newest completed quarter at FROZEN_NOW
OWN_PASSWORD = "Den Haag meldt het eerste incident"
CELLS_URL = f"/hotspots/gemeente/GM0518/kaart/download/csv?kwartaal={QUARTER}"


def _den_haag_cells(client) -> list[dict]:
    response = client.get(CELLS_URL)
    assert response.status_code == 200, response.status_code
    return list(csv.DictReader(io.StringIO(response.text), delimiter=";"))


def test_beheerder_adds_den_haag_whose_incident_reaches_the_outsider_map(
    app, make_user, server, shared_boundaries
):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    centre = shared_boundaries["GM0518"].representative_point()
    lat, lon = (float(v) for v in to_wgs84(centre.x, centre.y))
    beheerder = make_user(Rol.BEHEERDER)
    with clock.frozen(FROZEN_NOW), logged_in_page(server, beheerder) as page:
        # 1. the shared national file: preview, then confirm
        page.goto(f"{server}/beheer/gemeenten/grenzen")
        page.set_input_files("#upload-bestand", str(SHARED_DATA / "gemeenten_2026_wgs84.geojson"))
        page.get_by_role("button", name="Bekijken", exact=True).click()
        expect(page.locator("h1")).to_have_text("Voorbeeld gemeentegrenzen 2026")
        expect(page.locator("table")).to_contain_text("Rotterdam")
        page.screenshot(path=str(ARTIFACTS / "grenzen-voorbeeld.png"), full_page=True)
        page.get_by_role("button", name="Bevestigen en opslaan").click()
        expect(page.locator(".flash-success")).to_contain_text("de CBS-lijst is bijgewerkt")

        # 2. Den Haag from the CBS list, tranche 4
        page.goto(f"{server}/beheer/gemeenten/nieuw")
        page.select_option("#cbs_code", "GM0518")
        page.fill("#tranche", "4")
        page.fill("#pilot_start", "2025-07-01")
        page.screenshot(path=str(ARTIFACTS / "gemeente-toevoegen.png"), full_page=True)
        page.get_by_role("button", name="Toevoegen").click()
        expect(page.locator(".flash-success")).to_contain_text("(GM0518) doet mee in tranche 4")
        row = page.locator("tr", has_text="GM0518")
        expect(row).to_contain_text("'s-Gravenhage")
        expect(row).to_contain_text("Zuid-Holland")
        expect(row).to_contain_text("geladen")

        # 3. its coordinator
        page.goto(f"{server}/beheer/gebruikers/nieuw")
        page.fill("#gebruikersnaam", "coord-denhaag")
        page.fill("#wachtwoord", PASSWORD)
        page.select_option("#rol", "coordinator")
        page.select_option("#gemeente", "GM0518")
        page.get_by_role("button", name="Aanmaken").click()
        expect(page.locator(".flash-success")).to_contain_text("coord-denhaag")
        page.get_by_role("button", name="Uitloggen").click()

        # 4. the coordinator registers a boa and records an incident in Den Haag
        page.goto(f"{server}/inloggen")
        page.fill("#gebruikersnaam", "coord-denhaag")
        page.fill("#wachtwoord", PASSWORD)
        page.click("button[type=submit]")
        # first log-in: enrol the authenticator app, then replace the temporary password
        expect(page.locator("h1")).to_have_text("Tweestapsverificatie instellen")
        secret = page.locator("#totp-sleutel").inner_text().replace(" ", "")
        page.fill("#code", pyotp.TOTP(secret).at(clock.now()))
        page.get_by_role("button", name="Bevestigen").click()
        page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()
        expect(page.locator("h1")).to_have_text("Wachtwoord wijzigen")
        page.fill("#huidig", PASSWORD)
        page.fill("#nieuw", OWN_PASSWORD)
        page.fill("#herhaling", OWN_PASSWORD)
        page.get_by_role("button", name="Wachtwoord wijzigen").click()
        expect(page.locator(".flash-success")).to_contain_text("Uw wachtwoord is gewijzigd")
        page.goto(f"{server}/")
        expect(page.locator("h1")).to_contain_text("'s-Gravenhage")
        page.goto(f"{server}/gemeente/GM0518/boas/nieuw")
        page.fill("#opleidingsdatum", "2025-06-01")
        page.fill("#mandaat_start", "2025-06-15")
        page.get_by_role("button", name="Registreren").click()
        expect(page.locator(".flash-success")).to_contain_text("Boa geregistreerd")
        with app.app_context():
            boa = db.session.execute(db.select(Boa)).scalar_one()
            boa_code = boa.code
            # four earlier incidents in the same 500 m cell: with k = 5 the cell and the
            # gemeente-quarter are hidden from outsiders until a fifth one is recorded
            for minute in range(4):
                make_incident(
                    boa,
                    lat + 0.0002 * minute,
                    lon,
                    tijdstip=datetime(2025, 8, 1, 21, minute, tzinfo=UTC),
                )
        evaluator = app.test_client()
        evaluator_user = make_user(Rol.EVALUATOR)
        log_in(app, evaluator, evaluator_user)
        assert _den_haag_cells(evaluator) == []  # four: below k, nothing shown

        page.goto(f"{server}/gemeente/GM0518/incidenten/nieuw")
        page.fill("#lat", f"{lat:.6f}")
        page.fill("#lon", f"{lon:.6f}")
        page.fill("#datum", "2025-09-12")
        page.fill("#tijd", "23:30")
        page.select_option("#boa_id", label=boa_code)
        page.check("#gedragingen-0")
        page.select_option("#locatie_type", "uitgaansgebied")
        page.select_option("#kennisname", "eigen_waarneming")
        page.select_option("#kleding", "burger")
        page.select_option("#rol_boa", "spotter")
        page.select_option("#afdoening", "waarschuwing")
        page.select_option("#leeftijd_verdachten", "18_24")
        page.screenshot(path=str(ARTIFACTS / "incident-den-haag.png"), full_page=True)
        page.click("button.primary[type=submit]")
        expect(page.locator(".flash-success")).to_contain_text("geregistreerd")

        # 5. the outsider output of the completed quarter now counts it
        cells = _den_haag_cells(evaluator)
    assert [(c["gemeente"], int(c["aantal"])) for c in cells] == [("GM0518", 5)]
    with app.app_context():
        recorded = db.session.execute(
            db.select(Incident).where(Incident.tijdstip > datetime(2025, 9, 1, tzinfo=UTC))
        ).scalar_one()
        den_haag = gemeente("GM0518")
        assert recorded.gemeente_id == den_haag.id and recorded.grens_gecontroleerd
        assert den_haag.tranche == 4
        assert shapely.from_wkb(den_haag.grens_rd_wkb).equals_exact(
            shared_boundaries["GM0518"], tolerance=0.01
        )
