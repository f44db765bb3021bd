"""The incident form in a real headless Chromium (Debian's /usr/bin/chromium, via Playwright).

The app runs in a thread on a free localhost port with the test database; every request to
another host (map tiles) is aborted so nothing leaves the machine or hangs.
"""

import gc
import socket
import struct
import time

import pytest

from pilot.extensions import db
from pilot.models import Incident, Rol
from tests.browser import ARTIFACTS, logged_in_page, serving
from tests.factories import make_boa

pytestmark = [pytest.mark.browser, pytest.mark.db_independent]


def test_coordinator_places_an_incident_on_the_map(app, boundaries_loaded, make_user, server):
    from playwright.sync_api import expect

    with app.app_context():
        make_boa("GM0599", code="BOA-R-07")
    user = make_user(Rol.COORDINATOR, "GM0599")
    ARTIFACTS.mkdir(exist_ok=True)
    with logged_in_page(server, user) as page:
        page.goto(f"{server}/gemeente/GM0599/incidenten/nieuw")
        expect(page.locator("#kaart path.leaflet-interactive, #kaart path")).not_to_have_count(0)

        page.locator("#kaart").click(position={"x": 260, "y": 230})
        expect(page.locator("#lat")).not_to_have_value("")
        expect(page.locator("#lon")).not_to_have_value("")
        expect(page.locator("#kaart .leaflet-marker-icon")).to_have_count(1)
        clicked = float(page.input_value("#lat"))
        assert 50.7 < clicked < 53.6
        marker = page.locator("#kaart .leaflet-marker-icon")
        at_click = marker.bounding_box()

        page.fill("#lat", "51.9165")  # the keyboard path: the marker follows the fields
        page.fill("#lon", "4.4788")
        assert marker.bounding_box() != at_click
        page.fill("#datum", "2025-09-12")
        page.fill("#tijd", "23:30")
        page.select_option("#boa_id", label="BOA-R-07")
        page.check("#gedragingen-0")
        page.select_option("#locatie_type", "uitgaansgebied")
        page.select_option("#kennisname", "eigen_waarneming")
        page.select_option("#kleding", "burger")
        page.select_option("#rol_boa", "spotter")
        page.select_option("#afdoening", "waarschuwing")
        page.select_option("#leeftijd_verdachten", "18_24")
        page.screenshot(path=str(ARTIFACTS / "incident-formulier.png"), full_page=True)
        page.click("button.primary[type=submit]")
        expect(page.locator("h1")).to_contain_text("Incident")
        expect(page.locator(".flash-success")).to_contain_text("geregistreerd")

        page.goto(f"{server}/gemeente/GM0599/incidenten/")
        expect(page.locator("table tbody tr")).to_have_count(1)
        expect(page.locator("table tbody")).to_contain_text("BOA-R-07")
        page.screenshot(path=str(ARTIFACTS / "incident-lijst.png"), full_page=True)
    with app.app_context():
        incident = db.session.execute(db.select(Incident)).scalar_one()
        assert (incident.lat, incident.lon) == (51.9165, 4.4788)
        assert incident.tijdvak == "avond"


def test_server_closes_static_files_when_the_browser_drops_the_connection(app):
    """Requests reset by the client right after the first response byte, as Chromium does
    with images it no longer needs: no file may be left open (see
    ``tests.browser.body_closed_before_sending``; without it several of these leak)."""
    reset_on_close = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends a RST
    with serving(app) as url:
        port = int(url.rsplit(":", 1)[1])
        for _ in range(20):
            client = socket.create_connection(("127.0.0.1", port))
            client.sendall(b"GET /static/vendor/leaflet/leaflet.js HTTP/1.1\r\nHost: t\r\n\r\n")
            assert client.recv(1) == b"H"
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, reset_on_close)
            client.close()
        time.sleep(0.2)  # let the server threads finish
    gc.collect()  # an unclosed file warns here, which filterwarnings = error fails
