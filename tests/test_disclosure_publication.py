"""The outsider publication on real rows: small quarters left out, nothing recoverable."""

from datetime import UTC, date, datetime

import pytest

from pilot.extensions import db
from pilot.models import Gemeente
from pilot.services.disclosure.audit import findings
from pilot.services.disclosure.lattice import Status
from pilot.services.disclosure.publication import build_publication
from tests.factories import make_boa, make_incident

K = 5
TODAY = date(2025, 12, 1)  # 2025-K3 is the newest completed quarter
POINTS = [(51.9225, 4.4792), (51.9175, 4.4850), (51.9110, 4.4700), (51.9300, 4.4600)]
AFDOENINGEN = ["waarschuwing"] * 6 + ["proces_verbaal"] * 3 + ["grensgeval", "reprimande"]
AFDOENINGEN += ["staandehouding", "overgedragen_politie", "aanhouding"]


@pytest.fixture
def seeded(app):
    """Rotterdam: quarters with many small cells; Utrecht: one quarter of only 3 incidents."""
    with app.app_context():
        rotterdam, utrecht = make_boa("GM0599"), make_boa("GM0344")
        n = 0
        for month in (7, 8, 9, 10, 11):
            for i in range(11 + month):
                afdoening = AFDOENINGEN[(i * 3 + month) % len(AFDOENINGEN)]
                lat, lon = POINTS[(i + month) % len(POINTS)]
                make_incident(
                    rotterdam,
                    lat,
                    lon,
                    datetime(2025, month, 1 + i % 27, 21, tzinfo=UTC),
                    afdoening=afdoening,
                    leeftijd_verdachten="onder_18" if afdoening == "reprimande" else "18_24",
                    kleding="burger" if i % 3 == 0 else "uniform",
                )
                n += 1
        for day in (3, 9, 17):
            make_incident(utrecht, 52.0907, 5.1214, datetime(2025, 8, day, 22, tzinfo=UTC))
        gemeenten = db.session.execute(db.select(Gemeente)).scalars().all()
        yield build_publication(db.session, gemeenten, K, TODAY)


def test_quarters_years_and_pilot_are_the_outsider_periods(seeded):
    codes = list(seeded.periods)
    assert "2025-K3" in codes and "2024-K3" in codes and "P" in codes
    assert "2025-K4" not in codes, "a quarter that has not ended is not offered"
    assert "2024" in codes and "2025" not in codes, "2025 is not closed yet"


def test_a_gemeente_quarter_below_k_is_left_out_of_every_total(seeded):
    assert ("GM0344", "2025-K3") in seeded.excluded
    assert seeded.spine("GM0344", "2025-K3").text == "<5"
    assert seeded.spine("GM0344", "P").value == 0
    rotterdam_q3 = seeded.spine("GM0599", "2025-K3").value
    assert rotterdam_q3 == 18 + 19 + 20
    assert seeded.spine("NL", "2025-K3").value == rotterdam_q3, "Utrecht's 3 are not in it"


def test_no_suppressed_figure_can_be_narrowed_by_the_attackers_lp(seeded):
    suppressed = 0
    for lattice in [*seeded.lattices.values(), *seeded.maps.values()]:
        assert findings(lattice, K) == [], lattice.name
        suppressed += int(lattice.suppressed().sum())
    assert suppressed > 20, "the seeded data must have small cells for this test to mean something"
    assert not seeded.withheld


def test_figures_carry_their_value_only_when_exact(seeded):
    cell = seeded.figure("afdoening", "GM0599", "2025-K3", "reprimande", "ALL", "ALL")
    assert cell.status != Status.EXACT or cell.value is not None
    for status in (Status.PRIMARY, Status.SECONDARY, Status.MASKED):
        lattice = seeded.lattices["afdoening"]
        hidden = list(zip(*(lattice.status == status).nonzero(), strict=True))
        for index in hidden[:5]:
            keys = [axis.nodes[i] for axis, i in zip(lattice.axes, index, strict=True)]
            if lattice.offered[index]:
                assert seeded.figure("afdoening", *keys).value is None


def test_reprimandes_are_bounded_by_the_minors_as_an_outsider_knows(seeded):
    """A reprimande is only for minors (a rule of the form, so public): the lattice knows
    every (reprimande, adult) cell is 0, and the protection holds under that relation."""
    lattice = seeded.lattices["afdoening"]
    adult = lattice.cell("GM0599", "2025-K3", "reprimande", "ALL", "25_39", "ALL")
    assert lattice.values[adult] == 0 and lattice.upper[adult] == 0
    minors = seeded.figure("afdoening", "GM0599", "2025-K3", "ALL", "ALL", "onder_18")
    reprimandes = seeded.figure("afdoening", "GM0599", "2025-K3", "reprimande", "ALL", "ALL")
    assert not (minors.exact and not reprimandes.exact and minors.value < K - 1)
