"""The gemeente, boa and dienst tables of a dataset, and how much of them each dataset gets.

Gemeenten (code, name, tranche, pilot period, population) are public facts: the same in
both datasets. Boa's and diensten are cut to what the outsider publication offers in the
default dataset:

* boa's: the publication gives authorised boa's per gemeente for the whole pilot only
  (``publication._boa_lattice``: per quarter or year an attacker narrowed a hidden count
  from the other periods). A row per boa with its training and mandate dates would give
  those quarterly counts back, and coarsened dates (year) the yearly ones; so the default
  dataset has one row per gemeente with the published pilot figure, blank where it is
  ``<k`` or ``×``. Pseudonym and dates per boa are only in a granted extract.
* diensten: the publication gives diensten and inzeturen (total, uniform, burger) per
  gemeente and completed quarter, exactly. The default dataset has those rows, plus the
  number of diensten per time band of their start and per type of area (``gebiedstype``,
  with a column for the shifts whose type is unknown): splits of a count of shifts, not of
  people. Per-dienst rows (date, length, team size, type of area) stay in the extract: the
  size of one team bounds the number of boa's of the gemeente from below, and that number
  is published for the pilot only and may be ``<k``. For the same reason inzeturen are
  not split by time band or type of area: a type with one dienst in a quarter would give
  that dienst's hours × team size, and at most 12 hours a dienst a team of at least
  inzeturen / 12 boa's; the quarter's total gives that only when it has one dienst.
"""

import pandas as pd

from pilot import codes
from pilot.services.dataset import rows
from pilot.services.dataset.codebook import (
    boa_count_variables,
    boa_variables,
    dienst_count_column,
    dienst_gebied_column,
    dienst_quarter_variables,
    dienst_variables,
    gemeente_variables,
)
from pilot.services.dataset.protected import random_ids
from pilot.services.disclosure.publication import PILOT, Publication


def _columns(frame: pd.DataFrame, variables) -> pd.DataFrame:
    return frame[[v.naam for v in variables]].reset_index(drop=True)


def gemeenten() -> pd.DataFrame:
    return _columns(rows.gemeenten(), gemeente_variables())


def published_boas(publication: Publication) -> pd.DataFrame:
    """Per gemeente: the authorised boa's of the whole pilot as published (blank: hidden)."""
    values = []
    for gemeente in publication.gemeenten:
        shown = publication.bevoegde_boas(gemeente.cbs_code, PILOT)
        values.append(shown.value if shown.exact else None)
    frame = pd.DataFrame(
        {
            "gemeente": [g.cbs_code for g in publication.gemeenten],
            "bevoegde_boas_pilot": pd.array(values, dtype="Int64"),
        }
    )
    return _columns(frame.sort_values("gemeente"), boa_count_variables())


def boas() -> pd.DataFrame:
    """Every boa with pseudonym and dates (granted extract only)."""
    return _columns(rows.boas(), boa_variables())


def published_diensten(publication: Publication) -> pd.DataFrame:
    """Per gemeente and completed quarter within its pilot: diensten (in all, per time
    band of the start and per type of area) and inzeturen, the quarters an outsider
    report offers."""
    raw = rows.diensten()
    people = {"uniform": raw["aantal_uniform"], "burger": raw["aantal_burger"]}
    for kind, count in people.items():
        raw[f"inzeturen_{kind}"] = raw["duur_minuten"] / 60 * count
    bands = [item.code for item in codes.TIJDVAK.codes]
    grouped = raw.groupby(["gemeente", "kwartaal"])
    counts = grouped.size()
    per_band = raw.groupby(["gemeente", "kwartaal", "tijdvak"]).size()
    areas = [item.code for item in codes.GEBIEDSTYPE.codes]
    raw["gebied_sleutel"] = raw["gebiedstype"].fillna("")  # "": unknown (a NaN key is lost)
    per_area = raw.groupby(["gemeente", "kwartaal", "gebied_sleutel"]).size()
    sums = grouped[["inzeturen_uniform", "inzeturen_burger"]].sum()
    out = []
    for gemeente in sorted(publication.gemeenten, key=lambda g: g.cbs_code):
        for period in publication.offered_periods(gemeente):
            if period.kind != "Q":
                continue
            key = (gemeente.cbs_code, period.key)
            uniform, burger = sums.loc[key] if key in sums.index else (0.0, 0.0)
            row = {"gemeente": key[0], "kwartaal": key[1]}
            row["aantal_diensten"] = int(counts.get(key, 0))
            for band in bands:
                row[dienst_count_column(band)] = int(per_band.get((*key, band), 0))
            for area in [*areas, None]:
                row[dienst_gebied_column(area)] = int(per_area.get((*key, area or ""), 0))
            row["inzeturen"] = round(uniform + burger, 2)
            row["inzeturen_uniform"] = round(uniform, 2)
            row["inzeturen_burger"] = round(burger, 2)
            out.append(row)
    variables = dienst_quarter_variables()
    frame = pd.DataFrame(out, columns=[v.naam for v in variables])
    return frame.sort_values(["gemeente", "kwartaal"]).reset_index(drop=True)


def diensten() -> pd.DataFrame:
    """One row per dienst with a random row id (granted extract only)."""
    frame = rows.diensten()
    frame.insert(0, "rij_id", random_ids(len(frame)))
    return _columns(frame, dienst_variables())
