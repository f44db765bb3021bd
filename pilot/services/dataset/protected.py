"""The default evaluation dataset: k-anonymous and consistent with the published tables.

Rows: the incidents that the outsider publication counts (completed quarters inside each
gemeente's pilot period, not withdrawn), less the gemeente-quarters that the publication
leaves out because they have fewer than k incidents. Values: first every value that the
published tables hide is blanked (``disclosure.consistency``), then the quasi-identifiers
are recoded and locally suppressed to k-anonymity (``disclosure.microdata``). The row id
is drawn at random per export; the boa, the exact date and the delay in days are not in it.
"""

import secrets
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from gemeenten.boundaries import to_wgs84
from pilot import codes
from pilot.services.dataset import rows as source
from pilot.services.dataset.codebook import (
    CODE,
    GETAL,
    JANEE,
    KOMMA,
    PROTECTION,
    CodebookRow,
    Variable,
    coded,
    gedraging_column,
    gedraging_variables,
    identity_variables,
)
from pilot.services.disclosure.consistency import blanking
from pilot.services.disclosure.microdata import Anonymised, anonymise
from pilot.services.disclosure.publication import Publication, breakdowns
from pilot.services.disclosure.quasi_identifiers import CELL_SIZE, FIXED, HIERARCHIES

# At most this share of the quasi-identifier values may be blanked by local suppression.
LOCAL_SUPPRESSION_BUDGET = 0.05
INCIDENTS = "incidenten"
# The dataset variable of each breakdown variable of the publication (None: not in it).
_VARIABLE_OF = {
    "afdoening": "afdoening",
    "kleding": "kleding",
    "locatie_type": "locatie_type",
    "kennisname": "kennisname",
    "rol_boa": "rol_boa",
    "leeftijd": "leeftijd_verdachten",
    "weekdag": "weekdag",
    "tijdvak": "tijdvak",
    "laat_geregistreerd": "registratie_vertraging",
    "pv_zonder_zaaknummer": None,
    "grens_niet_gecontroleerd": None,
    "geimporteerd": None,
}
AANRAKINGEN = gedraging_column("aanrakingen")


def _aanraking(rows: pd.DataFrame) -> np.ndarray:
    return np.where(rows[AANRAKINGEN].astype(int) == 1, "met", "zonder")


def _slachtoffer(rows: pd.DataFrame) -> np.ndarray:
    none = rows["aantal_slachtoffers"].astype(int) == 0
    referred = rows["slachtofferhulp"].astype(int) == 1
    return np.where(none, "geen", np.where(referred, "doorverwezen", "niet_doorverwezen"))


# Breakdown axes whose code the dataset holds only as a function of other variables: the
# code per row, and the variables that give it away (all blank where the axis is).
_DERIVED = {
    "aanraking": (_aanraking, (AANRAKINGEN,)),
    "slachtoffer": (_slachtoffer, ("aantal_slachtoffers", "slachtofferhulp")),
}


def variable_of() -> dict[str, str | None]:
    """``_VARIABLE_OF`` plus one 0/1 column per conduct code of the current codebook."""
    gedraging = {c.code: gedraging_column(c.code) for c in codes.GEDRAGING.codes}
    return {**_VARIABLE_OF, **gedraging}


def _targets(axis: str) -> tuple[str, ...]:
    """The dataset variables blanked where breakdown axis ``axis`` is suppressed."""
    if axis in _DERIVED:
        return _DERIVED[axis][1]
    variable = variable_of()[axis]
    return () if variable is None else (variable,)


def protected_variables() -> list[str]:
    """Every dataset variable that the published tables may blank."""
    names = [v for v in variable_of().values() if v]
    names += [v for _, targets in _DERIVED.values() for v in targets]
    return list(dict.fromkeys(names))


@dataclass
class Protection:
    """What the protection did, for the codebook and the tests."""

    k: int
    anonymised: Anonymised
    rows: int
    left_out: dict[str, int]
    blanked: dict[str, tuple[int, int]] = field(default_factory=dict)  # tables, local

    def share(self, variable: str) -> float:
        tables, local = self.blanked[variable]
        return (tables + local) / self.rows if self.rows else 0.0

    @property
    def included(self) -> list[str]:
        """The protected variables in the file (not left out by recoding)."""
        levels = self.anonymised.levels
        return [v for v in self.blanked if v not in levels or levels[v].included]

    @property
    def total_share(self) -> float:
        cells = self.rows * len(self.included)
        blank = sum(sum(self.blanked[v]) for v in self.included)
        return blank / cells if cells else 0.0


def outsider_rows(raw: pd.DataFrame, publication: Publication) -> tuple[pd.DataFrame, dict]:
    """The rows the publication counts, and how many were left out and why."""
    if raw.empty:
        return raw, {
            "buiten_pilot_of_lopend_kwartaal": 0,
            "kleine_kwartalen": 0,
            "rijen_kleine_kwartalen": 0,
        }
    in_pilot = (raw["datum"] >= raw["pilot_start"]) & (
        raw["pilot_eind"].isna() | (raw["datum"] <= raw["pilot_eind"])
    )
    quarters = {q.code for q in publication.quarters}
    units = set(publication.units)
    counted = in_pilot & raw["kwartaal"].isin(quarters) & raw["gemeente"].isin(units)
    excluded = pd.Series(
        [
            (g, q) in publication.excluded
            for g, q in zip(raw["gemeente"], raw["kwartaal"], strict=True)
        ],
        index=raw.index,
    )
    left_out = {
        "buiten_pilot_of_lopend_kwartaal": int((~counted).sum()),
        "kleine_kwartalen": len(publication.excluded),
        "rijen_kleine_kwartalen": int((counted & excluded).sum()),
    }
    return raw[counted & ~excluded].reset_index(drop=True), left_out


def _table_blanks(rows: pd.DataFrame, publication: Publication):
    """Per dataset variable: the rows in which the published tables make it blank; and
    per location level, the rows without a location."""
    plan = blanking(publication)
    columns_of = variable_of()
    g, q = rows["gemeente"].tolist(), rows["kwartaal"].tolist()
    masks: dict[str, np.ndarray] = {}
    for breakdown in breakdowns():
        values = {
            axis.name: (
                _DERIVED[axis.name][0](rows).tolist()
                if axis.name in _DERIVED
                else rows[columns_of[axis.name]].astype(str).tolist()
            )
            for axis in breakdown.axes
            if axis.single
        }
        for name, mask in plan.breakdown(breakdown.name, g, q, values).items():
            for variable in _targets(name):
                masks[variable] = masks.get(variable, np.zeros(len(rows), dtype=bool)) | mask
    x = [xy[0] for xy in rows["cel_500"]]
    y = [xy[1] for xy in rows["cel_500"]]
    locations = {name: plan.location(g, q, x, y, size) for name, size in CELL_SIZE.items()}
    return masks, locations


def _location_columns(values: pd.Series, size: int | None) -> pd.DataFrame:
    frame = pd.DataFrame(index=values.index)
    present = values.notna().to_numpy()
    x = np.full(len(values), np.nan)
    y = np.full(len(values), np.nan)
    if size is not None and present.any():
        parts = values[present].str.split(":", expand=True).astype(float)
        x[present], y[present] = parts[0].to_numpy(), parts[1].to_numpy()
    lat = np.full(len(values), np.nan)
    lon = np.full(len(values), np.nan)
    if size is not None and present.any():
        lat[present], lon[present] = to_wgs84(x[present] + size / 2, y[present] + size / 2)
    frame["cel_x"] = pd.array(x, dtype="Float64").astype("Int64")
    frame["cel_y"] = pd.array(y, dtype="Float64").astype("Int64")
    frame["cel_lat"] = pd.array(np.round(lat, 6), dtype="Float64")
    frame["cel_lon"] = pd.array(np.round(lon, 6), dtype="Float64")
    return frame


def random_ids(n: int) -> np.ndarray:
    """1..n in a random order, drawn afresh for every export."""
    return np.random.default_rng(secrets.randbits(128)).permutation(n) + 1


def protected_incidents(
    raw: pd.DataFrame, publication: Publication
) -> tuple[pd.DataFrame, Protection, int | None]:
    """The default incident file, its protection, and its location cell size (m)."""
    k = publication.k
    rows, left_out = outsider_rows(raw, publication)
    rows["registratie_vertraging"] = rows["vertraging"].map(source.delay_band) if len(rows) else []
    masks, locations = _table_blanks(rows, publication) if len(rows) else ({}, {})
    qi_blanks = {h.column: masks[h.column] for h in HIERARCHIES if h.column in masks}
    qi_blanks["locatie"] = locations
    result = anonymise(rows, FIXED, HIERARCHIES, k, LOCAL_SUPPRESSION_BUDGET, qi_blanks)
    size = CELL_SIZE.get(result.levels["locatie"].name)
    out = pd.DataFrame({"rij_id": random_ids(len(rows))})
    for name in ("gemeente", "gemeente_naam", "tranche", "kwartaal"):
        out[name] = rows[name].to_numpy()
    for name in ("periode", "weekdag", "tijdvak"):
        out[name] = result.frame[name].to_numpy()
    out = out.join(_location_columns(result.frame["locatie"], size))
    out["locatie_type"] = result.frame["locatie_type"].to_numpy()
    protected = protected_variables()
    for name in [gedraging_column(c.code) for c in codes.GEDRAGING.codes]:
        out[name] = pd.array(rows[name].to_numpy(), dtype="Int64")
    for name in (
        "kennisname",
        "kleding",
        "rol_boa",
        "afdoening",
        "aantal_verdachten",
        "leeftijd_verdachten",
        "aantal_slachtoffers",
        "slachtofferhulp",
        "registratie_vertraging",
        "synthetisch",
    ):
        out[name] = rows[name].to_numpy() if len(rows) else []
    for name in ("aantal_slachtoffers", "slachtofferhulp"):
        out[name] = pd.array(out[name].to_numpy(), dtype="Int64")
    blanked: dict[str, tuple[int, int]] = {}
    for hierarchy in HIERARCHIES:
        column = hierarchy.column
        blanked[column] = (result.imposed[column], result.local[column])
    for variable in protected:
        if variable in blanked:
            continue
        mask = masks.get(variable, np.zeros(len(rows), dtype=bool))
        out.loc[mask, variable] = None
        blanked[variable] = (int(mask.sum()), 0)
    protection = Protection(k, result, len(rows), left_out, blanked)
    out = out.sort_values(["gemeente", "kwartaal", "rij_id"], kind="stable").reset_index(drop=True)
    return out, protection, size


def incident_variables(protection: Protection, size: int | None) -> list[Variable]:
    """The columns of the default ``incidenten`` file, in file order."""
    i = INCIDENTS
    levels = protection.anonymised.levels
    cel = f"de cel van {size} m" if size else "de cel (niet opgenomen)"

    def level_of(name: str) -> str:
        return f" Niveau: {levels[name].label}."

    def qi(name: str, kind: str, text: str) -> Variable:
        level = levels[name]
        return Variable(
            i,
            name,
            kind,
            text + level_of(name),
            name if level.codes else "",
            tuple(level.codes),
            True,
        )

    return [
        *identity_variables(i),
        Variable(i, "kwartaal", CODE, "Kwartaal van de lokale datum (JJJJ-Kn)."),
        qi("periode", CODE, "Periode van de lokale datum binnen het kwartaal."),
        qi("weekdag", CODE, "Dag van de week van de lokale datum (0 = maandag)."),
        qi("tijdvak", CODE, "Tijdvak van het lokale tijdstip."),
        Variable(
            i,
            "cel_x",
            GETAL,
            f"RD New x (m) van de linkeronderhoek van {cel}." + level_of("locatie"),
            beschermd=True,
        ),
        Variable(
            i, "cel_y", GETAL, f"RD New y (m) van de linkeronderhoek van {cel}.", beschermd=True
        ),
        Variable(i, "cel_lat", KOMMA, f"WGS84-breedte van het midden van {cel}.", beschermd=True),
        Variable(i, "cel_lon", KOMMA, f"WGS84-lengte van het midden van {cel}.", beschermd=True),
        qi("locatie_type", CODE, "Type locatie."),
        *gedraging_variables(i, beschermd=True),
        coded(i, "kennisname", "Wijze van kennisname.", codes.KENNISNAME, True),
        coded(i, "kleding", "Optreden in uniform of in burger.", codes.KLEDING, True),
        coded(i, "rol_boa", "Rol van de boa.", codes.ROL_BOA, True),
        coded(i, "afdoening", "Afdoening.", codes.AFDOENING, True),
        Variable(i, "aantal_verdachten", GETAL, "Aantal verdachten."),
        coded(i, "leeftijd_verdachten", "Geschatte leeftijd verdachte(n).", codes.LEEFTIJD, True),
        Variable(i, "aantal_slachtoffers", GETAL, "Aantal slachtoffers.", beschermd=True),
        Variable(
            i,
            "slachtofferhulp",
            JANEE,
            "1 = slachtoffer doorverwezen naar slachtofferhulp.",
            beschermd=True,
        ),
        Variable(
            i,
            "registratie_vertraging",
            CODE,
            "Tijd tussen het incident en de registratie "
            "(de eerste klasse is ‘niet laat geregistreerd’).",
            "registratie_vertraging",
            tuple((code, label) for code, label, _ in source.DELAY_BANDS),
            True,
        ),
        Variable(
            i, "synthetisch", JANEE, "1 = synthetisch record (test of demo), geen echt incident."
        ),
    ]


def _percent(share: float) -> str:
    return f"{share * 100:.1f} %".replace(".", ",")


def protection_rows(protection: Protection, size: int | None) -> list[CodebookRow]:
    """The protection section of the codebook (section 'bescherming')."""
    a = protection.anonymised
    qis = ", ".join([*FIXED, *(h.column for h in HIERARCHIES)])

    def row(variable: str, code: str, value: str, text: str) -> CodebookRow:
        return CodebookRow(PROTECTION, variable, "", "", code, value, text)

    rows = [
        row("dataset", "k_vereist", str(protection.k), "Vereiste k (PILOT_SUPPRESSION_K)."),
        row(
            "dataset",
            "k_bereikt",
            str(a.k),
            "Bereikte k: de kleinste groep rijen met dezelfde "
            f"waarden op de quasi-identificatoren ({qis}); een lege waarde telt als eigen waarde.",
        ),
        row(
            "dataset",
            "equivalentieklassen",
            str(a.classes),
            "Aantal verschillende combinaties van de quasi-identificatoren.",
        ),
        row("dataset", "rijen", str(protection.rows), "Aantal incidenten in het bestand."),
        row(
            "dataset",
            "weggelaten_kleine_kwartalen",
            str(protection.left_out["rijen_kleine_kwartalen"]),
            f"Incidenten weggelaten uit {protection.left_out['kleine_kwartalen']} "
            f"gemeente-kwartalen met minder dan {protection.k} incidenten "
            "(ook buiten elke gepubliceerde tabel).",
        ),
        row(
            "dataset",
            "weggelaten_overig",
            str(protection.left_out["buiten_pilot_of_lopend_kwartaal"]),
            "Incidenten buiten de pilotperiode van hun gemeente of in een nog lopend kwartaal.",
        ),
        row(
            "dataset",
            "onderdrukt_totaal",
            _percent(protection.total_share),
            "Aandeel onderdrukte waarden over alle beschermde variabelen in het bestand "
            f"({', '.join(protection.included)}).",
        ),
        row(
            "dataset",
            "budget_lokale_onderdrukking",
            _percent(a.budget),
            "Hoogstens dit aandeel van de waarden van de quasi-identificatoren mag lokaal worden "
            "onderdrukt; de minst grove hercodering die dat haalt is gekozen.",
        ),
    ]
    for hierarchy in HIERARCHIES:
        level = a.levels[hierarchy.column]
        rows.append(
            row(
                hierarchy.column,
                "niveau",
                level.label,
                f"{hierarchy.label}: gekozen niveau van de globale hercodering.",
            )
        )
    for variable, (tables, local) in protection.blanked.items():
        level = a.levels.get(variable)
        if level is not None and not level.included:
            continue
        rows.append(
            row(
                variable,
                "onderdrukt",
                f"{tables + local} ({_percent(protection.share(variable))})",
                f"Onderdrukt: {tables} om de gepubliceerde tabellen en kaarten te beschermen, "
                f"{local} voor k-anonimiteit.",
            )
        )
    gpkg = (
        f"Het GeoPackage bevat het midden van de cel van {size} m als punt."
        if size
        else "Geen GeoPackage: de locatie is niet opgenomen."
    )
    rows.append(row("dataset", "geopackage", "ja" if size else "nee", gpkg))
    return rows


@dataclass
class PoliceProtection:
    left_out: int  # months outside the publication's quarters or the pilot
    blanked: dict[str, int]  # per measure: months blanked


def protected_police(frame: pd.DataFrame, publication: Publication):
    """Monthly police figures of the quarters the publication counts; a measure is blank
    in every month of a gemeente-quarter whose published figure is suppressed."""
    months = [date.fromisoformat(m) for m in frame["maand"]]
    keep, masks = blanking(publication).police(frame["gemeente"].tolist(), months)
    out = frame[keep].reset_index(drop=True)
    blanked = {}
    for measure, mask in masks.items():
        out.loc[mask, measure] = pd.NA
        blanked[measure] = int(mask.sum())
    return out, PoliceProtection(int((~keep).sum()), blanked)


def police_rows(protection: PoliceProtection) -> list[CodebookRow]:
    rows = [
        CodebookRow(PROTECTION, "politiecijfers", "", "", "weggelaten_maanden",
                    str(protection.left_out),
                    "Maanden buiten de pilotperiode van de gemeente of in een nog lopend "
                    "kwartaal."),
    ]  # fmt: skip
    for measure, count in protection.blanked.items():
        rows.append(
            CodebookRow(PROTECTION, measure, "", "", "onderdrukt", str(count),
                        "Maanden onderdrukt omdat het gepubliceerde kwartaalcijfer van de "
                        "gemeente onderdrukt is (de maanden tellen op tot dat cijfer).")
        )  # fmt: skip
    return rows
