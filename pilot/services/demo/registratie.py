"""Synthetic registration data for the demo: boa's, diensten, police figures and incidents.

Everything is marked synthetic and goes through the same validation services as real input
(incidents as one batch per gemeente, then one bulk insert and one audit event). Points
cluster around real nightlife areas and stations of each gemeente; times are weighted to the
evening and night. Safe to run twice: a gemeente that already has demo data is skipped.
Deterministic: each gemeente has its own seeded random generator.
"""

import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from sqlalchemy import insert, select

from pilot import audit, clock
from pilot.clock import AMSTERDAM
from pilot.extensions import db
from pilot.models import Boa, Dienst, Gemeente, Incident, PolitieCijfer
from pilot.services import boas as boas_service
from pilot.services import diensten as diensten_service
from pilot.services import politiecijfers as politie_service
from pilot.services.incidenten import IncidentInput, row_values, validate_batch

TOTAL_INCIDENTS = 5000


@dataclass(frozen=True)
class Hotspot:
    naam: str
    lat: float
    lon: float
    locatie_type: str


# Real places inside each gemeente: nightlife areas and stations.
HOTSPOTS: dict[str, tuple[Hotspot, ...]] = {
    "GM0599": (
        Hotspot("Witte de Withstraat", 51.9165, 4.4788, "uitgaansgebied"),
        Hotspot("Stationsplein", 51.9236, 4.4695, "ov_station"),
        Hotspot("Oude Haven", 51.9203, 4.4902, "horeca_terras"),
        Hotspot("Lijnbaan", 51.9203, 4.4716, "winkelgebied"),
    ),
    "GM0344": (
        Hotspot("Neude", 52.0929, 5.1192, "uitgaansgebied"),
        Hotspot("Utrecht Centraal", 52.0894, 5.1102, "ov_station"),
        Hotspot("Janskerkhof", 52.0937, 5.1222, "horeca_terras"),
    ),
    "GM0202": (
        Hotspot("Korenmarkt", 51.9812, 5.9067, "uitgaansgebied"),
        Hotspot("Arnhem Centraal", 51.9848, 5.8993, "ov_station"),
    ),
    "GM0034": (
        Hotspot("Grote Markt", 52.3716, 5.2213, "uitgaansgebied"),
        Hotspot("Station Almere Centrum", 52.3748, 5.2178, "ov_station"),
    ),
    "GM0505": (
        Hotspot("Scheffersplein", 51.8131, 4.6617, "uitgaansgebied"),
        Hotspot("Station Dordrecht", 51.8093, 4.6682, "ov_station"),
    ),
    "GM0917": (
        Hotspot("Pancratiusplein", 50.8880, 5.9797, "uitgaansgebied"),
        Hotspot("Station Heerlen", 50.8910, 5.9741, "ov_station"),
    ),
    "GM0855": (
        Hotspot("Piusplein en Korte Heuvel", 51.5568, 5.0896, "uitgaansgebied"),
        Hotspot("Station Tilburg", 51.5606, 5.0837, "ov_station"),
    ),
    "GM0361": (
        Hotspot("Waagplein", 52.6322, 4.7487, "uitgaansgebied"),
        Hotspot("Station Alkmaar", 52.6379, 4.7397, "ov_station"),
    ),
    "GM0758": (
        Hotspot("Grote Markt en Havermarkt", 51.5883, 4.7758, "uitgaansgebied"),
        Hotspot("Station Breda", 51.5954, 4.7800, "ov_station"),
    ),
    "GM0546": (
        Hotspot("Nieuwe Rijn en Breestraat", 52.1592, 4.4920, "uitgaansgebied"),
        Hotspot("Leiden Centraal", 52.1663, 4.4815, "ov_station"),
    ),
}
# The type of area of a shift around a hotspot: the same code where both lists have it;
# terraces lie in the nightlife area, a street in the centre.
GEBIEDSTYPE_BIJ_LOCATIE = {"horeca_terras": "uitgaansgebied", "straat": "centrum_overig"}


def gebiedstype_of(spot: Hotspot | None) -> str:
    """The area type of a demo shift at ``spot`` (none: the centre)."""
    if spot is None:
        return "centrum_overig"
    return GEBIEDSTYPE_BIJ_LOCATIE.get(spot.locatie_type, spot.locatie_type)


# Trained boa's per gemeente (Rotterdam started with 13, Utrecht grew from 8 to 11).
BOA_COUNTS = {
    "GM0599": 13,
    "GM0344": 11,
    "GM0202": 8,
    "GM0034": 6,
    "GM0505": 5,
    "GM0917": 4,
    "GM0855": 7,
    "GM0361": 4,
    "GM0758": 6,
    "GM0546": 5,
}
LATE_BOAS = {"GM0344": (3, date(2025, 7, 1))}  # Utrecht's three extra boa's since the extension
WEIGHTS = {"GM0599": 3.0, "GM0344": 2.5, "GM0202": 1.2}
POLICE_GEMEENTEN = ("GM0599", "GM0344", "GM0202")

HOUR_WEIGHTS = np.array(
    [8, 6, 4, 2, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 9], dtype=float
)
AFDOENINGEN = {
    "waarschuwing": 0.44,
    "grensgeval": 0.15,
    "staandehouding": 0.10,
    "proces_verbaal": 0.12,
    "overgedragen_politie": 0.05,
    "reprimande": 0.04,
    "aanhouding": 0.02,
    "geen_optreden": 0.08,
}
OPMERKINGEN = (
    "Groep jongeren bij het terras, na aanspreken weggelopen.",
    "Melding via de app, situatie ter plaatse bevestigd.",
    "Spotter zag het voorval, collega in uniform sprak aan.",
    "Verdachte gaf toe en bood excuses aan.",
    "Grensgeval: staren en sissen, geen strafbaar feit vastgesteld.",
    "Slachtoffer wilde geen aangifte doen.",
)


def _rng(cbs_code: str, salt: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(f"{cbs_code}:{salt}".encode()))


def _period(gemeente: Gemeente, today: date) -> tuple[date, date] | None:
    end = min(gemeente.pilot_eind or today, today - timedelta(days=1))
    return (gemeente.pilot_start, end) if end >= gemeente.pilot_start else None


def _gemeenten() -> list[Gemeente]:
    return list(db.session.execute(select(Gemeente).order_by(Gemeente.cbs_code)).scalars())


def seed_boas() -> int:
    """Boa's (through the boa service) trained and mandated before the gemeente's start;
    demo codes end in D + a number so a second run recognises them."""
    added = 0
    for gemeente in _gemeenten():
        count = BOA_COUNTS.get(gemeente.cbs_code, 5)
        prefix = f"BOA-{gemeente.cbs_code[2:]}-D"
        if db.session.execute(select(Boa.id).where(Boa.code.startswith(prefix))).first():
            continue
        late, late_start = LATE_BOAS.get(gemeente.cbs_code, (0, None))
        for number in range(1, count + 1):
            start = gemeente.pilot_start - timedelta(days=14)
            if number > count - late:
                start = late_start
            boas_service.register_boa(
                gemeente,
                boas_service.BoaInput(
                    opleidingsdatum=start - timedelta(days=21), mandaat_start=start
                ),
                make_code=lambda cbs, n=number: f"BOA-{cbs[2:]}-D{n:03d}",
            )
            added += 1
    return added


def seed_diensten(today: date) -> int:
    """Friday and Saturday night shifts (past midnight) in the nightlife area and some
    Saturday afternoon shifts at the other hotspots, each with the hotspot's area type."""
    added = 0
    for gemeente in _gemeenten():
        period = _period(gemeente, today)
        exists = select(Dienst.id).where(Dienst.gemeente_id == gemeente.id, Dienst.synthetisch)
        if period is None or db.session.execute(exists).first():
            continue
        rng = _rng(gemeente.cbs_code, "diensten")
        spots = HOTSPOTS.get(gemeente.cbs_code, ())
        rows = []
        day = period[0]
        while day <= period[1]:
            shifts = []
            if day.weekday() in (4, 5):
                shifts.append((time(21, 0), time(3, 0), spots[0] if spots else None))
            if day.weekday() == 5 and rng.random() < 0.5 and len(spots) > 1:
                # the afternoon shift takes the other hotspots in turn, week by week
                other = spots[1 + day.isocalendar().week % (len(spots) - 1)]
                shifts.append((time(13, 0), time(19, 0), other))
            for begin, end, spot in shifts:
                item = diensten_service.DienstInput(
                    datum=day,
                    begintijd=begin,
                    eindtijd=end,
                    gebied=f"Omgeving {spot.naam if spot else 'centrum'}",
                    aantal_uniform=int(rng.integers(1, 4)),
                    aantal_burger=int(rng.integers(0, 3)),
                    gebiedstype=gebiedstype_of(spot),
                )
                if not diensten_service.validate(gemeente, item, today):
                    rows.append(
                        {**diensten_service.row_values(gemeente, item), "synthetisch": True}
                    )
            day += timedelta(days=1)
        if rows:
            db.session.execute(insert(Dienst), [{**row, "version": 1} for row in rows])
            audit.record("demo", "dienst", gemeente_id=gemeente.id, aantal=len(rows))
            added += len(rows)
    db.session.commit()
    return added


def seed_politie(today: date) -> int:
    """Monthly police figures for the gemeenten that receive them."""
    added = 0
    for gemeente in _gemeenten():
        period = _period(gemeente, today)
        exists = select(PolitieCijfer.id).where(PolitieCijfer.gemeente_id == gemeente.id)
        if (
            gemeente.cbs_code not in POLICE_GEMEENTEN
            or period is None
            or db.session.execute(exists).first()
        ):
            continue
        rng = _rng(gemeente.cbs_code, "politie")
        month = period[0].replace(day=1)
        while month <= period[1]:
            only_meldingen = gemeente.cbs_code == "GM0202"
            politie_service.save_cijfers(
                gemeente,
                politie_service.PolitieInput(
                    maand=month,
                    meldingen=int(rng.poisson(18)),
                    aangiftes=None if only_meldingen else int(rng.poisson(5)),
                    processen_verbaal=None if only_meldingen else int(rng.poisson(3)),
                ),
            )
            added += 1
            month = (month + timedelta(days=32)).replace(day=1)
    return added


def _boas_on(boas: list[Boa], day: date) -> list[Boa]:
    return [b for b in boas if b.getraind_op(day) and b.mandaat_op(day)]


def _items(gemeente: Gemeente, period: tuple[date, date], count: int) -> list[IncidentInput]:
    rng = _rng(gemeente.cbs_code, "incidenten")
    spots = HOTSPOTS[gemeente.cbs_code]
    boas = list(db.session.execute(select(Boa).where(Boa.gemeente_id == gemeente.id)).scalars())
    days = (period[1] - period[0]).days + 1
    afdoeningen = list(AFDOENINGEN)
    p_afdoening = np.array(list(AFDOENINGEN.values()))
    items = []
    for _ in range(count):
        day = period[0] + timedelta(days=int(rng.integers(0, days)))
        hour = int(rng.choice(24, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum()))
        spot = spots[min(int(rng.exponential(1.0)), len(spots) - 1)]
        spread = 0.0012 if rng.random() < 0.75 else 0.006  # ~130 m around the spot, or ~650 m
        afdoening = str(rng.choice(afdoeningen, p=p_afdoening / p_afdoening.sum()))
        on_duty = _boas_on(boas, day) or boas
        slachtoffers = int(rng.choice([0, 1, 1, 1, 2]))
        gedragingen = sorted(
            set(rng.choice(["opmerkingen", "gebaren", "geluiden", "aanrakingen"], size=2))
        )
        items.append(
            IncidentInput(
                tijdstip=datetime.combine(
                    day, time(hour, int(rng.integers(0, 60))), tzinfo=AMSTERDAM
                ),
                lat=float(spot.lat + rng.normal(0, spread)),
                lon=float(spot.lon + rng.normal(0, spread * 1.6)),
                boa_id=on_duty[int(rng.integers(0, len(on_duty)))].id,
                locatie_type=spot.locatie_type if rng.random() < 0.7 else "straat",
                gedragingen=gedragingen,
                kennisname=str(
                    rng.choice(
                        ["eigen_waarneming", "melding_slachtoffer", "melding_omstander", "camera"],
                        p=[0.55, 0.25, 0.15, 0.05],
                    )
                ),
                kleding="burger" if rng.random() < 0.4 else "uniform",
                rol_boa="spotter" if rng.random() < 0.3 else "interventie",
                afdoening=afdoening,
                aantal_verdachten=int(rng.choice([1, 1, 1, 2, 3])),
                leeftijd_verdachten="onder_18"
                if afdoening == "reprimande"
                else str(rng.choice(["18_24", "18_24", "25_39", "40_plus", "onbekend"])),
                aantal_slachtoffers=slachtoffers,
                slachtofferhulp=bool(slachtoffers and rng.random() < 0.2),
                opmerking=str(rng.choice(OPMERKINGEN)) if rng.random() < 0.1 else None,
            )
        )
    return items


def _registration_delays(cbs_code: str, count: int) -> list[timedelta]:
    """When each demo incident was registered: mostly the same night (a few hours after),
    some the next days, about one in twelve more than seven days later (late). Without
    this every back-filled demo record would count as registered late."""
    rng = _rng(cbs_code, "registratie")
    hours = np.where(
        rng.random(count) < 0.92,
        rng.exponential(10.0, count),
        rng.uniform(7 * 24 + 1, 40 * 24, count),
    )
    return [timedelta(hours=float(h)) for h in hours]


def seed_incidenten(today: date, total: int = TOTAL_INCIDENTS) -> tuple[int, int]:
    """About ``total`` synthetic incidents over the pilot periods; returns (stored, refused)."""
    gemeenten = [g for g in _gemeenten() if g.cbs_code in HOTSPOTS and _period(g, today)]
    shares = {
        g.cbs_code: WEIGHTS.get(g.cbs_code, 1.0)
        * ((_period(g, today)[1] - _period(g, today)[0]).days + 1)
        for g in gemeenten
    }
    stored = refused = 0
    for gemeente in gemeenten:
        exists = select(Incident.id).where(
            Incident.gemeente_id == gemeente.id, Incident.synthetisch
        )
        if db.session.execute(exists).first():
            continue
        count = round(total * shares[gemeente.cbs_code] / sum(shares.values()))
        items = _items(gemeente, _period(gemeente, today), count)
        errors = validate_batch(gemeente, items)
        delays, now = _registration_delays(gemeente.cbs_code, len(items)), clock.now()
        rows = [
            {
                **row_values(gemeente, item, gemeente.heeft_grens),
                "aangemaakt_op": min(item.tijdstip + delay, now),
                "synthetisch": True,
                "version": 1,
            }
            for item, item_errors, delay in zip(items, errors, delays, strict=True)
            if not item_errors
        ]
        if rows:
            db.session.execute(insert(Incident), rows)
            audit.record("demo", "incident", gemeente_id=gemeente.id, aantal=len(rows))
            db.session.commit()
        stored += len(rows)
        refused += len(items) - len(rows)
    return stored, refused
