"""How a protected figure is written: the one formatter for counts everywhere.

A figure is either a plain ``int`` (the gemeente's own coordinator, who sees everything
exactly) or a ``Shown`` from the outsider publication. ``<k`` states the range 1..k-1;
``×`` states nothing (a cell hidden so that no small count can be derived from it); a
rate or share whose numerator is not shown exactly is not shown either, since it would
give the count back.
"""

from dataclasses import dataclass

from pilot.services.disclosure.lattice import Status
from pilot.templating import getal

HIDDEN_MARK = "×"
NOT_SHOWN = "—"


@dataclass(frozen=True)
class Shown:
    """One figure as an outsider gets it: the exact value only when it may be seen."""

    status: Status
    value: int | None
    k: int

    @property
    def exact(self) -> bool:
        return self.status == Status.EXACT

    @property
    def text(self) -> str:
        if self.status == Status.EXACT:
            return getal(self.value)
        if self.status == Status.PRIMARY:
            return f"<{self.k}"
        if self.status == Status.HIDDEN:
            return NOT_SHOWN
        return HIDDEN_MARK

    def __str__(self) -> str:
        return self.text


def shown(status: Status, value: int, k: int) -> Shown:
    """A cell's figure: the value travels only with an EXACT status."""
    return Shown(Status(status), int(value) if status == Status.EXACT else None, k)


@dataclass(frozen=True)
class Formatter:
    """Writes figures for one output: ``exact`` for the gemeente's own coordinator."""

    k: int
    exact: bool

    @property
    def actief(self) -> bool:
        """Whether small counts are being protected in this output."""
        return not self.exact

    def n(self, value: "int | Shown | None") -> str:
        """A count as text."""
        if value is None:
            return NOT_SHOWN
        if isinstance(value, Shown):
            return value.text
        return getal(self._plain(value))

    def number(self, value: "int | Shown | None") -> int | None:
        """The exact value, or None when it is not shown."""
        if isinstance(value, Shown):
            return value.value if value.exact else None
        return None if value is None else self._plain(value)

    def verborgen(self, value: "int | Shown | None") -> bool:
        """Whether a figure is there but not shown (``<k`` or ``×``)."""
        return isinstance(value, Shown) and not value.exact and value.status != Status.HIDDEN

    def _plain(self, value: int) -> int:
        """A bare number is only written for the gemeente's own coordinator (or when 0):
        outsider outputs take figures from the protected publication, never from a query."""
        if not self.exact and value:
            raise TypeError("an outsider output was given an unprotected count")
        return value

    def zichtbaar(self, value: "int | Shown | None") -> int:
        """A count for drawing a bar: hidden counts draw nothing (and are labelled)."""
        return self.number(value) or 0

    def rate(
        self, value: "int | Shown | None", noemer: float | None, per: float, decimals: int = 1
    ) -> str:
        """``value`` per ``per`` units of ``noemer``; not shown unless ``value`` is exact."""
        number = self.number(value)
        if number is None or not noemer:
            return NOT_SHOWN
        return getal(number / noemer * per, decimals)
