"""Record-level data made k-anonymous: global recoding plus local suppression, and its risk.

The method of μ-ARGUS and sdcMicro. The quasi-identifiers are the variables an outsider
may know of a person in the data (where and when something happened). Each has a
hierarchy of levels, from fine (the 100 m cell, the date) to coarse (a 2 km cell, the
quarter) and finally "not included". A combination of levels is a *global recoding*: it
applies to every row. After recoding, a row is unsafe when fewer than k rows share its
combination of quasi-identifier values (its equivalence class); *local suppression*
blanks single values of unsafe rows until every class has at least k rows.

``anonymise`` tries the combinations from the least coarse (by the summed information
loss of the levels) upwards and keeps the first whose local suppression stays within a
budget (a share of the quasi-identifier values). Gemeente and quarter are fixed: they are
never recoded or blanked, because the published tables are per gemeente and quarter.

A blank is a value of its own when classes are formed: a row with a blank weekday is only
grouped with rows whose weekday is blank too. That is stricter than sdcMicro's reading of
a missing value as a wildcard, and it is what can be checked from the published file
alone (as pycanon does), so the k printed in the codebook is the k anyone can verify.
Blanks the published tables impose (``consistency.py``) are given as input and kept.

Local suppression, per round: for a subset of the suppressible variables (in order of
size, then priority), the unsafe rows whose values with that subset blanked would join a
class of at least k rows are moved there. Rows still unsafe after every subset are
blanked on every suppressible variable; where that class is still smaller than k, rows
of classes larger than k in the same gemeente and quarter are blanked to join it.
"""

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

BLANK = -1


@dataclass(frozen=True)
class Level:
    """One level of a hierarchy: how a row's value is written at this level."""

    name: str
    label: str
    loss: float
    recode: Callable[[pd.DataFrame], pd.Series]  # raw rows -> values (None: not included)
    codes: Sequence[tuple[str, str]] = ()  # (code, label) where the values are codes

    @property
    def included(self) -> bool:
        return self.name != NOT_INCLUDED


NOT_INCLUDED = "niet_opgenomen"


def not_included(loss: float, label: str = "niet opgenomen") -> Level:
    """The last level of a hierarchy: the variable is left out (every value blank)."""
    return Level(NOT_INCLUDED, label, loss, lambda raw: pd.Series([None] * len(raw)))


@dataclass(frozen=True)
class Hierarchy:
    """A quasi-identifier: its output column and its levels, fine to coarse."""

    column: str
    label: str
    levels: tuple[Level, ...]


@dataclass
class Anonymised:
    """The outcome: the recoded, suppressed quasi-identifiers and what it took."""

    frame: pd.DataFrame  # one column per fixed and recoded quasi-identifier
    levels: dict[str, Level]
    k: int  # achieved: the smallest equivalence class
    classes: int
    imposed: dict[str, int]  # values blank before local suppression (given blanks)
    local: dict[str, int]  # values blanked by local suppression
    rows: int
    tried: int = 0
    budget: float = 0.0

    @property
    def local_share(self) -> float:
        cells = self.rows * len(self.local)
        return sum(self.local.values()) / cells if cells else 0.0


def _factorize(values: pd.Series) -> np.ndarray:
    codes, _ = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64)


def class_keys(codes: np.ndarray) -> np.ndarray:
    """One integer per equivalence class (rows equal in every column, blank = a value)."""
    n = codes.shape[0]
    key = np.zeros(n, dtype=np.int64)
    for column in codes.T:
        shifted = column + 1  # BLANK (-1) becomes 0, a value of its own
        key = key * (int(shifted.max(initial=0)) + 1) + shifted
        key = np.unique(key, return_inverse=True)[1].astype(np.int64)
    return key


def class_sizes(codes: np.ndarray) -> np.ndarray:
    """The size of each row's equivalence class."""
    if codes.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    key = class_keys(codes)
    return np.bincount(key)[key]


def k_anonymity(frame: pd.DataFrame, columns: Sequence[str]) -> int:
    """The smallest equivalence class over ``columns`` (a blank is a value of its own)."""
    if frame.empty:
        return 0
    codes = np.column_stack([_factorize(frame[c].astype(object)) for c in columns])
    return int(class_sizes(codes).min())


def _subsets(positions: Sequence[int]) -> list[tuple[int, ...]]:
    """Non-empty subsets, smallest first, then in priority order."""
    result = []
    for size in range(1, len(positions) + 1):
        result.extend(itertools.combinations(positions, size))
    return result


def _pad(codes: np.ndarray, fixed: int, suppressible: list[int], k: int) -> bool:
    """Blank every suppressible value of the rows still unsafe; fill their class up to k
    with rows of larger classes of the same gemeente and quarter. False if impossible."""
    sizes = class_sizes(codes)
    unsafe = sizes < k
    if not unsafe.any():
        return True
    codes[np.ix_(unsafe, suppressible)] = BLANK
    slices = class_keys(codes[:, :fixed])
    for slice_key in np.unique(slices[unsafe]):
        sizes = class_sizes(codes)
        members = slices == slice_key
        empty = members & (codes[:, suppressible] == BLANK).all(axis=1)
        missing = k - int(empty.sum())
        if missing <= 0:
            continue
        keys = class_keys(codes)
        spare: dict[int, int] = {}
        candidates = []
        for row in np.nonzero(members & ~empty & (sizes > k))[0]:
            blanks = int((codes[row, suppressible] == BLANK).sum())
            candidates.append((-blanks, int(row)))
        for _, row in sorted(candidates):
            key = int(keys[row])
            left = spare.setdefault(key, int(sizes[row]) - k)
            if left <= 0:
                continue
            spare[key] = left - 1
            codes[row, suppressible] = BLANK
            missing -= 1
            if missing == 0:
                break
        if missing > 0:
            return False
    return True


def suppress(codes: np.ndarray, fixed: int, k: int) -> bool:
    """Local suppression in place (see the module docstring); columns after the first
    ``fixed`` are suppressible, in priority order. False if k cannot be reached."""
    suppressible = list(range(fixed, codes.shape[1]))
    for subset in _subsets(suppressible):
        sizes = class_sizes(codes)
        unsafe = sizes < k
        if not unsafe.any():
            return True
        projected = codes.copy()
        projected[np.ix_(unsafe, list(subset))] = BLANK
        keys = class_keys(projected)
        target = np.bincount(keys)[keys]
        move = unsafe & (target >= k)
        codes[move] = projected[move]
    return _pad(codes, fixed, suppressible, k)


def anonymise(
    raw: pd.DataFrame,
    fixed: Sequence[str],
    hierarchies: Sequence[Hierarchy],
    k: int,
    budget: float,
    blanks: dict[str, np.ndarray | dict[str, np.ndarray]] | None = None,
) -> Anonymised:
    """The least coarse recoding of ``hierarchies`` (in priority order for suppression)
    that reaches k with local suppression of at most ``budget`` of their values.

    ``fixed`` columns of ``raw`` are kept as they are; ``blanks`` (column -> row mask,
    or column -> level name -> row mask) are values that must be blank. The coarsest
    combination (every hierarchy at its last level) always succeeds when every fixed class
    has k rows.
    """
    blanks = blanks or {}
    n = len(raw)
    fixed_codes = [_factorize(raw[c]) for c in fixed]
    recoded: dict[tuple[int, int], pd.Series] = {}
    encoded: dict[tuple[int, int], np.ndarray] = {}
    imposed_by: dict[tuple[int, int], int] = {}
    for h, hierarchy in enumerate(hierarchies):
        given = blanks.get(hierarchy.column)
        for lv, level in enumerate(hierarchy.levels):
            mask = given.get(level.name) if isinstance(given, dict) else given
            if mask is None or not level.included:
                mask = np.zeros(n, dtype=bool)
            imposed_by[h, lv] = int(mask.sum())
            values = level.recode(raw).reset_index(drop=True).astype(object)
            values[mask] = None
            recoded[h, lv] = values
            encoded[h, lv] = _factorize(values)
    combos = sorted(
        itertools.product(*(range(len(h.levels)) for h in hierarchies)),
        key=lambda combo: (
            sum(h.levels[lv].loss for h, lv in zip(hierarchies, combo, strict=True)),
            combo,
        ),
    )
    allowed = budget * n * len(hierarchies)
    tried = 0
    for number, combo in enumerate(combos):
        start = np.column_stack(
            [*fixed_codes, *(encoded[h, lv] for h, lv in enumerate(combo))]
        ).reshape(n, len(fixed) + len(hierarchies))
        last = number == len(combos) - 1
        if not last and int((class_sizes(start) < k).sum()) > allowed:
            continue
        tried += 1
        codes = start.copy()
        if not suppress(codes, len(fixed), k):
            continue
        local = {
            h.column: int(
                ((codes[:, len(fixed) + i] == BLANK) & (start[:, len(fixed) + i] != BLANK)).sum()
            )
            for i, h in enumerate(hierarchies)
        }
        if sum(local.values()) > allowed and not last:
            continue
        frame = pd.DataFrame({c: raw[c].reset_index(drop=True) for c in fixed})
        for i, (h, lv) in enumerate(zip(hierarchies, combo, strict=True)):
            values = recoded[i, lv].copy()
            values[codes[:, len(fixed) + i] == BLANK] = None
            frame[h.column] = values
        imposed = {
            h.column: imposed_by[i, lv]
            for i, (h, lv) in enumerate(zip(hierarchies, combo, strict=True))
        }
        sizes = class_sizes(codes)
        return Anonymised(
            frame=frame,
            levels={h.column: h.levels[lv] for h, lv in zip(hierarchies, combo, strict=True)},
            k=int(sizes.min()) if n else 0,
            classes=int(class_keys(codes).max() + 1) if n else 0,
            imposed=imposed,
            local=local,
            rows=n,
            tried=tried,
            budget=budget,
        )
    raise ValueError("no recoding reaches k: a gemeente-quarter has fewer than k rows")
