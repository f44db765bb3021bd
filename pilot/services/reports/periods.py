"""Report periods: the whole pilot period, a quarter or a custom range (dates inclusive)."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from pilot.models import Gemeente
from pilot.services.errors import DomainError

KWARTAAL = re.compile(r"^(\d{4})-K([1-4])$")


@dataclass(frozen=True)
class Period:
    van: date
    tot: date
    label: str

    def maanden(self) -> list[tuple[int, int]]:
        """Every (year, month) the period touches, in order."""
        months = []
        year, month = self.van.year, self.van.month
        while (year, month) <= (self.tot.year, self.tot.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


def _datum(value: date) -> str:
    return value.strftime("%d-%m-%Y")


def period_between(van: date, tot: date, label: str | None = None) -> Period:
    if tot < van:
        raise DomainError("De einddatum ligt vóór de begindatum.", field="tot")
    return Period(van, tot, label or f"{_datum(van)} t/m {_datum(tot)}")


def pilot_period(gemeente: Gemeente, today: date) -> Period:
    """The gemeente's whole pilot period (up to today when it has no end date)."""
    tot = gemeente.pilot_eind or today
    return period_between(gemeente.pilot_start, max(tot, gemeente.pilot_start), "Hele pilotperiode")


def quarter_period(code: str) -> Period:
    """A quarter written as ``2025-K1``."""
    match = KWARTAAL.match(code or "")
    if not match:
        raise DomainError("Kies een kwartaal als 2025-K1.", field="kwartaal")
    year, quarter = int(match[1]), int(match[2])
    van = date(year, 3 * quarter - 2, 1)
    next_start = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return Period(van, next_start - timedelta(days=1), f"{quarter}e kwartaal {year}")


def quarter_codes(van: date, tot: date) -> list[str]:
    """Quarter codes from ``van`` to ``tot``, for the form."""
    codes = []
    year, quarter = van.year, (van.month - 1) // 3 + 1
    while (year, quarter) <= (tot.year, (tot.month - 1) // 3 + 1):
        codes.append(f"{year}-K{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return codes


def choose_period(
    gemeente: Gemeente, today: date, van: str = "", tot: str = "", kwartaal_code: str = ""
) -> Period:
    """The period asked for: a quarter, a custom range, or by default the pilot period."""
    if kwartaal_code:
        return quarter_period(kwartaal_code)
    if not van and not tot:
        return pilot_period(gemeente, today)
    default = pilot_period(gemeente, today)
    try:
        start = date.fromisoformat(van) if van else default.van
        end = date.fromisoformat(tot) if tot else default.tot
    except ValueError as exc:
        raise DomainError("Geef datums als JJJJ-MM-DD.", field="van") from exc
    return period_between(start, end)
