"""The quasi-identifiers of the evaluation dataset and their recoding hierarchies.

What an outsider may know of an incident (a victim, a bystander, a suspect, a reader of
the local paper): where and when it happened and what kind of place it was. Gemeente and
quarter are fixed (the published tables are per gemeente and quarter); the others are
recoded by ``microdata.anonymise``, fine to coarse:

==============  ===================================================================
locatie         100 m cell, 500 m cell, 1 km cell, 2 km cell (CBS grid, RD), none
periode         date, ISO week, month, none (the quarter only)
weekdag         day of the week, weekend or weekday, none
tijdvak         time band (dag, avond, nacht), day or evening/night, none
locatie_type    type, group of types, none
==============  ===================================================================

The losses rank the combinations: a coarser location costs less than a coarser period,
since most evaluation questions are about trends per month and the time of day, while
hotspots are published as maps already. Input columns of ``raw``: ``datum`` (date),
``weekdag`` (0 = Monday), ``tijdvak``, ``locatie_type`` (codes) and ``cel_100``,
``cel_500`` (south-west corners in RD metres as ``(x, y)``).
"""

from collections.abc import Sequence

import pandas as pd

from pilot import codes
from pilot.services.disclosure.microdata import Hierarchy, Level, not_included

WEEKEND = (5, 6)  # zaterdag, zondag
WEEKDEEL = (("doordeweeks", "Maandag tot en met vrijdag"), ("weekend", "Zaterdag of zondag"))
DAGDEEL = (("dag", "Dag (07:00–19:00)"), ("avond_nacht", "Avond of nacht (19:00–07:00)"))
LOCATIE_GROEP = {
    "uitgaan": ("Uitgaansgebied of horeca/terras", ("uitgaansgebied", "horeca_terras")),
    "openbare_ruimte": ("Straat, park of winkelgebied", ("straat", "park", "winkelgebied")),
    "ov_station": ("OV / station", ("ov_station",)),
    "overig": ("Evenement of overig", ("evenement", "overig")),
}
_GROEP_VAN = {member: group for group, (_, members) in LOCATIE_GROEP.items() for member in members}


class _Pairs(Sequence[tuple[str, str]]):
    """The (code, label) pairs of a code list, read from the current codebook on use (the
    beheerder may add a code; the hierarchies are built once, at import)."""

    def __init__(self, code_list: codes.CodeListRef) -> None:
        self.code_list = code_list

    def _pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple((item.code, item.label) for item in self.code_list.codes)

    def __getitem__(self, index):
        return self._pairs()[index]

    def __len__(self) -> int:
        return len(self.code_list.codes)


def _pairs(code_list: codes.CodeListRef) -> Sequence[tuple[str, str]]:
    return _Pairs(code_list)


def _groep(locatie_type: str | None) -> str | None:
    """The group of a location type; a type the beheerder added later counts as 'overig'."""
    if pd.isna(locatie_type):
        return None
    return _GROEP_VAN.get(locatie_type, "overig")


def _cell(size: int):
    def recode(raw: pd.DataFrame) -> pd.Series:
        source = raw["cel_100"] if size == 100 else raw["cel_500"]
        return source.map(lambda xy: f"{xy[0] // size * size}:{xy[1] // size * size}")

    return recode


def _week(raw: pd.DataFrame) -> pd.Series:
    return raw["datum"].map(lambda d: f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}")


LOCATIE = Hierarchy(
    "locatie",
    "Locatie (cel van het CBS-vierkantenraster)",
    (
        Level("cel_100m", "cel van 100 m", 0, _cell(100)),
        Level("cel_500m", "cel van 500 m", 0.5, _cell(500)),
        Level("cel_1km", "cel van 1 km", 1, _cell(1000)),
        Level("cel_2km", "cel van 2 km", 1.5, _cell(2000)),
        not_included(2.5, "niet opgenomen"),
    ),
)
PERIODE = Hierarchy(
    "periode",
    "Periode binnen het kwartaal",
    (
        Level("datum", "datum (JJJJ-MM-DD)", 0, lambda raw: raw["datum"].map(str)),
        Level("week", "ISO-week (JJJJ-Www)", 1, _week),
        Level(
            "maand",
            "maand (JJJJ-MM)",
            1.5,
            lambda raw: raw["datum"].map(lambda d: d.strftime("%Y-%m")),
        ),
        not_included(2.5, "niet opgenomen (alleen het kwartaal)"),
    ),
)
WEEKDAG = Hierarchy(
    "weekdag",
    "Dag van de week (lokale datum)",
    (
        Level(
            "dag", "dag van de week", 0, lambda raw: raw["weekdag"].map(str), _pairs(codes.WEEKDAG)
        ),
        Level(
            "weekdeel",
            "weekend of doordeweeks",
            1,
            lambda raw: raw["weekdag"].map(lambda d: "weekend" if d in WEEKEND else "doordeweeks"),
            WEEKDEEL,
        ),
        not_included(3, "niet opgenomen"),
    ),
)
TIJDVAK = Hierarchy(
    "tijdvak",
    "Tijdvak (lokale tijd)",
    (
        Level("tijdvak", "tijdvak", 0, lambda raw: raw["tijdvak"], _pairs(codes.TIJDVAK)),
        Level(
            "dagdeel",
            "dag of avond/nacht",
            1,
            lambda raw: raw["tijdvak"].map(lambda t: "dag" if t == "dag" else "avond_nacht"),
            DAGDEEL,
        ),
        not_included(3, "niet opgenomen"),
    ),
)
LOCATIE_TYPE = Hierarchy(
    "locatie_type",
    "Type locatie",
    (
        Level(
            "type", "type locatie", 0, lambda raw: raw["locatie_type"], _pairs(codes.LOCATIE_TYPE)
        ),
        Level(
            "groep",
            "groep van typen",
            1,
            lambda raw: raw["locatie_type"].map(_groep),
            tuple((code, label) for code, (label, _) in LOCATIE_GROEP.items()),
        ),
        not_included(2.5, "niet opgenomen"),
    ),
)

FIXED = ("gemeente", "kwartaal")
# In the order local suppression blanks them: location first, the time of day last.
HIERARCHIES: tuple[Hierarchy, ...] = (LOCATIE, PERIODE, LOCATIE_TYPE, WEEKDAG, TIJDVAK)
CELL_SIZE = {"cel_100m": 100, "cel_500m": 500, "cel_1km": 1000, "cel_2km": 2000}
