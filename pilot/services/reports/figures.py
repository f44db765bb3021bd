"""The figures of a report, counted in SQL (group-by queries, never rows counted in Python).

Every query takes a list of gemeente ids and a period and answers per gemeente, so the
per-gemeente report and the aggregate report share them. Withdrawn incidents are left out
of every count except the data-quality count of withdrawals.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, case, distinct, func, or_

from pilot import codes
from pilot.extensions import db
from pilot.models import Boa, Dienst, Incident, PolitieCijfer
from pilot.services.hotspots.grid import HotspotFilter, cell_counts
from pilot.services.reports.periods import Period

LATE_REGISTRATION = timedelta(days=7)
PV = "proces_verbaal"
WAARSCHUWING = "waarschuwing"
OVERGEDRAGEN = "overgedragen_politie"


@dataclass
class Figures:
    """All figures of one gemeente (or of a sum of gemeenten) for one period."""

    incidenten: int = 0
    afdoening: dict[str, int] = field(default_factory=dict)
    locatie_type: dict[str, int] = field(default_factory=dict)
    kleding: dict[str, int] = field(default_factory=dict)
    kleding_pv: dict[str, int] = field(default_factory=dict)
    gedraging: dict[str, int] = field(default_factory=dict)
    maand: dict[tuple[int, int], int] = field(default_factory=dict)
    maand_pv: dict[tuple[int, int], int] = field(default_factory=dict)
    weekdag_tijdvak: dict[tuple[int, str], int] = field(default_factory=dict)
    actieve_boas: int = 0
    diensten: int = 0
    inzetminuten: int = 0
    inzetminuten_uniform: int = 0
    inzetminuten_burger: int = 0
    politie: dict[tuple[int, int], dict[str, int | None]] = field(default_factory=dict)
    ingetrokken: int = 0
    laat_geregistreerd: int = 0
    leeftijd_onbekend: int = 0
    pv_zonder_zaaknummer: int = 0
    grens_niet_gecontroleerd: int = 0
    geimporteerd: int = 0
    kennisname: dict[str, int] = field(default_factory=dict)
    rol_boa: dict[str, int] = field(default_factory=dict)
    leeftijd: dict[str, int] = field(default_factory=dict)
    slachtoffer: dict[str, int] = field(default_factory=dict)
    aanraking_afdoening: dict[tuple[str, str], int] = field(default_factory=dict)
    laatste_wijziging: datetime | None = None

    @property
    def pv(self) -> int:
        return self.afdoening.get(PV, 0)

    @property
    def waarschuwingen(self) -> int:
        return self.afdoening.get(WAARSCHUWING, 0)

    @property
    def overgedragen(self) -> int:
        return self.afdoening.get(OVERGEDRAGEN, 0)

    @property
    def inzeturen(self) -> float:
        return self.inzetminuten / 60

    @property
    def reprimandes(self) -> int:
        return self.afdoening.get("reprimande", 0)

    @property
    def kwaliteit(self) -> dict[str, int]:
        return {
            "laat_geregistreerd": self.laat_geregistreerd,
            "pv_zonder_zaaknummer": self.pv_zonder_zaaknummer,
            "grens_niet_gecontroleerd": self.grens_niet_gecontroleerd,
            "geimporteerd": self.geimporteerd,
        }

    def politie_totaal(self, name: str) -> int | None:
        values = [row[name] for row in self.politie.values() if row[name] is not None]
        return sum(values) if values else None

    @property
    def politie_maanden(self) -> int:
        return len(self.politie)


def _registration_late():
    """SQL condition: registered more than LATE_REGISTRATION after the incident (imported
    records are counted apart: their creation time is the import)."""
    if db.engine.dialect.name == "sqlite":
        days = func.julianday(Incident.aangemaakt_op) - func.julianday(Incident.tijdstip)
        return days > LATE_REGISTRATION.days
    return Incident.aangemaakt_op - Incident.tijdstip > LATE_REGISTRATION


def _in_scope(ids: list[int], periode: Period):
    """The gemeenten's incidents in the period, withdrawn ones included."""
    return and_(
        Incident.gemeente_id.in_(ids),
        Incident.lokale_datum >= periode.van,
        Incident.lokale_datum <= periode.tot,
    )


def _incidents(ids: list[int], periode: Period):
    """The incidents that count: in scope and not withdrawn."""
    return and_(_in_scope(ids, periode), Incident.ingetrokken_op.is_(None))


def _sum(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _codes(code_list: codes.CodeList | codes.CodeListRef) -> list[str]:
    return [item.code for item in code_list.codes]


def count_figures(ids: list[int], periode: Period) -> dict[int, Figures]:
    """The figures of every gemeente in ``ids`` for ``periode``.

    Two scans of the incident table: one grouped per gemeente and local date (every
    breakdown by code as a conditional sum, months and weekdays folded in Python from at
    most a few thousand day rows), one per gemeente for the figures that cannot be summed
    over days (distinct boa's) and for data quality, withdrawals included.
    """
    result = {gemeente_id: Figures() for gemeente_id in ids}
    if not ids:
        return result
    _per_dag(ids, periode, result)
    _gedraging_and_quality(ids, periode, result)
    _diensten(ids, periode, result)
    _bevoegde_boas(ids, periode, result)
    _politie(ids, periode, result)
    return result


def effort_figures(ids: list[int], periode: Period) -> dict[int, Figures]:
    """What an outsider report shows exactly: diensten, inzeturen, authorised boa's.

    These are not counts of people in incidents (DOMAIN.md's disclosure rules are about
    those), so they need no suppression.
    """
    result = {gemeente_id: Figures() for gemeente_id in ids}
    if ids:
        _diensten(ids, periode, result)
        _bevoegde_boas(ids, periode, result)
    return result


def _bevoegde_boas(ids, periode, result: dict[int, Figures]) -> None:
    """Boa's trained and with an OM mandate on some day of the period (the registry)."""
    statement = (
        db.select(Boa.gemeente_id, func.count())
        .where(
            Boa.gemeente_id.in_(ids),
            Boa.opleidingsdatum.is_not(None),
            Boa.opleidingsdatum <= periode.tot,
            Boa.mandaat_start.is_not(None),
            Boa.mandaat_start <= periode.tot,
            or_(Boa.mandaat_eind.is_(None), Boa.mandaat_eind >= periode.van),
        )
        .group_by(Boa.gemeente_id)
    )
    for gemeente_id, count in db.session.execute(statement):
        result[gemeente_id].actieve_boas = int(count)


def _per_dag(ids, periode, result: dict[int, Figures]) -> None:
    """Counts per code, month and weekday × tijdvak, from one scan grouped per day."""
    breakdowns = {
        "afdoening": (Incident.afdoening, _codes(codes.AFDOENING)),
        "locatie_type": (Incident.locatie_type, _codes(codes.LOCATIE_TYPE)),
        "kleding": (Incident.kleding, _codes(codes.KLEDING)),
        "kleding_pv": (Incident.kleding, _codes(codes.KLEDING)),
        "tijdvak": (Incident.tijdvak, _codes(codes.TIJDVAK)),
        "kennisname": (Incident.kennisname, _codes(codes.KENNISNAME)),
        "rol_boa": (Incident.rol_boa, _codes(codes.ROL_BOA)),
        "leeftijd": (Incident.leeftijd_verdachten, _codes(codes.LEEFTIJD)),
        "slachtoffer": (_slachtoffer(), list(SLACHTOFFER)),
        "aanraking_afdoening": (_aanraking_afdoening(), _aanraking_afdoening_codes()),
    }
    keys = [(name, code) for name, (_, values) in breakdowns.items() for code in values]
    columns = [
        _sum(
            and_(column == code, Incident.afdoening == PV)
            if name == "kleding_pv"
            else column == code
        )
        for name, (column, values) in breakdowns.items()
        for code in values
    ]
    day = (Incident.gemeente_id, Incident.lokale_datum, Incident.weekdag)
    statement = (
        db.select(*day, func.count(), *columns).where(_incidents(ids, periode)).group_by(*day)
    )
    totals = {gemeente_id: defaultdict(int) for gemeente_id in ids}
    for gemeente_id, datum, weekdag, count, *sums in db.session.execute(statement):
        figures = result[gemeente_id]
        month = (datum.year, datum.month)
        by_key = dict(zip(keys, map(int, sums), strict=True))
        figures.incidenten += count
        figures.maand[month] = figures.maand.get(month, 0) + count
        figures.maand_pv[month] = figures.maand_pv.get(month, 0) + by_key[("afdoening", PV)]
        for (name, code), n in by_key.items():
            totals[gemeente_id][name, code] += n
            if name == "tijdvak" and n:
                cell = (int(weekdag), code)
                figures.weekdag_tijdvak[cell] = figures.weekdag_tijdvak.get(cell, 0) + n
    for gemeente_id, counts in totals.items():
        figures = result[gemeente_id]
        for name in ("afdoening", "locatie_type", "kleding"):
            setattr(
                figures, name, {code: n for (kind, code), n in counts.items() if kind == name and n}
            )
        figures.kleding_pv = {code: counts["kleding_pv", code] for code in figures.kleding}
        for name in ("kennisname", "rol_boa", "leeftijd", "slachtoffer"):
            setattr(figures, name, {c: n for (kind, c), n in counts.items() if kind == name})
        victims = figures.slachtoffer  # empty for a gemeente without incidents in the period
        victims["met_slachtoffer"] = victims.get("niet_doorverwezen", 0) + victims.get(
            "doorverwezen", 0
        )
        figures.aanraking_afdoening = _cross_table(
            {
                tuple(c.split("|")): n
                for (kind, c), n in counts.items()
                if kind == "aanraking_afdoening"
            }
        )


SLACHTOFFER = ("geen", "niet_doorverwezen", "doorverwezen")
AANRAKING = ("met", "zonder")


def _slachtoffer():
    """No victim, victim(s) not referred, victim(s) referred to victim support."""
    return case(
        (Incident.aantal_slachtoffers == 0, "geen"),
        (Incident.slachtofferhulp, "doorverwezen"),
        else_="niet_doorverwezen",
    )


def _aanraking_afdoening():
    """'met|waarschuwing': touching (aanrakingen) yes or no, and the outcome."""
    touching = Incident.gedragingen.op("&")(codes.gedraging_bit("aanrakingen")) != 0
    return case((touching, "met|"), else_="zonder|") + Incident.afdoening


def _aanraking_afdoening_codes() -> list[str]:
    return [f"{row}|{code}" for row in AANRAKING for code in _codes(codes.AFDOENING)]


def _cross_table(cells: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """Touching × outcome with its row and column totals under "ALL", zeros included."""
    rows, columns = (*AANRAKING, "ALL"), (*_codes(codes.AFDOENING), "ALL")
    table = {(row, column): 0 for row in rows for column in columns}
    table.update(cells)
    for (row, column), n in cells.items():
        table[row, "ALL"] = table.get((row, "ALL"), 0) + n
        table["ALL", column] = table.get(("ALL", column), 0) + n
        table["ALL", "ALL"] = table.get(("ALL", "ALL"), 0) + n
    return table


def _gedraging_and_quality(ids, periode, result: dict[int, Figures]) -> None:
    """Per gemeente: distinct boa's, conduct, data quality and withdrawals in one scan."""
    gedraging_codes = _codes(codes.GEDRAGING)
    actief = Incident.ingetrokken_op.is_(None)
    columns = [
        _sum(and_(actief, Incident.gedragingen.op("&")(codes.gedraging_bit(code)) != 0))
        for code in gedraging_codes
    ]
    statement = (
        db.select(
            Incident.gemeente_id,
            _sum(actief),
            _sum(Incident.ingetrokken_op.is_not(None)),
            func.count(distinct(case((actief, Incident.boa_id)))),
            _sum(and_(actief, Incident.geimporteerd.is_(False), _registration_late())),
            _sum(and_(actief, Incident.leeftijd_verdachten == "onbekend")),
            _sum(and_(actief, Incident.afdoening == PV, Incident.zaaknummer_hmac.is_(None))),
            _sum(and_(actief, Incident.grens_gecontroleerd.is_(False))),
            func.max(Incident.gewijzigd_op),
            _sum(and_(actief, Incident.geimporteerd.is_(True))),
            *columns,
        )
        .where(_in_scope(ids, periode))
        .group_by(Incident.gemeente_id)
    )
    for row in db.session.execute(statement):
        figures = result[row[0]]
        figures.ingetrokken = int(row[2])
        figures.laatste_wijziging = _latest(figures.laatste_wijziging, _aware(row[8]))
        if not row[1]:
            continue
        figures.laat_geregistreerd = int(row[4])
        figures.leeftijd_onbekend = int(row[5])
        figures.pv_zonder_zaaknummer = int(row[6])
        figures.grens_niet_gecontroleerd = int(row[7])
        figures.geimporteerd = int(row[9])
        figures.gedraging = {
            code: int(count) for code, count in zip(gedraging_codes, row[10:], strict=True)
        }


def _diensten(ids, periode, result: dict[int, Figures]) -> None:
    statement = (
        db.select(
            Dienst.gemeente_id,
            func.count(),
            func.sum(Dienst.duur_minuten * (Dienst.aantal_uniform + Dienst.aantal_burger)),
            func.sum(Dienst.duur_minuten * Dienst.aantal_uniform),
            func.sum(Dienst.duur_minuten * Dienst.aantal_burger),
            func.max(Dienst.aangemaakt_op),
        )
        .where(
            Dienst.gemeente_id.in_(ids), Dienst.datum >= periode.van, Dienst.datum <= periode.tot
        )
        .group_by(Dienst.gemeente_id)
    )
    for gemeente_id, count, total, uniform, burger, latest in db.session.execute(statement):
        figures = result[gemeente_id]
        figures.diensten = count
        figures.inzetminuten = int(total or 0)
        figures.inzetminuten_uniform = int(uniform or 0)
        figures.inzetminuten_burger = int(burger or 0)
        figures.laatste_wijziging = _latest(figures.laatste_wijziging, _aware(latest))


def _politie(ids, periode, result: dict[int, Figures]) -> None:
    statement = (
        db.select(PolitieCijfer)
        .where(
            PolitieCijfer.gemeente_id.in_(ids),
            PolitieCijfer.maand >= periode.van.replace(day=1),
            PolitieCijfer.maand <= periode.tot,
        )
        .order_by(PolitieCijfer.gemeente_id, PolitieCijfer.maand)
    )
    for row in db.session.execute(statement).scalars():
        result[row.gemeente_id].politie[(row.maand.year, row.maand.month)] = {
            "meldingen": row.meldingen,
            "aangiftes": row.aangiftes,
            "processen_verbaal": row.processen_verbaal,
        }
        figures = result[row.gemeente_id]
        figures.laatste_wijziging = _latest(figures.laatste_wijziging, row.aangemaakt_op)


def _aware(value: datetime | None) -> datetime | None:
    """MAX() keeps the column type, so values are aware; guard against a naive one."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    values = [v for v in (a, b) if v is not None]
    return max(values) if values else None


def sum_figures(figures: list[Figures]) -> Figures:
    """The sum of several gemeenten's figures (for tranche and national totals)."""
    total = Figures()
    for item in figures:
        for name in (
            "incidenten", "actieve_boas", "diensten", "inzetminuten", "inzetminuten_uniform",
            "inzetminuten_burger", "ingetrokken", "laat_geregistreerd", "leeftijd_onbekend",
            "pv_zonder_zaaknummer", "grens_niet_gecontroleerd", "geimporteerd",
        ):  # fmt: skip
            setattr(total, name, getattr(total, name) + getattr(item, name))
        for name in (
            "afdoening", "locatie_type", "kleding", "kleding_pv", "gedraging", "maand", "maand_pv",
            "kennisname", "rol_boa", "leeftijd", "slachtoffer", "aanraking_afdoening",
        ):  # fmt: skip
            merged = defaultdict(int, getattr(total, name))
            for key, value in getattr(item, name).items():
                merged[key] += value
            setattr(total, name, dict(merged))
        total.laatste_wijziging = _latest(total.laatste_wijziging, item.laatste_wijziging)
    return total


def grid_cells(ids: list[int], periode: Period, size: int = 500) -> list[tuple[int, int, int]]:
    """Incident counts per CBS-aligned RD cell of ``size`` m: (x corner, y corner, count).

    The hotspot grid's own SQL (``pilot.services.hotspots.grid``), so reports and maps
    count cells the same way.
    """
    flt = HotspotFilter(van=periode.van, tot=periode.tot, gemeente_ids=tuple(ids))
    cells = cell_counts(db.session, flt, size) if ids else []
    return sorted((cell.x, cell.y, cell.count) for cell in cells)


def grid_cells_per_gemeente(
    ids: list[int], periode: Period, size: int = 500
) -> dict[int, list[tuple[int, int, int]]]:
    """``grid_cells`` for each gemeente in ``ids`` separately, from one query."""
    result: dict[int, list[tuple[int, int, int]]] = {gemeente_id: [] for gemeente_id in ids}
    if not ids:
        return result
    flt = HotspotFilter(van=periode.van, tot=periode.tot, gemeente_ids=tuple(ids))
    for cell in cell_counts(db.session, flt, size, per_gemeente=True):
        result[cell.gemeente_id].append((cell.x, cell.y, cell.count))
    return {gemeente_id: sorted(cells) for gemeente_id, cells in result.items()}


def has_synthetic(ids: list[int], periode: Period) -> bool:
    """Whether any counted incident of the gemeenten in the period is synthetic (demo data).

    A yes or no for the report's caveats, not a count: it is the same for every reader."""
    if not ids:
        return False
    statement = db.select(
        db.select(Incident.id).where(_incidents(ids, periode), Incident.synthetisch).exists()
    )
    return bool(db.session.execute(statement).scalar())
