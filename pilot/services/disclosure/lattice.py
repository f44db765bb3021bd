"""Linked tables as one lattice: every published figure is a sum of leaf counts.

A family of tables (for instance "afdoening per gemeente and period") is an array over
axes. Each axis has leaves (gemeenten, quarters, codes) and aggregate nodes above them
(tranches and the country, years and the whole pilot, the total over all codes). A cell
is one node per axis; its value is the sum of the leaf cells below it. So a report row,
its total, a tranche subtotal, the national figure, a year and the whole pilot are cells
of one array, and every linear relation an outsider could use ("the total minus the
shown cells") is a relation between cells of that array.

Each cell has a status, and with it the bounds an outsider knows it lies in:

==========  ====================================  ===================================
status      shown as                              an outsider knows
==========  ====================================  ===================================
EXACT       the number                            the value
PRIMARY     ``<k``                                1 .. k-1
MASKED      ``×``                                 1 .. the cell's upper bound
SECONDARY   ``×`` (hidden so nothing is derived)  k .. the cell's upper bound
HIDDEN      nothing: the figure is not offered    0 .. the cell's upper bound
==========  ====================================  ===================================

A zero is always published as 0, so a cell shown as ``×`` is known to be at least 1.
The upper bound of a cell is what the outsider knows without it: a breakdown cell is
never larger than its (published) total.

A small aggregate (below k) over two or more non-zero leaves cannot be shown as ``<k``:
its leaves, each at least 1, would bound it from below (and it would bound them from
above). It is MASKED: shown as ``×``, which states no range.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

INFINITY = np.iinfo(np.int64).max // 4


class Status(IntEnum):
    EXACT = 0
    PRIMARY = 1
    SECONDARY = 2
    HIDDEN = 3
    MASKED = 4


@dataclass(frozen=True)
class Axis:
    """Leaves and aggregate nodes of one dimension.

    ``nodes`` lists every node key, leaves first; ``members[i]`` is the set of leaf
    positions below node ``i`` (a leaf is below itself). Aggregates are sums of leaves.
    """

    name: str
    nodes: tuple[str, ...]
    members: tuple[frozenset[int], ...]
    leaf_count: int

    @classmethod
    def build(cls, name: str, leaves: Sequence[str], groups: dict[str, Sequence[str]]) -> "Axis":
        """An axis with ``leaves`` and aggregate nodes ``groups`` (key -> leaf keys)."""
        position = {leaf: i for i, leaf in enumerate(leaves)}
        if len(position) != len(leaves):
            raise ValueError(f"duplicate leaves on axis {name}")
        members = [frozenset([i]) for i in range(len(leaves))]
        nodes = list(leaves)
        for key, group in groups.items():
            if key in position:
                raise ValueError(f"node {key} on axis {name} is both leaf and group")
            members.append(frozenset(position[leaf] for leaf in group))
            nodes.append(key)
        return cls(name, tuple(nodes), tuple(members), len(leaves))

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {key: i for i, key in enumerate(self.nodes)})
        matrix = np.zeros((len(self.nodes), self.leaf_count), dtype=np.int64)
        for i, leaves in enumerate(self.members):
            matrix[i, list(leaves)] = 1
        object.__setattr__(self, "membership", matrix)

    def index(self, key: str) -> int:
        return self._index[key]

    def __len__(self) -> int:
        return len(self.nodes)

    def is_leaf(self, node: int) -> bool:
        return node < self.leaf_count


def aggregate(axes: Sequence[Axis], leaves: np.ndarray) -> np.ndarray:
    """Every node's value: the sum of the leaf cells below it, on every axis."""
    values = leaves.astype(np.int64)
    for position, axis in enumerate(axes):
        values = np.moveaxis(
            np.tensordot(axis.membership, values, axes=([1], [position])), 0, position
        )
    return values


@dataclass
class Lattice:
    """One family: leaf counts, the derived cells, their status and outsider bounds.

    ``offered`` marks the cells that some output shows an outsider; the others are
    HIDDEN. ``locked`` marks offered cells that must stay exact (a shared total whose
    protection is decided elsewhere, a published zero); secondary suppression never
    picks them. ``upper`` and ``lower`` hold what an outsider knows of a cell without
    seeing it (INFINITY and 0 where nothing): a breakdown cell is at most its total; the
    sum over a multiple-response list (conduct) is at least the number of incidents.
    """

    name: str
    axes: tuple[Axis, ...]
    leaves: np.ndarray
    offered: np.ndarray
    locked: np.ndarray
    upper: np.ndarray = field(default=None)  # type: ignore[assignment]
    lower: np.ndarray = field(default=None)  # type: ignore[assignment]
    values: np.ndarray = field(init=False)
    status: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        expected = tuple(axis.leaf_count for axis in self.axes)
        if self.leaves.shape != expected:
            raise ValueError(f"{self.name}: leaves {self.leaves.shape} != {expected}")
        self.values = aggregate(self.axes, self.leaves)
        shape = self.values.shape
        if self.offered.shape != shape or self.locked.shape != shape:
            raise ValueError(f"{self.name}: masks must have shape {shape}")
        if self.upper is None:
            self.upper = np.full(shape, INFINITY, dtype=np.int64)
        if self.lower is None:
            self.lower = np.zeros(shape, dtype=np.int64)
        self.status = np.full(shape, Status.HIDDEN, dtype=np.int8)
        self.status[self.offered] = Status.EXACT

    @property
    def shape(self) -> tuple[int, ...]:
        return self.values.shape

    def cell(self, *keys: str) -> tuple[int, ...]:
        return tuple(axis.index(key) for axis, key in zip(self.axes, keys, strict=True))

    def mark_primary(self, k: int) -> None:
        """Offered, unlocked cells with 0 < value < k: PRIMARY, or MASKED (see above)."""
        small = self.offered & (self.values > 0) & (self.values < k)
        if (small & self.locked).any():
            raise ValueError(f"{self.name}: a locked cell is below the threshold")
        nonzero_leaves = aggregate(self.axes, (self.leaves > 0).astype(np.int64))
        self.status[small] = Status.PRIMARY
        self.status[small & (nonzero_leaves > 1)] = Status.MASKED

    def bounds(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """What an outsider knows of every cell: (lower, upper), from the status."""
        lower = self.lower.copy()
        upper = self.upper.copy()
        exact = self.status == Status.EXACT
        lower[exact] = self.values[exact]
        upper[exact] = self.values[exact]
        primary = self.status == Status.PRIMARY
        lower[primary] = np.maximum(lower[primary], 1)
        upper[primary] = np.minimum(upper[primary], k - 1)
        secondary = self.status == Status.SECONDARY
        lower[secondary] = np.maximum(lower[secondary], k)
        masked = self.status == Status.MASKED
        lower[masked] = np.maximum(lower[masked], 1)
        return lower, upper

    def cell_bounds(self, cell: tuple[int, ...], k: int) -> tuple[int, int]:
        """``bounds`` of one cell, without computing them for the whole lattice."""
        status, value = self.status[cell], int(self.values[cell])
        lower, upper = int(self.lower[cell]), int(self.upper[cell])
        if status == Status.EXACT:
            return value, value
        if status == Status.PRIMARY:
            return max(lower, 1), min(upper, k - 1)
        if status == Status.SECONDARY:
            return max(lower, k), upper
        if status == Status.MASKED:
            return max(lower, 1), upper
        return lower, upper

    def suppressed(self) -> np.ndarray:
        return np.isin(self.status, (Status.PRIMARY, Status.SECONDARY, Status.MASKED))
