"""Static hotspot maps (matplotlib, SVG): boundary, grid cells, scale bar, optional basemap.

Cells are coloured in the count classes of ``classes.py``, the same as on the web map. In
an outsider's report the cells come from the protected publication: a cell shown as
``<k`` or ``×`` there is not drawn at all, and the legend says so. A light basemap
(``basemap.py``) is laid under the cells when it could be fetched at build time.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from pilot.services.disclosure.labels import Formatter
from pilot.services.hotspots.basemap import Basemap
from pilot.services.hotspots.classes import CountClass, class_of, count_classes
from pilot.services.reports.charts import CM, _figure, data_uri

if TYPE_CHECKING:
    from matplotlib.path import Path

Cell = tuple[int, int, int]
Box = tuple[float, float, float, float]
SCALE_STEPS = (250, 500, 1000, 2000, 5000, 10000)


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


def _draw(figure, box: Box, boundary, cells: Sequence[Cell], size: int, fmt, classes, basemap):
    """Draw one map into ``box`` (inches) of ``figure``, scaled to fit with equal aspect.

    Artists are placed on the figure itself with one affine transform per map: no axes,
    ticks or data-limit bookkeeping, which is most of matplotlib's time for a map. The
    cells are rasterized (one small embedded PNG instead of thousands of SVG squares, which
    weasyprint would otherwise draw one by one); boundary, titles and legend stay vector.
    The basemap, when there is one, is an image in an axes of exactly the map's extent.
    """
    from matplotlib.patches import PathPatch
    from matplotlib.transforms import Affine2D

    by_class: dict[int, list[tuple[int, int]]] = {}
    for x, y, n in cells:
        found = class_of(fmt.number(n), classes)
        if found is not None:
            by_class.setdefault(classes.index(found), []).append((x, y))
    extent = _extent(boundary, [(x, y) for members in by_class.values() for x, y in members], size)
    if extent is None:
        return
    minx, miny, maxx, maxy = extent
    left, bottom, width, height = box
    scale = min(width / max(maxx - minx, 1), height / max(maxy - miny, 1))
    offset_x = left + (width - (maxx - minx) * scale) / 2
    offset_y = bottom + (height - (maxy - miny) * scale) / 2
    if basemap is not None:
        _draw_basemap(figure, basemap, extent, (offset_x, offset_y), scale)
    transform = (
        Affine2D().translate(-minx, -miny).scale(scale).translate(offset_x, offset_y)
        + figure.dpi_scale_trans
    )
    for index, members in sorted(by_class.items()):
        patch = PathPatch(
            _cells_path(members, size), facecolor=classes[index].colour, lw=0, alpha=0.85,
            rasterized=True,
        )  # fmt: skip
        figure.add_artist(patch).set_transform(transform)
    if boundary is not None:
        outline = PathPatch(_boundary_path(boundary), fill=False, edgecolor="#333333", lw=0.7)
        figure.add_artist(outline).set_transform(transform)
    _scale_bar(figure, (offset_x, offset_y), scale, maxx - minx)


def _draw_basemap(figure, basemap: Basemap, extent, origin, scale: float) -> None:
    """The tiles in an axes placed exactly over the map's extent (inches → figure fraction)."""
    minx, miny, maxx, maxy = extent
    fig_w, fig_h = figure.get_size_inches()
    ax = figure.add_axes(
        (origin[0] / fig_w, origin[1] / fig_h, (maxx - minx) * scale / fig_w,
         (maxy - miny) * scale / fig_h),
        zorder=-1,
    )  # fmt: skip
    ax.imshow(basemap.image, extent=basemap.extent, interpolation="bilinear", rasterized=True)
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_axis_off()


def _scale_bar(figure, origin, scale: float, width_m: float) -> None:
    """A bar of a round length (about a fifth of the map) at the map's lower left."""
    from matplotlib.lines import Line2D

    length = max([step for step in SCALE_STEPS if step <= width_m / 4] or [SCALE_STEPS[0]])
    x0, y0 = origin[0] + 0.08, origin[1] + 0.08
    x1 = x0 + length * scale
    transform = figure.dpi_scale_trans
    for colour, width in (("white", 3.2), ("#1a1a1a", 1.4)):
        figure.add_artist(
            Line2D([x0, x1], [y0, y0], color=colour, lw=width, transform=transform,
                   solid_capstyle="butt")
        )  # fmt: skip
    label = f"{length // 1000} km" if length >= 1000 else f"{length} m"
    figure.text(
        (x0 + x1) / 2, y0 + 0.04, label, transform=transform, ha="center", va="bottom",
        fontsize=6.5, bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.8},
    )  # fmt: skip


def _extent(boundary, corners: Sequence[tuple[int, int]], size: int):
    if boundary is not None:
        return boundary.bounds
    if not corners:
        return None
    xs = [x for x, _ in corners]
    ys = [y for _, y in corners]
    return min(xs), min(ys), max(xs) + size, max(ys) + size


def _legend(figure, classes: list[CountClass], fmt: Formatter, size: int) -> None:
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=item.colour, label=item.label) for item in classes]
    title = f"Incidenten per cel van {size} × {size} m"
    if fmt.actief:
        title += f"\n(cellen met minder dan {fmt.k} en afgeschermde cellen niet getoond)"
    figure.legend(
        handles=handles, title=title, loc="lower center", ncols=len(handles), frameon=False,
        fontsize=7, title_fontsize=7,
    )  # fmt: skip


def gemeente_map_svg(
    boundary: BaseGeometry | None,
    cells: Sequence[Cell],
    size: int,
    fmt: Formatter,
    basemap: Basemap | None = None,
) -> str:
    """One gemeente: its boundary and its grid cells."""
    classes = count_classes(fmt.k, exact=not fmt.actief)
    width, height = 16 * CM, 13 * CM
    with _figure(16, 13) as figure:
        box = (0.05 * CM, 0.12 * height, width - 0.1 * CM, 0.88 * height - 0.05 * CM)
        _draw(figure, box, boundary, cells, size, fmt, classes, basemap)
        _legend(figure, classes, fmt, size)
        return data_uri(figure)


def gemeente_maps_svg(
    panels: Sequence[tuple[str, BaseGeometry | None, Sequence[Cell]]],
    size: int,
    fmt: Formatter,
    columns: int = 3,
    basemaps: Sequence[Basemap | None] | None = None,
) -> str:
    """Several gemeenten side by side, each on its own scale (the national hotspot map)."""
    classes = count_classes(fmt.k, exact=not fmt.actief)
    rows = max(1, -(-len(panels) // columns))
    width, height = 17 * CM, (5.2 * rows + 1.5) * CM
    cell_w, cell_h = (width - 0.2 * CM) / columns, 5.2 * CM
    title_h, gap = 0.55 * CM, 0.15 * CM
    basemaps = basemaps or [None] * len(panels)
    with _figure(17, 5.2 * rows + 1.5) as figure:
        for number, (title, boundary, cells) in enumerate(panels):
            row, column = divmod(number, columns)
            left = 0.1 * CM + column * cell_w
            top = height - 0.1 * CM - row * cell_h
            box = (left + gap, top - cell_h + gap, cell_w - 2 * gap, cell_h - title_h - gap)
            _draw(figure, box, boundary, cells, size, fmt, classes, basemaps[number])
            figure.text(
                (left + cell_w / 2) / width, (top - 0.1 * CM) / height, title,
                fontsize=8, fontweight="bold", ha="center", va="top",
            )  # fmt: skip
        if panels:
            _legend(figure, classes, fmt, size)
        return data_uri(figure)


def map_bounds(boundary: BaseGeometry | None, cells: Sequence[Cell], size: int):
    """The extent a map of this boundary and these cells will show (for its basemap)."""
    return _extent(boundary, [(x, y) for x, y, _ in cells], size)
