"""pilot.quarters: quarter arithmetic, codes and labels, in one place."""

from datetime import date

import pytest

from pilot.quarters import (
    Quarter,
    completed_quarters,
    is_quarter,
    parse_quarter,
    quarter_of,
    quarters_between,
)
from pilot.services.errors import DomainError


@pytest.mark.parametrize(
    ("day", "quarter", "start", "end"),
    [
        (date(2025, 1, 1), Quarter(2025, 1), date(2025, 1, 1), date(2025, 3, 31)),
        (date(2025, 3, 31), Quarter(2025, 1), date(2025, 1, 1), date(2025, 3, 31)),
        (date(2025, 4, 1), Quarter(2025, 2), date(2025, 4, 1), date(2025, 6, 30)),
        (date(2024, 8, 15), Quarter(2024, 3), date(2024, 7, 1), date(2024, 9, 30)),
        (date(2024, 12, 31), Quarter(2024, 4), date(2024, 10, 1), date(2024, 12, 31)),
    ],
)
def test_quarter_of_a_day(day, quarter, start, end):
    assert quarter_of(day) == quarter
    assert (quarter.start, quarter.end) == (start, end)
    assert is_quarter(start, end)


def test_codes_and_labels():
    quarter = Quarter(2025, 4)
    assert quarter.code == "2025-K4"
    assert quarter.label == "4e kwartaal 2025"
    assert quarter.short_label == "2025 K4"
    assert parse_quarter("2025-K4") == quarter


@pytest.mark.parametrize(
    "code", ["", "2025-K5", "2025-K0", "0000-K1", "2025-k1", "25-K1", "2025K1"]
)
def test_an_invalid_code_is_a_dutch_error_on_the_field(code):
    with pytest.raises(DomainError) as raised:
        parse_quarter(code)
    assert raised.value.errors == {"kwartaal": ["Kies een kwartaal als 2025-K1."]}


def test_is_quarter_needs_the_whole_quarter():
    assert not is_quarter(date(2025, 7, 1), date(2025, 8, 31))
    assert not is_quarter(date(2025, 7, 2), date(2025, 9, 30))
    assert not is_quarter(date(2025, 7, 1), None)


def test_quarters_between_cross_year_boundaries():
    codes = [q.code for q in quarters_between(date(2024, 8, 15), date(2026, 1, 1))]
    assert codes == ["2024-K3", "2024-K4", "2025-K1", "2025-K2", "2025-K3", "2025-K4", "2026-K1"]
    assert quarters_between(date(2025, 5, 1), date(2025, 6, 30)) == [Quarter(2025, 2)]
    assert quarters_between(date(2025, 5, 1), date(2025, 3, 1)) == []
    assert quarters_between(date(9999, 12, 1), date.max) == [Quarter(9999, 4)]


def test_completed_quarters_newest_first():
    assert completed_quarters(date(2024, 7, 1), date(2025, 1, 1)) == [
        Quarter(2024, 4),
        Quarter(2024, 3),
    ]
    assert completed_quarters(date(2024, 7, 1), date(2024, 12, 31)) == [Quarter(2024, 3)]
    assert completed_quarters(date(2024, 7, 1), date(2024, 9, 30)) == []
