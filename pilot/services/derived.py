"""Fields of an incident derived from its moment and location, computed in one place.

Local date, weekday and time band follow Europe/Amsterdam (so daylight saving is right);
RD New x/y follow from WGS84 lat/lon. Both scalar and vectorised forms, for the web form
and for batches (file import, demo data, benchmarks).
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import numpy as np

from gemeenten.boundaries import to_rd
from pilot.clock import AMSTERDAM
from pilot.codes import TIJDVAK_PER_UUR, tijdvak_for_hour

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Derived:
    lokale_datum: date
    weekdag: int
    tijdvak: str
    rd_x: float
    rd_y: float


def derive(tijdstip: datetime, lat: float, lon: float) -> Derived:
    """Derived fields of one incident; ``tijdstip`` must be timezone-aware."""
    local = tijdstip.astimezone(AMSTERDAM)
    x, y = to_rd(lat, lon)
    return Derived(
        lokale_datum=local.date(),
        weekdag=local.weekday(),
        tijdvak=tijdvak_for_hour(local.hour),
        rd_x=round(float(x), 2),
        rd_y=round(float(y), 2),
    )


def derive_many(tijdstippen: "pd.Series", lats: np.ndarray, lons: np.ndarray) -> "pd.DataFrame":
    """Vectorised ``derive`` for aware UTC timestamps; returns one row per input."""
    import pandas as pd  # ~1 s to import: only for batches

    local = pd.to_datetime(tijdstippen, utc=True).dt.tz_convert(AMSTERDAM)
    hours = local.dt.hour.to_numpy()
    xs, ys = to_rd(np.asarray(lats, dtype=float), np.asarray(lons, dtype=float))
    return pd.DataFrame(
        {
            "lokale_datum": local.dt.date.to_numpy(),
            "weekdag": local.dt.day_of_week.to_numpy(),
            "tijdvak": np.asarray(TIJDVAK_PER_UUR)[hours],
            "rd_x": np.round(xs, 2),
            "rd_y": np.round(ys, 2),
        }
    )
