"""A light basemap for the report maps: PDOK BRT-Achtergrondkaart grijs, fetched at build time.

The WMTS tiles in RD New (EPSG:28992, the Dutch tiling guideline: origin top left at
(-285401.92, 903401.92), 256 px tiles, 3440.64 m per pixel at level 0, halving per
level) are laid under the cells in the map's own coordinates, so nothing is reprojected.

Reports must not wait for a service that is not there (CI and many servers reach no
outside host): the tiles are fetched in a background thread with one deadline for the
whole map; when it passes or any tile fails, the map is drawn with plain boundaries, and
the service is not asked again for ``RETRY_AFTER`` seconds. Tiles are cached in memory.
"""

import io
import threading
import time
import urllib.request
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass
from math import floor

import numpy as np

from pilot.config import PDOK_GRIJS_RD

ATTRIBUTION = "Achtergrond: BRT-Achtergrondkaart grijs, © Kadaster (PDOK)"
ORIGIN_X, ORIGIN_Y = -285401.92, 903401.92
RESOLUTION_0 = 3440.64
TILE = 256
MAX_LEVEL = 14
MAX_TILES = 20
DEADLINE_S = 3.0
RETRY_AFTER = 600.0
CACHE_TILES = 512

_lock = threading.Lock()
_cache: OrderedDict[str, np.ndarray] = OrderedDict()
_down_until: dict[str, float] = {}
_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="basemap")


@dataclass(frozen=True)
class Basemap:
    """An RGB image and its extent in RD metres (left, right, bottom, top)."""

    image: np.ndarray
    extent: tuple[float, float, float, float]


def _level(width_m: float, width_px: int) -> int:
    """The coarsest level at least as fine as the map's own resolution."""
    wanted = width_m / max(width_px, 1)
    level = 0
    while level < MAX_LEVEL and RESOLUTION_0 / 2**level > wanted:
        level += 1
    return level


def _tiles(bounds, level: int) -> tuple[range, range]:
    minx, miny, maxx, maxy = bounds
    span = RESOLUTION_0 / 2**level * TILE
    columns = range(floor((minx - ORIGIN_X) / span), floor((maxx - ORIGIN_X) / span) + 1)
    rows = range(floor((ORIGIN_Y - maxy) / span), floor((ORIGIN_Y - miny) / span) + 1)
    return columns, rows


def _fetch(url: str) -> np.ndarray:
    with _lock:
        if url in _cache:
            _cache.move_to_end(url)
            return _cache[url]
    request = urllib.request.Request(url, headers={"User-Agent": "pilot-429ter rapport"})
    with urllib.request.urlopen(request, timeout=DEADLINE_S) as response:
        data = response.read()
    from matplotlib import image  # only when a basemap is drawn

    tile = image.imread(io.BytesIO(data), format="png")[..., :3]
    with _lock:
        _cache[url] = tile
        while len(_cache) > CACHE_TILES:
            _cache.popitem(last=False)
    return tile


def fetch_basemap(bounds, width_px: int, url: str = PDOK_GRIJS_RD) -> Basemap | None:
    """The basemap under ``bounds`` (RD: minx, miny, maxx, maxy), or None (see above)."""
    if not url:
        return None
    host = url.split("/")[2] if "//" in url else url
    if _down_until.get(host, 0.0) > time.monotonic():
        return None
    level = _level(bounds[2] - bounds[0], width_px)
    columns, rows = _tiles(bounds, level)
    while len(columns) * len(rows) > MAX_TILES and level > 0:
        level -= 1
        columns, rows = _tiles(bounds, level)
    jobs = {
        (r, c): _pool.submit(_fetch, url.format(z=level, x=column, y=row))
        for r, row in enumerate(rows)
        for c, column in enumerate(columns)
    }
    deadline = time.monotonic() + DEADLINE_S
    mosaic = np.ones((len(rows) * TILE, len(columns) * TILE, 3), dtype=np.float32)
    try:
        for (r, c), job in jobs.items():
            tile = job.result(timeout=max(0.0, deadline - time.monotonic()))
            mosaic[r * TILE : (r + 1) * TILE, c * TILE : (c + 1) * TILE] = tile[:TILE, :TILE]
    except (OSError, ValueError, FuturesTimeout):
        _down_until[host] = time.monotonic() + RETRY_AFTER
        for job in jobs.values():
            job.cancel()
        return None
    span = RESOLUTION_0 / 2**level * TILE
    left = ORIGIN_X + columns.start * span
    top = ORIGIN_Y - rows.start * span
    extent = (left, left + len(columns) * span, top - len(rows) * span, top)
    return Basemap(0.55 + 0.45 * mosaic, extent)  # lightened: the cells stay readable


def reset() -> None:
    """Forget which services were unreachable, and the cached tiles (tests)."""
    with _lock:
        _cache.clear()
    _down_until.clear()
