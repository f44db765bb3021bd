"""How far can each hidden cell be narrowed? Min and max of every target with HiGHS.

The program splits into independent parts once the exact figures are constants (the
tables mostly meet in their exact totals); each part is one HiGHS model whose objective
is changed per target. The first solve of a part uses presolve and the dual simplex; the
following ones the primal simplex from the previous basis (a changed objective keeps the
basis feasible: a few iterations, milliseconds). Every solution is a table consistent with
everything published, so it witnesses a value for every target at once: a target whose
witnessed values already span what its label allows (1 and k-1 for ``<k``; two integers
for ``×``) needs no solve of its own. Bulk solves (minimise, then maximise, the sum of the
targets still open) settle most targets before the single ones.

Counts are integers, so an attacker rounds the LP bounds inward: a cell whose range holds
one integer is recovered exactly. (The LP is a relaxation of the integer problem: the
integer range can only be narrower. The integer program is not solved.)

Findings: a ``×`` cell recovered exactly; a ``<k`` cell whose range is narrower than
1..k-1; a leaf cell no output shows (for instance one gemeente-quarter's reprimandes in
uniform) proven to be a small count (1..k-1) more precisely than ``<k`` would say. Each
finding carries the relations that bound it (the rows with a non-zero dual value at the
attacker's optimum, and the cells held at a bound).
"""

import math
import time
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy.sparse import coo_array

from tests.attack.published import Cell, Label
from tests.attack.relations import Program, Row, Target

EPS = 1e-6
BULK_ROUNDS = 6
MINIMISE, MAXIMISE = highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize


@dataclass(frozen=True)
class Finding:
    cell: Cell
    label: str | None  # as published; None: shown nowhere
    low: float
    high: float
    why: tuple[str, ...] = ()  # the relations and bounds that pin it (LP duals)

    @property
    def range(self) -> tuple[float, float]:
        return _integer_range(self.low, self.high)

    @property
    def kind(self) -> str:
        low, high = self.range
        return "exact" if low == high else "narrowed"

    def __str__(self) -> str:
        low, high = self.range
        shown = f"shown as {self.label!r}" if self.label else "shown nowhere"
        value = f"= {low}" if low == high else f"in {low}..{high}"
        return f"{self.cell} ({shown}): the attacker proves it {value}"


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    targets: int = 0
    hidden: int = 0  # targets shown as <k or ×
    variables: int = 0
    rows: int = 0
    parts: int = 0
    largest: int = 0
    solves: int = 0
    seconds: float = 0.0


def _integer_range(low: float, high: float) -> tuple[float, float]:
    """The integers inside an LP range (infinite ends stay; no witness yet: an empty range)."""
    low = math.ceil(low - EPS) if math.isfinite(low) else low
    return low, math.floor(high + EPS) if math.isfinite(high) else high


def _safe(target: Target, k: int, low: float, high: float) -> bool:
    """Whether a range tells the attacker no more than the target's label."""
    lo, hi = _integer_range(low, high)
    label = target.label
    if label is not None and label.small_k is not None:
        return lo <= 1 and hi >= k - 1
    if label is not None:  # ×: states nothing, must not be pinned
        return lo < hi
    return lo <= 0 or hi >= k or (lo <= 1 and hi >= k - 1)


def _inf(value: float) -> float:
    if value == math.inf:
        return highspy.kHighsInf
    return -highspy.kHighsInf if value == -math.inf else value


class _Part:
    """One independent part of the program, as a HiGHS model."""

    def __init__(self, columns: list[int], rows: list[tuple[Row, float]], program: Program):
        self.columns, self.rows = columns, rows
        position = {c: i for i, c in enumerate(columns)}
        data, row_ids, col_ids = [], [], []
        for r, (row, _constant) in enumerate(rows):
            for c, coefficient in row.terms.items():
                if c in position:
                    data.append(coefficient)
                    row_ids.append(r)
                    col_ids.append(position[c])
        n = len(columns)
        matrix = coo_array((data, (row_ids, col_ids)), shape=(len(rows), n)).tocsc()
        model = highspy.HighsLp()
        model.num_col_, model.num_row_ = n, len(rows)
        model.col_cost_ = np.zeros(n)
        model.col_lower_ = np.array([program.lower[c] for c in columns], dtype=float)
        model.col_upper_ = np.array([_inf(program.upper[c]) for c in columns], dtype=float)
        model.row_lower_ = np.array([_inf(row.low - const) for row, const in rows], dtype=float)
        model.row_upper_ = np.array([_inf(row.high - const) for row, const in rows], dtype=float)
        model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        model.a_matrix_.start_ = matrix.indptr
        model.a_matrix_.index_ = matrix.indices
        model.a_matrix_.value_ = matrix.data.astype(float)
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.passModel(model)
        self.costs = np.zeros(n)
        self.solves = 0

    def solve(self, costs: np.ndarray, sense) -> tuple[str, float, np.ndarray | None]:
        changed = np.nonzero(costs != self.costs)[0].astype(np.int32)
        if changed.size:
            self.highs.changeColsCost(changed.size, changed, costs[changed])
            self.costs = costs.copy()
        self.highs.changeObjectiveSense(sense)
        self.highs.run()
        if self.solves == 0:  # from now on: warm starts from the basis
            self.highs.setOptionValue("presolve", "off")
            self.highs.setOptionValue("simplex_strategy", 4)  # primal
        self.solves += 1
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            x = np.array(self.highs.getSolution().col_value)
            return "optimal", self.highs.getInfo().objective_function_value, x
        if status in (
            highspy.HighsModelStatus.kUnbounded,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return "unbounded", math.inf, None
        return self.highs.modelStatusToString(status), math.nan, None

    def why(self, program: Program, cells: list[Cell]) -> list[str]:
        """The rows and column bounds that hold the last optimum (non-zero duals)."""
        solution = self.highs.getSolution()
        reasons = []
        for r, dual in enumerate(solution.row_dual):
            if abs(dual) > EPS:
                row = self.rows[r][0]
                terms = " + ".join(
                    f"{'' if v == 1 else '-' if v == -1 else f'{v:g}·'}{_show(program, cells, c)}"
                    for c, v in row.terms.items()
                )
                reasons.append(f"{row.kind}: {terms} in [{row.low:g}, {row.high:g}]")
        for i, dual in enumerate(solution.col_dual):
            if abs(dual) > EPS:
                c = self.columns[i]
                bounds = f"[{program.lower[c]:g}, {program.upper[c]:g}]"
                reasons.append(f"bound: {_show(program, cells, c)} in {bounds}")
        return reasons


def _show(program: Program, cells: list[Cell], column: int) -> str:
    lo, hi = program.lower[column], program.upper[column]
    value = f"={lo:g}" if lo == hi else ""
    return f"{cells[column]}{value}"


def _parts(program: Program) -> tuple[list[tuple[list[int], list]], list[str]]:
    """Independent parts (columns, rows): columns joined by rows, after the fixed columns
    became constants. Rows of constants only are checked against the published figures."""
    fixed = [lo == hi for lo, hi in zip(program.lower, program.upper, strict=True)]
    parent = list(range(len(program.lower)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rows, errors = [], []
    cells = None
    for row in program.rows:
        free = [c for c in row.terms if not fixed[c]]
        constant = sum(v * program.lower[c] for c, v in row.terms.items() if fixed[c])
        if not free:
            if not row.low - EPS <= constant <= row.high + EPS:
                cells = cells or program.cell_of()
                shown = [str(cells[c]) for c in row.terms]
                errors.append(
                    f"published figures break a relation ({row.kind}): "
                    f"{row.low:g} <= {constant:g} <= {row.high:g} over {shown[:6]}"
                )
            continue
        for c in free[1:]:
            parent[find(c)] = find(free[0])
        rows.append((row, constant, free[0]))
    parts: dict[int, tuple[list[int], list]] = {}
    for i in range(len(parent)):
        if not fixed[i]:
            parts.setdefault(find(i), ([], []))[0].append(i)
    for row, constant, first in rows:
        parts[find(first)][1].append((row, constant))
    return list(parts.values()), errors


def attack(program: Program, k: int) -> Result:
    """Min and max of every target over all tables consistent with the publication."""
    started = time.perf_counter()
    result = Result(targets=len(program.targets), variables=len(program.lower))
    result.rows = len(program.rows)
    result.hidden = sum(1 for t in program.targets.values() if t.label is not None)
    parts, result.errors = _parts(program)
    for column, target in program.targets.items():
        low = program.lower[column]
        if low == program.upper[column] and not _safe(target, k, low, low):
            label = target.label.text if target.label else None
            result.findings.append(Finding(target.cell, label, low, low, ("its own label",)))
    cells = program.cell_of()
    for columns, rows in parts:
        targets = [c for c in columns if c in program.targets]
        if not targets:
            continue
        result.parts += 1
        result.largest = max(result.largest, len(columns))
        _attack_part(program, k, columns, rows, targets, result, cells)
    result.seconds = time.perf_counter() - started
    return result


def _attack_part(program, k, columns, rows, targets, result: Result, cells) -> None:
    if not rows:  # no relation: each target is only what its own label says
        for t in targets:
            target = program.targets[t]
            if not _safe(target, k, program.lower[t], program.upper[t]):
                label = target.label.text if target.label else None
                finding = Finding(target.cell, label, program.lower[t], program.upper[t])
                result.findings.append(finding)
        return
    part = _Part(columns, rows, program)
    position = {c: i for i, c in enumerate(columns)}
    where = np.array([position[t] for t in targets])
    low = np.full(len(targets), math.inf)
    high = np.full(len(targets), -math.inf)
    n = len(columns)

    def witness(x: np.ndarray | None) -> None:
        if x is not None:
            np.minimum(low, x[where], out=low)
            np.maximum(high, x[where], out=high)

    def open_targets() -> list[int]:
        return [
            j for j, t in enumerate(targets) if not _safe(program.targets[t], k, low[j], high[j])
        ]

    def solve(costs: np.ndarray, sense) -> tuple[str, float] | None:
        status, value, x = part.solve(costs, sense)
        if status not in ("optimal", "unbounded"):
            result.errors.append(f"the attacker's LP is {status} near {cells[targets[0]]}")
            return None
        witness(x)
        return status, value

    waiting = open_targets()
    for _ in range(BULK_ROUNDS):
        if not waiting:
            break
        costs = np.zeros(n)
        costs[where[waiting]] = 1
        if solve(costs, MINIMISE) is None or solve(costs, MAXIMISE) is None:
            result.solves += part.solves
            return
        still = open_targets()
        progress = len(waiting) - len(still)
        waiting = still
        if progress < max(2, len(waiting) // 20):
            break
    for j in waiting:
        target = program.targets[targets[j]]
        if _safe(target, k, low[j], high[j]):
            continue
        costs = np.zeros(n)
        costs[where[j]] = 1
        extremes, why = [], []
        for sense in (MINIMISE, MAXIMISE):
            solved = solve(costs, sense)
            if solved is None:
                break
            extremes.append(solved[1])
            why += part.why(program, cells)
            if _safe(target, k, low[j], high[j]):
                break
        else:
            if not _safe(target, k, *extremes):
                label = target.label.text if target.label else None
                finding = Finding(target.cell, label, *extremes, tuple(dict.fromkeys(why)))
                result.findings.append(finding)
    result.solves += part.solves


def recovered(labels: dict[Cell, Label], findings: list[Finding]) -> list[Finding]:
    """The findings whose cell some output shows (``<k`` or ``×``)."""
    return [f for f in findings if f.cell in labels]
