"""Dashboards on screen: the key figures, trends and tables of the reports, for every role.

One builder per view, each returning plain data and its SVG charts (``reports/svg.py``):

* ``national``: all gemeenten, tranches and the country for one outsider period, from the
  protected publication (beheerder, evaluator, ministerie);
* ``gemeente_outsider``: one gemeente for one outsider period (beheerder, evaluator);
* ``gemeente_exact``: the gemeente's own coordinator, exact, for any period.

Who sees exact figures is decided by the disclosure module, as for the reports: an
outsider's figures are all cut from the publication (``reports/protected.py``), the
coordinator's are counted (``reports/figures.py``). Effort (inzeturen) is exact for all.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from pilot import clock, codes
from pilot.extensions import db
from pilot.models import Dienst, Gemeente
from pilot.quarters import quarter_of, quarters_between
from pilot.services.cache import DerivedCache
from pilot.services.disclosure import policy
from pilot.services.disclosure.labels import Formatter
from pilot.services.disclosure.publication import NATIONAL, Period, Publication, breakdowns
from pilot.services.hotspots import table as hotspot_table
from pilot.services.reports import svg
from pilot.services.reports.figures import Figures, count_figures, effort_figures, sum_figures
from pilot.services.reports.periods import Period as DateRange
from pilot.services.reports.protected import protected_figures

AFDOENINGEN_KERN = ("proces_verbaal", "waarschuwing", "reprimande", "overgedragen_politie")
POLITIE = ("meldingen", "aangiftes", "processen_verbaal")


@dataclass
class Row:
    """One gemeente, tranche or the country and its figures (exact or protected)."""

    key: str
    naam: str
    c: object  # Figures (exact) or ProtectedFigures
    tranche: int | None = None
    inwoners: int | None = None


@dataclass
class Dashboard:
    fmt: Formatter
    titel: str
    periode: str
    van: object
    tot: object
    totaal: Row
    rijen: list[Row] = field(default_factory=list)  # gemeenten (national view)
    tranches: list[Row] = field(default_factory=list)
    reeks: list[tuple[str, object, object]] = field(default_factory=list)  # the total's
    reeksen: list[tuple[str, list]] = field(default_factory=list)  # per gemeente, one scale
    politie: list[dict] = field(default_factory=list)
    hotspots: list = field(default_factory=list)
    charts: dict[str, svg.Chart] = field(default_factory=dict)
    exact: bool = False


# Outsider dashboards per publication (it changes with the data version), unit, period and
# the diensten's state: effort (inzeturen) is exact and not part of the publication.
BOARDS = DerivedCache(sources=2, per_source=64)


def diensten_state() -> tuple:
    """Changes whenever a dienst is added, edited (its version) or removed."""
    return tuple(
        db.session.execute(
            select(func.count(Dienst.id), func.max(Dienst.id), func.sum(Dienst.version))
        ).one()
    )


def national(publication: Publication, period: Period) -> Dashboard:
    """All gemeenten side by side for an outsider period (the national dashboard)."""
    key = (NATIONAL, period.key, diensten_state())
    return BOARDS.get(publication, key, lambda: _national(publication, period))


def gemeente_outsider(publication: Publication, gemeente: Gemeente, period: Period) -> Dashboard:
    """One gemeente for an outsider period, protected."""
    key = (gemeente.cbs_code, period.key, diensten_state())
    return BOARDS.get(publication, key, lambda: _gemeente_outsider(publication, gemeente, period))


def _national(publication: Publication, period: Period) -> Dashboard:
    fmt = policy.formatter(exact=False)
    gemeenten = {g.id: g for g in db.session.execute(db.select(Gemeente)).scalars()}
    effort = effort_figures(list(gemeenten), _range(period))
    rows = []
    for info in publication.gemeenten:
        if not publication.has(info.cbs_code, period.key) and not _in_period(info, period):
            continue
        c = protected_figures(publication, info.cbs_code, period, effort[info.id])
        rows.append(Row(info.cbs_code, info.naam, c, info.tranche, gemeenten[info.id].inwoners))
    tranches = []
    for tranche in sorted({info.tranche for info in publication.gemeenten}):
        unit = f"T{tranche}"
        members = [effort[g.id] for g in publication.gemeenten if g.tranche == tranche]
        if _offered(publication, unit, period):
            c = protected_figures(publication, unit, period, sum_figures(members))
            tranches.append(Row(unit, f"Tranche {tranche}", c, tranche))
    totaal = Row(
        NATIONAL,
        "Alle pilotgemeenten",
        protected_figures(publication, NATIONAL, period, sum_figures(list(effort.values()))),
    )
    board = Dashboard(fmt, "Alle pilotgemeenten", period.label, period.van, period.tot, totaal)
    board.rijen, board.tranches = rows, tranches
    board.reeks = totaal.c.reeks
    board.reeksen = [(row.naam, row.c.reeks) for row in rows]
    board.politie = _outsider_police(publication, rows, period)
    board.hotspots = _hotspots_in(
        hotspot_table.outsider_table(publication, [r.key for r in rows]), period
    )
    _charts(board)
    return board


def _gemeente_outsider(publication: Publication, gemeente: Gemeente, period: Period) -> Dashboard:
    fmt = policy.formatter(exact=False)
    effort = effort_figures([gemeente.id], _range(period))[gemeente.id]
    c = protected_figures(publication, gemeente.cbs_code, period, effort)
    row = Row(gemeente.cbs_code, gemeente.naam, c, gemeente.tranche, gemeente.inwoners)
    board = Dashboard(fmt, gemeente.naam, period.label, period.van, period.tot, row)
    board.reeks = c.reeks
    board.politie = _outsider_police(publication, [row], period)
    board.hotspots = _hotspots_in(
        hotspot_table.outsider_table(publication, [gemeente.cbs_code]), period
    )
    _charts(board)
    return board


def gemeente_exact(gemeente: Gemeente, periode: DateRange) -> Dashboard:
    """The gemeente's own coordinator: exact figures for any period."""
    fmt = policy.formatter(exact=True)
    c = count_figures([gemeente.id], periode)[gemeente.id]
    row = Row(gemeente.cbs_code, gemeente.naam, c, gemeente.tranche, gemeente.inwoners)
    board = Dashboard(fmt, gemeente.naam, periode.label, periode.van, periode.tot, row, exact=True)
    board.reeks = exact_quarter_series(c, periode)
    board.politie = _exact_police(c, gemeente, periode)
    quarters = [q for q in quarters_between(periode.van, periode.tot) if q.end < clock.today()]
    board.hotspots = hotspot_table.exact_table(db.session, gemeente, quarters, fmt.k)
    _charts(board)
    return board


def exact_quarter_series(c: Figures, periode: DateRange) -> list[tuple[str, int, int]]:
    """(quarter, incidents, pv's) per calendar quarter the period touches."""
    series: dict[str, list[int]] = {}
    for quarter in quarters_between(periode.van, periode.tot):
        series[quarter.code] = [0, 0]
    for (year, month), n in c.maand.items():
        code = quarter_of(date(year, month, 1)).code
        series[code][0] += n
        series[code][1] += c.maand_pv.get((year, month), 0)
    return [(code, n, pv) for code, (n, pv) in series.items()]


def _range(period: Period) -> DateRange:
    return DateRange(period.van, period.tot, period.label)


def _in_period(info, period: Period) -> bool:
    return any(
        q.end >= info.pilot_start and (info.pilot_eind is None or q.start <= info.pilot_eind)
        for q in period.quarters
    )


def _offered(publication: Publication, unit: str, period: Period) -> bool:
    """Whether a tranche's figures are offered: every breakdown must offer the period's
    level for tranches (most do for closed years and the pilot only)."""
    if not all(period.kind in breakdown.wide for breakdown in breakdowns()):
        return False
    try:
        return publication.has(unit, period.key)
    except KeyError:
        return False


def _outsider_police(publication: Publication, rows: list[Row], period: Period) -> list[dict]:
    """Boa and police side by side per gemeente, with the months that have police figures
    (coverage: police figures are entered per month, where a gemeente receives them)."""
    infos = {g.cbs_code: g for g in publication.gemeenten}
    result = []
    for row in rows:
        covered = publication.politie_months(row.key, period.key)
        result.append(
            {
                "naam": row.naam,
                "boa": row.c.incidenten,
                "boa_pv": row.c.pv,
                "maanden": covered,
                "van_maanden": _pilot_months(infos[row.key], period.van, period.tot),
                **{m: publication.politie(row.key, period.key, m) if covered else None
                   for m in POLITIE},
            }
        )  # fmt: skip
    return result


def _pilot_months(gemeente, van: date, tot: date) -> int:
    """Months from ``van`` to ``tot`` that lie (partly) in the gemeente's pilot."""
    count = 0
    for year, month in DateRange(van, tot, "").maanden():
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1)
        ends = gemeente.pilot_eind
        count += last > gemeente.pilot_start and (ends is None or first <= ends)
    return count


def _exact_police(c: Figures, gemeente: Gemeente, periode: DateRange) -> list[dict]:
    months = _pilot_months(gemeente, periode.van, periode.tot)
    return [
        {
            "naam": gemeente.naam,
            "boa": c.incidenten,
            "boa_pv": c.pv,
            "maanden": c.politie_maanden,
            "van_maanden": months,
            **{m: c.politie_totaal(m) for m in POLITIE},
        }
    ]


def _hotspots_in(rows: list, period: Period) -> list:
    """Hotspot rows restricted to the period's quarters (those it was hot in)."""
    wanted = {q.code for q in period.quarters}
    result = []
    for row in rows:
        kwartalen = tuple(item for item in row.kwartalen if item[0] in wanted)
        if kwartalen:
            result.append(type(row)(row.cbs_code, row.gemeente, row.x, row.y, kwartalen))
    return result


def _charts(board: Dashboard) -> None:
    """The dashboard's charts; each has a data table beside it in the page."""
    fmt, c = board.fmt, board.totaal.c
    board.charts["reeks"] = svg.columns(
        [label for label, _, _ in board.reeks],
        {
            "Incidenten": [n for _, n, _ in board.reeks],
            "Processen-verbaal": [pv for _, _, pv in board.reeks],
        },
        fmt,
        f"Incidenten en processen-verbaal per kwartaal, {board.titel}",
        described_by="tabel-reeks",
    )
    top = svg.common_top(fmt, *[[n for _, n, _ in series] for _, series in board.reeksen])
    board.charts["reeksen"] = [
        (
            naam,
            svg.columns(
                [label for label, _, _ in series],
                {"Incidenten": [n for _, n, _ in series]},
                fmt,
                f"Incidenten per kwartaal, {naam} (één schaal voor alle gemeenten)",
                described_by="tabel-reeksen",
                top=top,
                height=150,
                width=420,
            ),
        )
        for naam, series in board.reeksen
    ]
    kleding = [item.code for item in codes.KLEDING.codes]
    board.charts["kleding"] = svg.hbars(
        [codes.KLEDING.label(code) for code in kleding],
        {
            "Incidenten": [c.kleding.get(code, 0) for code in kleding],
            "Processen-verbaal": [c.kleding_pv.get(code, 0) for code in kleding],
        },
        fmt,
        "Incidenten en processen-verbaal, in uniform en in burger",
        described_by="tabel-kleding",
    )
    afdoening = [item.code for item in codes.AFDOENING.codes]
    table = c.aanraking_afdoening
    if table.get(("met", afdoening[0])) is not None:  # offered for years and the pilot
        board.charts["aanraking"] = svg.hbars(
            [codes.AFDOENING.label(code) for code in afdoening],
            {
                "Met aanraking": [table.get(("met", code)) for code in afdoening],
                "Zonder aanraking": [table.get(("zonder", code)) for code in afdoening],
            },
            fmt,
            "Afdoening van incidenten met en zonder aanraking",
            described_by="tabel-aanraking",
        )
    board.charts["afdoening"] = svg.hbars(
        [codes.AFDOENING.label(code) for code in afdoening],
        {"Incidenten": [c.afdoening.get(code, 0) for code in afdoening]},
        fmt,
        "Incidenten per afdoening",
        described_by="tabel-afdoening",
    )
