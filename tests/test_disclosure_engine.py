"""Secondary suppression (hypercube certificates) checked by the attacker's LP."""

import numpy as np
import pytest

from pilot.services.disclosure.audit import findings
from pilot.services.disclosure.hypercube import protect, protect_slices
from pilot.services.disclosure.lattice import Axis, Lattice, Status

K = 5


def _table(leaves: np.ndarray, units=("G0", "G1", "G2", "G3"), tranches=None) -> Lattice:
    """gemeente (with tranches and NL) × quarter (two years and the pilot) × code (+ total)."""
    n_units, n_quarters, n_codes = leaves.shape
    units = list(units)[:n_units]
    tranches = tranches or {"T1": units[: n_units // 2], "T2": units[n_units // 2 :]}
    quarters = [f"Q{i}" for i in range(n_quarters)]
    codes = [f"c{i}" for i in range(n_codes)]
    unit_axis = Axis.build("gemeente", units, {**tranches, "NL": units})
    half = n_quarters // 2
    time_axis = Axis.build(
        "periode", quarters, {"Y1": quarters[:half], "Y2": quarters[half:], "P": quarters}
    )
    code_axis = Axis.build("code", codes, {"ALL": codes})
    shape = (len(unit_axis), len(time_axis), len(code_axis))
    locked = np.zeros(shape, dtype=bool)
    locked[:, :, code_axis.index("ALL")] = True
    lattice = Lattice(
        "test", (unit_axis, time_axis, code_axis), leaves, np.ones(shape, bool), locked
    )
    total = lattice.values[:, :, [code_axis.index("ALL")]]
    lattice.upper = np.broadcast_to(total, shape).copy()
    return lattice


def _random_leaves(seed: int, shape=(4, 8, 5)) -> np.ndarray:
    rng = np.random.default_rng(seed)
    leaves = rng.poisson(rng.uniform(0.5, 8, size=(shape[0], 1, shape[2])), size=shape)
    for unit, quarter in np.ndindex(shape[:2]):
        while leaves[unit, quarter].sum() < K:  # totals are never small (see publication.py)
            leaves[unit, quarter, rng.integers(shape[2])] += 1
    return leaves


def test_unprotected_small_cells_are_found_by_the_attacker():
    lattice = _table(_random_leaves(1))
    lattice.mark_primary(K)
    assert (lattice.status == Status.PRIMARY).sum() > 10
    found = findings(lattice, K)
    assert found, "without secondary suppression a row total gives a small count back"
    assert all(f.status in (Status.PRIMARY, Status.MASKED) for f in found)


@pytest.mark.parametrize("seed", range(4))
def test_after_protection_no_suppressed_cell_can_be_narrowed(seed):
    lattice = _table(_random_leaves(seed))
    lattice.mark_primary(K)
    result = protect(lattice, K)
    assert result.unprotected == []
    assert (lattice.status == Status.SECONDARY).any()
    assert findings(lattice, K) == []


def test_a_single_small_cell_beside_its_total_gets_a_partner():
    leaves = np.zeros((2, 2, 3), dtype=np.int64)
    leaves[:, :] = [2, 9, 14]
    lattice = _table(leaves, units=("G0", "G1"), tranches={"T1": ["G0", "G1"]})
    lattice.mark_primary(K)
    protect(lattice, K)
    row = lattice.status[lattice.cell("G0", "Q0", "c0")[:2]]
    assert row[0] == Status.PRIMARY
    assert (row[1:3] == Status.SECONDARY).any(), "the 2 needs a hidden partner in its row"
    assert row[lattice.axes[2].index("ALL")] == Status.EXACT, "totals stay exact"
    assert findings(lattice, K) == []


def test_a_small_aggregate_over_several_small_leaves_is_masked_not_labelled_below_k():
    leaves = np.zeros((2, 2, 2), dtype=np.int64)
    leaves[0, :, 0] = [1, 2]  # G0 year: 3 = 1 + 2, both quarters small too
    leaves[:, :, 1] = 30
    lattice = _table(leaves, units=("G0", "G1"), tranches={"T1": ["G0", "G1"]})
    lattice.mark_primary(K)
    assert lattice.status[lattice.cell("G0", "Q0", "c0")] == Status.PRIMARY
    assert lattice.status[lattice.cell("G0", "P", "c0")] == Status.MASKED


def test_secondary_cells_are_never_zero_or_locked():
    lattice = _table(_random_leaves(7))
    lattice.mark_primary(K)
    protect(lattice, K)
    secondary = lattice.status == Status.SECONDARY
    assert (lattice.values[secondary] >= K).all()
    assert not (secondary & lattice.locked).any()


def test_k_below_three_is_refused():
    lattice = _table(_random_leaves(2))
    with pytest.raises(ValueError):
        protect(lattice, 2)


def _slices(rows: list[list[int]]) -> Lattice:
    """Quarters without aggregates × map cells with their exact total, like a map lattice."""
    leaves = np.array(rows, dtype=np.int64)
    quarters = [f"Q{i}" for i in range(leaves.shape[0])]
    cells = [f"cel{i}" for i in range(leaves.shape[1])]
    time_axis = Axis.build("kwartaal", quarters, {})
    cell_axis = Axis.build("cel", cells, {"ALL": cells})
    shape = (len(time_axis), len(cell_axis))
    locked = np.zeros(shape, dtype=bool)
    locked[:, cell_axis.index("ALL")] = True
    lattice = Lattice("kaart", (time_axis, cell_axis), leaves, np.ones(shape, bool), locked)
    lattice.upper = np.broadcast_to(lattice.values[:, [cell_axis.index("ALL")]], shape).copy()
    return lattice


@pytest.mark.parametrize("seed", range(6))
def test_slices_are_protected_against_the_attacker(seed):
    rng = np.random.default_rng(seed)
    rows = rng.poisson(rng.uniform(0.3, 9, size=(1, 40)), size=(4, 40)).tolist()
    lattice = _slices(rows)
    lattice.mark_primary(K)
    assert (lattice.status == Status.PRIMARY).sum() > 5
    result = protect_slices(lattice, K)
    assert result.unprotected == []
    assert findings(lattice, K) == []


def test_one_small_cell_needs_a_partner_that_can_give_up_its_range():
    """A single 1 beside cells of 5, 6 and 20: the partner must be able to fall by 3 and
    stay at least 5, so 5 and 6 will not do; the smallest that will is 20."""
    lattice = _slices([[1, 5, 6, 20]])
    lattice.mark_primary(K)
    result = protect_slices(lattice, K)
    assert result.unprotected == []
    assert lattice.status[0, 3] == Status.SECONDARY
    assert lattice.status[0, 1] == lattice.status[0, 2] == Status.EXACT
    assert findings(lattice, K) == []


def test_a_cell_shown_as_hidden_mark_is_known_to_be_at_least_one():
    """Zeros are published as 0, so the attacker knows every × is at least 1: two small
    cells and a × under the 5 left (10 minus a shown 5) are each at most 3. An engine that
    took 0 for the ×'s floor would call this protected; ours reports it unprotected (the
    caller then withholds the map)."""
    lattice = _slices([[5, 2, 2, 1]])
    lattice.mark_primary(K)
    lattice.status[0, 3] = Status.MASKED
    lower, _upper = lattice.bounds(K)
    assert lower[0, 3] == 1
    assert protect_slices(lattice, K).unprotected
    narrowed = [f for f in findings(lattice, K) if f.status == Status.PRIMARY]
    assert narrowed and all(f.high <= 3 for f in narrowed)
