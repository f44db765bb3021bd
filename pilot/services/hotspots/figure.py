"""Static hotspot maps (matplotlib, SVG, no tiles): boundary and grid cells.

Cells are coloured in fixed count classes. In an outsider's report the cells come from the
protected publication: a cell shown as ``<k`` or ``×`` there is not drawn at all, and the
legend says so.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from pilot.services.disclosure.labels import Formatter
from pilot.services.reports.charts import CM, _figure, _matplotlib, data_uri

if TYPE_CHECKING:
    from matplotlib.path import Path

BREAKS = (10, 25, 50, 100)
Cell = tuple[int, int, int]
Box = tuple[float, float, float, float]


def count_classes(fmt: Formatter) -> list[tuple[int, int | None, str]]:
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


def _cells_path(cells: Sequence[tuple[int, int]], size: int) -> "Path":
    """All cells of one class as one compound path (one SVG element, cheap to render)."""
    from matplotlib.path import Path

    corners = np.array(cells, dtype=float).reshape(-1, 1, 2)
    square = np.array([(0, 0), (size, 0), (size, size), (0, size), (0, 0)], dtype=float)
    kinds = [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY] * len(cells)
    return Path((corners + square).reshape(-1, 2), kinds)


def _boundary_path(boundary: BaseGeometry) -> "Path":
    """Every ring (outer and holes) of a (multi)polygon as one compound path."""
    from matplotlib.path import Path

    vertices, kinds = [], []
    for ring in shapely.get_rings(shapely.get_parts(boundary)):
        coordinates = shapely.get_coordinates(ring)
        vertices.append(coordinates)
        kinds += [Path.MOVETO] + [Path.LINETO] * (len(coordinates) - 2) + [Path.CLOSEPOLY]
    return Path(np.concatenate(vertices), kinds)


def _draw(figure, box: Box, boundary, cells: Sequence[Cell], size: int, fmt, classes):
    """Draw one map into ``box`` (inches) of ``figure``, scaled to fit with equal aspect.

    Artists are placed on the figure itself with one affine transform per map: no axes,
    ticks or data-limit bookkeeping, which is most of matplotlib's time for a map. The
    cells are rasterized (one small embedded PNG instead of thousands of SVG squares, which
    weasyprint would otherwise draw one by one); boundary, titles and legend stay vector.
    """
    from matplotlib.patches import PathPatch
    from matplotlib.transforms import Affine2D

    palette = _matplotlib().colormaps["YlOrRd"].resampled(len(classes) + 1)
    by_class: dict[int, list[tuple[int, int]]] = {}
    for x, y, n in cells:
        count = fmt.number(n)
        index = None if count is None else _colour_index(count, classes)
        if index is not None:
            by_class.setdefault(index, []).append((x, y))
    extent = _extent(boundary, [(x, y) for members in by_class.values() for x, y in members], size)
    if extent is None:
        return palette
    minx, miny, maxx, maxy = extent
    left, bottom, width, height = box
    scale = min(width / max(maxx - minx, 1), height / max(maxy - miny, 1))
    offset_x = left + (width - (maxx - minx) * scale) / 2
    offset_y = bottom + (height - (maxy - miny) * scale) / 2
    transform = (
        Affine2D().translate(-minx, -miny).scale(scale).translate(offset_x, offset_y)
        + figure.dpi_scale_trans
    )
    for index, members in sorted(by_class.items()):
        patch = PathPatch(
            _cells_path(members, size), facecolor=palette(index + 1), lw=0, rasterized=True
        )
        figure.add_artist(patch).set_transform(transform)
    if boundary is not None:
        outline = PathPatch(_boundary_path(boundary), fill=False, edgecolor="#333333", lw=0.7)
        figure.add_artist(outline).set_transform(transform)
    return palette


def _extent(boundary, corners: Sequence[tuple[int, int]], size: int):
    if boundary is not None:
        return boundary.bounds
    if not corners:
        return None
    xs = [x for x, _ in corners]
    ys = [y for _, y in corners]
    return min(xs), min(ys), max(xs) + size, max(ys) + size


def _legend(figure, palette, classes, fmt: Formatter, size: int) -> None:
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=palette(index + 1), label=label)
        for index, (_, _, label) in enumerate(classes)
    ]
    title = f"Incidenten per cel van {size} × {size} m"
    if fmt.actief:
        title += f"\n(cellen met minder dan {fmt.k} en afgeschermde cellen niet getoond)"
    figure.legend(
        handles=handles, title=title, loc="lower center", ncols=len(handles), frameon=False,
        fontsize=7, title_fontsize=7,
    )  # fmt: skip


def gemeente_map_svg(
    boundary: BaseGeometry | None, cells: Sequence[Cell], size: int, fmt: Formatter
) -> str:
    """One gemeente: its boundary and its grid cells."""
    classes = count_classes(fmt)
    width, height = 16 * CM, 13 * CM
    with _figure(16, 13) as figure:
        box = (0.05 * CM, 0.12 * height, width - 0.1 * CM, 0.88 * height - 0.05 * CM)
        palette = _draw(figure, box, boundary, cells, size, fmt, classes)
        _legend(figure, palette, classes, fmt, size)
        return data_uri(figure)


def gemeente_maps_svg(
    panels: Sequence[tuple[str, BaseGeometry | None, Sequence[Cell]]],
    size: int,
    fmt: Formatter,
    columns: int = 3,
) -> str:
    """Several gemeenten side by side, each on its own scale (the national hotspot map)."""
    classes = count_classes(fmt)
    rows = max(1, -(-len(panels) // columns))
    width, height = 17 * CM, (5.2 * rows + 1.5) * CM
    cell_w, cell_h = (width - 0.2 * CM) / columns, 5.2 * CM
    title_h, gap = 0.55 * CM, 0.15 * CM
    with _figure(17, 5.2 * rows + 1.5) as figure:
        palette = None
        for number, (title, boundary, cells) in enumerate(panels):
            row, column = divmod(number, columns)
            left = 0.1 * CM + column * cell_w
            top = height - 0.1 * CM - row * cell_h
            box = (left + gap, top - cell_h + gap, cell_w - 2 * gap, cell_h - title_h - gap)
            palette = _draw(figure, box, boundary, cells, size, fmt, classes)
            figure.text(
                (left + cell_w / 2) / width, (top - 0.1 * CM) / height, title,
                fontsize=8, fontweight="bold", ha="center", va="top",
            )  # fmt: skip
        if palette is not None:
            _legend(figure, palette, classes, fmt, size)
        return data_uri(figure)
