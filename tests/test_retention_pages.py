"""The purge through HTTP and the CLI: the beheerder sees the counts before anything is
deleted; coordinator and evaluator cannot purge; the CLI takes only quarter boundaries."""

import re
from datetime import UTC, date, datetime

import pytest

from pilot.extensions import db
from pilot.models import AuditEvent, Gemeente, Incident, Rol
from tests.factories import make_boa, make_incident

ROTTERDAM = (51.9225, 4.4792)
UTRECHT = (52.0907, 5.1214)


@pytest.fixture
def incidents(app, frozen_clock):
    """Rotterdam: 3 incidents in 2024-K4 and 2 in 2025-K1; Utrecht: 4 in 2024-K4."""
    with app.app_context():
        rotterdam, utrecht = make_boa("GM0599"), make_boa("GM0344")
        for day in (3, 14, 25):
            make_incident(rotterdam, *ROTTERDAM, datetime(2024, 11, day, 21, tzinfo=UTC))
        for day in (5, 6):
            make_incident(rotterdam, *ROTTERDAM, datetime(2025, 2, day, 21, tzinfo=UTC))
        for day in (1, 2, 3, 4):
            make_incident(utrecht, *UTRECHT, datetime(2024, 12, day, 21, tzinfo=UTC))


def _count(cbs_code: str | None = None) -> int:
    query = db.select(db.func.count(Incident.id))
    if cbs_code:
        query = query.join(Gemeente, Gemeente.id == Incident.gemeente_id).where(
            Gemeente.cbs_code == cbs_code
        )
    return db.session.execute(query).scalar_one()


def test_beheerder_sees_what_goes_before_anything_is_deleted(app, client, login_as, incidents):
    login_as(Rol.BEHEERDER)
    index = client.get("/beheer/bewaartermijn/").get_data(as_text=True)
    assert '<option value="2025-01-01">vóór 01-01-2025 (t/m 4e kwartaal 2024)</option>' in index
    assert '<option value="2025-10-01">' in index and '<option value="2026-01-01">' not in index
    assert "nog niets verwijderd" in index

    page = client.get("/beheer/bewaartermijn/bevestigen?voor=2025-01-01&gemeente=").get_data(
        as_text=True
    )
    assert "Er is nog niets verwijderd" in page
    rotterdam = re.search(r'<tr id="plan-GM0599">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', rotterdam) == ["3", "0", "0"]
    assert "2024-K3, 2024-K4" in rotterdam
    assert re.search(r'id="totaal-incidenten">7<', page)
    with app.app_context():
        assert _count() == 9, "the confirmation page deletes nothing"

    response = client.post(
        "/beheer/bewaartermijn/verwijderen", data={"voor": "2025-01-01", "gemeente": "GM0599"}
    )
    assert response.status_code == 302
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Verwijderd van vóór 01-01-2025: 3 incidenten" in done
    assert re.search(r"<td>Rotterdam</td><td>01-07-2024</td><td>01-01-2025</td>", done)
    with app.app_context():
        assert (_count("GM0599"), _count("GM0344")) == (2, 4)
        [event] = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.actie == "opschonen")
        ).scalars()
        assert event.actor == "beheerder-x" and event.details["incidenten"] == 3


def test_a_wrong_choice_is_refused_without_deleting(app, client, login_as, incidents):
    login_as(Rol.BEHEERDER)
    for query in ("voor=2025-02-01", "voor=2026-01-01", "voor=2025-01-01&gemeente=GM9999", ""):
        response = client.get(f"/beheer/bewaartermijn/bevestigen?{query}")
        assert response.status_code == 302, query
    response = client.post("/beheer/bewaartermijn/verwijderen", data={"voor": "2025-02-01"})
    assert response.status_code == 400
    with app.app_context():
        assert _count() == 9


@pytest.mark.parametrize("rol", [Rol.COORDINATOR, Rol.EVALUATOR, Rol.MINISTERIE])
def test_only_the_beheerder_can_purge(app, client, login_as, incidents, rol):
    login_as(rol)
    for url in ("/beheer/bewaartermijn/", "/beheer/bewaartermijn/bevestigen?voor=2025-01-01"):
        assert client.get(url).status_code == 403, url
    response = client.post(
        "/beheer/bewaartermijn/verwijderen", data={"voor": "2025-01-01", "gemeente": ""}
    )
    assert response.status_code == 403
    with app.app_context():
        assert _count() == 9


def test_cli_takes_only_the_first_day_of_a_completed_quarter(app, runner, incidents):
    for voor, message in (
        ("2025-01-15", "eerste dag van een kwartaal"),
        ("2025-02-01", "eerste dag van een kwartaal"),
        ("2026-01-01", "Alleen afgesloten kwartalen"),
        ("1-1-2025", "JJJJ-MM-DD"),
    ):
        result = runner.invoke(args=["retention", "purge", "--voor", voor, "--ja"])
        assert result.exit_code == 1 and message in result.output, (voor, result.output)
    result = runner.invoke(args=["retention", "purge", "--voor", "2025-01-01"], input="n\n")
    assert result.exit_code == 1 and "GM0599 Rotterdam: 3 incidenten" in result.output
    assert "Niets verwijderd." in result.output
    with app.app_context():
        assert _count() == 9

    result = runner.invoke(
        args=["retention", "purge", "--voor", "2025-01-01", "--gemeente", "GM0344", "--ja"]
    )
    assert result.exit_code == 0, result.output
    assert "Verwijderd: 4 incidenten" in result.output
    result = runner.invoke(args=["retention", "purge", "--voor", "2025-01-01"], input="j\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert _count() == 2
        assert db.session.execute(
            db.select(Incident.lokale_datum).order_by(Incident.lokale_datum)
        ).scalars().all() == [date(2025, 2, 5), date(2025, 2, 6)]
