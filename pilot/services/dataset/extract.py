"""The finer extract, for an evaluator whom a beheerder granted it (``grants.py``).

Today's detail of every non-withdrawn incident: 100 m cell, date, time band, the boa's
pseudonym and the registration delay in days, without k-anonymity or blanking. Still
never in it: the exact point, the time, the remark, keyed hashes or the app's ids.
"""

import pandas as pd

from gemeenten.boundaries import to_wgs84
from pilot import codes
from pilot.services.dataset.codebook import (
    CODE,
    DATUM,
    GETAL,
    JANEE,
    KOMMA,
    Variable,
    coded,
    gedraging_column,
    gedraging_variables,
    identity_variables,
)
from pilot.services.dataset.protected import random_ids

CELL_M = 100
INCIDENTS = "incidenten"


def extract_incidents(raw: pd.DataFrame) -> pd.DataFrame:
    """Every incident at today's detail, with a random row id, in codebook column order."""
    out = pd.DataFrame({"rij_id": random_ids(len(raw))})
    for name in ("gemeente", "gemeente_naam", "tranche", "boa", "kwartaal"):
        out[name] = raw[name].to_numpy()
    out["datum"] = raw["datum"].astype(str).to_numpy()
    out["weekdag"] = raw["weekdag"].to_numpy()
    out["tijdvak"] = raw["tijdvak"].to_numpy()
    x = [xy[0] for xy in raw["cel_100"]]
    y = [xy[1] for xy in raw["cel_100"]]
    out["cel_x"], out["cel_y"] = x, y
    if len(raw):
        lat, lon = to_wgs84(out["cel_x"] + CELL_M / 2, out["cel_y"] + CELL_M / 2)
        out["cel_lat"], out["cel_lon"] = lat.round(6), lon.round(6)
    else:
        out["cel_lat"] = out["cel_lon"] = []
    for name in (
        "locatie_type",
        *(gedraging_column(c.code) for c in codes.GEDRAGING.codes),
        "kennisname",
        "kleding",
        "rol_boa",
        "afdoening",
        "aantal_verdachten",
        "leeftijd_verdachten",
        "aantal_slachtoffers",
        "slachtofferhulp",
    ):
        out[name] = raw[name].to_numpy()
    delay = raw["vertraging"] if len(raw) else pd.Series([], dtype="timedelta64[ns]")
    out["registratie_vertraging_dagen"] = pd.array(delay.dt.days.to_numpy(), dtype="Int64")
    out["synthetisch"] = raw["synthetisch"].to_numpy()
    return out.sort_values(["gemeente", "datum", "rij_id"], kind="stable").reset_index(drop=True)


def incident_variables() -> list[Variable]:
    """The columns of the extract's ``incidenten`` file, in file order."""
    i = INCIDENTS
    return [
        *identity_variables(i),
        Variable(i, "boa", CODE, "Pseudoniem van de boa (geen naam of personeelsnummer)."),
        Variable(i, "kwartaal", CODE, "Kwartaal van de lokale datum (JJJJ-Kn)."),
        Variable(i, "datum", DATUM, "Lokale datum van het incident (Europe/Amsterdam)."),
        coded(i, "weekdag", "Dag van de week van de lokale datum.", codes.WEEKDAG),
        coded(i, "tijdvak", "Tijdvak van het lokale tijdstip.", codes.TIJDVAK),
        Variable(i, "cel_x", GETAL, "RD New x (m) van de linkeronderhoek van de 100 m-cel."),
        Variable(i, "cel_y", GETAL, "RD New y (m) van de linkeronderhoek van de 100 m-cel."),
        Variable(i, "cel_lat", KOMMA, "WGS84-breedte van het midden van de 100 m-cel."),
        Variable(i, "cel_lon", KOMMA, "WGS84-lengte van het midden van de 100 m-cel."),
        coded(i, "locatie_type", "Type locatie.", codes.LOCATIE_TYPE),
        *gedraging_variables(i),
        coded(i, "kennisname", "Wijze van kennisname.", codes.KENNISNAME),
        coded(i, "kleding", "Optreden in uniform of in burger.", codes.KLEDING),
        coded(i, "rol_boa", "Rol van de boa.", codes.ROL_BOA),
        coded(i, "afdoening", "Afdoening.", codes.AFDOENING),
        Variable(i, "aantal_verdachten", GETAL, "Aantal verdachten."),
        coded(i, "leeftijd_verdachten", "Geschatte leeftijd verdachte(n).", codes.LEEFTIJD),
        Variable(i, "aantal_slachtoffers", GETAL, "Aantal slachtoffers."),
        Variable(i, "slachtofferhulp", JANEE, "1 = slachtoffer doorverwezen naar slachtofferhulp."),
        Variable(
            i,
            "registratie_vertraging_dagen",
            GETAL,
            "Hele dagen tussen het incident en de registratie.",
        ),
        Variable(
            i, "synthetisch", JANEE, "1 = synthetisch record (test of demo), geen echt incident."
        ),
    ]
