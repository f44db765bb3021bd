"""The attacker's linear program: how far can each suppressed cell be narrowed?

An outsider who knows every published cell of a lattice, the bounds that the labels
state (``<k`` is 1..k-1, ``×`` is at least k, every count is at least 0 and at most its
total) and every sum relation between the cells, can bound each suppressed cell by
minimising and maximising it over all tables that agree with what was published. This
module solves those linear programs with HiGHS (highspy: one model, the objective changed per
cell, so each solve starts from the previous basis). It is
the independent check of ``hypercube.protect``: protection holds when every primary cell
can still reach 1 and k-1 and no suppressed cell is fixed to one value.
"""

from dataclasses import dataclass

import highspy
import numpy as np
from scipy.sparse import coo_array

from pilot.services.disclosure.lattice import INFINITY, Lattice, Status


@dataclass(frozen=True)
class Finding:
    cell: tuple[str, ...]
    value: int
    status: Status
    low: float
    high: float


def _relations(lattice: Lattice, index: np.ndarray):
    """Rows of ``aggregate - sum(leaves) = 0`` over every axis, as (cell ids, coefficients)."""
    rows = []
    for position, axis in enumerate(lattice.axes):
        for node in range(axis.leaf_count, len(axis)):
            leaves = sorted(axis.members[node])
            moved = np.moveaxis(index, position, 0)
            totals = moved[node].ravel()
            parts = moved[leaves].reshape(len(leaves), -1)
            for column in range(totals.size):
                rows.append(([totals[column], *parts[:, column]], [1, *([-1] * len(leaves))]))
    return rows


def findings(lattice: Lattice, k: int, hidden: bool = False) -> list[Finding]:
    """Every suppressed cell an outsider can narrow: exactly, or a primary below 1..k-1.

    With ``hidden`` also every cell that no output shows but whose small value (1..k-1)
    the published cells would pin down exactly (a cross-table cell, for instance).
    """
    lower, upper = lattice.bounds(k)
    index = np.arange(lattice.values.size).reshape(lattice.shape)
    values, status = lattice.values.ravel(), lattice.status.ravel()
    check = np.isin(status, SUPPRESSED)
    if hidden:
        check |= (status == Status.HIDDEN) & (values > 0) & (values < k)
    narrowed = _narrowed(
        values, status, lower.ravel(), upper.ravel(), _relations(lattice, index), check, k,
        lattice.name,
    )  # fmt: skip
    return [
        Finding(_keys(lattice, np.unravel_index(cell, lattice.shape)), int(values[cell]),
                Status(status[cell]), low, high)
        for cell, low, high in narrowed
    ]  # fmt: skip


def linked_findings(
    lattices: list[Lattice], links: list[tuple[int, tuple[int, ...], int, tuple[int, ...]]], k: int
) -> list[Finding]:
    """``findings`` over several lattices at once, with cells that are the same count.

    ``links`` holds (lattice, cell, other lattice, other cell): equal counts that an outsider
    can read in both. Checks that protecting linked lattices one after the other (``Link``
    in ``publication.py``) gives nothing away that the lattices together would.
    """
    offsets = np.cumsum([0, *(lattice.values.size for lattice in lattices)])
    values = np.concatenate([lattice.values.ravel() for lattice in lattices])
    status = np.concatenate([lattice.status.ravel() for lattice in lattices])
    bounds = [lattice.bounds(k) for lattice in lattices]
    lower = np.concatenate([low.ravel() for low, _ in bounds])
    upper = np.concatenate([high.ravel() for _, high in bounds])
    relations = []
    for offset, lattice in zip(offsets, lattices, strict=False):
        index = np.arange(lattice.values.size).reshape(lattice.shape) + offset
        relations += _relations(lattice, index)
    for a, cell_a, b, cell_b in links:
        first = offsets[a] + np.ravel_multi_index(cell_a, lattices[a].shape)
        second = offsets[b] + np.ravel_multi_index(cell_b, lattices[b].shape)
        relations.append(([first, second], [1, -1]))
    check = np.isin(status, SUPPRESSED)
    result = []
    for cell, low, high in _narrowed(values, status, lower, upper, relations, check, k, "linked"):
        which = int(np.searchsorted(offsets, cell, side="right") - 1)
        lattice = lattices[which]
        keys = _keys(lattice, np.unravel_index(cell - offsets[which], lattice.shape))
        result.append(
            Finding((lattice.name, *keys), int(values[cell]), Status(status[cell]), low, high)
        )
    return result


SUPPRESSED = (Status.PRIMARY, Status.SECONDARY, Status.MASKED)


def _keys(lattice: Lattice, position) -> tuple[str, ...]:
    return tuple(axis.nodes[i] for axis, i in zip(lattice.axes, position, strict=True))


def _narrowed(
    values: np.ndarray,
    status: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    relations: list,
    check: np.ndarray,
    k: int,
    name: str,
) -> list[tuple[int, float, float]]:
    """(cell, min, max) of every checked cell an outsider can narrow, over all tables that
    keep the sum ``relations`` and the bounds (flat cell ids; exact cells are constants)."""
    unknown = status != Status.EXACT
    variable_of = np.full(values.size, -1)
    variable_of[unknown] = np.arange(int(unknown.sum()))
    data, row_ids, col_ids, rhs = [], [], [], []
    for cells, coefficients in relations:
        constant, row, used = 0, len(rhs), False
        for cell, coefficient in zip(cells, coefficients, strict=True):
            if variable_of[cell] < 0:
                constant += coefficient * values[cell]
            else:
                data.append(coefficient)
                row_ids.append(row)
                col_ids.append(variable_of[cell])
                used = True
        if used:
            rhs.append(-constant)
    n = int(unknown.sum())
    if n == 0:
        return []
    matrix = coo_array((data, (row_ids, col_ids)), shape=(len(rhs), n)).tocsc()
    high_bounds = upper[unknown].astype(float)
    high_bounds[high_bounds >= INFINITY] = highspy.kHighsInf
    solver = _solver(matrix, np.array(rhs, dtype=float), lower[unknown].astype(float), high_bounds)
    result, previous = [], None
    for cell in np.nonzero(unknown & check)[0]:
        column = int(variable_of[cell])
        if previous is not None:
            solver.changeColCost(previous, 0.0)
        solver.changeColCost(column, 1.0)
        previous = column
        extremes = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            solver.changeObjectiveSense(sense)
            solver.run()
            if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                raise RuntimeError(f"{name}: attacker LP failed: {solver.getModelStatus()}")
            extremes.append(solver.getInfo().objective_function_value)
        low, high = extremes
        narrowed = high - low < 0.5
        if status[cell] == Status.PRIMARY:
            narrowed = narrowed or low > 1 + 1e-6 or high < k - 1 - 1e-6
        if narrowed:
            result.append((int(cell), low, high))
    return result


def _solver(matrix, rhs: np.ndarray, low: np.ndarray, high: np.ndarray) -> highspy.Highs:
    """A HiGHS model: equality rows ``matrix @ x = rhs`` and column bounds, zero objective."""
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = matrix.shape[1], matrix.shape[0]
    model.col_cost_ = np.zeros(matrix.shape[1])
    model.col_lower_, model.col_upper_ = low, high
    model.row_lower_, model.row_upper_ = rhs, rhs
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = matrix.indptr
    model.a_matrix_.index_ = matrix.indices
    model.a_matrix_.value_ = matrix.data.astype(float)
    solver.passModel(model)
    return solver
