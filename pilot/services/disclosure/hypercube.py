"""Secondary suppression by the hypercube method (Repsilber's GHMITER, as in τ-ARGUS).

For every primary cell we look for a hypercube of leaf cells: per axis either one leaf or
a pair of leaves (one inside the primary's node, one outside), with alternating signs on
the corners. Moving δ units around the cube (+δ on the + corners, −δ on the − corners)
changes the primary cell and leaves every sum that contains both leaves of a pair
unchanged. The cells whose value does change (corners and the aggregates that contain an
odd part of the cube) are exactly the cells an outsider must not see; they are
suppressed. The cube is chosen so that the move is possible both ways within what the
outsider knows of each cell:

* upward by ``k - 1 - v`` (the primary reaches ``k - 1``) and downward by ``v - 1``
  (it reaches 1), so the primary cannot be narrowed below the ``<k`` range;
* every other cell on the cube stays inside its own outsider bounds (a primary within
  1..k-1, a secondary at least k, any cell at most its published total, never below 0).

Such a move is a certificate: a second table, equal in every published cell, in which
the primary takes the other end of its range. Certificates stay valid when more cells
are suppressed later (they only move suppressed cells), so the order of processing does
not weaken earlier protection. Among the feasible cubes the cheapest is chosen: cells
that are already suppressed cost nothing, a new secondary costs 1 plus a small amount
for its size, locked cells (totals that must stay exact) cannot be used.

All candidate cubes of one primary are evaluated at once with tensor contractions, so a
primary costs milliseconds. The linear-programming audit (``audit.py``) checks the
result independently.
"""

import itertools
from dataclasses import dataclass, field

import numpy as np

from pilot.services.disclosure.lattice import Axis, Lattice, Status

CELL_COST = 1.0
SIZE_COST = 1e-3  # per log unit of a new secondary's value: prefer small cells
CORNER_COST = 1e-6  # per changed cell: prefer small cubes among equal costs
LOCKED = 1e9


@dataclass
class Direction:
    """A certificate: cells (as index tuples) and their integer change."""

    cells: list[tuple[int, ...]]
    weights: list[int]


@dataclass
class Protection:
    """What ``protect`` did: the certificates and the primaries it could not protect."""

    directions: list[Direction] = field(default_factory=list)
    unprotected: list[tuple[int, ...]] = field(default_factory=list)


def _axis_options(axis: Axis, node: int):
    """Plus and minus node masks of every option on one axis for a primary at ``node``.

    Options: a single leaf inside the node, or a leaf inside paired with a leaf outside.
    Cached per axis and node: many primaries share them. On a long axis (map cells,
    merged code combinations) there are about as many options as leaves for every node,
    each touching a few nodes, so they are built and kept as sparse matrices: dense, the
    cache of an axis with n leaves grows as n³ (700 MB for 444 map cells).
    """
    cache = axis.__dict__.setdefault("_options", {})
    if node not in cache:
        inside = np.array(sorted(axis.members[node]), dtype=np.int64)
        outside = np.setdiff1d(np.arange(axis.leaf_count), inside)
        if len(axis) > SPARSE_FROM:
            cache[node] = _sparse_options(axis, inside, outside)
        else:
            membership = axis.membership.astype(np.float64)
            single = membership[:, inside].T
            difference = (
                membership[:, inside].T[:, None, :] - membership[:, outside].T[None, :, :]
            ).reshape(-1, len(axis))
            plus = np.concatenate([single, (difference > 0).astype(np.float64)])
            minus = np.concatenate([np.zeros_like(single), (difference < 0).astype(np.float64)])
            cache[node] = (plus, minus)
    return cache[node]


def _sparse_options(axis: Axis, inside: np.ndarray, outside: np.ndarray):
    """``_axis_options`` as CSR matrices, in the same option order."""
    from scipy import sparse

    by_leaf = sparse.csr_array(axis.membership.T.astype(np.float64))
    single = by_leaf[inside]
    difference = (
        by_leaf[np.repeat(inside, len(outside))] - by_leaf[np.tile(outside, len(inside))]
    ).tocsr()
    rising, falling = difference.copy(), difference.copy()
    rising.data = (rising.data > 0).astype(np.float64)
    falling.data = (falling.data < 0).astype(np.float64)
    rising.eliminate_zeros()
    falling.eliminate_zeros()
    plus = sparse.vstack([single, rising], format="csr")
    minus = sparse.vstack([sparse.csr_array(single.shape), falling], format="csr")
    return plus, minus


def _row(matrix, option: int) -> np.ndarray:
    """One option's node mask as a dense vector."""
    from scipy import sparse

    if sparse.issparse(matrix):
        return matrix[[option]].toarray()[0]
    return matrix[option]


SPARSE_FROM = 64  # an axis with more nodes than this is contracted as a sparse matrix


def _contract(matrices: list, tensor: np.ndarray) -> np.ndarray:
    """Sum over cells of tensor[cell, ...] * prod_a matrices[a][option_a, cell_a].

    One axis at a time, last axis first (faster here than einsum's path search). Extra
    trailing axes of ``tensor`` (step sizes) are kept, after the option axes. Option
    matrices of long axes (map cells, merged code combinations) are sparse: an option
    touches only the few nodes above its leaves.
    """
    from scipy import sparse  # imported on first use: creating the app stays light

    result = tensor
    for position in reversed(range(len(matrices))):
        matrix = matrices[position]
        if sparse.issparse(matrix):
            moved = np.moveaxis(result, position, -1)
            flat = moved.reshape(-1, moved.shape[-1])
            product = np.asarray((matrix @ flat.T).T)
            result = product.reshape(*moved.shape[:-1], matrix.shape[0])
        else:
            result = np.tensordot(result, matrix, axes=([position], [1]))
    extra = result.ndim - len(matrices)
    options = tuple(range(result.ndim - 1, extra - 1, -1))
    return result.transpose(options + tuple(range(extra)))


def _maybe_sparse(matrix):
    from scipy import sparse

    if sparse.issparse(matrix):
        return sparse.csr_array(matrix)
    return sparse.csr_array(matrix) if matrix.shape[1] > SPARSE_FROM else matrix


class _MergedCodes:
    """The same lattice with its code axes (all axes after gemeente and period) seen as one.

    On separate code axes a cube moves whole rows and columns of the code table; on one
    merged axis a "pair" may be any two code combinations, for instance +1 reprimande of a
    minor and -1 warning of an adult (a move that changes the age and outcome margins
    together). The arrays are reshaped views of the lattice's own, so statuses set here are
    set on the lattice. Used when no cube on separate axes exists.
    """

    def __init__(self, lattice: Lattice) -> None:
        self.base = lattice
        head, codes = lattice.axes[:2], lattice.axes[2:]
        self.node_shape = tuple(len(a) for a in codes)
        leaf_shape = tuple(a.leaf_count for a in codes)
        nodes, members = [], []
        for index in np.ndindex(self.node_shape):
            nodes.append("|".join(a.nodes[i] for a, i in zip(codes, index, strict=True)))
            leaves = itertools.product(
                *(sorted(a.members[i]) for a, i in zip(codes, index, strict=True))
            )
            members.append(
                frozenset(int(np.ravel_multi_index(leaf, leaf_shape)) for leaf in leaves)
            )
        merged = Axis("codes", tuple(nodes), tuple(members), int(np.prod(leaf_shape)))
        self.axes = (*head, merged)
        self.shape = (*lattice.shape[:2], len(nodes))
        self.values = lattice.values.reshape(self.shape)
        self.status = lattice.status.reshape(self.shape)
        self.locked = lattice.locked.reshape(self.shape)
        self.upper = lattice.upper.reshape(self.shape)

    def bounds(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        lower, upper = self.base.bounds(k)
        return lower.reshape(self.shape), upper.reshape(self.shape)

    def merged_cell(self, cell: tuple[int, ...]) -> tuple[int, ...]:
        return (*cell[:2], int(np.ravel_multi_index(cell[2:], self.node_shape)))

    def base_direction(self, direction: Direction) -> Direction:
        cells = [
            (*cell[:2], *(int(i) for i in np.unravel_index(cell[2], self.node_shape)))
            for cell in direction.cells
        ]
        return Direction(cells, direction.weights)


class _Search:
    """Cube search for one primary: its options per axis, and the lattice state."""

    def __init__(self, lattice: Lattice, primary: tuple[int, ...], k: int) -> None:
        self.lattice, self.primary, self.k = lattice, primary, k
        self.options = [
            _axis_options(axis, node) for axis, node in zip(lattice.axes, primary, strict=True)
        ]
        self.touched = [_maybe_sparse(plus + minus) for plus, minus in self.options]
        self.signed = [_maybe_sparse(plus - minus) for plus, minus in self.options]

    def step(self, shift: np.ndarray, size: int, sign: int) -> Direction | None:
        """The cheapest cube that moves the primary by ``sign * size`` from ``values + shift``."""
        lattice, k = self.lattice, self.k
        values = lattice.values + shift
        lower, upper = lattice.bounds(k)
        exact = lattice.status == Status.EXACT
        usable = exact & ~lattice.locked & (lattice.values >= k)
        lower = np.where(usable, k, lower)
        upper = np.where(usable, lattice.upper, upper)
        movable = ~exact | usable
        can_rise = movable & (values + size <= upper)
        can_fall = movable & (values - size >= lower)
        bad_same = (~(can_rise if sign > 0 else can_fall)).astype(np.float64)
        bad_opposite = (~(can_fall if sign > 0 else can_rise)).astype(np.float64)
        cost = np.where(usable, CELL_COST + SIZE_COST * np.log1p(lattice.values), 0.0)
        cost = np.where(exact & ~usable, LOCKED, cost)
        # A corner has sign +1 where the product of the axis signs is +1 (the primary's
        # own direction), -1 elsewhere: [sign = ±1] = (prod |w| ± prod w) / 2.
        both = _contract(self.touched, np.stack([bad_same + bad_opposite, cost + CORNER_COST], -1))
        violations = both[..., 0] + _contract(self.signed, bad_same - bad_opposite)
        total = both[..., 1]
        total[violations > 0.25] = np.inf
        best = np.unravel_index(np.argmin(total), total.shape)
        if not np.isfinite(total[best]) or total[best] >= LOCKED:
            return None
        return self._direction(best, sign * size)

    def _direction(self, best: tuple[int, ...], move: int) -> Direction:
        weights = [
            _row(self.options[a][0], c) - _row(self.options[a][1], c) for a, c in enumerate(best)
        ]
        change = weights[0]
        for weight in weights[1:]:
            change = np.multiply.outer(change, weight)
        cells = [tuple(int(i) for i in index) for index in zip(*np.nonzero(change), strict=True)]
        return Direction(cells, [int(change[cell]) * move for cell in cells])

    def certificate(self, sign: int, distance: int) -> Direction | None:
        """Cubes, largest steps first, that together move the primary ``distance`` units."""
        lattice = self.lattice
        shift = np.zeros(lattice.shape, dtype=np.int64)
        moved: dict[tuple[int, ...], int] = {}
        remaining = distance
        while remaining > 0:
            for size in range(remaining, 0, -1):
                step = self.step(shift, size, sign)
                if step is not None:
                    break
            else:
                return None
            for cell, weight in zip(step.cells, step.weights, strict=True):
                if lattice.status[cell] == Status.EXACT:
                    lattice.status[cell] = Status.SECONDARY
                shift[cell] += weight
                moved[cell] = moved.get(cell, 0) + weight
            remaining -= size
        cells = [cell for cell, weight in moved.items() if weight]
        return Direction(cells, [moved[cell] for cell in cells])


def _reach(lattice: Lattice, direction: Direction, k: int) -> tuple[float, float]:
    """The range of multiples of ``direction`` that keeps every cell in its bounds."""
    low, high = -np.inf, np.inf
    for cell, weight in zip(direction.cells, direction.weights, strict=True):
        value = lattice.values[cell]
        lower, upper = lattice.cell_bounds(cell, k)
        a, b = (lower - value) / weight, (upper - value) / weight
        low, high = max(low, min(a, b)), min(high, max(a, b))
    return low, high


def _reaches(lattice: Lattice, cell, directions: list[Direction], target: int, k: int) -> bool:
    value = int(lattice.values[cell])
    if target == value:
        return True
    for direction in directions:
        weight = direction.weights[direction.cells.index(cell)]
        low, high = _reach(lattice, direction, k)
        if low - 1e-9 <= (target - value) / weight <= high + 1e-9:
            return True
    return False


def covered(lattice: Lattice, cell: tuple[int, ...], directions: list[Direction], k: int) -> bool:
    """Whether some certificates move ``cell`` to both ends of its ``<k`` range."""
    return _reaches(lattice, cell, directions, k - 1, k) and _reaches(
        lattice, cell, directions, 1, k
    )


def _order(lattice: Lattice, cells: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """Highest aggregates first (their cubes reach into the leaves), then small values."""

    def key(cell):
        span = 1
        for axis, node in zip(lattice.axes, cell, strict=True):
            span *= len(axis.members[node])
        return (-span, int(lattice.values[cell]), cell)

    return sorted(cells, key=key)


def _suppressed_cells(lattice: Lattice) -> list[tuple[int, ...]]:
    found = np.nonzero(np.isin(lattice.status, (Status.PRIMARY, Status.MASKED)))
    return _order(lattice, [tuple(int(i) for i in c) for c in zip(*found, strict=True)])


class _Protector:
    """Certificates per cell, and the search that adds them."""

    def __init__(self, lattice: Lattice, k: int) -> None:
        self.lattice, self.k = lattice, k
        self.result = Protection()
        self.by_cell: dict[tuple[int, ...], list[Direction]] = {}
        self.merged: _MergedCodes | None = None

    def _reaches(self, cell, target: int) -> bool:
        return _reaches(self.lattice, cell, self.by_cell.get(cell, []), target, self.k)

    def _certify(self, cell, alternatives: list[tuple[int, int]]) -> bool:
        """Ensure one of the (target, sign) moves is possible for ``cell``: cubes on the
        separate axes first, then (with more than one code axis) on the merged code axis."""
        if any(self._reaches(cell, target) for target, _ in alternatives):
            return True
        value = int(self.lattice.values[cell])
        for search, merged in self._searches(cell):
            for target, sign in alternatives:
                direction = search.certificate(sign, abs(target - value))
                if direction is None:
                    continue
                if merged is not None:
                    direction = merged.base_direction(direction)
                for moved in direction.cells:
                    self.by_cell.setdefault(moved, []).append(direction)
                self.result.directions.append(direction)
                return True
        return False

    def _searches(self, cell):
        """The cube search on separate axes, then (lazily) on the merged code axis."""
        yield _Search(self.lattice, cell, self.k), None
        if len(self.lattice.axes) > 3:
            if self.merged is None:
                self.merged = _MergedCodes(self.lattice)
            yield _Search(self.merged, self.merged.merged_cell(cell), self.k), self.merged

    def protect_cell(self, cell) -> None:
        """A primary reaches k-1 and 1, else it is masked; a masked cell merely moves."""
        value = int(self.lattice.values[cell])
        if self.lattice.status[cell] == Status.PRIMARY:
            if self._certify(cell, [(self.k - 1, 1)]) and self._certify(cell, [(1, -1)]):
                return
            self.lattice.status[cell] = Status.MASKED
        if not self._certify(cell, [(value - 1, -1), (value + 1, 1)]):
            self.result.unprotected.append(cell)


def protect(lattice: Lattice, k: int) -> Protection:
    """Add secondary suppressions until every suppressed cell has its certificates.

    A primary that cannot keep its whole ``<k`` range (for instance three small cells
    under a total of 5: each is at most 3) is shown as ``×`` instead (MASKED). Marks cells
    SECONDARY or MASKED in ``lattice.status``. Cells for which no certificate exists at
    all are returned in ``unprotected``; the caller withholds what they belong to.
    """
    if k < 3:
        raise ValueError("k must be at least 3: '<2' would disclose the value 1")
    protector = _Protector(lattice, k)
    for cell in _suppressed_cells(lattice):
        protector.protect_cell(cell)
    return protector.result


def protect_slices(lattice: Lattice, k: int) -> Protection:
    """``protect`` for a lattice of unrelated slices, each a list of cells under one exact total.

    The map lattices have this shape: axis 0 (the quarter) has no aggregates, axis 1 has the
    cells and their total, published exactly. Within a slice the only relation is "the hidden
    cells sum to the total minus the shown ones", one equation with a box per cell, so the
    range an outsider can derive for a hidden cell is closed-form: with ``H``, ``L`` and ``U``
    the sum, lower bounds and upper bounds of the hidden cells, a small cell keeps 1..k-1 when
    ``H - L >= k - 2`` and ``U - H >= k - 2``. The smallest shown cells are hidden until that
    holds, and each small cell gets its two certificates (moves against the other hidden cells).
    Certificates in the cube search's form (the LP audit checks both), found without
    searching every pair of cells.
    """
    times, cells = lattice.axes
    if any(len(members) > 1 for members in times.members) or len(cells) != cells.leaf_count + 1:
        raise ValueError(f"{lattice.name} is not a lattice of independent slices")
    result = Protection()
    leaves = np.arange(cells.leaf_count)
    for t in range(len(times)):
        status = lattice.status[t, : cells.leaf_count]
        values = lattice.values[t, : cells.leaf_count]
        small = np.nonzero(np.isin(status, (Status.PRIMARY, Status.MASKED)))[0]
        if not len(small):
            continue
        hidden = list(small)
        candidates = sorted(
            (int(values[i]), int(i))
            for i in leaves
            if status[i] == Status.EXACT and values[i] >= k and not lattice.locked[t, i]
        )
        while min(_slack(lattice, t, hidden, k)) < k - 2:
            if not candidates:
                result.unprotected.extend((t, int(i)) for i in small)
                break
            missing = (k - 2) - _slack(lattice, t, hidden, k)[0]
            fitting = [c for c in candidates if c[0] - k >= missing]
            chosen = fitting[0] if fitting else candidates[-1]
            candidates.remove(chosen)
            lattice.status[t, chosen[1]] = Status.SECONDARY
            hidden.append(chosen[1])
        else:
            lower, upper = lattice.bounds(k)
            cells_, values_ = np.array(hidden), lattice.values[t]
            # Partners by room, largest first: a move then touches one or two cells.
            falling = _by_room(cells_, values_[cells_] - lower[t][cells_])
            rising = _by_room(cells_, upper[t][cells_] - values_[cells_])
            for i in small:
                if lattice.status[t, i] == Status.PRIMARY:
                    targets = [k - 1, 1]
                else:
                    targets = [int(values[i]) - 1]
                for target in targets:
                    change = target - int(values[i])
                    move = _slice_move(int(i), change, falling if change > 0 else rising)
                    if move is None:
                        result.unprotected.append((t, int(i)))
                    else:
                        moved, weights = move
                        result.directions.append(Direction([(t, c) for c in moved], weights))
    return result


def _slack(lattice: Lattice, t: int, hidden: list, k: int) -> tuple[int, int]:
    """How far the hidden cells of slice ``t`` can fall together, and rise together."""
    lower, upper = zip(*(lattice.cell_bounds((t, int(i)), k) for i in hidden), strict=True)
    total = int(lattice.values[t, hidden].sum())
    return total - sum(lower), sum(upper) - total


def _by_room(cells: np.ndarray, room: np.ndarray) -> list[tuple[int, int]]:
    order = np.argsort(-room, kind="stable")
    return [(int(cells[j]), int(room[j])) for j in order if room[j] > 0]


def _slice_move(
    cell: int, change: int, partners: list[tuple[int, int]]
) -> tuple[list[int], list[int]] | None:
    """Move ``cell`` by ``change``, other hidden cells of the slice (with their room to move
    the other way, largest first) absorbing it within their bounds."""
    cells, weights = [cell], [change]
    remaining = abs(change)
    for other, room in partners:
        if not remaining:
            break
        if other == cell:
            continue
        step = min(remaining, room)
        cells.append(other)
        weights.append(-step if change > 0 else step)
        remaining -= step
    return None if remaining else (cells, weights)
