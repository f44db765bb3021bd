"""The evaluation's breakdowns in the outsider publication: touching × outcome, victims,
imports counted apart; protected together with everything else (one joint LP audit)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from pilot import clock
from pilot.extensions import db
from pilot.models import Gemeente
from pilot.services.disclosure.audit import findings, linked_findings
from pilot.services.disclosure.lattice import Status
from pilot.services.disclosure.publication import build_publication, linked_lattices
from tests.factories import make_boa, make_incident

K = 5
TODAY = date(2026, 1, 15)  # 2025 is closed: quarters, the year and the pilot are offered
SPOTS = [(51.9225, 4.4792), (51.9175, 4.4850), (52.0907, 5.1214), (52.0950, 5.1100)]


OUTCOMES = ["waarschuwing", "proces_verbaal", "overgedragen_politie"]


def _seed(count: int = 150):
    """Rotterdam and Utrecht, 2025-K3 and K4. Every fifth incident has touching; outcomes
    rotate; every fourth victim is referred to victim support; Utrecht imported its K4
    (registered in 2026, counted apart from late registrations)."""
    rotterdam, utrecht = make_boa("GM0599"), make_boa("GM0344")
    expected = {"met_overgedragen": 0, "met": 0, "doorverwezen": 0, "laat": 0, "import": 0}
    for n in range(count):
        boa = rotterdam if n % 3 else utrecht
        month = 7 + n % 6
        moment = datetime(2025, month, 1 + n % 27, 21, tzinfo=UTC)
        touching = n % 5 == 0
        imported = boa is utrecht and month >= 10
        late = not imported and n % 7 == 0
        afdoening = OUTCOMES[n % 7 % 3]
        fields = {
            "gedragingen": ("opmerkingen", "aanrakingen") if touching else ("opmerkingen",),
            "afdoening": afdoening,
            "aantal_slachtoffers": 0 if n % 2 else 1,
            "slachtofferhulp": n % 2 == 0 and n % 8 == 0,
            "geimporteerd": imported,
        }
        registered = moment + timedelta(days=30 if late or imported else 0, hours=1)
        with clock.frozen(registered):
            make_incident(boa, *SPOTS[n % 2 + (2 if boa is utrecht else 0)], moment, **fields)
        expected["met"] += touching
        expected["met_overgedragen"] += touching and afdoening == "overgedragen_politie"
        expected["doorverwezen"] += fields["slachtofferhulp"]
        expected["laat"] += late
        expected["import"] += imported
    return expected


@pytest.fixture
def seeded(app):
    with app.app_context():
        expected = _seed()
        gemeenten = db.session.execute(db.select(Gemeente)).scalars().all()
        yield build_publication(db.session, gemeenten, K, TODAY), expected


def test_touching_by_outcome_answers_the_aanranding_question(seeded):
    publication, expected = seeded
    table = {
        (row, column): publication.figure("afdoening", "NL", "P", column, "ALL", "ALL", row).text
        for row in ("met", "zonder", "ALL")
        for column in ("waarschuwing", "proces_verbaal", "overgedragen_politie", "ALL")
    }
    assert expected["met_overgedragen"] == 9
    assert table == {
        ("met", "waarschuwing"): "13", ("met", "proces_verbaal"): "8",
        ("met", "overgedragen_politie"): "9", ("met", "ALL"): "30",
        ("zonder", "waarschuwing"): "51", ("zonder", "proces_verbaal"): "35",
        ("zonder", "overgedragen_politie"): "34", ("zonder", "ALL"): "120",
        ("ALL", "waarschuwing"): "64", ("ALL", "proces_verbaal"): "43",
        ("ALL", "overgedragen_politie"): "43", ("ALL", "ALL"): "150",
    }  # fmt: skip
    # the outcome margin is the same cell as in the outcome table, with the same status
    # touching × outcome is offered for the whole pilot only; the touching total is the
    # conduct table's aanrakingen cell, with the same status
    for period in ("2025-K3", "2025"):  # not offered: hidden, whatever its value
        shown = publication.figure(
            "afdoening", "GM0599", period, "waarschuwing", "ALL", "ALL", "met"
        )
        assert shown.status is Status.HIDDEN and shown.value is None
    for unit, period in (("GM0599", "2025-K3"), ("GM0344", "2025-K4"), ("NL", "P")):
        met = publication.figure("afdoening", unit, period, "ALL", "ALL", "ALL", "met")
        assert met == publication.figure("gedraging", unit, period, "aanrakingen")


def test_victims_and_referrals(seeded):
    publication, expected = seeded
    assert publication.figure("slachtoffer", "NL", "P", "met_slachtoffer").value == 75
    assert publication.figure("slachtoffer", "NL", "P", "geen").value == 75
    referred = publication.figure("slachtoffer", "NL", "P", "doorverwezen")
    assert expected["doorverwezen"] == 19 and referred.value == 19
    assert publication.figure("slachtoffer", "NL", "P", "niet_doorverwezen").value == 56


def test_imports_are_counted_apart_from_late_registrations(seeded):
    publication, expected = seeded
    assert expected["import"] == 25 and expected["laat"] == 18
    assert publication.figure("kwaliteit", "GM0344", "2025-K4", "geimporteerd").value == 25
    assert publication.figure("kwaliteit", "NL", "P", "laat_geregistreerd").value == 18
    assert publication.figure("kwaliteit", "NL", "P", "geimporteerd").value == 25


def test_nothing_can_be_narrowed_in_any_lattice_nor_across_linked_ones(seeded):
    publication, _ = seeded
    suppressed = 0
    for lattice in publication.lattices.values():
        assert findings(lattice, K) == [], lattice.name
        suppressed += int(lattice.suppressed().sum())
    assert suppressed > 10, "the seeded data must have small cells for this test to mean something"
    lattices, links = linked_lattices(publication)
    assert links, "touching with and without is linked to the conduct table"
    assert linked_findings(lattices, links, K) == []
    assert not publication.withheld
