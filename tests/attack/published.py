"""Every published figure under one key, and the checks that the outputs agree.

A figure is a cell (table, unit, period and codes, as the tabellen CSV names it) and
the text an output prints for it. Labels: a number is exact (0 included); ``<k`` is
1..k-1; ``×`` states nothing but, since the reports say that 0 is always written as 0,
at least 1; ``—`` is not a figure. The same cell in two outputs must carry the same
label; where they differ the attacker keeps the most it learns and the difference is a
defect.
"""

import math
import re
from dataclasses import dataclass, field
from typing import NamedTuple

SMALL = re.compile(r"^<(\d+)$")
NUMBER = re.compile(r"^(\d+|\d{1,3}(\.\d{3})+)$")  # the CSV writes 1402, a PDF 1.402
HIDDEN = "×"
NOT_SHOWN = "—"
MAP = "kaart_500m"
EXCLUDED = "incidenten"  # a gemeente-quarter left out of every figure: only its "<k"
ALL = "ALL"
SPINE = "afdoening"  # the table whose grand total is a unit's number of incidents


# The code axes of each table, in the order the tabellen CSV names them ("codes" column:
# "afdoening=proces_verbaal|kleding=ALL|leeftijd=ALL|aanraking=ALL"); a code axis left out is
# at its total.
AXES: dict[str, tuple[str, ...]] = {
    "afdoening": ("afdoening", "kleding", "leeftijd", "aanraking"),
    "locatie_type": ("locatie_type",),
    "kennisname": ("kennisname",),
    "rol_boa": ("rol_boa",),
    "gedraging": ("gedraging",),
    "weekdag_tijdvak": ("weekdag", "tijdvak"),
    "kwaliteit": ("kwaliteit",),
    "slachtoffer": ("slachtoffer",),
    "politie": ("maat",),
    "boas": ("boas",),
    MAP: ("cel",),
    EXCLUDED: (),
}


class Cell(NamedTuple):
    tabel: str
    eenheid: str
    periode: str
    codes: str = ""  # "axis=code|axis=code", in the order of AXES

    def code(self, axis: str) -> str | None:
        for part in self.codes.split("|") if self.codes else ():
            name, _, value = part.partition("=")
            if name == axis:
                return value
        return None

    def __str__(self) -> str:
        codes = ";".join(part.partition("=")[2] for part in self.codes.split("|") if part)
        return f"{self.tabel}[{self.eenheid} {self.periode}{' ' if codes else ''}{codes}]"


def cell(tabel: str, eenheid: str, periode: str, **codes: str) -> Cell:
    """A cell by its codes; the code axes not named are at their total (ALL)."""
    axes = AXES.get(tabel, tuple(codes))
    unknown = set(codes) - set(axes)
    if unknown:
        raise ValueError(f"{tabel} has no code axis {unknown}")
    return Cell(tabel, eenheid, periode, "|".join(f"{a}={codes.get(a, ALL)}" for a in axes))


def canonical(tabel: str, eenheid: str, periode: str, codes: str) -> Cell:
    """A cell as the CSV names it, with its axes in the order of AXES."""
    pairs = dict(part.partition("=")[::2] for part in codes.split("|") if part)
    if tabel in AXES and set(pairs) <= set(AXES[tabel]):
        return cell(tabel, eenheid, periode, **pairs)
    return Cell(tabel, eenheid, periode, codes)


@dataclass(frozen=True)
class Label:
    """What an output states about a cell (a number without its thousands separator)."""

    text: str

    def __post_init__(self) -> None:
        if NUMBER.match(self.text):
            object.__setattr__(self, "text", self.text.replace(".", ""))

    @property
    def exact(self) -> int | None:
        return int(self.text.replace(".", "")) if NUMBER.match(self.text) else None

    @property
    def small_k(self) -> int | None:
        match = SMALL.match(self.text)
        return int(match.group(1)) if match else None

    @property
    def hidden(self) -> bool:
        return self.text == HIDDEN

    @property
    def is_figure(self) -> bool:
        return self.exact is not None or self.small_k is not None or self.hidden

    def bounds(self) -> tuple[float, float]:
        """The range the label states (for ``×``: at least 1, since 0 is written as 0)."""
        if (value := self.exact) is not None:
            return value, value
        if (k := self.small_k) is not None:
            return 1, k - 1
        if self.hidden:
            return 1, math.inf
        return 0, math.inf


@dataclass(frozen=True)
class Figure:
    """One figure as one output prints it."""

    cell: Cell
    label: Label
    source: str


@dataclass
class Published:
    """Every figure the role got, merged per cell, and what did not agree."""

    labels: dict[Cell, Label] = field(default_factory=dict)
    sources: dict[Cell, set[str]] = field(default_factory=dict)
    defects: list[str] = field(default_factory=list)

    def add(self, figure: Figure) -> None:
        if not figure.label.is_figure:
            return
        cell, label = figure.cell, figure.label
        known = self.labels.get(cell)
        self.sources.setdefault(cell, set()).add(figure.source.split(":")[0])
        if known is None:
            self.labels[cell] = label
            return
        if known != label:
            self.defects.append(
                f"{cell}: {figure.source} prints {label.text!r}, another output {known.text!r}"
            )
            low = max(known.bounds()[0], label.bounds()[0])
            high = min(known.bounds()[1], label.bounds()[1])
            if low == high:
                self.labels[cell] = Label(str(int(low)))

    def k(self) -> int:
        """The threshold the outputs state (the ``<k`` they print)."""
        ks = {label.small_k for label in self.labels.values() if label.small_k}
        if len(ks) > 1:
            self.defects.append(f"the outputs state different thresholds: {sorted(ks)}")
        return min(ks) if ks else 5

    def hidden(self) -> list[Cell]:
        return [c for c, label in self.labels.items() if label.exact is None]


def merge(figures: list[Figure]) -> Published:
    published = Published()
    for figure in figures:
        published.add(figure)
    return published
