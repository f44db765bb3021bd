"""Hotspot map pages and downloads per role: suppression, no coordinates, no CDN, audit."""

import json
import re
from datetime import UTC, datetime

import pytest

from gemeenten.boundaries import to_wgs84
from pilot import clock
from pilot.extensions import db
from pilot.models import AuditEvent, Rol
from tests.factories import make_boa, make_incident

CDN_HOSTS = ("cdn", "unpkg", "jsdelivr", "cdnjs", "googleapis", "bootstrapcdn", "jquery.com")
# Cells in Rotterdam with 7, 12 and 2 incidents (2 is below k=5). Outsiders also get the
# quarter total (21) in the reports, so the 2 needs a hidden partner: the 7 is shown as ×.
BIG = [(92_610.0 + 11 * i, 437_620.0 + 13 * i) for i in range(7)]
HUGE = [(93_130.0 + 5 * i, 437_730.0 + 6 * i) for i in range(12)]
SMALL = [(94_120.0, 438_130.0), (94_180.0, 438_160.0)]
pytestmark = pytest.mark.usefixtures("frozen_clock")  # today is 15-11-2025


def _quarter_args() -> tuple[dict, datetime]:
    """The newest completed quarter on the frozen day: 2025-K3."""
    return {"kwartaal": "2025-07-01"}, datetime(2025, 7, 10, 12, tzinfo=UTC)


@pytest.fixture
def incidents(app, boundaries_loaded) -> list[tuple[float, float]]:
    _args, moment = _quarter_args()
    points = []
    with app.app_context():
        boa = make_boa("GM0599")
        for x, y in BIG + HUGE + SMALL:
            lat, lon = to_wgs84(x, y)
            incident = make_incident(boa, float(lat), float(lon), tijdstip=moment)
            points.append((incident.lat, incident.lon))
    return points


def _coordinate_strings(points) -> list[str]:
    strings = []
    for lat, lon in points:
        for value in (lat, lon):
            strings += [repr(value), f"{value:.5f}", f"{value:.4f}"]
    return strings


def _cells(html: str) -> list[list[int]]:
    """The map's cell payload (six numbers per cell, see pilot.hotspots.render); a map
    without cells has no cell layer."""
    assert '<div class="kaart">' in html, "the page shows no map"
    match = re.search(r"\}\)\((\{\"cellen\":.*?\})\);", html)
    if match is None:
        return []
    flat = json.loads(match.group(1))["cellen"]
    return [flat[i : i + 6] for i in range(0, len(flat), 6)]


def _no_cdn(html: str) -> None:
    for url in re.findall(r"""(?:src|href)=["']([^"']+)""", html):
        assert not any(host in url for host in CDN_HOSTS), url
        assert not url.startswith("http"), url
    for host in CDN_HOSTS:
        assert host not in html, host


@pytest.mark.parametrize("rol", [Rol.MINISTERIE, Rol.EVALUATOR])
def test_outsiders_see_no_small_count_and_no_coordinate(client, login_as, incidents, rol):
    login_as(rol)
    args, _moment = _quarter_args()
    urls = ["/hotspots/kaart"]
    if rol is Rol.EVALUATOR:
        urls.append("/hotspots/gemeente/GM0599/kaart")
    for url in urls:
        page = client.get(url, query_string=args)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        _no_cdn(html)
        # the 2 is "<5" (-1) and its partner 7 is hidden (-2); only the 12 is shown
        assert sorted(cell[4] for cell in _cells(html)) == [-2, -1, 12]
        assert '"onder":"<5"' in html
        geojson = client.get(url + "/download/geojson", query_string=args)
        features = json.loads(geojson.data)["features"]
        assert [f["properties"]["aantal"] for f in features] == [12]
        csv = client.get(url + "/download/csv", query_string=args).get_data(as_text=True)
        rows = csv.strip().splitlines()
        assert len(rows) == 2 and rows[1].split(";")[4] == "12"
        for text in (html, geojson.get_data(as_text=True), csv):
            for needle in _coordinate_strings(incidents):
                assert needle not in text


def _detail_filters(moment: datetime) -> list[dict[str, str]]:
    """Each detail filter with a value that none of the seeded incidents has (they are all
    'opmerkingen', 'waarschuwing', 'straat', 'uniform', at 12:00 UTC on ``moment``'s day),
    and a 100 m cell size: applied, every one of them changes the map."""
    other_days = "nee" if moment.weekday() >= 5 else "ja"
    return [
        {"gedraging": "aanrakingen"},
        {"afdoening": "proces_verbaal"},
        {"locatie_type": "park"},
        {"tijdvak": "nacht"},
        {"weekend": other_days},
        {"kleding": "burger"},
        {"cel": "100"},
    ]


def _map_and_downloads(client, url: str, args: dict) -> tuple[list[list[int]], str, str]:
    page = client.get(url, query_string=args)
    assert page.status_code == 200, (url, args)
    csv = client.get(url + "/download/csv", query_string=args)
    geojson = client.get(url + "/download/geojson", query_string=args)
    assert (csv.status_code, geojson.status_code) == (200, 200), (url, args)
    return _cells(page.get_data(as_text=True)), csv.get_data(as_text=True), geojson.text


def test_detail_filters_change_the_coordinators_map(app, client, login_as, incidents):
    """The premise of the next test: each detail filter, applied, gives another map."""
    login_as(Rol.COORDINATOR, "GM0599")
    args, moment = _quarter_args()
    quarter = {"van": moment.date().replace(day=1).isoformat(), "cel": "500"}
    url = "/hotspots/gemeente/GM0599/kaart"
    cells, _csv, _geojson = _map_and_downloads(client, url, quarter)
    assert sorted(cell[4] for cell in cells) == [2, 7, 12]
    for detail in _detail_filters(moment):
        filtered, csv, _geojson = _map_and_downloads(client, url, {**quarter, **detail})
        if "cel" in detail:
            assert sorted(cell[4] for cell in filtered) == [2, 7, 12]
            assert ";92600;437600;100;7;" in csv
        else:
            assert filtered == [] and csv.strip().count("\n") == 0, detail  # header only


@pytest.mark.parametrize("rol", [Rol.EVALUATOR, Rol.MINISTERIE, Rol.BEHEERDER])
def test_outsiders_cannot_use_detail_filters(client, login_as, incidents, rol):
    """Outside the own gemeente the form offers only the quarter; a detail filter or another
    cell size added to the URL is not applied: map and downloads stay the unfiltered 500 m
    ones, so no second partition of the data can be subtracted from the first."""
    login_as(rol)
    args, moment = _quarter_args()
    urls = ["/hotspots/kaart"]
    if rol is not Rol.MINISTERIE:
        urls.append("/hotspots/gemeente/GM0599/kaart")
    for url in urls:
        unfiltered = _map_and_downloads(client, url, args)
        cells, csv, _geojson = unfiltered
        assert sorted(cell[4] for cell in cells) == [-2, -1, 12]
        assert csv.strip().splitlines()[1].startswith("GM0599;93000;437500;500;12;")
        for detail in _detail_filters(moment):
            assert _map_and_downloads(client, url, {**args, **detail}) == unfiltered, detail


def test_outsiders_get_only_the_offered_quarters(client, login_as, incidents):
    login_as(Rol.EVALUATOR)
    for url in ("/hotspots/kaart", "/hotspots/gemeente/GM0599/kaart"):
        page = client.get(url, query_string={"kwartaal": "2099-01-01"})
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert 'id="kwartaal-fout"' in html and '{"cellen"' not in html
        csv = client.get(url + "/download/csv", query_string={"kwartaal": "2099-01-01"})
        assert csv.status_code == 400


def test_coordinator_sees_exact_counts_and_points(client, login_as, incidents):
    login_as(Rol.COORDINATOR, "GM0599")
    page = client.get("/hotspots/gemeente/GM0599/kaart", query_string={"cel": "100"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    _no_cdn(html)
    assert "leaflet-heat.js" in html
    heat = json.loads(re.search(r"L\.heatLayer\((\[.*?\]), \{", html).group(1))
    assert len(heat) == len(incidents)  # every incident, to about a metre
    for shown, exact in zip(sorted(heat), sorted(incidents), strict=True):
        assert shown == pytest.approx(exact, abs=1.1e-5)
    assert sorted(cell[4] for cell in _cells(html)) == [2, 7, 12]  # nothing suppressed
    csv = client.get(
        "/hotspots/gemeente/GM0599/kaart/download/csv", query_string={"cel": "100"}
    ).get_data(as_text=True)
    assert sorted(int(r.split(";")[4]) for r in csv.strip().splitlines()[1:]) == [2, 7, 12]
    with client.application.app_context():
        events = (
            db.session.execute(db.select(AuditEvent).where(AuditEvent.actie == "download"))
            .scalars()
            .all()
        )
        assert len(events) == 1 and events[0].details["formaat"] == "csv"


def test_coordinator_of_another_gemeente_gets_404(client, login_as, incidents):
    login_as(Rol.COORDINATOR, "GM0344")
    assert client.get("/hotspots/gemeente/GM0599/kaart").status_code == 404
    assert client.get("/hotspots/gemeente/GM0599/kaart/download/csv").status_code == 404


def test_heat_script_and_leaflet_are_served_locally(client):
    for url in (
        "/hotspots/vendor/leaflet-heat.js",
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet/leaflet.css",
    ):
        with client.get(url) as response:
            assert response.status_code == 200, url


def test_outsiders_get_the_newest_completed_quarter_by_default(client, login_as):
    login_as(Rol.MINISTERIE)
    page = client.get("/hotspots/kaart").text
    assert '<option selected value="2025-07-01">2025 K3</option>' in page
    assert "2025 K4" not in page
    assert "2024 K3" in page


def test_outsider_quarters_stop_at_the_end_of_the_pilot(client, login_as):
    with clock.frozen(datetime(2026, 10, 1, 10, tzinfo=UTC)):  # 2026-K3 has just ended
        login_as(Rol.MINISTERIE)
        page = client.get("/hotspots/kaart").text
    assert '<option selected value="2026-04-01">2026 K2</option>' in page
    assert "2026 K3" not in page
    assert "2024 K3" in page
