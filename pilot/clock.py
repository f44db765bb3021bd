"""The one place the application reads the time.

``now()`` is the current moment as an aware datetime in UTC (what the database stores);
``today()`` is the calendar date in Europe/Amsterdam, the date the pilot's rules are about
("not in the future", a completed quarter, the pilot period). Every other module asks these
two; ruff's DTZ and banned-api rules keep naive datetimes and other clock reads out.

``frozen(moment)`` stops the clock inside a ``with`` block, so a run gives the same result
on any day (tests, benchmarks). It changes one module variable and works in every thread.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

_frozen_at: datetime | None = None


def now() -> datetime:
    """The current moment, aware, in UTC."""
    return _frozen_at or datetime.now(UTC)


def today() -> date:
    """Today's date in Europe/Amsterdam."""
    return now().astimezone(AMSTERDAM).date()


@contextmanager
def frozen(moment: datetime) -> Iterator[datetime]:
    """Inside the block ``now()`` is ``moment`` (aware) and ``today()`` its Amsterdam date."""
    global _frozen_at
    if moment.tzinfo is None:
        raise ValueError("clock.frozen needs an aware datetime")
    previous, _frozen_at = _frozen_at, moment.astimezone(UTC)
    try:
        yield _frozen_at
    finally:
        _frozen_at = previous
