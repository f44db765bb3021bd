"""matplotlib (Agg) set-up for the static hotspot maps (``hotspots/figure.py``) and the
month labels of the report charts; the bar charts themselves are ``svg.py``, shared with
the dashboards. Output is reproducible (fixed ``svg.hashsalt``, no date metadata).
"""

import base64
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

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
