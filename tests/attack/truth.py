"""True values of published cells, counted from the database: for failure messages only.

The attacker never sees these. They are counted here from the incident, boa and police
rows by the definitions the reports print (no code of the disclosure module), so a
finding can say which value the attacker recovered and whether it is right.
"""

import math
from datetime import date, timedelta

from sqlalchemy import select

from pilot import codes
from pilot.extensions import db
from pilot.models import Boa, Gemeente, Incident, PolitieCijfer
from tests.attack.published import AXES, EXCLUDED, MAP, Cell

LATE = timedelta(days=7)
TOUCHING = codes.gedraging_bit("aanrakingen")
CELL_M = 500


def _quarter(day: date) -> str:
    return f"{day.year}-K{(day.month - 1) // 3 + 1}"


def _quarter_bounds(code: str) -> tuple[date, date]:
    year, q = int(code[:4]), int(code[-1])
    start = date(year, 3 * q - 2, 1)
    end = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - timedelta(days=1)
    return start, end


class Truth:
    """Counts per cell for the quarters an outsider gets (``quarters``), with k."""

    def __init__(self, quarters: list[str], k: int) -> None:
        self.quarters = quarters
        self.k = k
        gemeenten = db.session.execute(select(Gemeente)).scalars().all()
        self.period = {g.cbs_code: (g.pilot_start, g.pilot_eind) for g in gemeenten}
        self.tranche = {g.cbs_code: f"T{g.tranche}" for g in gemeenten}
        self.incidents = [
            row
            for row in self._incidents(gemeenten)
            if row["q"] in quarters and self._in_pilot(row["g"], row["day"])
        ]
        self.rows: dict[tuple[str, str], list[dict]] = {}
        for row in self.incidents:
            self.rows.setdefault((row["g"], row["q"]), []).append(row)
        self.raw = {key: len(rows) for key, rows in self.rows.items()}
        self.excluded = {key for key, n in self.raw.items() if 0 < n < k}

    def _in_pilot(self, gemeente: str, day: date) -> bool:
        start, end = self.period[gemeente]
        return start <= day and (end is None or day <= end)

    @staticmethod
    def _incidents(gemeenten) -> list[dict]:
        code = {g.id: g.cbs_code for g in gemeenten}
        rows = []
        for i in db.session.execute(
            select(Incident).where(Incident.ingetrokken_op.is_(None))
        ).scalars():
            rows.append(
                {
                    "g": code[i.gemeente_id],
                    "day": i.lokale_datum,
                    "q": _quarter(i.lokale_datum),
                    "afdoening": i.afdoening,
                    "kleding": i.kleding,
                    "locatie_type": i.locatie_type,
                    "kennisname": i.kennisname,
                    "rol_boa": i.rol_boa,
                    "leeftijd": i.leeftijd_verdachten,
                    "weekdag": str(i.weekdag),
                    "tijdvak": i.tijdvak,
                    "gedragingen": i.gedragingen,
                    "aanraking": "met" if i.gedragingen & TOUCHING else "zonder",
                    "slachtoffer": _victims(i),
                    "laat_geregistreerd": not i.geimporteerd
                    and i.aangemaakt_op - i.tijdstip > LATE,
                    "geimporteerd": i.geimporteerd,
                    "pv_zonder_zaaknummer": i.afdoening == "proces_verbaal"
                    and i.zaaknummer_hmac is None,
                    "grens_niet_gecontroleerd": not i.grens_gecontroleerd,
                    "cel": f"{math.floor(i.rd_x / CELL_M) * CELL_M}:"
                    f"{math.floor(i.rd_y / CELL_M) * CELL_M}",
                }
            )
        return rows

    def _units(self, unit: str) -> set[str]:
        if unit == "NL":
            return set(self.period)
        if unit.startswith("T"):
            return {g for g, t in self.tranche.items() if t == unit}
        return {unit}

    def _periods(self, period: str) -> set[str]:
        if period == "P":
            return set(self.quarters)
        if period.isdigit():
            return {q for q in self.quarters if q.startswith(period + "-")}
        return {period}

    def value(self, cell: Cell) -> int | None:
        """The true count of a cell, or None for a table this module does not know."""
        units, quarters = self._units(cell.eenheid), self._periods(cell.periode)
        if cell.tabel == "politie":
            return self._politie(units, quarters, cell.code("maat"))
        if cell.tabel == "boas":
            return self._boas(units, quarters)
        if cell.tabel == EXCLUDED:
            return self.raw.get((cell.eenheid, cell.periode), 0)
        match = _matcher(cell)
        if match is None:
            return None
        keys = [(g, q) for g in units for q in quarters if (g, q) not in self.excluded]
        return sum(1 for key in keys for r in self.rows.get(key, ()) if match(r))

    def _politie(self, units: set[str], quarters: set[str], maat: str) -> int:
        total = 0
        for row in db.session.execute(select(PolitieCijfer, Gemeente.cbs_code).join(Gemeente)):
            cijfer, gemeente = row
            start, end = self.period[gemeente]
            in_pilot = _month_end(cijfer.maand) >= start and (end is None or cijfer.maand <= end)
            if gemeente in units and _quarter(cijfer.maand) in quarters and in_pilot:
                total += getattr(cijfer, maat) or 0
        return total

    def _boas(self, units: set[str], quarters: set[str]) -> int:
        van = min(_quarter_bounds(q)[0] for q in quarters)
        tot = max(_quarter_bounds(q)[1] for q in quarters)
        count = 0
        for boa, gemeente in db.session.execute(select(Boa, Gemeente.cbs_code).join(Gemeente)):
            if gemeente not in units or boa.opleidingsdatum is None or boa.mandaat_start is None:
                continue
            if boa.opleidingsdatum <= tot and boa.mandaat_start <= tot:
                count += boa.mandaat_eind is None or boa.mandaat_eind >= van
        return count


def _victims(incident: Incident) -> str:
    if not incident.aantal_slachtoffers:
        return "geen"
    return "doorverwezen" if incident.slachtofferhulp else "niet_doorverwezen"


def _month_end(day: date) -> date:
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _matcher(key: Cell):
    """A test on an incident row for the cell's codes (the row's columns are named after
    the code axes)."""
    if key.tabel == "gedraging":
        bit = codes.gedraging_bit(key.code("gedraging"))
        return lambda r: bool(r["gedragingen"] & bit)
    if key.tabel == "kwaliteit":
        flag = key.code("kwaliteit")
        return lambda r: bool(r[flag])
    if key.tabel == MAP:
        return lambda r: r["cel"] == key.code("cel")
    if key.tabel not in AXES:
        return None
    wanted = {axis: key.code(axis) for axis in AXES[key.tabel]}
    wanted = {axis: code for axis, code in wanted.items() if code != "ALL"}
    if wanted.get("slachtoffer") == "met_slachtoffer":
        return lambda r: r["slachtoffer"] != "geen"
    return lambda r: all(r[axis] == code for axis, code in wanted.items())
