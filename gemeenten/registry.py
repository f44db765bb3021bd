"""The registry of pilot gemeenten the app seeds from (see DOMAIN.md)."""

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
