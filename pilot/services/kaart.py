"""What the maps need: a gemeente's boundary as WGS84 GeoJSON, cached per loaded boundary."""

import numpy as np
import shapely
from shapely.geometry import mapping

from gemeenten.boundaries import to_wgs84
from pilot.models import Gemeente
from pilot.services.gemeenten import boundary_of

SIMPLIFY_M = 5.0  # the drawn line only has to look right; 5 m is invisible at street zoom
_cache: dict[tuple[int, str], dict] = {}


def _rd_to_lonlat(coords: np.ndarray) -> np.ndarray:
    lat, lon = to_wgs84(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def boundary_geojson(gemeente: Gemeente) -> dict | None:
    """The boundary as a GeoJSON geometry in WGS84 (lon, lat), or None without a boundary."""
    if gemeente.grens_geladen_op is None:
        return None
    key = (gemeente.id, gemeente.grens_geladen_op.isoformat())
    if key not in _cache:
        boundary = boundary_of(gemeente)
        if boundary is None:
            return None
        simple = boundary.simplify(SIMPLIFY_M, preserve_topology=True)
        wgs84 = shapely.set_precision(shapely.transform(simple, _rd_to_lonlat), 1e-6)
        _cache[key] = mapping(wgs84)
    return _cache[key]
