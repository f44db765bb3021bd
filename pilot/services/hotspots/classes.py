"""The one count-class scheme of every hotspot map and table (web, PDF, hotspot table).

Classes by upper bound; the first starts at 1 for the gemeente's own coordinator and at
k for everyone else, for whom a count below k is ``<k`` and has no class (its cell is
drawn grey on the web map and not at all in a report). The colours are dark enough for
3:1 against white and against the light basemap.
"""

from dataclasses import dataclass

UPPER = (9, 24, 49, 99, None)
COLOURS = ("#d95f0e", "#b3400b", "#8c2a08", "#5e1a05", "#300b01")
SUPPRESSED = "#bdbdbd"


@dataclass(frozen=True)
class CountClass:
    lower: int
    upper: int | None
    colour: str

    @property
    def label(self) -> str:
        return f"{self.lower} of meer" if self.upper is None else f"{self.lower}–{self.upper}"


def count_classes(k: int, exact: bool) -> list[CountClass]:
    """The classes as a viewer sees them (see the module docstring)."""
    result, lower = [], 1 if exact else k
    for upper, colour in zip(UPPER, COLOURS, strict=True):
        result.append(CountClass(lower, upper, colour))
        lower = (upper or 0) + 1
    return result


def class_of(count: int | None, classes: list[CountClass]) -> CountClass | None:
    """The class of an exact count (None for no count or one below the first class)."""
    if count is None:
        return None
    for item in classes:
        if count >= item.lower and (item.upper is None or count <= item.upper):
            return item
    return None
