"""Keyboard only, in a real browser: an incident recorded with its location found by address
(PDOK replayed by ``tests.pdok``) and one placed on the map with Enter and the arrow keys;
no mouse and no typed coordinates. Plus page images at 390 px (a phone) for review by eye.

Focus moves with Tab only (``tab_to`` fails when a control cannot be reached that way);
values are typed or chosen with the keys a person would use.
"""

from datetime import UTC, datetime

import pytest

from gemeenten.boundaries import to_wgs84
from pilot.extensions import db
from pilot.models import Boa, Incident, Rol
from tests.browser import ARTIFACTS, chromium, new_page
from tests.factories import make_boa, make_incident
from tests.pdok import replaying_pdok

pytestmark = [
    pytest.mark.browser,
    pytest.mark.db_independent,
    pytest.mark.usefixtures("frozen_clock"),
]

FORM = "/gemeente/GM0599/incidenten/nieuw"
ACTIVE_ID = "document.activeElement && document.activeElement.id"


@pytest.fixture
def pdok(app):
    """The app asks the local PDOK replay instead of PDOK itself."""
    with replaying_pdok() as replay:
        app.config["PILOT_PDOK_LOCATIESERVER_URL"] = replay.base_url
        yield replay


@pytest.fixture
def coordinator(app, boundaries_loaded, make_user):
    with app.app_context():
        make_boa("GM0599", code="BOA-R-07")
    return make_user(Rol.COORDINATOR, "GM0599")


def tab_to(page, element_id: str, limit: int = 120) -> None:
    """Press Tab until the element with ``element_id`` has the focus."""
    tab_to_match(page, f"#{element_id}", limit)


def tab_to_match(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the focused element matches the CSS ``selector``."""
    for _ in range(limit):
        if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} is met Tab niet bereikbaar")


def type_date_and_time(page) -> None:
    """12-09-2025 23:30 typed into the date and time fields, whose segment order follows the
    browser's own locale (Chromium keeps en-US order whatever the page locale): a first try
    shows the order, then Shift+Tab twice goes back to the first segment (day or month)."""
    tab_to(page, "datum")
    page.keyboard.type("01022003")
    us = page.input_value("#datum") == "2003-01-02"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(ACTIVE_ID) == "datum"
    page.keyboard.type("09122025" if us else "12092025")
    assert page.input_value("#datum") == "2025-09-12"
    tab_to(page, "tijd")
    page.keyboard.type("1130PM" if us else "2330")
    assert page.input_value("#tijd") == "23:30"


def fill_by_keyboard(page) -> None:
    """Date, time, boa, conduct and the code lists, in tab order, typed."""
    type_date_and_time(page)
    tab_to(page, "boa_id")
    page.keyboard.type("BOA")
    tab_to(page, "gedragingen-0")
    page.keyboard.press("Space")
    for element_id, typed in (
        ("locatie_type", "Uitg"),
        ("kennisname", "Eigen"),
        ("kleding", "In b"),
        ("rol_boa", "Spot"),
        ("afdoening", "Aansp"),
        ("leeftijd_verdachten", "18"),
    ):
        tab_to(page, element_id)
        page.keyboard.type(typed)


def submit_by_keyboard(page) -> None:
    tab_to(page, "opslaan")
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def stored_incident(app) -> Incident:
    with app.app_context():
        return db.session.execute(db.select(Incident)).scalar_one()


def test_incident_found_by_address_is_recorded_by_keyboard(app, coordinator, pdok, server):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = new_page(browser, server, coordinator)
        page.goto(server + FORM)
        fill_by_keyboard(page)
        tab_to(page, "adres")
        page.keyboard.type("Coolsingel 40")
        expect(page.locator("#adres-lijst [role=option]")).to_have_count(3)
        expect(page.locator("#adres")).to_have_attribute("aria-expanded", "true")
        page.keyboard.press("ArrowDown")
        expect(page.locator("#adres")).to_have_attribute("aria-activedescendant", "adres-optie-0")
        page.keyboard.press("Enter")
        expect(page.locator("#adres-status")).to_contain_text("Coolsingel 40, 3011AD Rotterdam")
        expect(page.locator("#lat")).to_have_value("51.922530")
        expect(page.locator("#lon")).to_have_value("4.479010")
        expect(page.locator("#kaart .leaflet-marker-icon")).to_have_count(1)
        assert page.url.endswith(FORM), "Enter in the search box must not submit the form"
        submit_by_keyboard(page)
        expect(page.locator(".flash-success")).to_contain_text("geregistreerd")
    incident = stored_incident(app)
    assert (incident.lat, incident.lon) == (51.92253, 4.47901)
    suggest = [q for path, q in pdok.requests if path.endswith("/suggest")]
    assert suggest and all(q["fq"][0] == "gemeentecode:0599" for q in suggest)


def test_address_search_says_so_when_pdok_cannot_be_reached(coordinator, server):
    """The test config points at a port where nothing listens: PDOK 'is down'."""
    from playwright.sync_api import expect

    with chromium() as browser:
        page = new_page(browser, server, coordinator)
        page.goto(server + FORM)
        tab_to(page, "adres")
        page.keyboard.type("Coolsingel")
        expect(page.locator("#adres-status")).to_contain_text("niet bereikbaar")
        expect(page.locator("#adres-status")).to_contain_text("Kies de locatie op de kaart")
        expect(page.locator("#adres-lijst")).to_be_hidden()


def test_my_location_places_the_marker(coordinator, server):
    """A device that knows where it is (Coolsingel, Rotterdam) and allows the page to ask:
    "Mijn huidige locatie gebruiken" fills the fields and places the marker."""
    from playwright.sync_api import expect

    with chromium() as browser:
        page = new_page(
            browser,
            server,
            coordinator,
            geolocation={"latitude": 51.92253, "longitude": 4.47901, "accuracy": 8},
            permissions=["geolocation"],
        )
        page.goto(server + FORM)
        tab_to(page, "mijn-locatie")
        page.keyboard.press("Enter")
        expect(page.locator("#adres-status")).to_contain_text("uw huidige plek")
        expect(page.locator("#lat")).to_have_value("51.922530")
        expect(page.locator("#lon")).to_have_value("4.479010")
        expect(page.locator("#kaart .leaflet-marker-icon")).to_have_count(1)


def test_incident_placed_on_the_map_by_keyboard(app, coordinator, server):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = new_page(browser, server, coordinator)
        page.goto(server + FORM)
        fill_by_keyboard(page)
        tab_to(page, "kaart")
        page.keyboard.press("Enter")
        expect(page.locator("#kaart .leaflet-marker-icon")).to_have_count(1)
        expect(page.locator("#lat")).not_to_have_value("")
        placed = (float(page.input_value("#lat")), float(page.input_value("#lon")))
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Shift+ArrowUp")
        moved = (float(page.input_value("#lat")), float(page.input_value("#lon")))
        assert moved[1] > placed[1] and moved[0] > placed[0], (placed, moved)
        expect(page.locator("#kaart-status")).to_contain_text("Locatie gezet op breedtegraad")
        assert page.evaluate(ACTIVE_ID) == "kaart", "the arrows move the marker, not the focus"
        submit_by_keyboard(page)
        expect(page.locator(".flash-success")).to_contain_text("geregistreerd")
    incident = stored_incident(app)
    assert (incident.lat, incident.lon) == (round(moved[0], 6), round(moved[1], 6))


def test_hotspot_table_shows_a_cell_on_the_map_by_keyboard(app, coordinator, server):
    """The table below the map is the map's text alternative; its buttons zoom the map."""
    from playwright.sync_api import expect

    with app.app_context():
        boa = db.session.execute(db.select(Boa)).scalar_one()
        for i in range(7):
            lat, lon = to_wgs84(92_610.0 + 11 * i, 437_620.0 + 13 * i)
            make_incident(boa, float(lat), float(lon))
    with chromium() as browser:
        page = new_page(browser, server, coordinator)
        page.goto(server + "/hotspots/gemeente/GM0599/kaart?cel=100")
        expect(page.locator("table tbody tr").first).to_contain_text("7")
        tab_to_match(page, "button.toon-cel")
        page.keyboard.press("Enter")
        expect(page.locator(".leaflet-tooltip")).to_contain_text("Incidenten: 7")
        expect(page.locator(".kaart .folium-map")).to_be_focused()


def test_report_period_error_is_shown_with_javascript_on(coordinator, server):
    """The download script fetches the report; a wrong period comes back as the page with
    its message, which the script shows, announces and focuses."""
    from playwright.sync_api import expect

    with chromium() as browser:
        page = new_page(browser, server, coordinator)
        page.goto(server + "/rapporten/")
        page.fill("#van", "2025-09-30")
        page.fill("#tot", "2025-07-01")
        page.locator("form[data-download] button").first.press("Enter")
        error = page.locator("#download-fout")
        expect(error).to_be_focused()
        expect(error).to_have_attribute("role", "alert")
        expect(error).to_contain_text("De einddatum ligt vóór de begindatum.")
        assert page.title().startswith("Fout: ")


def test_phone_pages_for_review(app, coordinator, server):
    """Page images at 390 px of the incident form (with its errors), the list and a map,
    saved under test-artifacts/ to be looked at; the test checks they do not scroll sideways."""
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    with app.app_context():
        boa = db.session.execute(db.select(Boa)).scalar_one()
        for i in range(12):
            lat, lon = to_wgs84(92_610.0 + 40 * i, 437_620.0 + 25 * (i % 4))
            make_incident(
                boa, float(lat), float(lon), tijdstip=datetime(2025, 8, i + 1, 22, tzinfo=UTC)
            )
    with chromium() as browser:
        page = new_page(browser, server, coordinator, width=390)
        page.goto(server + FORM)
        expect(page.locator("nav.menu details")).not_to_have_attribute("open", "")
        page.screenshot(path=str(ARTIFACTS / "telefoon-incident-formulier.png"), full_page=True)
        page.locator("#opslaan").press("Enter")
        expect(page.locator(".error-summary")).to_be_focused()
        assert page.title().startswith("Fout: ")
        page.screenshot(path=str(ARTIFACTS / "telefoon-incident-fouten.png"), full_page=True)
        page.goto(server + "/gemeente/GM0599/incidenten/")
        page.locator("nav.menu summary").press("Enter")
        page.screenshot(path=str(ARTIFACTS / "telefoon-incident-lijst.png"), full_page=True)
        page.goto(server + "/hotspots/gemeente/GM0599/kaart")
        page.locator(".kaart .folium-map").wait_for()
        page.screenshot(path=str(ARTIFACTS / "telefoon-hotspotkaart.png"), full_page=True)
