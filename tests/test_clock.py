"""pilot.clock: aware UTC now, the Amsterdam date as today, and freezing it."""

from datetime import UTC, date, datetime

import pytest

from pilot import clock
from pilot.extensions import db
from pilot.models import Boa
from tests.factories import make_boa


def test_now_is_aware_utc():
    assert clock.now().tzinfo is UTC


@pytest.mark.parametrize(
    ("moment", "today"),
    [
        (datetime(2025, 12, 31, 22, 59, tzinfo=UTC), date(2025, 12, 31)),  # 23:59 CET
        (datetime(2025, 12, 31, 23, 30, tzinfo=UTC), date(2026, 1, 1)),  # 00:30 CET
        (datetime(2025, 6, 30, 22, 30, tzinfo=UTC), date(2025, 7, 1)),  # 00:30 CEST
    ],
)
def test_today_is_the_date_in_amsterdam(moment, today):
    with clock.frozen(moment):
        assert clock.now() == moment
        assert clock.today() == today


def test_frozen_nests_restores_and_needs_an_aware_moment():
    outer = datetime(2025, 11, 15, 11, tzinfo=UTC)
    local = datetime(2026, 3, 1, 9, 15, tzinfo=clock.AMSTERDAM)
    with clock.frozen(outer):
        with clock.frozen(local) as inner:
            assert clock.now() == local and inner.tzinfo is UTC
        assert clock.now() == outer
    assert clock.now() != outer
    with pytest.raises(ValueError), clock.frozen(datetime(2025, 1, 1)):  # noqa: DTZ001
        pass


def test_frozen_clock_fixture_stops_the_clock(frozen_clock):
    assert clock.now() == frozen_clock
    assert clock.today() == date(2025, 11, 15)


def test_column_defaults_read_the_clock_per_row(app):
    first = datetime(2025, 3, 30, 0, 30, tzinfo=UTC)
    second = datetime(2025, 10, 26, 1, 30, tzinfo=UTC)
    with app.app_context():
        with clock.frozen(first):
            one = make_boa("GM0599").id
        with clock.frozen(second):
            two = make_boa("GM0599").id
        db.session.expire_all()
        assert db.session.get(Boa, one).aangemaakt_op == first
        assert db.session.get(Boa, two).aangemaakt_op == second
