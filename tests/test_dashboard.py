"""Dashboards through HTTP: the coordinator's own gemeente exact, everyone else protected."""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest

from pilot import clock
from pilot.extensions import db
from pilot.models import Dienst, Rol
from tests.factories import gemeente, make_boa, make_incident

ROTTERDAM = (51.92417, 4.48687)
UTRECHT = (52.08177, 5.09858)
K = 5
HIDDEN = ("&lt;5", "×")  # below k, or suppressed so that no small count can be derived
AFTER_THE_PILOT = datetime(2026, 12, 1, 12, tzinfo=UTC)  # every pilot quarter completed
NATIONAL_PAGES = (
    "/start",
    "/dashboard/",
    "/dashboard/?periode=2025",
    "/dashboard/?periode=2025-K1",
    "/dashboard/?periode=2025-K2",
)
GEMEENTE_PAGES = (  # not for the ministerie (as the gemeente reports)
    "/dashboard/gemeente/GM0599",
    "/dashboard/gemeente/GM0599?periode=2025-K1",
    "/dashboard/gemeente/GM0599?periode=2025-K2",
    "/dashboard/gemeente/GM0344?periode=2025-K2",
)


def _incident(boa, point, n: int, moment: datetime, **fields):
    lat, lon = point
    with clock.frozen(moment + timedelta(hours=1)):  # registered an hour later
        make_incident(boa, lat + n * 0.001, lon + n * 0.0015, tijdstip=moment, **fields)


@pytest.fixture
def dashboard_data(app, boundaries_loaded):
    """Rotterdam 2025-K1: 13 incidents (7 warnings, 3 pv of which 2 in burger, 2 hand-overs,
    1 grensgeval), 2025-K2: 6 warnings; one shift of 4 hours with 2 boa's (8 inzeturen).
    Utrecht 2025-K1: 7 incidents (4 warnings, 3 pv); 2025-K2: 2 incidents (left out of
    outsider figures). The clock stands after the pilot."""
    with app.app_context():
        rotterdam, utrecht = make_boa("GM0599"), make_boa("GM0344")
        k1 = ["waarschuwing"] * 7 + ["proces_verbaal"] * 3 + ["overgedragen_politie"] * 2
        for n, afdoening in enumerate([*k1, "grensgeval"]):
            moment = datetime(2025, 1 + n % 3, 2 + n, 21, tzinfo=UTC)
            kleding = "burger" if n in (7, 8) else "uniform"
            _incident(rotterdam, ROTTERDAM, n, moment, afdoening=afdoening, kleding=kleding)
        for n in range(6):
            moment = datetime(2025, 4 + n % 3, 3 + n, 22, tzinfo=UTC)
            _incident(rotterdam, ROTTERDAM, 30 + n, moment, afdoening="waarschuwing")
        for n, afdoening in enumerate(["waarschuwing"] * 4 + ["proces_verbaal"] * 3):
            moment = datetime(2025, 1 + n % 3, 4 + n, 20, tzinfo=UTC)
            _incident(utrecht, UTRECHT, n, moment, afdoening=afdoening)
        for n in range(2):
            moment = datetime(2025, 5, 10 + n, 20, tzinfo=UTC)
            _incident(utrecht, UTRECHT, 10 + n, moment, afdoening="waarschuwing")
        db.session.add(
            Dienst(
                gemeente_id=gemeente("GM0599").id, datum=date(2025, 2, 1), begintijd=time(20),
                eindtijd=time(0), duur_minuten=240, gebied="centrum", aantal_uniform=2,
                aantal_burger=0,
            )
        )  # fmt: skip
        db.session.commit()
    with clock.frozen(AFTER_THE_PILOT):
        yield


def _cells(html: str) -> list[str]:
    """The written figures: numeric table cells and the value labels of the charts."""
    cells = re.findall(r'<td class="num">([^<]*)</td>', html)
    labels = re.findall(r"<text [^>]*>([^<]*)</text>", html)
    return [c.strip() for c in cells + labels]


def _small_counts(html: str) -> list[str]:
    """Written counts in 1..k-1 (rates with a decimal comma and quarter labels excepted)."""
    return [c for c in _cells(html) if c.isdigit() and 0 < int(c) < K]


def _row(html: str, table_id: str, header: str) -> list[str]:
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S)
    assert table, table_id
    row = re.search(rf"<th scope=\"row\">{re.escape(header)}</th>(.*?)</tr>", table[1], re.S)
    assert row, header
    return [cell.strip() for cell in re.findall(r"<td[^>]*>([^<]*)</td>", row[1])]


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


@pytest.mark.slow
@pytest.mark.parametrize("rol", [Rol.MINISTERIE, Rol.EVALUATOR])
def test_outsiders_see_no_count_below_k_exactly(client, login_as, dashboard_data, rol):
    login_as(rol)
    urls = NATIONAL_PAGES + (GEMEENTE_PAGES if rol is Rol.EVALUATOR else ())
    pages = {url: _get(client, url) for url in urls}
    for url, html in pages.items():
        assert _small_counts(html) == [], url
    national = pages["/dashboard/"]
    # totals stay exact; Utrecht's 2025-K2 (2 incidents) is left out: only K1 counts
    rotterdam = _row(national, "tabel-kerncijfers", "Rotterdam")
    utrecht = _row(national, "tabel-kerncijfers", "Utrecht")
    assert rotterdam[1] == "19" and utrecht[1] == "7"
    assert rotterdam[2] in HIDDEN and utrecht[2] in HIDDEN  # 3 pv's each
    assert "&lt;5" in national and "<svg" in national
    quarter = pages["/dashboard/?periode=2025-K2"]
    assert _row(quarter, "tabel-kerncijfers", "Rotterdam")[1:3] == ["6", "0"]
    if rol is Rol.EVALUATOR:
        quarter = pages["/dashboard/gemeente/GM0599?periode=2025-K2"]
        assert _row(quarter, "tabel-kerncijfers", "Rotterdam")[:2] == ["6", "0"]
    else:
        assert client.get(GEMEENTE_PAGES[0]).status_code == 403
    # the start page carries the national key figures and the hotspot section
    assert "Kerncijfers, hele pilot" in pages["/start"]
    assert "Hotspots per gemeente" in pages["/start"]


@pytest.mark.slow
def test_coordinator_sees_her_own_gemeente_exactly_and_no_other(client, login_as, dashboard_data):
    login_as(Rol.COORDINATOR, "GM0599")
    html = _get(client, "/dashboard/gemeente/GM0599")
    kern = _row(html, "tabel-kerncijfers", "Rotterdam")
    # incidents, pv, warnings, reprimandes, hand-overs, inzeturen, per 100 inzeturen
    assert kern[:7] == ["19", "3", "13", "0", "2", "8,0", "237,5"]
    assert _row(html, "tabel-kleding", "In burger")[:2] == ["2", "2"]
    assert "Exacte aantallen" in html
    assert "3" in _small_counts(html)  # the check the outsiders' pages pass would catch it
    quarter = _get(client, "/dashboard/gemeente/GM0599?kwartaal=2025-K2")
    assert _row(quarter, "tabel-kerncijfers", "Rotterdam")[:2] == ["6", "0"]
    assert client.get("/dashboard/gemeente/GM0344").status_code in (403, 404)
    assert client.get("/dashboard/").status_code == 403


def test_a_period_outsiders_are_not_offered_is_explained(client, login_as, dashboard_data):
    login_as(Rol.EVALUATOR)
    html = _get(client, "/dashboard/?periode=2025-01")
    assert "Kies een periode uit de lijst" in html
    assert "Hele pilot" in html


def test_a_repeat_outsider_view_is_the_cached_page_until_the_data_change(
    app, client, login_as, dashboard_data
):
    """The sections are rendered once per publication and diensten state: a repeat view
    is the same page; a new dienst (effort, outside the publication) or a new incident
    (a new data version) shows at the next view."""
    login_as(Rol.EVALUATOR)
    first = _get(client, "/dashboard/")
    assert _get(client, "/dashboard/") == first
    assert _row(first, "tabel-kerncijfers", "Rotterdam")[6] == "8,0"
    with app.app_context():
        db.session.add(
            Dienst(
                gemeente_id=gemeente("GM0599").id, datum=date(2025, 3, 1), begintijd=time(20),
                eindtijd=time(22), duur_minuten=120, gebied="centrum", aantal_uniform=1,
                aantal_burger=0,
            )
        )  # fmt: skip
        db.session.commit()
    assert _row(_get(client, "/dashboard/"), "tabel-kerncijfers", "Rotterdam")[6] == "10,0"
    with app.app_context(), clock.frozen(datetime(2025, 3, 20, 22, tzinfo=UTC)):
        _incident(make_boa("GM0599", code="BOA-0599-ZZ99"), ROTTERDAM, 50, clock.now())
    assert _row(_get(client, "/dashboard/"), "tabel-kerncijfers", "Rotterdam")[1] == "20"
