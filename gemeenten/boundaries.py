"""Reading CBS/PDOK gemeentegrenzen and testing points against them.

All geometry work happens in RD New (EPSG:28992), the Dutch metric grid, so that a
tolerance in metres means metres. Input files may be WGS84 or RD New; the RD files
published by cartomap/CBS often lack a ``crs`` member, which GDAL then reads as
EPSG:4326. We recognise that case by the coordinate range instead of trusting it.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

if TYPE_CHECKING:
    import geopandas as gpd
    from pyproj import Transformer

RD = 28992
WGS84 = 4326
PDOK_WFS = (
    "https://service.pdok.nl/cbs/gebiedsindelingen/{jaar}/wfs/v1_0"
    "?service=WFS&version=2.0.0&request=GetFeature"
    "&typeNames=gebiedsindelingen:gemeente_gegeneraliseerd&outputFormat=json"
)


class BoundaryError(ValueError):
    """A boundary file that cannot be used; the message is Dutch and meant for users."""


@lru_cache(maxsize=2)
def _transformer(to_wgs84: bool) -> "Transformer":
    from pyproj import Transformer  # imported on first use: creating the app stays light

    if to_wgs84:
        return Transformer.from_crs(RD, WGS84, always_xy=True)
    return Transformer.from_crs(WGS84, RD, always_xy=True)


def to_rd(lat: np.ndarray | float, lon: np.ndarray | float) -> tuple:
    """WGS84 latitude/longitude to RD New x/y in metres (vectorised)."""
    return _transformer(False).transform(lon, lat)


def to_wgs84(x: np.ndarray | float, y: np.ndarray | float) -> tuple:
    """RD New x/y to WGS84 (lat, lon)."""
    lon, lat = _transformer(True).transform(x, y)
    return lat, lon


def _looks_like_rd(frame: "gpd.GeoDataFrame") -> bool:
    minx, miny, maxx, maxy = frame.total_bounds
    return maxx > 360 or maxy > 360 or minx < -360


@dataclass(frozen=True)
class GemeenteFile:
    """The gemeenten of one boundary file: year (when the file says), names, RD geometries."""

    jaar: int | None
    namen: dict[str, str]
    grenzen: dict[str, BaseGeometry]


def _year(frame: "gpd.GeoDataFrame", source: str) -> int | None:
    """The indeling year: from ``jrstatcode`` (2026GM0599), else from a PDOK URL."""
    if "jrstatcode" in frame.columns:
        years = {str(value)[:4] for value in frame["jrstatcode"] if value}
        if len(years) == 1 and (year := years.pop()).isdigit():
            return int(year)
    if match := re.search(r"/gebiedsindelingen/(\d{4})/", source):
        return int(match.group(1))
    return None


def read_gemeente_file(source: str) -> GemeenteFile:
    """Read a gemeentegrenzen file or URL: every gemeente's name and RD geometry.

    Accepts GeoJSON or GeoPackage in WGS84 or RD New. Invalid rings (the 0.001° rounding
    of the simplified WGS84 file makes some) are repaired with ``make_valid``.
    """
    import geopandas as gpd  # ~1 s to import: only when a boundary file is read

    try:
        frame = gpd.read_file(source)
    except Exception as exc:  # pyogrio raises several types for unreadable input
        raise BoundaryError(f"Het grenzenbestand kon niet worden gelezen: {exc}") from exc
    if "statcode" not in frame.columns:
        raise BoundaryError(
            "Het grenzenbestand heeft geen kolom 'statcode' (CBS-code, bijvoorbeeld GM0599)."
        )
    if frame.empty:
        raise BoundaryError("Het grenzenbestand bevat geen gemeenten.")
    if _looks_like_rd(frame):
        frame = frame.set_crs(RD, allow_override=True)
    elif frame.crs is None:
        frame = frame.set_crs(WGS84)
    frame = frame.to_crs(RD)
    geometries = shapely.make_valid(frame.geometry.values)
    names = frame["statnaam"] if "statnaam" in frame.columns else frame["statcode"]
    grenzen, namen = {}, {}
    for code, name, geometry in zip(frame["statcode"], names, geometries, strict=True):
        if geometry is not None and not geometry.is_empty:
            grenzen[str(code)] = geometry
            namen[str(code)] = str(name)
    return GemeenteFile(_year(frame, source), namen, grenzen)


def read_boundaries(source: str) -> dict[str, BaseGeometry]:
    """Read a gemeentegrenzen file or URL; return ``{statcode: geometry in RD New}``."""
    return read_gemeente_file(source).grenzen


def points_within(
    boundary_rd: BaseGeometry,
    xs: Iterable[float],
    ys: Iterable[float],
    tolerance_m: float,
) -> np.ndarray:
    """For each RD point, whether it lies in the boundary or within ``tolerance_m`` of it.

    Vectorised with shapely 2: one prepared geometry, one call for the whole batch.
    """
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    if xs.size == 0:
        return np.zeros(0, dtype=bool)
    shapely.prepare(boundary_rd)
    inside = shapely.intersects_xy(boundary_rd, xs, ys)
    outside = ~inside
    if tolerance_m > 0 and outside.any():  # only points outside need the slower distance test
        inside[outside] = shapely.dwithin(
            boundary_rd, shapely.points(xs[outside], ys[outside]), tolerance_m
        )
    return inside


def point_in_gemeente(
    boundary_rd: BaseGeometry, lat: float, lon: float, tolerance_m: float = 0.0
) -> bool:
    """Is this WGS84 point in the gemeente (with a tolerance in metres, computed in RD)?"""
    x, y = to_rd(lat, lon)
    return bool(points_within(boundary_rd, [x], [y], tolerance_m)[0])


def pdok_url(jaar: int) -> str:
    """The official PDOK WFS request for a year's generalised gemeentegrenzen."""
    return PDOK_WFS.format(jaar=jaar)
