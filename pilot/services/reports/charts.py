"""Charts as SVG (matplotlib, Agg): values are written on the bars through the suppression
formatter and value axes carry no small tick numbers, so a suppressed count cannot be read
back from a chart. Output is reproducible (fixed ``svg.hashsalt``, no date metadata).
"""

import base64
import io
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from pilot.services.disclosure.labels import Formatter

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAANDEN = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
BLAUW = "#01689b"
ORANJE = "#e17000"
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "pilot429ter",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
}
CM = 1 / 2.54
# Resolution of the layers drawn with ``rasterized=True`` (the map cells); the rest stays vector.
RASTER_DPI = 150


def _matplotlib():
    """matplotlib with the Agg backend, imported on first use (it costs ~0.5 s)."""
    import matplotlib

    matplotlib.use("Agg")
    return matplotlib


@contextmanager
def _figure(width_cm: float, height_cm: float) -> Iterator["Figure"]:
    from matplotlib.figure import Figure

    with _matplotlib().rc_context(RC):
        yield Figure(figsize=(width_cm * CM, height_cm * CM))


def data_uri(figure: "Figure") -> str:
    """The figure as an SVG data URI for an ``<img>`` (no timestamp, fixed ids).

    Every figure lays itself out with fixed margins: ``bbox_inches="tight"`` and
    ``tight_layout`` each cost a full extra draw of the figure.
    """
    buffer = io.BytesIO()
    with _matplotlib().rc_context(RC):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, dpi=RASTER_DPI)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def month_label(year: int, month: int) -> str:
    return f"{MAANDEN[month - 1]} {year % 100:02d}"


def _no_value_axis(ax, horizontal: bool) -> None:
    axis = ax.xaxis if horizontal else ax.yaxis
    axis.set_visible(False)
    ax.spines["bottom" if horizontal else "left"].set_visible(False)


def bar_chart(
    labels: Sequence[str], values: Sequence[int], fmt: Formatter, width_cm: float = 16
) -> str:
    """Horizontal bars with their value written beside each bar (largest first as given)."""
    height = 0.5 + 0.65 * len(labels) + 0.3 * sum(len(label) > 30 for label in labels)
    with _figure(width_cm, height) as figure:
        figure.subplots_adjust(left=0.3, right=0.92, top=1 - 0.2 / height, bottom=0.2 / height)
        ax = figure.subplots()
        positions = list(range(len(labels)))[::-1]
        bars = ax.barh(positions, [fmt.zichtbaar(v) for v in values], color=BLAUW, height=0.65)
        ax.set_yticks(positions, [textwrap.fill(label, 30) for label in labels])
        ax.tick_params(axis="y", length=0)
        ax.bar_label(bars, labels=[fmt.n(v) for v in values], padding=2, fontsize=7)
        ax.set_xlim(0, max([fmt.zichtbaar(v) for v in values] + [1]) * 1.08)
        ax.set_ylim(-0.6, len(labels) - 0.4)
        _no_value_axis(ax, horizontal=True)
        return data_uri(figure)


def monthly_chart(months: Sequence[tuple[int, int]], values: Sequence[int], fmt: Formatter) -> str:
    """Monthly bars with the value above each bar."""
    return period_chart([month_label(*m) for m in months], values, fmt)


def period_chart(labels: Sequence[str], values: Sequence, fmt: Formatter) -> str:
    """One bar per period (month or quarter) with its value, or its mark, above it."""
    with _figure(17, 6.5) as figure:
        figure.subplots_adjust(left=0.02, right=0.99, top=0.97, bottom=0.2)
        ax = figure.subplots()
        positions = list(range(len(labels)))
        bars = ax.bar(positions, [fmt.zichtbaar(v) for v in values], color=BLAUW, width=0.7)
        fontsize = 7 if len(labels) <= 24 else 5.5
        ax.bar_label(bars, labels=[fmt.n(v) for v in values], padding=1.5, fontsize=fontsize)
        ax.set_xticks(positions, list(labels), rotation=90, fontsize=fontsize)
        ax.set_ylim(0, max([fmt.zichtbaar(v) for v in values] + [1]) * 1.18)
        ax.set_xlim(-0.7, max(len(labels), 1) - 0.3)
        _no_value_axis(ax, horizontal=False)
        return data_uri(figure)


def grouped_bar_chart(
    groups: Sequence[str],
    series: dict[str, Sequence[int]],
    fmt: Formatter,
    width_cm: float = 16,
) -> str:
    """Grouped vertical bars (for example incidents and PV's, uniform against in burger)."""
    colors = (BLAUW, ORANJE, "#6f6f6f")
    with _figure(width_cm, 6.5) as figure:
        figure.subplots_adjust(left=0.02, right=0.98, top=0.97, bottom=0.1)
        ax = figure.subplots()
        width = 0.8 / max(len(series), 1)
        top = 1
        for index, (name, values) in enumerate(series.items()):
            positions = [g + (index - (len(series) - 1) / 2) * width for g in range(len(groups))]
            shown = [fmt.zichtbaar(v) for v in values]
            top = max([top, *shown])
            bars = ax.bar(positions, shown, width * 0.95, label=name, color=colors[index % 3])
            ax.bar_label(bars, labels=[fmt.n(v) for v in values], padding=1.5, fontsize=7)
        ax.set_xticks(range(len(groups)), groups)
        ax.set_ylim(0, top * 1.2)
        ax.legend(frameon=False, loc="upper right")
        _no_value_axis(ax, horizontal=False)
        return data_uri(figure)


def small_multiples(
    panels: Sequence[tuple[str, Sequence[int]]],
    fmt: Formatter,
    columns: int = 2,
    unit: str = "maanden sinds start",
    step: int = 6,
) -> str:
    """Small multiples: incidents per month since each gemeente's start, one panel each.

    Suppressed months are drawn at zero; the value axis only has ticks at 0 and at values of
    at least k, so no tick reads as a small count.
    """
    from matplotlib.ticker import FixedLocator, MaxNLocator, MultipleLocator

    rows = max(1, -(-len(panels) // columns))
    height = 3.6 * rows
    with _figure(17, height) as figure:
        axes = figure.subplots(rows, columns, squeeze=False)
        for ax in axes.flat[len(panels) :]:
            ax.set_visible(False)
        for ax, (title, values) in zip(axes.flat, panels, strict=False):
            shown = [fmt.zichtbaar(v) for v in values]
            ax.stairs(shown, range(len(shown) + 1), fill=True, color=BLAUW)  # one path per panel
            ax.set_title(title, loc="left")
            top = max([*shown, fmt.k if fmt.actief else 1])
            ticks = [t for t in MaxNLocator(3, integer=True).tick_values(0, top) if 0 <= t <= top]
            if fmt.actief:
                ticks = [t for t in ticks if t == 0 or t >= fmt.k]
            ax.yaxis.set_major_locator(FixedLocator(ticks))
            ax.set_ylim(0, top * 1.1)
            ax.xaxis.set_major_locator(MultipleLocator(step))
            ax.set_xlabel(unit, fontsize=7)
            ax.tick_params(labelsize=7)
        figure.subplots_adjust(
            left=0.07, right=0.99, top=1 - 0.55 / height, bottom=0.9 / height, hspace=0.95,
            wspace=0.15,
        )  # fmt: skip
        return data_uri(figure)
