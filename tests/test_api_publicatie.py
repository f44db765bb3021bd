"""The outsider side of the API: evaluator and ministerie tokens read the protected
publication and nothing else: its periods, its rows (the same as the tables download, an
exact number only where it may be shown) and the hotspot cells of a completed quarter
without a suppressed cell. Gemeente tokens, boa's and incidents: elsewhere."""

from datetime import UTC, datetime

import pytest

from pilot.services.api import tokens
from pilot.services.disclosure import policy
from tests.api_support import bearer, issue
from tests.factories import make_boa, make_incident

POINTS = [(51.9225, 4.4792), (51.9175, 4.4850), (51.9110, 4.4700), (51.9300, 4.4600)]
AFDOENINGEN = ["waarschuwing"] * 6 + ["proces_verbaal"] * 3 + ["grensgeval", "staandehouding"]
pytestmark = pytest.mark.usefixtures("frozen_clock")  # 2025-K3 is the newest completed quarter


@pytest.fixture
def published(app):
    """Rotterdam: 57 incidents in 2025-K3 over four cells; Utrecht: 3 (left out)."""
    with app.app_context():
        rotterdam, utrecht = make_boa("GM0599"), make_boa("GM0344")
        for month in (7, 8, 9):
            for i in range(11 + month):
                lat, lon = POINTS[(i + month) % len(POINTS)]
                make_incident(
                    rotterdam,
                    lat + (0.02 if i % 10 == 0 else 0),
                    lon,
                    datetime(2025, month, 1 + i % 27, 21, tzinfo=UTC),
                    afdoening=AFDOENINGEN[(i * 3 + month) % len(AFDOENINGEN)],
                    kleding="burger" if i % 3 == 0 else "uniform",
                )
        for day in (3, 9, 17):
            make_incident(utrecht, 52.0907, 5.1214, datetime(2025, 8, day, 22, tzinfo=UTC))
    _, evaluator = issue(app, tokens.EVALUATOR, tokens.LEZEN, None)
    _, ministerie = issue(app, tokens.MINISTERIE, tokens.LEZEN, None)
    return {"evaluator": evaluator, "ministerie": ministerie}


def all_rows(client, secret: str, query: str = "limit=700") -> list[dict]:
    rows, url = [], f"/api/v1/publicatie/cijfers?{query}"
    while url:
        page = client.get(url, headers=bearer(secret)).get_json()
        rows += page["cijfers"]
        url = (
            f"/api/v1/publicatie/cijfers?{query}&cursor={page['volgende']}"
            if page["volgende"]
            else None
        )
    return rows


def test_figures_are_the_publications_rows_and_never_an_exact_small_count(app, client, published):
    rows = all_rows(client, published["evaluator"])
    with app.app_context():
        publication = policy.outsider_publication()
        expected = [
            (t, u, p, c, shown.text.replace(".", "")) for t, u, p, c, shown in publication.rows()
        ]
        k = publication.k
    assert [
        (r["tabel"], r["eenheid"], r["periode"], r["codes"], r["weergave"]) for r in rows
    ] == expected
    assert len(rows) > 700, "paged over more than one page"
    small = [r for r in rows if r["status"] == "klein"]
    assert small and all(r["aantal"] is None and r["weergave"] == f"<{k}" for r in small)
    assert all(r["aantal"] is None for r in rows if r["status"] != "exact")
    assert all(r["aantal"] == 0 or r["aantal"] >= k for r in rows if r["status"] == "exact")
    utrecht_q3 = [
        r
        for r in rows
        if (r["eenheid"], r["periode"]) == ("GM0344", "2025-K3")
        and r["tabel"] not in ("politie", "boas")  # not incident counts: kept, protected
    ]
    assert [(r["tabel"], r["weergave"]) for r in utrecht_q3] == [("incidenten", "<5")]
    ministerie = client.get(
        "/api/v1/publicatie/cijfers?eenheid=NL&periode=P&tabel=afdoening",
        headers=bearer(published["ministerie"]),
    ).get_json()["cijfers"]
    assert ministerie and {(r["eenheid"], r["periode"]) for r in ministerie} == {("NL", "P")}


def test_periods_are_the_publications_and_hotspot_quarters_completed_ones(client, published):
    answer = client.get("/api/v1/publicatie/perioden", headers=bearer(published["evaluator"]))
    body = answer.get_json()
    keys = [p["sleutel"] for p in body["perioden"]]
    assert keys[0] == "P" and "2025-K3" in keys and "2025-K4" not in keys and "2025" not in keys
    assert body["kwartalen_hotspots"][0] == "2025-K3"


def test_hotspot_cells_of_a_completed_quarter_without_a_suppressed_cell(app, client, published):
    for secret in published.values():
        answer = client.get(
            "/api/v1/publicatie/hotspots?kwartaal=2025-K3", headers=bearer(secret)
        ).get_json()
        assert answer["celgrootte_m"] == 500 and answer["k"] == 5
        cells = answer["cellen"]
        assert cells and all(cell["aantal"] >= 5 for cell in cells)
        assert {cell["gemeente"] for cell in cells} == {"GM0599"}
        assert all(cell["x_rd"] % 500 == 0 and cell["y_rd"] % 500 == 0 for cell in cells)
        assert sum(cell["aantal"] for cell in cells) < 57, "the small cells stay out"
    with app.app_context():
        offered = policy.outsider_publication().map_cells("GM0599", "2025-K3")
    exact = {(x, y): shown.value for x, y, shown in offered if shown.exact}
    assert {(c["x_rd"], c["y_rd"]): c["aantal"] for c in cells} == exact
    one = client.get(
        "/api/v1/publicatie/hotspots?kwartaal=2025-K3&gemeente=GM0344",
        headers=bearer(published["evaluator"]),
    )
    assert one.get_json()["cellen"] == []
    for refused in ("2025-K4", "2023-K1"):
        answer = client.get(
            f"/api/v1/publicatie/hotspots?kwartaal={refused}",
            headers=bearer(published["evaluator"]),
        )
        assert answer.status_code == 422
        assert answer.get_json()["errors"][0]["parameter"] == "kwartaal"
