"""The attacker's linear program over a published lattice *plus* record-level data.

Written for the tests, independently of ``pilot.services.disclosure.consistency``: the
attacker knows every published cell (exact values, ``<k`` ranges, hidden cells' bounds),
every sum relation of the lattice, and, from the dataset, how many rows of each slice
(gemeente and quarter, or quarter of one map) show each pattern of values. A row of leaf
``l`` can show pattern ``p`` when ``p`` agrees with ``l`` wherever it is not blank. The
unknowns are the hidden cells and, per slice, how many rows of each leaf show each
pattern. For every suppressed cell the LP gives the range an attacker can prove.
"""

import itertools
from collections import Counter
from collections.abc import Callable

import highspy
import numpy as np
from scipy.sparse import coo_array

from pilot.services.disclosure.lattice import INFINITY, Lattice, Status

SUPPRESSED = (Status.PRIMARY, Status.SECONDARY, Status.MASKED)


def _relations(lattice: Lattice, index: np.ndarray):
    for position, axis in enumerate(lattice.axes):
        moved = np.moveaxis(index, position, 0)
        for node in range(axis.leaf_count, len(axis)):
            leaves = sorted(axis.members[node])
            totals = moved[node].ravel()
            parts = moved[leaves].reshape(len(leaves), -1)
            for column in range(totals.size):
                yield [int(totals[column]), *map(int, parts[:, column])], [1, *[-1] * len(leaves)]


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
    values = lattice.values.ravel()
    index = np.arange(values.size).reshape(lattice.shape)
    unknown = (lattice.status != Status.EXACT).ravel()
    variable = np.full(values.size, -1)
    variable[unknown] = np.arange(int(unknown.sum()))
    low = list(lower.ravel()[unknown].astype(float))
    high = list(upper.ravel()[unknown].astype(float))
    for cell, (a, b) in (leaf_bounds or {}).items():
        flat = int(index[cell])
        if variable[flat] >= 0:
            low[variable[flat]] = max(low[variable[flat]], a)
            high[variable[flat]] = min(high[variable[flat]], b)
    rows: list[tuple[list[int], list[float], float]] = []

    def add(
        cells: list[int], coefficients: list[float], extra: list[tuple[int, float]], rhs: float
    ):
        columns, data = [], []
        constant = 0.0
        for cell, coefficient in zip(cells, coefficients, strict=True):
            if variable[cell] < 0:
                constant += coefficient * values[cell]
            else:
                columns.append(int(variable[cell]))
                data.append(coefficient)
        for column, coefficient in extra:
            columns.append(column)
            data.append(coefficient)
        rows.append((columns, data, rhs - constant))

    for cells, coefficients in _relations(lattice, index):
        add(cells, coefficients, [], 0.0)
    n = len(low)
    leaf_counts = [axis.leaf_count for axis in lattice.axes]
    code_ranges = [range(c) for c in leaf_counts[slice_axes:]]
    combos = list(itertools.product(*code_ranges))
    for slice_key, patterns in observed.items():
        # A pattern only one leaf can show is that leaf's count: a constant, no variable.
        fits = {p: [c for c in combos if compatible(c, p)] for p in patterns}
        fixed: Counter = Counter()
        for pattern, leaves in fits.items():
            if len(leaves) == 1:
                fixed[leaves[0]] += patterns[pattern]
        open_patterns = [p for p, leaves in fits.items() if len(leaves) > 1]
        # Leaves the same patterns fit are interchangeable for the rows: one variable per
        # (such group of leaves, pattern) and one row per group give the same range for
        # every cell as a variable per (leaf, pattern) (a transportation problem whose
        # sources have the same neighbours can merge them), with far fewer columns.
        signature: dict[tuple[int, ...], list] = {c: [] for c in combos}
        for pattern in open_patterns:
            for codes in fits[pattern]:
                signature[codes].append(pattern)
        groups: dict[tuple, list[tuple[int, ...]]] = {}
        for codes in combos:
            groups.setdefault(tuple(signature[codes]), []).append(codes)
        per_pattern: dict[tuple, list[int]] = {p: [] for p in open_patterns}
        for fitting, members in groups.items():
            cells = [int(index[(*slice_key, *codes)]) for codes in members]
            if not fitting:  # no row can be of these leaves but the fixed ones
                for cell, codes in zip(cells, members, strict=True):
                    add([cell], [1.0], [], float(fixed[codes]))
                continue
            for cell, codes in zip(cells, members, strict=True):
                if fixed[codes] and variable[cell] >= 0:
                    low[variable[cell]] = max(low[variable[cell]], float(fixed[codes]))
            columns = list(range(n, n + len(fitting)))
            low.extend([0.0] * len(fitting))
            high.extend(float(patterns[p]) for p in fitting)
            for pattern, y in zip(fitting, columns, strict=True):
                per_pattern[pattern].append(y)
            n += len(fitting)
            constant = float(sum(fixed[codes] for codes in members))
            add(cells, [1.0] * len(cells), [(y, -1.0) for y in columns], constant)
        for pattern in open_patterns:
            add([], [], [(y, 1.0) for y in per_pattern[pattern]], float(patterns[pattern]))
    matrix = coo_array(
        (
            [d for _, data, _ in rows for d in data],
            (
                [r for r, (columns, _, _) in enumerate(rows) for _ in columns],
                [c for columns, _, _ in rows for c in columns],
            ),
        ),
        shape=(len(rows), n),
    ).tocsc()
    rhs = np.array([r for _, _, r in rows])
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = n, len(rows)
    model.col_cost_ = np.zeros(n)
    model.col_lower_ = np.array(low)
    model.col_upper_ = np.where(np.array(high) >= INFINITY, highspy.kHighsInf, np.array(high))
    model.row_lower_, model.row_upper_ = rhs, rhs
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = matrix.indptr
    model.a_matrix_.index_ = matrix.indices
    model.a_matrix_.value_ = matrix.data.astype(float)
    solver.passModel(model)
    status = lattice.status.ravel()
    found = []
    previous = None
    # Every solve gives a feasible table; a cell whose values across the tables seen so
    # far already span its range needs no solves of its own.
    seen_low = np.full(n, np.inf)
    seen_high = np.full(n, -np.inf)

    def spans(column: int, primary: bool) -> bool:
        if primary:
            return seen_low[column] <= 1 + 1e-6 and seen_high[column] >= k - 1 - 1e-6
        return seen_high[column] - seen_low[column] >= 0.5

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
        solution = np.array(solver.getSolution().col_value)
        np.minimum(seen_low, solution, out=seen_low)
        np.maximum(seen_high, solution, out=seen_high)
        return solver.getInfo().objective_function_value

    cells = np.nonzero(np.isin(status, SUPPRESSED))[0]
    # Two solves that push every suppressed cell down, then up, at once: most cells span
    # their range over these two tables and need no solves of their own.
    if len(cells):
        together = variable[cells].astype(np.int32)
        solver.changeColsCost(len(together), together, np.ones(len(together)))
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            solver.changeObjectiveSense(sense)
            solve(joint=True)
        solver.changeColsCost(len(together), together, np.zeros(len(together)))
    for cell in cells:
        column = int(variable[cell])
        primary = status[cell] == Status.PRIMARY
        if spans(column, primary):
            continue
        if previous is not None:
            solver.changeColCost(previous, 0.0)
        solver.changeColCost(column, 1.0)
        previous = column
        extremes = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            solver.changeObjectiveSense(sense)
            extremes.append(solve())
        a, b = extremes
        bad = b - a < 0.5
        if primary:
            bad = bad or a > 1 + 1e-6 or b < k - 1 - 1e-6
        if bad:
            keys = tuple(
                axis.nodes[i]
                for axis, i in zip(lattice.axes, np.unravel_index(cell, lattice.shape), strict=True)
            )
            found.append((keys, int(values[cell]), a, b))
    return found
