"""The incident counts kept on write (``pilot.models.telling``), read back for the publication.

Triggers (migration 0043) keep counts per gemeente × month × column combination and per
500 m cell, so building the outsider publication reads a few thousand rows instead of
every incident. A month is only read from them when it lies wholly inside the gemeente's
pilot period; the months a pilot starts or ends in mid-month are counted from the incident
rows (``partial_months``), so a change of the pilot dates needs no recount.
"""

import calendar
from collections.abc import Callable
from datetime import date

import numpy as np
from sqlalchemy import select

from pilot import codes
from pilot.models import IncidentTelling

CELL = "cel"
# The keys' parts per kind, in the order the triggers join them with "|".
PARTS = {
    "a": ("afdoening", "kleding", "leeftijd", "gedraging"),
    "b": ("locatie_type", "kennisname", "rol_boa"),
    "c": ("weekdag", "tijdvak", "slachtoffer", "kwaliteit"),
}
# Bits of the data-quality mask, in the publication's order (``KWALITEIT``).
QUALITY_BITS = (
    ("laat_geregistreerd", 1),
    ("pv_zonder_zaaknummer", 2),
    ("grens_niet_gecontroleerd", 4),
    ("geimporteerd", 8),
)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def partial_months(gemeente) -> list[tuple[date, date]]:
    """The parts of the months a gemeente's pilot starts or ends in, when not whole."""
    start, end = gemeente.pilot_start, gemeente.pilot_eind
    ranges = []
    if start.day != 1:
        ranges.append((start, _month_end(start) if end is None else min(_month_end(start), end)))
    if (
        end is not None
        and end != _month_end(end)
        and (end.year, end.month)
        != (
            start.year,
            start.month,
        )
    ):
        ranges.append((end.replace(day=1), end))
    return ranges


def kept_month(gemeente) -> Callable[[date], bool]:
    """Whether a month (its first day) lies wholly inside the gemeente's pilot period."""
    start, end = gemeente.pilot_start, gemeente.pilot_eind
    return lambda maand: maand >= start and (end is None or _month_end(maand) <= end)


def read(connection, gemeente_ids: list[int]):
    """(gemeente id, month, kind, key, count) of every non-zero kept count."""
    t = IncidentTelling
    statement = select(t.gemeente_id, t.maand, t.soort, t.sleutel, t.aantal).where(
        t.gemeente_id.in_(gemeente_ids), t.aantal != 0
    )
    return connection.execute(statement)


def columns(soort: str, parts: list[list[str]]) -> dict[str, np.ndarray]:
    """The breakdown columns of one kind's keys, as the publication's row sets hold them."""
    names = PARTS[soort]
    table = np.array(parts, dtype=object).reshape(len(parts), len(names))
    result = {name: table[:, i] for i, name in enumerate(names)}
    if soort == "a":
        mask = result["gedraging"].astype(np.int64)
        touching = (mask & codes.gedraging_bit("aanrakingen")) != 0
        result["gedraging"] = mask
        result["aanraking"] = np.where(touching, "met", "zonder").astype(object)
    if soort == "c":
        mask = result.pop("kwaliteit").astype(np.int64)
        for name, bit in QUALITY_BITS:
            result[name] = (mask & bit) != 0
    return result
