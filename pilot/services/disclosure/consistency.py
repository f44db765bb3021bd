"""What record-level data must blank so that it cannot undo the published tables' protection.

Every row of the evaluation dataset lies in one leaf of every lattice of the outsider
publication (``publication.py``): its gemeente, its quarter and its codes (or, for the
maps, its 500 m cell). Counting rows is adding leaves, so a dataset that showed every
value would give back every suppressed cell. Two rules make the dataset say no more about
a lattice than the publication does:

1. **Nothing suppressed can be counted.** A variable is blank in every row whose leaf
   lies in a suppressed cell (PRIMARY, SECONDARY or MASKED) of its gemeente and quarter:
   the code's cell for a one-way table, the margins for a two-way table (and the second
   variable where an offered interior cell is suppressed). A multiple-response variable
   (a conduct bit, the late-registration flag) is blank in *every* row of that gemeente
   and quarter: blanking only the rows that have the bit would count them. A location is
   blank in every row of a suppressed 500 m map cell. Monthly police figures sum to the
   protected gemeente-quarter figures: a suppressed figure blanks its measure in every
   month of that quarter.
2. **The certificates stay valid.** Secondary suppression (``hypercube.py``) proves each
   hidden cell's range by a move: add δ to some leaves and take it from others, so that
   every published figure stays the same. The dataset keeps that proof when the move
   only relabels rows that look the same in the dataset: per gemeente and quarter, the
   leaves a move raises and lowers must show the same (partly blank) values. Where they
   do not (a two-way table whose interior the publication does not offer, such as
   weekday × time band per quarter), both variables are blanked in the moved leaves, until
   every move relabels only look-alike rows.

With both rules, every table an outsider can compute from the dataset agrees with every
certificate, so the attacker's linear program over the publication plus the dataset
bounds every suppressed cell exactly as widely as the publication alone. Blanks only
grow under later coarsening or local suppression (``microdata.py``), which keeps both
rules true.
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from pilot.quarters import quarter_of
from pilot.services.disclosure.lattice import Lattice, Status
from pilot.services.disclosure.publication import (
    ALL,
    MAP_CELL_M,
    POLITIE,
    Publication,
    _month_in_pilot,
    breakdowns,
)

SUPPRESSED = (Status.PRIMARY, Status.SECONDARY, Status.MASKED)


def _suppressed(status: np.ndarray) -> np.ndarray:
    return np.isin(status, SUPPRESSED)


def _leaf_slice(lattice: Lattice) -> tuple[slice, ...]:
    return tuple(slice(0, axis.leaf_count) for axis in lattice.axes)


def _single_blanks(lattice: Lattice) -> np.ndarray:
    """Rule 1 for single-choice tables: per leaf and code axis, blank or not.

    Every offered cell of a gemeente and quarter is a code or the total on each code axis.
    When it is suppressed, every leaf under it must blank at least one of the cell's
    codes: the last one, unless one is blank already. Cells with fewer codes (the
    margins) go first, so a two-way cell uses the blanks its margins already made.
    """
    status, offered = lattice.status, lattice.offered
    units, times = lattice.axes[0].leaf_count, lattice.axes[1].leaf_count
    code_axes = lattice.axes[2:]
    leaf_shape = (units, times, *(a.leaf_count for a in code_axes))
    blank = np.zeros((*leaf_shape, len(code_axes)), dtype=bool)
    nodes = [
        [*range(a.leaf_count), a.index(ALL)] if ALL in a.nodes else list(range(a.leaf_count))
        for a in code_axes
    ]
    cells = sorted(
        itertools.product(*nodes),
        key=lambda cell: sum(not a.is_leaf(n) for a, n in zip(code_axes, cell, strict=True)),
        reverse=True,
    )
    for cell in cells:
        split = [
            a for a, (axis, n) in enumerate(zip(code_axes, cell, strict=True)) if axis.is_leaf(n)
        ]
        if not split:
            continue
        hit = _suppressed(status[:units, :times][(slice(None), slice(None), *cell)])
        hit &= offered[:units, :times][(slice(None), slice(None), *cell)]
        if not hit.any():
            continue
        under = [slice(None), slice(None)] + [
            slice(n, n + 1) if axis.is_leaf(n) else slice(None)
            for axis, n in zip(code_axes, cell, strict=True)
        ]
        region = blank[tuple(under)]
        shown = ~region[..., split].any(axis=-1)
        mask = hit.reshape(hit.shape + (1,) * len(code_axes)) & shown
        region[..., split[-1]] |= mask
    return blank


def _pattern(blank: np.ndarray, shows: np.ndarray, leaf: tuple[int, ...]) -> tuple[int, ...]:
    """What a row of ``leaf`` shows of its variables: ``shows[leaf]``, or -1 where blank."""
    return tuple(-1 if b else int(v) for b, v in zip(blank[leaf], shows[leaf], strict=True))


def _balanced(blank: np.ndarray, shows: np.ndarray, move: list) -> bool:
    """Whether the move takes from and gives to rows that show the same values."""
    balance: dict[tuple[int, ...], int] = {}
    for cell, weight in move:
        pattern = _pattern(blank, shows, cell)
        balance[pattern] = balance.get(pattern, 0) + weight
    return not any(balance.values())


def _balance(blank: np.ndarray, shows: np.ndarray, move: list) -> None:
    """Blank the fewest variables in the moved leaves that balance the move: one variable
    (the last first: kleding before afdoening, tijdvak before weekdag), else all."""
    axes = blank.shape[-1]
    for choice in [*([a] for a in reversed(range(axes))), list(range(axes))]:
        saved = {cell: blank[cell].copy() for cell, _ in move}
        for cell, _ in move:
            blank[cell][choice] = True
        if _balanced(blank, shows, move):
            return
        for cell, values in saved.items():
            blank[cell] = values
    raise ValueError("a certificate changes the number of rows of a gemeente and quarter")


def _settle(
    lattice: Lattice, blank: np.ndarray, directions, shows: np.ndarray, slice_axes: int = 2
) -> None:
    """Rule 2: blank moved leaves until every certificate relabels look-alike rows only.

    ``blank`` and ``shows`` have the leaf shape plus one axis for the variables: whether
    the variable is blank, and what a row of the leaf shows when it is not. A certificate
    is checked per slice (its first ``slice_axes`` axes: gemeente and quarter).
    """
    leaf_counts = [axis.leaf_count for axis in lattice.axes]
    moves = []
    for direction in directions:
        by_slice: dict[tuple[int, ...], list] = {}
        for cell, weight in zip(direction.cells, direction.weights, strict=True):
            if all(i < n for i, n in zip(cell, leaf_counts, strict=True)):
                by_slice.setdefault(cell[:slice_axes], []).append((cell, weight))
        moves.extend(by_slice.values())
    changed = True
    while changed:
        changed = False
        for move in moves:
            if not _balanced(blank, shows, move):
                _balance(blank, shows, move)
                changed = True


def _leaf_codes(blank: np.ndarray) -> np.ndarray:
    """For a breakdown: every leaf shows its own code indices."""
    grids = np.indices(blank.shape[:-1])
    return np.stack(grids[2:], axis=-1)


@dataclass
class Blanking:
    """Which values the dataset blanks, per breakdown leaf and per map cell (see above)."""

    publication: Publication
    single: dict[str, np.ndarray] = field(default_factory=dict)
    multiple: dict[str, np.ndarray] = field(default_factory=dict)
    locations: dict[tuple[str, int], np.ndarray] = field(default_factory=dict)

    def _slices(self, lattice: Lattice, cbs: Sequence[str], quarters: Sequence[str]):
        units, times = lattice.axes[0], lattice.axes[1]
        return (
            np.array([units.index(c) for c in cbs], dtype=np.int64),
            np.array([times.index(q) for q in quarters], dtype=np.int64),
        )

    def breakdown(
        self,
        name: str,
        cbs: Sequence[str],
        quarters: Sequence[str],
        codes: dict[str, Sequence[str]] | None = None,
    ) -> dict[str, np.ndarray]:
        """Per variable of breakdown ``name``: which of the given rows show it blank.

        Single-choice breakdowns are keyed by axis name and need the rows' ``codes``
        (axis name → codes); multiple-response breakdowns are keyed by code (one 0/1
        variable per code) and need only the gemeente and quarter.
        """
        lattice = self.publication.lattices[name]
        g, q = self._slices(lattice, cbs, quarters)
        tables = {b.name: b for b in (*breakdowns(), POLITIE)}  # the publication's codebook
        axes = tables[name].axes
        if name in self.multiple:
            blank = self.multiple[name]
            return {code: blank[g, q, i] for i, code in enumerate(axes[0].codes)}
        blank = self.single[name]
        index = [g, q]
        for axis, code_axis in zip(axes, lattice.axes[2:], strict=True):
            values = (codes or {})[axis.name]
            index.append(np.array([code_axis.index(str(v)) for v in values], dtype=np.int64))
        rows = blank[tuple(index)]
        return {axis.name: rows[:, a] for a, axis in enumerate(axes)}

    def police(self, cbs: Sequence[str], months: Sequence[date]) -> tuple[np.ndarray, dict]:
        """Monthly police figures: which rows the publication counts (a completed quarter
        inside the gemeente's pilot period), and per measure which of those are blank
        (every month of a suppressed gemeente-quarter figure: the months sum to it)."""
        lattice = self.publication.lattices[POLITIE.name]
        units, times = lattice.axes[:2]
        gemeenten = {g.cbs_code: g for g in self.publication.gemeenten}
        quarters = [quarter_of(month).code for month in months]
        keep = np.array(
            [
                code in gemeenten
                and quarter in times.nodes[: times.leaf_count]
                and _month_in_pilot(gemeenten[code], month)
                and bool(lattice.offered[units.index(code), times.index(quarter)].any())
                for code, quarter, month in zip(cbs, quarters, months, strict=True)
            ],
            dtype=bool,
        )
        kept_cbs = [c for c, k in zip(cbs, keep, strict=True) if k]
        kept_quarters = [q for q, k in zip(quarters, keep, strict=True) if k]
        return keep, self.breakdown(POLITIE.name, kept_cbs, kept_quarters)

    def location(
        self,
        cbs: Sequence[str],
        quarters: Sequence[str],
        cell_x: Sequence[int],
        cell_y: Sequence[int],
        size: int = MAP_CELL_M,
    ) -> np.ndarray:
        """Which rows show no location when it is given as a cell of ``size`` m: the rows
        are given by their 500 m cell (south-west corner in RD, m) on their gemeente's
        map of their quarter.

        At 500 m or finer a row in a suppressed map cell is blank (rule 1). A coarser cell
        is a sum of map cells, so only rule 2 applies: rows are blanked where a
        certificate moves counts between map cells that lie in different coarse cells.
        """
        result = np.ones(len(cbs), dtype=bool)
        for i, (code, quarter, x, y) in enumerate(zip(cbs, quarters, cell_x, cell_y, strict=True)):
            lattice = self.publication.maps.get(code)
            if lattice is None:
                continue
            blank = self._location_blanks(code, size)
            times, cells = lattice.axes
            key = f"{int(x)}:{int(y)}"
            if quarter in times.nodes and key in cells.nodes:
                result[i] = blank[times.index(quarter), cells.index(key)]
        return result

    def _location_blanks(self, code: str, size: int) -> np.ndarray:
        if (code, size) in self.locations:
            return self.locations[code, size]
        lattice = self.publication.maps[code]
        times, cells = lattice.axes
        leaves = lattice.status[: times.leaf_count, : cells.leaf_count]
        hidden = leaves != Status.EXACT
        directions = self.publication.certificates.get(lattice.name, [])
        if size <= MAP_CELL_M or (hidden & ~_suppressed(leaves)).any():
            blank = hidden  # finer cells nest in the map's; a withheld map has no proofs
        else:
            coarse = [
                tuple(int(part) // size for part in key.split(":"))
                for key in cells.nodes[: cells.leaf_count]
            ]
            index = np.array([coarse.index(c) for c in coarse], dtype=np.int64)
            blank = np.zeros((*leaves.shape, 1), dtype=bool)
            shows = np.broadcast_to(index, leaves.shape)[..., None]
            _settle(lattice, blank, directions, shows, slice_axes=1)
            blank = blank[..., 0]
        self.locations[code, size] = blank
        return blank


def blanking(publication: Publication) -> Blanking:
    """Work out the blanks (rules 1 and 2) for every breakdown and map of ``publication``."""
    result = Blanking(publication)
    for breakdown in [*breakdowns(), POLITIE]:
        name = breakdown.name
        lattice = publication.lattices[name]
        leaves = lattice.status[_leaf_slice(lattice)]
        if not breakdown.axes[0].single:
            blank = _suppressed(leaves)
            if name in publication.withheld:
                blank[:] = True
            result.multiple[name] = blank
            continue
        blank = _single_blanks(lattice)
        if name in publication.withheld:
            blank[:] = True
        directions = publication.certificates.get(lattice.name, [])
        _settle(lattice, blank, directions, _leaf_codes(blank))
        result.single[name] = blank
    return result
