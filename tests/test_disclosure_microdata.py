"""Global recoding and local suppression on synthetic rows (no database)."""

import numpy as np
import pandas as pd
import pytest

from pilot.services.disclosure.microdata import (
    BLANK,
    Hierarchy,
    Level,
    anonymise,
    class_sizes,
    k_anonymity,
    not_included,
    suppress,
)

K = 5


def _rows(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "gemeente": rng.choice(["A", "B"], n),
            "kwartaal": rng.choice(["K1", "K2"], n),
            "uur": rng.integers(0, 24, n),
            "cel": rng.integers(0, 40, n),
        }
    )


UUR = Hierarchy(
    "uur",
    "Uur",
    (
        Level("uur", "uur", 0, lambda raw: raw["uur"].map(str)),
        Level("dagdeel", "dagdeel", 1, lambda raw: raw["uur"].map(lambda h: str(h // 6))),
        not_included(3),
    ),
)
CEL = Hierarchy(
    "cel",
    "Cel",
    (
        Level("fijn", "fijn", 0, lambda raw: raw["cel"].map(str)),
        Level("grof", "grof", 1, lambda raw: raw["cel"].map(lambda c: str(c // 10))),
        not_included(3),
    ),
)


def test_the_least_coarse_recoding_within_the_budget_reaches_k():
    raw = _rows(400)
    result = anonymise(raw, ["gemeente", "kwartaal"], [CEL, UUR], K, budget=0.05)
    assert result.k >= K
    assert k_anonymity(result.frame, ["gemeente", "kwartaal", "cel", "uur"]) == result.k
    assert sum(result.local.values()) <= 0.05 * len(raw) * 2
    assert [lv.name for lv in result.levels.values()] != ["fijn", "uur"], "too fine for k=5"
    loss = sum(level.loss for level in result.levels.values())
    assert loss < 6, "not everything left out"
    blanked = result.frame["cel"].isna() & raw["cel"].notna()
    assert int(blanked.sum()) == result.local["cel"] + (
        len(raw) if not result.levels["cel"].included else 0
    )


def test_given_blanks_stay_blank_and_are_counted_apart():
    raw = _rows(400)
    mask = np.zeros(len(raw), dtype=bool)
    mask[::7] = True
    result = anonymise(raw, ["gemeente", "kwartaal"], [CEL, UUR], K, 0.05, {"uur": mask})
    if result.levels["uur"].included:
        assert result.frame["uur"][mask].isna().all()
        assert result.imposed["uur"] == int(mask.sum())
    assert result.k >= K


def test_a_small_class_is_padded_from_larger_ones():
    # One gemeente-quarter: 8 rows of one kind and 2 unique rows. Blanking the 2 gives a
    # class of 2; 3 rows of the large class join it, which keeps 5 there.
    codes = np.array([[0, 0, 1, 1]] * 8 + [[0, 0, 2, 2], [0, 0, 3, 3]], dtype=np.int64)
    assert suppress(codes, 2, K)
    sizes = class_sizes(codes)
    assert sizes.min() >= K
    assert int((codes[:, 2:] == BLANK).all(axis=1).sum()) == 5


def test_a_gemeente_quarter_below_k_cannot_be_made_safe():
    codes = np.array([[0, 0, 1, 1]] * 3, dtype=np.int64)
    assert not suppress(codes, 2, K)
    with pytest.raises(ValueError):
        anonymise(_rows(3), ["gemeente", "kwartaal"], [CEL], K, 0.05)
