"""The rows every dataset is made from, read once with SQL: incidents, diensten, police,
gemeenten and boa's.

Incidents come with their gemeente, local date, quarter, codes, the south-west corners of
their 100 m and 500 m cells (computed in SQL exactly as the hotspot grid and the
published maps compute them) and the registration delay. Never read: the exact point,
the time, the remark, keyed hashes, the app's ids. Withdrawn incidents are left out.
"""

from datetime import timedelta

import numpy as np
import pandas as pd
from sqlalchemy import literal_column

from pilot import codes
from pilot.extensions import db
from pilot.models import Boa, Dienst, Gemeente, Incident, PolitieCijfer
from pilot.quarters import Quarter
from pilot.services.disclosure.publication import LATE_DAYS
from pilot.services.hotspots.grid import shifted_cell_index

_OFFSET_M = 1_000_000
_DROPPED = ["ix_100", "iy_100", "ix_500", "iy_500", "tijdstip", "aangemaakt_op"]
DELAY_BANDS = (
    ("0_7", f"Tot en met {LATE_DAYS} dagen", timedelta(days=LATE_DAYS)),
    ("8_30", f"Meer dan {LATE_DAYS}, tot en met 30 dagen", timedelta(days=30)),
    ("31_plus", "Meer dan 30 dagen", None),
)


def _corner(index: pd.Series, size: int) -> np.ndarray:
    return (index.to_numpy(dtype=np.int64) - _OFFSET_M // size) * size


def delay_band(delay: timedelta) -> str:
    """The band of a registration delay; the first band is 'not registered late'."""
    for code, _, limit in DELAY_BANDS:
        if limit is None or delay <= limit:
            return code
    raise AssertionError("unreachable")


def incidents() -> pd.DataFrame:
    """Every non-withdrawn incident, one row each, with raw codes (see the docstring)."""
    cell_100, cell_500 = literal_column("100.0"), literal_column("500.0")
    statement = (
        db.select(
            Gemeente.cbs_code.label("gemeente"),
            Gemeente.naam.label("gemeente_naam"),
            Gemeente.tranche,
            Gemeente.pilot_start,
            Gemeente.pilot_eind,
            Boa.code.label("boa"),
            Incident.lokale_datum.label("datum"),
            Incident.weekdag,
            Incident.tijdvak,
            shifted_cell_index(Incident.rd_x, cell_100).label("ix_100"),
            shifted_cell_index(Incident.rd_y, cell_100).label("iy_100"),
            shifted_cell_index(Incident.rd_x, cell_500).label("ix_500"),
            shifted_cell_index(Incident.rd_y, cell_500).label("iy_500"),
            Incident.locatie_type,
            Incident.gedragingen,
            Incident.kennisname,
            Incident.kleding,
            Incident.rol_boa,
            Incident.afdoening,
            Incident.aantal_verdachten,
            Incident.leeftijd_verdachten,
            Incident.aantal_slachtoffers,
            Incident.slachtofferhulp,
            Incident.tijdstip,
            Incident.aangemaakt_op,
            Incident.synthetisch,
        )
        .join(Gemeente, Gemeente.id == Incident.gemeente_id)
        .join(Boa, Boa.id == Incident.boa_id)
        .where(Incident.ingetrokken_op.is_(None))
        .order_by(Gemeente.cbs_code, Incident.lokale_datum)
    )
    result = db.session.execute(statement)
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    gedraging = [f"gedraging_{item.code}" for item in codes.GEDRAGING.codes]  # current book
    derived = ["kwartaal", "cel_100", "cel_500", "vertraging", *gedraging]
    if frame.empty:
        return frame.reindex(columns=[*frame.columns, *derived]).drop(columns=_DROPPED)
    frame["kwartaal"] = frame["datum"].map(lambda d: Quarter(d.year, (d.month - 1) // 3 + 1).code)
    x100, y100 = _corner(frame["ix_100"], 100), _corner(frame["iy_100"], 100)
    x500, y500 = _corner(frame["ix_500"], 500), _corner(frame["iy_500"], 500)
    frame["cel_100"] = list(zip(x100.tolist(), y100.tolist(), strict=True))
    frame["cel_500"] = list(zip(x500.tolist(), y500.tolist(), strict=True))
    delay = pd.to_datetime(frame["aangemaakt_op"], utc=True) - pd.to_datetime(
        frame["tijdstip"], utc=True
    )
    frame["vertraging"] = delay
    for item in codes.GEDRAGING.codes:
        bit = codes.gedraging_bit(item.code)
        frame[f"gedraging_{item.code}"] = (frame["gedragingen"].astype(int) & bit != 0).astype(int)
    frame["slachtofferhulp"] = frame["slachtofferhulp"].astype(int)
    frame["synthetisch"] = frame["synthetisch"].astype(int)
    return frame.drop(columns=_DROPPED)


def diensten() -> pd.DataFrame:
    """Every dienst: gemeente, date, quarter, time band of the start (the report's bands,
    ``codes.tijdvak_for_hour``), type of area (a code; None: unknown), duration and the
    numbers of boa's. Never the gebied (free text) or the exact times."""
    statement = (
        db.select(
            Gemeente.cbs_code.label("gemeente"),
            Dienst.datum,
            Dienst.begintijd,
            Dienst.gebiedstype,
            Dienst.duur_minuten,
            Dienst.aantal_uniform,
            Dienst.aantal_burger,
            Dienst.synthetisch,
        )
        .join(Gemeente, Gemeente.id == Dienst.gemeente_id)
        .order_by(Gemeente.cbs_code, Dienst.datum, Dienst.id)
    )
    result = db.session.execute(statement)
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    frame["kwartaal"] = [Quarter(d.year, (d.month - 1) // 3 + 1).code for d in frame["datum"]]
    frame["tijdvak"] = [codes.tijdvak_for_hour(t.hour) for t in frame["begintijd"]]
    frame["datum"] = frame["datum"].astype(str)
    people = frame["aantal_uniform"] + frame["aantal_burger"]
    frame["inzeturen"] = (frame["duur_minuten"] / 60 * people).round(2)
    frame["synthetisch"] = frame["synthetisch"].astype(int)
    return frame.drop(columns=["begintijd"])


def gemeenten() -> pd.DataFrame:
    """The pilot gemeenten with their public facts."""
    statement = db.select(
        Gemeente.cbs_code.label("gemeente"),
        Gemeente.naam.label("gemeente_naam"),
        Gemeente.provincie,
        Gemeente.tranche,
        Gemeente.pilot_start,
        Gemeente.pilot_eind,
        Gemeente.inwoners,
    ).order_by(Gemeente.cbs_code)
    result = db.session.execute(statement)
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    for name in ("pilot_start", "pilot_eind"):
        frame[name] = [None if d is None else d.isoformat() for d in frame[name]]
    frame["inwoners"] = frame["inwoners"].astype("Int64")
    return frame


def boas() -> pd.DataFrame:
    """Every boa: gemeente, pseudonym, training and mandate dates, active or not."""
    statement = (
        db.select(
            Gemeente.cbs_code.label("gemeente"),
            Boa.code.label("boa"),
            Boa.opleidingsdatum,
            Boa.mandaat_start,
            Boa.mandaat_eind,
            Boa.actief,
        )
        .join(Gemeente, Gemeente.id == Boa.gemeente_id)
        .order_by(Gemeente.cbs_code, Boa.code)
    )
    result = db.session.execute(statement)
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    for name in ("opleidingsdatum", "mandaat_start", "mandaat_eind"):
        frame[name] = [None if d is None else d.isoformat() for d in frame[name]]
    frame["actief"] = frame["actief"].astype(int)
    return frame


def politiecijfers() -> pd.DataFrame:
    """Police figures per gemeente and month (empty where unknown)."""
    statement = (
        db.select(
            Gemeente.cbs_code.label("gemeente"),
            PolitieCijfer.maand,
            PolitieCijfer.meldingen,
            PolitieCijfer.aangiftes,
            PolitieCijfer.processen_verbaal,
        )
        .join(Gemeente, Gemeente.id == PolitieCijfer.gemeente_id)
        .order_by(Gemeente.cbs_code, PolitieCijfer.maand)
    )
    result = db.session.execute(statement)
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    frame["maand"] = frame["maand"].astype(str)
    for name in ("meldingen", "aangiftes", "processen_verbaal"):
        frame[name] = frame[name].astype("Int64")
    return frame
