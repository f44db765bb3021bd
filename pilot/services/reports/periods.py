"""Report periods: the whole pilot period, a quarter or a custom range (dates inclusive)."""

from dataclasses import dataclass
from datetime import date

from pilot.models import Gemeente
from pilot.quarters import parse_quarter, quarters_between
from pilot.services.errors import DomainError


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
    quarter = parse_quarter(code)
    return Period(quarter.start, quarter.end, quarter.label)


def quarter_codes(van: date, tot: date) -> list[str]:
    """Quarter codes from ``van`` to ``tot``, for the form."""
    return [quarter.code for quarter in quarters_between(van, tot)]


def choose_period(
    gemeente: Gemeente, today: date, van: str = "", tot: str = "", kwartaal_code: str = ""
) -> Period:
    """The period asked for: a quarter, a custom range, or by default the pilot period.

    A quarter or range must lie within the gemeente's pilot period (so no request can make
    the server count 1800–2100, and nothing outside the pilot is reported).
    """
    default = pilot_period(gemeente, today)
    if kwartaal_code:
        period = quarter_period(kwartaal_code)
        if period.tot < default.van or period.van > default.tot:
            raise DomainError(_outside(default), field="kwartaal")
        return period
    if not van and not tot:
        return default
    try:
        start = date.fromisoformat(van[:10]) if van else default.van
        end = date.fromisoformat(tot[:10]) if tot else default.tot
    except ValueError as exc:
        raise DomainError("Geef datums als JJJJ-MM-DD.", field="van") from exc
    if start < default.van or end > default.tot:
        raise DomainError(_outside(default), field="van")
    return period_between(start, end)


def _outside(pilot: Period) -> str:
    return f"Kies een periode binnen de pilotperiode ({_datum(pilot.van)} t/m {_datum(pilot.tot)})."
