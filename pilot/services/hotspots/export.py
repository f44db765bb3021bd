"""A map's cells as GeoJSON and CSV: the same cells as the map, the same suppression."""

import numpy as np

from gemeenten.boundaries import to_wgs84
from pilot.services.hotspots.maps import HotspotMap, MapCell


def cell_polygons(cellen: list[MapCell], cell_size: int) -> np.ndarray:
    """WGS84 rings (n, 5, 2) as [lon, lat] of the cell squares, 6 decimals."""
    if not cellen:
        return np.zeros((0, 5, 2))
    x = np.array([c.x for c in cellen], dtype=float)
    y = np.array([c.y for c in cellen], dtype=float)
    s = float(cell_size)
    xs = np.stack([x, x + s, x + s, x, x], axis=1)
    ys = np.stack([y, y, y + s, y + s, y], axis=1)
    lat, lon = to_wgs84(xs.ravel(), ys.ravel())
    return np.round(np.stack([lon, lat], axis=1).reshape(-1, 5, 2), 6)


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
