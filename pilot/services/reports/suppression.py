"""Small-count suppression: one formatter every number of a report goes through.

Outside the gemeente (evaluator, beheerder, ministerie, and always in the aggregate report)
a count from 1 to k-1 is shown as ``<k``; zero stays zero. A rate whose numerator is
suppressed is not shown, since it would reveal the count.
"""

from dataclasses import dataclass

from pilot.templating import getal


@dataclass(frozen=True)
class Suppression:
    k: int
    actief: bool

    def verborgen(self, value: int | None) -> bool:
        return self.actief and value is not None and 0 < value < self.k

    def n(self, value: int | None) -> str:
        """A count as text: exact, or ``<k`` when suppressed."""
        if value is None:
            return "—"
        if self.verborgen(value):
            return f"<{self.k}"
        return getal(value)

    def zichtbaar(self, value: int) -> int:
        """A count for drawing: suppressed counts are drawn as zero (and labelled ``<k``)."""
        return 0 if self.verborgen(value) else value

    def rate(self, value: int | None, noemer: float | None, per: float, decimals: int = 1) -> str:
        """``value`` per ``per`` units of ``noemer``; hidden when ``value`` is suppressed."""
        if value is None or not noemer:
            return "—"
        if self.verborgen(value):
            return "—"
        return getal(value / noemer * per, decimals)
