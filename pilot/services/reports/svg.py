"""Charts as plain SVG markup, the same for the web pages and the PDF reports.

Written by hand rather than with a plotting library: a few dozen elements per chart,
rendered in microseconds, inline in the page (no ``data:`` image, no script, no style
attribute: a strict content security policy lets it through) and in weasyprint, which
tags an inline ``<svg>`` as a Figure whose alternate text is its ``<title>``.

Every value goes through the disclosure formatter: a bar's length is the exact value or
nothing, its written label is what the formatter writes (``<5``, ``×``, ``—``), so a
suppressed figure is marked as such, never drawn as 0, and no axis has tick values.
Charts that are compared share one scale (``top``).
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from pilot.services.disclosure.labels import Formatter

BLAUW = "#01689b"
ORANJE = "#a84f00"  # darker than the brand orange: 4.5:1 on white for its labels
GRIJS = "#5c5c5c"
COLOURS = (BLAUW, ORANJE, GRIJS)
TEXT = "#1a1a1a"
FONT = 11
_ids = itertools.count(1)


@dataclass(frozen=True)
class Chart:
    """An SVG chart and the sentence that states its values (alt text, data table note)."""

    svg: Markup
    values: str

    def __html__(self) -> str:
        return str(self.svg)


def _ident(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


def values_text(labels: Sequence[str], values: Sequence, fmt: Formatter) -> str:
    """'label value; label value' as the formatter writes the values."""
    return "; ".join(f"{label} {fmt.n(value)}" for label, value in zip(labels, values, strict=True))


def _svg(width: int, height: int, title: str, body: list[str], described_by: str | None) -> Markup:
    ident = _ident("grafiek")
    described = f' aria-describedby="{escape(described_by)}"' if described_by else ""
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{ident}"{described} '
        f'class="grafiek" font-family="DejaVu Sans, sans-serif" font-size="{FONT}">'
        f'<title id="{ident}">{escape(title)}</title>{"".join(body)}</svg>'
    )


def _text(x: float, y: float, text: str, anchor: str = "start", **attrs) -> str:
    extra = "".join(f' {key.replace("_", "-")}="{escape(value)}"' for key, value in attrs.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{TEXT}"{extra}>'
        f"{escape(text)}</text>"
    )


def _rect(x: float, y: float, width: float, height: float, colour: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" '
        f'height="{max(height, 0):.1f}" fill="{colour}"/>'
    )


def _mark(fmt: Formatter, value) -> dict:
    """Written labels of figures that are not shown exactly are set apart in italics."""
    return {} if fmt.number(value) is not None else {"font_style": "italic"}


def hbars(
    labels: Sequence[str],
    series: dict[str, Sequence],
    fmt: Formatter,
    title: str,
    described_by: str | None = None,
    width: int = 640,
    top: int | None = None,
) -> Chart:
    """Horizontal bars, one group per label and one bar per series, values written."""
    names = list(series)
    bar_h, gap = 16, 10
    group_h = bar_h * len(names) + gap
    label_w, value_w = 230, 60
    legend_h = 22 if len(names) > 1 else 0
    height = legend_h + group_h * len(labels) + 4
    plot_w = width - label_w - value_w
    highest = top or max([fmt.zichtbaar(v) for s in series.values() for v in s] + [1])
    body = []
    if len(names) > 1:
        x = label_w
        for index, name in enumerate(names):
            body.append(_rect(x, 4, 12, 12, COLOURS[index % 3]))
            body.append(_text(x + 16, 14, name))
            x += 30 + 7 * len(name)
    for row, label in enumerate(labels):
        y0 = legend_h + row * group_h
        body.append(_text(label_w - 8, y0 + group_h / 2 + 2, _short(label, 36), "end"))
        for index, name in enumerate(names):
            value = series[name][row]
            length = plot_w * fmt.zichtbaar(value) / highest
            y = y0 + index * bar_h
            body.append(_rect(label_w, y + 1, length, bar_h - 3, COLOURS[index % 3]))
            body.append(
                _text(label_w + length + 4, y + bar_h - 4, fmt.n(value), **_mark(fmt, value))
            )
    text = "; ".join(
        f"{label}: " + ", ".join(f"{name} {fmt.n(series[name][row])}" for name in names)
        if len(names) > 1
        else f"{label} {fmt.n(series[names[0]][row])}"
        for row, label in enumerate(labels)
    )
    return Chart(_svg(width, height, f"{title}: {text}.", body, described_by), text)


def columns(
    periods: Sequence[str],
    series: dict[str, Sequence],
    fmt: Formatter,
    title: str,
    described_by: str | None = None,
    top: int | None = None,
    width: int = 640,
    height: int = 190,
) -> Chart:
    """Vertical bars per period (quarter or month), grouped per series, values written above.

    A figure not shown exactly has no bar, only its mark (``<5``, ``×``); a period outside
    the pilot (``None``) is written as ``—``. ``top`` fixes the scale so that panels compare.
    """
    names = list(series)
    label_h, legend_h, head = 30, (18 if len(names) > 1 else 0), 16
    plot_h = height - label_h - legend_h - head
    slot = (width - 8) / max(len(periods), 1)
    bar_w = min(34.0, slot * 0.8 / max(len(names), 1))
    highest = top or max([fmt.zichtbaar(v) for s in series.values() for v in s] + [1])
    body = []
    if len(names) > 1:
        x = 4
        for index, name in enumerate(names):
            body.append(_rect(x, 3, 11, 11, COLOURS[index % 3]))
            body.append(_text(x + 15, 13, name))
            x += 30 + 7 * len(name)
    base = legend_h + head + plot_h
    body.append(f'<line x1="4" x2="{width - 4}" y1="{base}" y2="{base}" stroke="{GRIJS}"/>')
    small = FONT - 2 if slot < 44 else FONT - 1
    for p, period in enumerate(periods):
        centre = 4 + slot * (p + 0.5)
        body.append(_text(centre, base + 14, period, "middle", font_size=str(small)))
        for index, name in enumerate(names):
            value = series[name][p]
            x = centre - bar_w * len(names) / 2 + index * bar_w
            length = plot_h * fmt.zichtbaar(value) / highest if value is not None else 0
            body.append(_rect(x + 1, base - length, bar_w - 2, length, COLOURS[index % 3]))
            label = fmt.n(value) if value is not None else "—"
            body.append(
                _text(x + bar_w / 2, base - length - 3, label, "middle", font_size=str(small),
                      **_mark(fmt, value))
            )  # fmt: skip
    text = "; ".join(
        f"{period}: " + ", ".join(f"{name} {_written(fmt, series[name][p])}" for name in names)
        if len(names) > 1
        else f"{period} {_written(fmt, series[names[0]][p])}"
        for p, period in enumerate(periods)
    )
    return Chart(_svg(width, height, f"{title}: {text}.", body, described_by), text)


def _written(fmt: Formatter, value) -> str:
    return "—" if value is None else fmt.n(value)


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def common_top(fmt: Formatter, *series: Sequence) -> int:
    """The largest shown value over several charts: their one scale."""
    return max([fmt.zichtbaar(v) for values in series for v in values if v is not None] + [1])
