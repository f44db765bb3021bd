"""Calendar quarters: the one place for quarter arithmetic, codes and labels.

A quarter is written ``2025-K1`` (code: URLs, the CLI, report tables), ``1e kwartaal 2025``
(label: report titles) or ``2025 K1`` (short label: the hotspot map's choice list).
"""

import re
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date

from pilot.services.errors import DomainError

CODE = re.compile(r"^(\d{4})-K([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    def __post_init__(self) -> None:
        if not (MINYEAR <= self.year <= MAXYEAR and 1 <= self.number <= 4):
            raise ValueError(f"no such quarter: {self.year} K{self.number}")

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """The last day (inclusive)."""
        return date(self.year, 3 * self.number, 31 if self.number in (1, 4) else 30)

    @property
    def code(self) -> str:
        return f"{self.year}-K{self.number}"

    @property
    def label(self) -> str:
        return f"{self.number}e kwartaal {self.year}"

    @property
    def short_label(self) -> str:
        return f"{self.year} K{self.number}"

    @property
    def index(self) -> int:
        """Quarters counted from year 0, so consecutive quarters differ by one."""
        return 4 * self.year + self.number - 1


def quarter_of(day: date) -> Quarter:
    """The quarter holding ``day``."""
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def is_quarter(van: date, tot: date | None) -> bool:
    """Whether ``van`` to ``tot`` (inclusive) is exactly one calendar quarter."""
    quarter = quarter_of(van)
    return (quarter.start, quarter.end) == (van, tot)


def parse_quarter(code: str) -> Quarter:
    """A quarter written as ``2025-K1``; anything else is a DomainError on ``kwartaal``."""
    match = CODE.match(code or "")
    if not match or int(match[1]) < MINYEAR:
        raise DomainError("Kies een kwartaal als 2025-K1.", field="kwartaal")
    return Quarter(int(match[1]), int(match[2]))


def quarters_between(first: date, last: date) -> list[Quarter]:
    """Every quarter from the one holding ``first`` to the one holding ``last``, oldest first."""
    indexes = range(quarter_of(first).index, quarter_of(last).index + 1)
    return [Quarter(i // 4, i % 4 + 1) for i in indexes]


def completed_quarters(first_day: date, today: date) -> list[Quarter]:
    """Quarters from the one holding ``first_day`` that ended before ``today``, newest first."""
    return [q for q in reversed(quarters_between(first_day, today)) if q.end < today]
