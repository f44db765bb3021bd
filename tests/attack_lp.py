"""The attacker's linear program over a published lattice *plus* record-level data.

Written for the tests, independently of ``pilot.services.disclosure.consistency``: the
attacker knows every published cell (exact values, ``<k`` ranges, hidden cells' bounds),
that every cell is the sum of the leaf cells below it, and, from the dataset, how many
rows of each slice (gemeente and quarter, or quarter of one map) show each pattern of
values. A row of leaf ``l`` can show pattern ``p`` when ``p`` agrees with ``l`` wherever
it is not blank. For every suppressed cell the LP gives the range an attacker can prove.

The unknowns are the leaf cells (every other cell is a sum of them, so a cell's bounds
are a row over its leaves) and, per slice, how many rows of each group of leaves show
each pattern. A cell nothing is known of beyond ``0..∞`` adds no row: its leaves are
non-negative already. This is the same polytope as one variable per cell with a sum
relation per aggregate, projected onto the leaves, with far fewer unknowns.
"""

import itertools
from collections import Counter
from collections.abc import Callable

import highspy
import numpy as np
from scipy.sparse import coo_array

from pilot.services.disclosure.lattice import INFINITY, Lattice, Status

SUPPRESSED = (Status.PRIMARY, Status.SECONDARY, Status.MASKED)


class _Program:
    """Columns with bounds and rows with bounds, built up and handed to HiGHS once."""

    def __init__(self, low: np.ndarray, high: np.ndarray) -> None:
        self.low, self.high = list(low.astype(float)), list(high.astype(float))
        self.entries: list[tuple[np.ndarray, np.ndarray]] = []
        self.row_low: list[float] = []
        self.row_high: list[float] = []

    def columns(self, lows: list[float], highs: list[float]) -> list[int]:
        first = len(self.low)
        self.low.extend(lows)
        self.high.extend(highs)
        return list(range(first, len(self.low)))

    def row(self, columns, coefficients, low: float, high: float) -> None:
        self.entries.append((np.asarray(columns, dtype=np.int64), np.asarray(coefficients)))
        self.row_low.append(low)
        self.row_high.append(high)

    def solver(self) -> highspy.Highs:
        n = len(self.low)
        rows = np.concatenate([np.full(len(c), r) for r, (c, _) in enumerate(self.entries)])
        columns = np.concatenate([c for c, _ in self.entries])
        data = np.concatenate([d for _, d in self.entries]).astype(float)
        matrix = coo_array((data, (rows, columns)), shape=(len(self.entries), n)).tocsc()

        def finite(values: list[float]) -> np.ndarray:
            array = np.array(values, dtype=float)
            return np.where(array >= INFINITY, highspy.kHighsInf, array)

        model = highspy.HighsLp()
        model.num_col_, model.num_row_ = n, len(self.entries)
        model.col_cost_ = np.zeros(n)
        model.col_lower_, model.col_upper_ = np.array(self.low), finite(self.high)
        model.row_lower_, model.row_upper_ = np.array(self.row_low), finite(self.row_high)
        model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        model.a_matrix_.start_ = matrix.indptr
        model.a_matrix_.index_ = matrix.indices
        model.a_matrix_.value_ = matrix.data
        solver = highspy.Highs()
        solver.setOptionValue("output_flag", False)
        solver.passModel(model)
        return solver


def _leaves_below(lattice: Lattice, leaf_index: np.ndarray, cell: tuple[int, ...]) -> np.ndarray:
    below = [sorted(axis.members[node]) for axis, node in zip(lattice.axes, cell, strict=True)]
    return leaf_index[np.ix_(*below)].ravel()


def _implied(lattice: Lattice, lower: np.ndarray, upper: np.ndarray, slice_axes: int) -> np.ndarray:
    """Hidden cells whose only bound, ``0..u``, follows from their slice's total.

    A breakdown cell is at most its gemeente-quarter's total; that total is the cell with
    every code axis at its root (all leaves), and its own row bounds all cells below it.
    """
    roots = []
    for axis in lattice.axes[slice_axes:]:
        everything = frozenset(range(axis.leaf_count))
        root = [i for i, members in enumerate(axis.members) if members == everything]
        if not root:
            return np.zeros(lattice.shape, dtype=bool)
        roots.append(root[0])
    corner = (slice(None),) * slice_axes + tuple(roots)
    total = upper[corner].reshape(upper[corner].shape + (1,) * len(roots))
    implied = (lattice.status == Status.HIDDEN) & (lower == 0) & (total <= upper)
    implied[corner] = False
    return implied


def _add_patterns(
    program: _Program,
    leaf_index: np.ndarray,
    observed: dict[tuple[int, ...], Counter],
    compatible: Callable[[tuple[int, ...], tuple], bool],
    code_ranges: list[range],
) -> None:
    """Per slice: the rows of each pattern are spread over the leaves the pattern fits."""
    combos = list(itertools.product(*code_ranges))
    for slice_key, patterns in observed.items():
        fits = {p: [c for c in combos if compatible(c, p)] for p in patterns}
        # A pattern only one leaf can show is part of that leaf's count for certain.
        fixed: Counter = Counter()
        for pattern, leaves in fits.items():
            if len(leaves) == 1:
                fixed[leaves[0]] += patterns[pattern]
        open_patterns = [p for p, leaves in fits.items() if len(leaves) > 1]
        # Leaves the same patterns fit are interchangeable for the rows: one variable per
        # (such group of leaves, pattern) gives every cell the same range as a variable
        # per (leaf, pattern) (a transportation problem's sources with the same
        # neighbours merge), with far fewer columns.
        signature: dict[tuple[int, ...], list] = {c: [] for c in combos}
        for pattern in open_patterns:
            for codes in fits[pattern]:
                signature[codes].append(pattern)
        groups: dict[tuple, list[tuple[int, ...]]] = {}
        for codes in combos:
            groups.setdefault(tuple(signature[codes]), []).append(codes)
        per_pattern: dict[tuple, list[int]] = {p: [] for p in open_patterns}
        for fitting, members in groups.items():
            leaves = [int(leaf_index[(*slice_key, *codes)]) for codes in members]
            for leaf, codes in zip(leaves, members, strict=True):
                program.low[leaf] = max(program.low[leaf], float(fixed[codes]))
            constant = float(sum(fixed[codes] for codes in members))
            if not fitting:  # no row can be of these leaves but the fixed ones
                for leaf, codes in zip(leaves, members, strict=True):
                    program.high[leaf] = min(program.high[leaf], float(fixed[codes]))
                continue
            ys = program.columns([0.0] * len(fitting), [float(patterns[p]) for p in fitting])
            for pattern, y in zip(fitting, ys, strict=True):
                per_pattern[pattern].append(y)
            program.row([*leaves, *ys], [1.0] * len(leaves) + [-1.0] * len(ys), constant, constant)
        for pattern in open_patterns:
            ys = per_pattern[pattern]
            count = float(patterns[pattern])
            program.row(ys, [1.0] * len(ys), count, count)


def narrowed(
    lattice: Lattice,
    k: int,
    observed: dict[tuple[int, ...], Counter],
    compatible: Callable[[tuple[int, ...], tuple], bool],
    slice_axes: int = 2,
    leaf_bounds: dict[tuple[int, ...], tuple[int, int]] | None = None,
) -> list[tuple[tuple[str, ...], int, float, float]]:
    """Suppressed cells the attacker can narrow: exactly, or a primary inside 1..k-1.

    ``observed`` maps a slice (its leading leaf indices) to the pattern counts of its
    rows; ``compatible(codes, pattern)`` says whether a row of the leaf with those code
    indices can show the pattern. ``leaf_bounds`` adds known bounds on leaf cells.
    """
    lower, upper = lattice.bounds(k)
    for cell, (a, b) in (leaf_bounds or {}).items():
        lower[cell] = max(lower[cell], a)
        upper[cell] = min(upper[cell], b)
    leaf_shape = tuple(axis.leaf_count for axis in lattice.axes)
    leaf_index = np.arange(int(np.prod(leaf_shape))).reshape(leaf_shape)
    at_leaves = tuple(slice(0, n) for n in leaf_shape)
    program = _Program(lower[at_leaves].ravel(), upper[at_leaves].ravel())
    is_leaf = np.ones(lattice.shape, dtype=bool)
    for position, axis in enumerate(lattice.axes):
        shape = [1] * len(lattice.shape)
        shape[position] = len(axis.nodes)
        is_leaf &= (np.arange(len(axis.nodes)) < axis.leaf_count).reshape(shape)
    known = ((lower > 0) | (upper < INFINITY)) & ~is_leaf
    known &= ~_implied(lattice, lower, upper, slice_axes)
    for cell in zip(*np.nonzero(known), strict=True):
        leaves = _leaves_below(lattice, leaf_index, cell)
        program.row(leaves, np.ones(len(leaves)), float(lower[cell]), float(upper[cell]))
    code_ranges = [range(n) for n in leaf_shape[slice_axes:]]
    _add_patterns(program, leaf_index, observed, compatible, code_ranges)
    solver = program.solver()
    leaf_count = leaf_index.size
    status = lattice.status
    cells = list(zip(*np.nonzero(np.isin(status, SUPPRESSED)), strict=True))
    # Every solve gives a feasible table; a cell whose values across the tables seen so
    # far already span its range needs no solves of its own.
    seen_low = np.full(lattice.shape, np.inf)
    seen_high = np.full(lattice.shape, -np.inf)

    def spans(cell: tuple[int, ...]) -> bool:
        if status[cell] == Status.PRIMARY:
            return seen_low[cell] <= 1 + 1e-6 and seen_high[cell] >= k - 1 - 1e-6
        return seen_high[cell] - seen_low[cell] >= 0.5

    def solve(joint: bool = False) -> float | None:
        solver.run()
        if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            # a warm start that ends in numerical trouble ("Unknown"): solve afresh
            solver.clearSolver()
            solver.run()
        model_status = solver.getModelStatus()
        if joint and model_status != highspy.HighsModelStatus.kOptimal:
            return None  # some cell is unbounded: the single solves will say which
        assert model_status == highspy.HighsModelStatus.kOptimal, (
            lattice.name,
            solver.modelStatusToString(model_status),
        )
        solution = np.array(solver.getSolution().col_value)[:leaf_count]
        table = solution.reshape(leaf_shape)
        for position, axis in enumerate(lattice.axes):
            summed = np.tensordot(axis.membership, table, ([1], [position]))
            table = np.moveaxis(summed, 0, position)
        np.minimum(seen_low, table, out=seen_low)
        np.maximum(seen_high, table, out=seen_high)
        return solver.getInfo().objective_function_value

    def cost(columns: np.ndarray, weights: np.ndarray) -> None:
        solver.changeColsCost(len(columns), columns.astype(np.int32), weights.astype(float))

    everything = np.arange(leaf_count)
    # Two solves that push every suppressed cell down, then up, at once: most cells span
    # their range over these two tables and need no solves of their own.
    if cells:
        weight = np.zeros(leaf_count)
        for cell in cells:
            weight[_leaves_below(lattice, leaf_index, cell)] += 1.0
        cost(everything, weight)
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            solver.changeObjectiveSense(sense)
            solve(joint=True)
    found = []
    values = lattice.values
    for cell in cells:
        if spans(cell):
            continue
        weight = np.zeros(leaf_count)
        weight[_leaves_below(lattice, leaf_index, cell)] = 1.0
        cost(everything, weight)
        extremes = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            solver.changeObjectiveSense(sense)
            extremes.append(solve())
        a, b = extremes
        bad = b - a < 0.5
        if status[cell] == Status.PRIMARY:
            bad = bad or a > 1 + 1e-6 or b < k - 1 - 1e-6
        if bad:
            keys = tuple(axis.nodes[i] for axis, i in zip(lattice.axes, cell, strict=True))
            found.append((keys, int(values[cell]), a, b))
    return found
