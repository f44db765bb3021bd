"""Static hotspot maps (geopandas + matplotlib, SVG, no tiles): boundary and grid cells.

Cells are coloured in fixed count classes. When suppression is on, cells with fewer than
k incidents are not drawn at all, and the legend says so.
"""

from collections.abc import Sequence

import geopandas as gpd
from matplotlib import colormaps
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path
from shapely.geometry.base import BaseGeometry

from pilot.services.reports.charts import _figure, data_uri
from pilot.services.reports.suppression import Onderdrukking

BREAKS = (10, 25, 50, 100)
Cell = tuple[int, int, int]


def klassen(fmt: Onderdrukking) -> list[tuple[int, int | None, str]]:
    """Count classes (lower, upper or None, Dutch label)."""
    lowers = ([1] if not fmt.actief else []) + [fmt.k, *BREAKS]
    result = []
    for index, lower in enumerate(lowers):
        upper = lowers[index + 1] - 1 if index + 1 < len(lowers) else None
        label = f"{lower} of meer" if upper is None else f"{lower}–{upper}"
        result.append((lower, upper, label))
    return result


def _colour_index(count: int, classes) -> int | None:
    for index, (lower, upper, _) in enumerate(classes):
        if count >= lower and (upper is None or count <= upper):
            return index
    return None


def _cells_path(cells: Sequence[tuple[int, int]], size: int) -> Path:
    """All cells of one class as one compound path (one SVG element, cheap to render)."""
    vertices = []
    for x, y in cells:
        vertices += [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]
    kinds = [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY] * len(cells)
    return Path(vertices, kinds)


def _draw(ax, boundary: BaseGeometry | None, cells: Sequence[Cell], size: int, fmt, classes):
    palette = colormaps["YlOrRd"].resampled(len(classes) + 1)
    by_class: dict[int, list[tuple[int, int]]] = {}
    for x, y, n in cells:
        index = None if fmt.verborgen(n) else _colour_index(n, classes)
        if index is not None:
            by_class.setdefault(index, []).append((x, y))
    for index, members in sorted(by_class.items()):
        ax.add_patch(PathPatch(_cells_path(members, size), facecolor=palette(index + 1), lw=0))
    if boundary is not None:
        gpd.GeoSeries([boundary]).boundary.plot(ax=ax, color="#333333", linewidth=0.7)
    elif cells:
        ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_axis_off()
    return palette


def _legend(figure, palette, classes, fmt: Onderdrukking, size: int) -> None:
    handles = [
        Patch(facecolor=palette(index + 1), label=label)
        for index, (_, _, label) in enumerate(classes)
    ]
    title = f"Incidenten per cel van {size} × {size} m"
    if fmt.actief:
        title += f"\n(cellen met minder dan {fmt.k} niet getoond)"
    figure.legend(
        handles=handles, title=title, loc="lower center", ncols=len(handles), frameon=False,
        fontsize=7, title_fontsize=7,
    )  # fmt: skip


def hotspotkaart(
    boundary: BaseGeometry | None, cells: Sequence[Cell], size: int, fmt: Onderdrukking
) -> str:
    """One gemeente: its boundary and its grid cells."""
    classes = klassen(fmt)
    with _figure(16, 13) as figure:
        ax = figure.add_axes((0, 0.12, 1, 0.88))
        palette = _draw(ax, boundary, cells, size, fmt, classes)
        _legend(figure, palette, classes, fmt, size)
        return data_uri(figure)


def kaarten(
    panels: Sequence[tuple[str, BaseGeometry | None, Sequence[Cell]]],
    size: int,
    fmt: Onderdrukking,
    columns: int = 3,
) -> str:
    """Several gemeenten side by side, each on its own scale (the national hotspot map)."""
    classes = klassen(fmt)
    rows = max(1, -(-len(panels) // columns))
    with _figure(17, 5.2 * rows + 1.5) as figure:
        axes = figure.subplots(rows, columns, squeeze=False)
        palette = None
        for ax in axes.flat[len(panels) :]:
            ax.set_visible(False)
        for ax, (title, boundary, cells) in zip(axes.flat, panels, strict=False):
            palette = _draw(ax, boundary, cells, size, fmt, classes)
            ax.set_title(title, fontsize=8, fontweight="bold")
        figure.subplots_adjust(left=0.01, right=0.99, top=0.97, bottom=1.4 / (5.2 * rows + 1.5))
        if palette is not None:
            _legend(figure, palette, classes, fmt, size)
        return data_uri(figure)
