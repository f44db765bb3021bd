"""The hotspot map's layers in a real headless Chromium: cell rectangles and lazy tooltips,
the gemeente boundary with its name."""

import pytest

from gemeenten.boundaries import to_wgs84
from pilot.models import Rol
from tests.browser import logged_in_page
from tests.factories import make_boa, make_incident

pytestmark = [pytest.mark.browser, pytest.mark.db_independent]

# Three occupied 100 m cells in Rotterdam: 7, 2 and 1 incidents.
POINTS = [(92_610.0 + 11 * i, 437_620.0 + 13 * i) for i in range(7)] + [
    (94_120.0, 438_130.0),
    (94_150.0, 438_160.0),
    (94_950.0, 438_950.0),
]


def test_coordinator_map_draws_one_rectangle_per_cell(app, boundaries_loaded, make_user, server):
    from playwright.sync_api import expect

    with app.app_context():
        boa = make_boa("GM0599")
        for x, y in POINTS:
            lat, lon = to_wgs84(x, y)
            make_incident(boa, float(lat), float(lon))
    user = make_user(Rol.COORDINATOR, "GM0599")
    with logged_in_page(server, user) as page:
        page.goto(f"{server}/hotspots/gemeente/GM0599/kaart?cel=100")
        layers = page.evaluate(
            "Object.keys(window).filter(k => k.startsWith('hotspot_cellen_'))"
            ".map(k => window[k].getLayers().length)"
        )
        assert layers == [3]
        # The map sits below the page's notices: bring it into the window first.
        page.locator(".folium-map").first.scroll_into_view_if_needed()
        point = page.evaluate(
            """() => {
              const key = Object.keys(window).find(k => k.startsWith('hotspot_cellen_'));
              const group = window[key], map = group._map;
              const big = group.getLayers()[0];
              map.setView(big.getBounds().getCenter(), 16, {animate: false});
              const p = map.latLngToContainerPoint(big.getBounds().getCenter());
              const box = map.getContainer().getBoundingClientRect();
              return {x: box.left + p.x, y: box.top + p.y};
            }"""
        )
        # Let the canvas redraw at the new view before the mouse arrives (slow under load).
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 100)))")
        page.mouse.move(point["x"], point["y"])
        page.mouse.move(point["x"] + 2, point["y"] + 2)
        expect(page.locator(".leaflet-tooltip")).to_contain_text("Incidenten: 7")


def test_the_boundary_layer_is_shown_and_names_its_gemeente(
    app, boundaries_loaded, make_user, server
):
    from playwright.sync_api import expect

    with app.app_context():
        boa = make_boa("GM0599")
        lat, lon = to_wgs84(*POINTS[0])
        make_incident(boa, float(lat), float(lon))
    user = make_user(Rol.COORDINATOR, "GM0599")
    with logged_in_page(server, user) as page:
        page.goto(f"{server}/hotspots/gemeente/GM0599/kaart")
        shown = page.evaluate(
            """() => {
              const key = Object.keys(window).find(k => k.startsWith('gemeentegrenzen_'));
              const group = window[key], boundary = group.getLayers()[0];
              boundary.fire('mouseover', {latlng: boundary.getBounds().getCenter()}, true);
              return {features: group.getLayers().length, onMap: group._map === boundary._map
                      && !!group._map, ring: boundary.getLatLngs().flat(2).length};
            }"""
        )
        assert shown["features"] == 1 and shown["onMap"] and shown["ring"] > 10
        expect(page.locator(".leaflet-tooltip")).to_have_text("Gemeente: Rotterdam")
        control = page.locator(".leaflet-control-layers-overlays label", has_text="Gemeentegrenzen")
        assert control.locator("input").is_checked()  # listed in the (collapsed) layer control
