"""Municipality registry and boundaries for the 429ter pilot.

Deliberately free of Flask and of the ``pilot`` app: plain data in, plain data out.
"""

from gemeenten.boundaries import (
    BoundaryError,
    points_within,
    read_boundaries,
    to_rd,
)
from gemeenten.registry import PilotGemeente, pilot_gemeenten

__all__ = [
    "BoundaryError",
    "PilotGemeente",
    "pilot_gemeenten",
    "points_within",
    "read_boundaries",
    "to_rd",
]
