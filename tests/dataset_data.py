"""Incidents for the dataset tests: five quarters of three gemeenten with many small cells.

Seeded at random with a fixed seed, registered through the clock (so the registration
delay is real), with one gemeente-quarter below k (left out of everything), one withdrawn
incident and incidents in the running quarter (2025-K4 on the tests' frozen day).
"""

import random
from datetime import UTC, date, datetime, timedelta

from pilot import clock, codes
from pilot.extensions import db
from pilot.models import PolitieCijfer
from tests.factories import gemeente, make_boa, make_incident

CENTRES = {"GM0599": (51.9225, 4.4792), "GM0344": (52.0907, 5.1214), "GM0202": (51.9851, 5.8987)}
PER_QUARTER = {"GM0599": 34, "GM0344": 20, "GM0202": 12}
QUARTERS = [(2024, 7), (2024, 10), (2025, 1), (2025, 4), (2025, 7)]
SMALL_QUARTER = ("GM0344", "2025-K1")  # only 3 incidents: left out of every outsider figure
AFDOENINGEN = [c.code for c in codes.AFDOENING.codes]
AFDOENING_WEIGHTS = [4, 10, 2, 3, 4, 2, 1, 2]


def _code(rng: random.Random, code_list: codes.CodeList, weights=None) -> str:
    items = [c.code for c in code_list.codes]
    return rng.choices(items, weights=weights or [1] * len(items))[0]


def _one(rng: random.Random, boa, centre, year: int, month: int, days: int = 90) -> None:
    day = datetime(year, month, 1, tzinfo=UTC) + timedelta(days=rng.randrange(days))
    hour = rng.choices(range(24), weights=[3] * 4 + [1] * 14 + [4] * 6)[0]
    tijdstip = day.replace(hour=hour, minute=rng.randrange(60))
    delay = rng.choices([timedelta(hours=2), timedelta(days=10), timedelta(days=40)], [18, 2, 1])[0]
    conduct = tuple(
        c.code
        for c in codes.GEDRAGING.codes
        if rng.random() < (0.8 if c.code == "opmerkingen" else 0.2)
    ) or ("gebaren",)
    afdoening = rng.choices(AFDOENINGEN, AFDOENING_WEIGHTS)[0]
    leeftijd = _code(rng, codes.LEEFTIJD, [1, 5, 4, 2, 1, 1])
    if afdoening == "reprimande":  # the form's rule: a reprimande is only for minors
        leeftijd = "onder_18"
    with clock.frozen(tijdstip + delay):
        make_incident(
            boa,
            centre[0] + rng.gauss(0, 0.012),
            centre[1] + rng.gauss(0, 0.018),
            tijdstip,
            gedragingen=conduct,
            afdoening=afdoening,
            kleding=rng.choices(["uniform", "burger"], [3, 1])[0],
            locatie_type=_code(rng, codes.LOCATIE_TYPE, [4, 5, 3, 2, 1, 2, 1, 1]),
            kennisname=_code(rng, codes.KENNISNAME, [6, 3, 2, 1, 1]),
            rol_boa=_code(rng, codes.ROL_BOA, [1, 3]),
            leeftijd_verdachten=leeftijd,
            aantal_verdachten=rng.choice([1, 1, 1, 2, 3]),
        )


def seed_pilot_data() -> dict:
    """Store the incidents; returns what the tests need to know about them."""
    rng = random.Random(429)
    boas = {code: [make_boa(code) for _ in range(3)] for code in CENTRES}
    for code, centre in CENTRES.items():
        for year, month in QUARTERS:
            n = (
                3
                if (code, f"{year}-K{(month - 1) // 3 + 1}") == SMALL_QUARTER
                else PER_QUARTER[code]
            )
            for _ in range(n):
                _one(rng, rng.choice(boas[code]), centre, year, month)
    for _ in range(6):  # the running quarter: not in the default dataset
        _one(rng, boas["GM0599"][0], CENTRES["GM0599"], 2025, 10, days=40)
    for code in ("GM0599", "GM0344"):
        for year, month in QUARTERS:
            for offset in range(3):
                db.session.add(
                    PolitieCijfer(
                        gemeente_id=gemeente(code).id,
                        maand=date(year, month + offset, 1),
                        meldingen=rng.randrange(3, 30),
                        aangiftes=rng.randrange(0, 8),
                        processen_verbaal=rng.choice([None, 0, 1, 1, 2]),
                    )
                )
    withdrawn = make_incident(
        boas["GM0599"][1], *CENTRES["GM0599"], datetime(2025, 2, 3, 22, tzinfo=UTC)
    )
    withdrawn.ingetrokken_op = datetime(2025, 3, 1, tzinfo=UTC)
    withdrawn.intrek_reden = "dubbel ingevoerd"
    db.session.commit()
    return {"running": 6, "withdrawn": 1, "small": 3}
