"""The registry of pilot gemeenten the app seeds from (see DOMAIN.md), and the CBS list of
all gemeenten of a year (code, name, province, population where known)."""

import csv
from dataclasses import dataclass
from datetime import date
from importlib import resources


@dataclass(frozen=True)
class PilotGemeente:
    cbs_code: str
    naam: str
    provincie: str
    tranche: int
    pilot_start: date
    pilot_eind: date


def pilot_gemeenten() -> list[PilotGemeente]:
    """The ten pilot gemeenten, in tranche order; start dates are editable in the app."""
    text = resources.files("gemeenten").joinpath("pilot_gemeenten.csv").read_text("utf-8")
    return [
        PilotGemeente(
            cbs_code=row["cbs_code"],
            naam=row["naam"],
            provincie=row["provincie"],
            tranche=int(row["tranche"]),
            pilot_start=date.fromisoformat(row["pilot_start"]),
            pilot_eind=date.fromisoformat(row["pilot_eind"]),
        )
        for row in csv.DictReader(text.splitlines())
    ]


SEED_YEAR = 2026


@dataclass(frozen=True)
class CbsGemeente:
    cbs_code: str
    naam: str
    provincie: str
    inwoners: int | None


def cbs_gemeenten(jaar: int = SEED_YEAR) -> list[CbsGemeente]:
    """All gemeenten of the CBS indeling of ``jaar`` as shipped with the package.

    ``cbs_gemeenten_2026.csv``: code and official name from the CBS/PDOK gemeentegrenzen
    2026; the province is the one whose outline holds the gemeente's representative point
    (CBS/PDOK provinciegrenzen 2026); ``inwoners`` where a CBS figure was available.
    """
    name = f"cbs_gemeenten_{jaar}.csv"
    text = resources.files("gemeenten").joinpath(name).read_text("utf-8")
    return [
        CbsGemeente(
            cbs_code=row["cbs_code"],
            naam=row["naam"],
            provincie=row["provincie"],
            inwoners=int(row["inwoners"]) if row["inwoners"] else None,
        )
        for row in csv.DictReader(text.splitlines())
    ]
