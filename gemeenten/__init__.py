"""Municipality registry and boundaries for the 429ter pilot.

Deliberately free of Flask and of the ``pilot`` app: plain data in, plain data out.
"""

from gemeenten.boundaries import (
    BoundaryError,
    GemeenteFile,
    points_within,
    read_boundaries,
    read_gemeente_file,
    to_rd,
)
from gemeenten.registry import CbsGemeente, PilotGemeente, cbs_gemeenten, pilot_gemeenten

__all__ = [
    "BoundaryError",
    "CbsGemeente",
    "GemeenteFile",
    "PilotGemeente",
    "cbs_gemeenten",
    "pilot_gemeenten",
    "points_within",
    "read_boundaries",
    "read_gemeente_file",
    "to_rd",
]
