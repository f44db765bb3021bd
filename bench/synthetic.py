"""Synthetic incident locations for the benchmarks, shared so all three sample alike."""

import numpy as np
import shapely


def points_inside(
    geometry,
    n: int,
    rng: np.random.Generator,
    clusters: int = 0,
    clustered_share: float = 0.0,
    sigma_m: float = 150.0,
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` RD points inside ``geometry``: a share around random cluster centres, the rest
    uniform over the area (rejection sampling, vectorised)."""
    minx, miny, maxx, maxy = geometry.bounds
    shapely.prepare(geometry)
    centres: list[tuple[float, float]] = []
    while len(centres) < clusters:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if shapely.contains_xy(geometry, x, y):
            centres.append((x, y))
    centre_array = np.array(centres) if centres else np.zeros((1, 2))
    xs, ys, got = [], [], 0
    while got < n:
        batch = max((n - got) * 2, 1000)
        clustered = rng.random(batch) < (clustered_share if centres else 0.0)
        centre = centre_array[rng.integers(0, len(centre_array), batch)]
        x = np.where(clustered, rng.normal(centre[:, 0], sigma_m), rng.uniform(minx, maxx, batch))
        y = np.where(clustered, rng.normal(centre[:, 1], sigma_m), rng.uniform(miny, maxy, batch))
        inside = shapely.contains_xy(geometry, x, y)
        xs.append(x[inside])
        ys.append(y[inside])
        got += int(inside.sum())
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]
