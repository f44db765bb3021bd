"""Incident counts per CBS-aligned grid cell, in SQL.

Cells are squares in RD New (EPSG:28992) of 100, 250, 500 or 1000 m whose corners are
multiples of the size, as in the CBS vierkantstatistieken. The grouping runs in SQL on
``floor((rd_x + 1e6) / size)``, the cell index shifted by 1e6 / size; SQLite has no
portable ``floor``, so there it is ``CAST((rd_x + 1e6) / size AS INTEGER)``: CAST
truncates toward zero, which is floor for the shifted, positive value (RD New lies well
within ±1e6 m, and 1e6 is a multiple of every cell size). Corners are
``(index - 1e6 / size) * size`` in Python: exact integers.
Covering indexes (migration 0002) let both databases read only the index.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import BigInteger, Integer, String, cast, func, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from pilot.codes import gedraging_bit
from pilot.models import Incident
from pilot.services.errors import DomainError

CELL_SIZES = (100, 250, 500, 1000)

_incident = Incident.__table__


@dataclass(frozen=True)
class HotspotFilter:
    """Which incidents a map counts; ``None`` or empty means no restriction."""

    van: date | None = None
    tot: date | None = None
    gemeente_ids: tuple[int, ...] = ()
    gedraging: str | None = None
    afdoening: str | None = None
    locatie_type: str | None = None
    tijdvak: str | None = None
    weekend: bool | None = None
    kleding: str | None = None

    def has_detail_filters(self) -> bool:
        return any(
            value is not None
            for value in (
                self.gedraging,
                self.afdoening,
                self.locatie_type,
                self.tijdvak,
                self.weekend,
                self.kleding,
            )
        )

    def as_dict(self) -> dict:
        """Plain values for the audit trail and the download file names."""
        return {
            "van": self.van.isoformat() if self.van else None,
            "tot": self.tot.isoformat() if self.tot else None,
            "gemeente_ids": list(self.gemeente_ids),
            "gedraging": self.gedraging,
            "afdoening": self.afdoening,
            "locatie_type": self.locatie_type,
            "tijdvak": self.tijdvak,
            "weekend": self.weekend,
            "kleding": self.kleding,
        }


@dataclass(frozen=True)
class Cell:
    """One occupied grid cell: south-west corner in RD (multiples of the size) and count."""

    x: int
    y: int
    count: int
    gemeente_id: int | None = None


# RD New coordinates lie within (-1e6, 1e6) m; shifting by 1e6, a multiple of every cell
# size, makes the value positive, where CAST (truncation) is floor.
_RD_OFFSET = 1_000_000
_KEY_BASE = 2**15  # > (1e6 + 1e6) / 100: a shifted cell index fits in 15 bits


class shifted_cell_index(FunctionElement):  # noqa: N801 -- SQL function name
    """``floor((value + 1e6) / size)`` as an integer, the same in SQLite and PostgreSQL."""

    type = Integer()
    inherit_cache = True
    name = "shifted_cell_index"


@compiles(shifted_cell_index)
def _shifted_cell_index_default(element, compiler, **kw) -> str:
    value, size = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(floor(({value} + {_RD_OFFSET}.0) / {size}) AS INTEGER)"


@compiles(shifted_cell_index, "sqlite")
def _shifted_cell_index_sqlite(element, compiler, **kw) -> str:
    value, size = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(({value} + {_RD_OFFSET}.0) / {size} AS INTEGER)"


def _size_literal(cell_size: int):
    if cell_size not in CELL_SIZES:
        raise DomainError(f"Celgrootte moet een van {CELL_SIZES} zijn.", field="cel")
    return literal_column(f"{int(cell_size)}.0")


def _conditions(flt: HotspotFilter) -> list:
    c = _incident.c
    conditions = [c.ingetrokken_op.is_(None)]
    if flt.van is not None:
        conditions.append(c.lokale_datum >= flt.van)
    if flt.tot is not None:
        conditions.append(c.lokale_datum <= flt.tot)
    if flt.gemeente_ids:
        conditions.append(c.gemeente_id.in_(flt.gemeente_ids))
    if flt.gedraging is not None:
        conditions.append(c.gedragingen.op("&")(gedraging_bit(flt.gedraging)) != 0)
    for column, value in (
        (c.afdoening, flt.afdoening),
        (c.locatie_type, flt.locatie_type),
        (c.tijdvak, flt.tijdvak),
        (c.kleding, flt.kleding),
    ):
        if value is not None:
            conditions.append(column == value)
    if flt.weekend is not None:
        conditions.append(c.weekdag >= 5 if flt.weekend else c.weekdag < 5)
    return conditions


def cell_counts(
    connection, flt: HotspotFilter, cell_size: int, per_gemeente: bool = False
) -> list[Cell]:
    """Counts per grid cell (GROUP BY in SQL), withdrawn incidents excluded.

    ``connection`` is a Session or a Connection. With ``per_gemeente`` every gemeente's
    part of a cell is a separate ``Cell``. The group key is one integer (gemeente, shifted
    column, shifted row in base 2**15): SQLite sorts to group, and sorting one integer per
    incident instead of three values is about a third faster at a million incidents.
    """
    size = _size_literal(cell_size)
    c = _incident.c
    key = shifted_cell_index(c.rd_x, size) * literal_column(str(_KEY_BASE)) + shifted_cell_index(
        c.rd_y, size
    )
    if per_gemeente:
        key = cast(c.gemeente_id, BigInteger) * literal_column(str(_KEY_BASE**2)) + key
    key = key.label("k")
    query = select(key, func.count()).where(*_conditions(flt)).group_by(key)
    cells = []
    for packed, count in connection.execute(query):
        rest, sy = divmod(int(packed), _KEY_BASE)
        gemeente_id, sx = divmod(rest, _KEY_BASE)
        cells.append(
            Cell(
                (sx - _RD_OFFSET // cell_size) * cell_size,
                (sy - _RD_OFFSET // cell_size) * cell_size,
                int(count),
                gemeente_id if per_gemeente else None,
            )
        )
    return cells


class points_json(FunctionElement):  # noqa: N801 -- SQL function name
    """The aggregate ``[lat,lon],[lat,lon],…`` (5 decimals) of the rows, written by the
    database: SQLite's printf/group_concat, PostgreSQL's string_agg (no ``%``: psycopg
    would take it for a parameter)."""

    type = String()
    inherit_cache = True
    name = "points_json"


@compiles(points_json)
def _points_json_default(element, compiler, **kw) -> str:
    lat, lon = (
        f"CAST(round(CAST({compiler.process(arg, **kw)} AS NUMERIC), 5) AS TEXT)"
        for arg in element.clauses
    )
    return f"string_agg('[' || {lat} || ',' || {lon} || ']', ',')"


@compiles(points_json, "sqlite")
def _points_json_sqlite(element, compiler, **kw) -> str:
    lat, lon = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"group_concat(printf('[%.5f,%.5f]', {lat}, {lon}), ',')"


def incident_points(connection, flt: HotspotFilter) -> str:
    """Exact [lat, lon] of the filtered incidents as a JSON array, rounded to 5 decimals
    (about 1 m): only for a coordinator's own gemeente. The database writes the text: at
    100,000 incidents that takes 0.08 s, the rows through Python and folium took 0.55 s."""
    c = _incident.c
    text = connection.execute(select(points_json(c.lat, c.lon)).where(*_conditions(flt))).scalar()
    return f"[{text or ''}]"
