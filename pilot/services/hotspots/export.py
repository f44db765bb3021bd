"""A map's cells as GeoJSON and CSV: the same cells as the map, the same suppression."""

import numpy as np

from gemeenten.boundaries import to_wgs84
from pilot.services.hotspots.maps import HotspotMap, MapCell


def cell_polygons(cellen: list[MapCell], cell_size: int) -> np.ndarray:
    """WGS84 rings (n, 5, 2) as [lon, lat] of the cell squares, 6 decimals.

    Neighbouring cells share corners: each distinct corner is transformed once (the
    transformation costs about a microsecond a point, the most of a map's arithmetic).
    """
    if not cellen:
        return np.zeros((0, 5, 2))
    x = np.array([c.x for c in cellen], dtype=np.int64)
    y = np.array([c.y for c in cellen], dtype=np.int64)
    xs = np.stack([x, x + cell_size, x + cell_size, x], axis=1).ravel()  # SW, SE, NE, NW
    ys = np.stack([y, y, y + cell_size, y + cell_size], axis=1).ravel()
    span = int(ys.max() - ys.min()) + 1
    _corners, first, where = np.unique(
        (xs - xs.min()) * span + (ys - ys.min()), return_index=True, return_inverse=True
    )
    lat, lon = to_wgs84(xs[first].astype(float), ys[first].astype(float))
    corners = np.stack([lon, lat], axis=1)[where].reshape(-1, 4, 2)
    return np.round(np.concatenate([corners, corners[:, :1]], axis=1), 6)


def cells_geojson(kaart: HotspotMap, gemeente_codes: dict[int, str]) -> dict:
    """The downloadable cells as a FeatureCollection of squares (WGS84), count and Gi* class."""
    cellen = kaart.downloadbare_cellen
    rings = cell_polygons(cellen, kaart.cell_size)
    features = []
    for cel, ring in zip(cellen, rings, strict=True):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring.tolist()]},
                "properties": {
                    "gemeente": gemeente_codes.get(cel.gemeente_id, ""),
                    "x_rd": cel.x,
                    "y_rd": cel.y,
                    "celgrootte_m": kaart.cell_size,
                    "aantal": cel.aantal,
                    "label": cel.label,
                    "gi_klasse": cel.klasse,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


CSV_COLUMNS = ("gemeente", "x_rd", "y_rd", "celgrootte_m", "aantal", "gi_klasse")


def cells_csv(kaart: HotspotMap, gemeente_codes: dict[int, str]) -> str:
    """The downloadable cells as CSV (semicolon, as Dutch spreadsheets expect)."""
    lines = [";".join(CSV_COLUMNS)]
    for cel in kaart.downloadbare_cellen:
        lines.append(
            ";".join(
                str(value)
                for value in (
                    gemeente_codes.get(cel.gemeente_id, ""),
                    cel.x,
                    cel.y,
                    kaart.cell_size,
                    cel.aantal,
                    cel.klasse,
                )
            )
        )
    return "\n".join(lines) + "\n"
