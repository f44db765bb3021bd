"""PDF reports: per gemeente and for the whole pilot.

``build_gemeente_report`` and ``build_aggregate_report`` build a report without side
effects; ``download_gemeente_report`` and ``download_aggregate_report`` are the use cases
the web and the CLI call: build, record the download in the audit trail, commit.

Who gets which figures is decided by the disclosure module: the gemeente's own
coordinator gets exact figures for any period (``figures.count_figures``); everyone else
gets the protected outsider publication (``protected.protected_figures``) for one of its
periods: a completed quarter, a closed year or the whole pilot.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

import shapely

from pilot import audit, clock, codes
from pilot.extensions import db
from pilot.models import Gemeente
from pilot.quarters import quarter_of
from pilot.services import dashboard
from pilot.services.disclosure import policy
from pilot.services.disclosure.labels import Formatter
from pilot.services.disclosure.publication import Period as OutsiderPeriod
from pilot.services.disclosure.publication import Publication
from pilot.services.gc_pause import cyclic_gc_paused
from pilot.services.gemeenten import all_gemeenten
from pilot.services.hotspots import figure as hotspot_figure
from pilot.services.pilot_period import outside_counts
from pilot.services.reports import charts, svg
from pilot.services.reports.figures import Figures, count_figures, grid_cells, has_synthetic
from pilot.services.reports.fingerprint import report_fingerprint
from pilot.services.reports.pdf import render_pdf
from pilot.services.reports.periods import Period
from pilot.services.retention.report import PurgedPart, add_purged

CELL_M = 500


@dataclass(frozen=True)
class Report:
    pdf: bytes
    vingerafdruk: str
    bestandsnaam: str
    onderdrukt: bool


def _boundary(gemeente: Gemeente):
    return shapely.from_wkb(gemeente.grens_rd_wkb) if gemeente.grens_rd_wkb else None


def _weekday_table(figures: Figures) -> list[tuple[str, list[int], int]]:
    rows = []
    for day in codes.WEEKDAG.codes:
        index, naam = int(day.code), day.label
        values = [figures.weekdag_tijdvak.get((index, t.code), 0) for t in codes.TIJDVAK.codes]
        rows.append((naam, values, sum(values)))
    return rows


def _code_bars(
    code_list: codes.CodeList | codes.CodeListRef, counts: dict, fmt: Formatter, title: str
) -> svg.Chart:
    """Horizontal bars per code, values written (alt text states them too)."""
    items = [(item.label, counts.get(item.code, 0)) for item in code_list.codes]
    return svg.hbars(
        [label for label, _ in items], {"Incidenten": [n for _, n in items]}, fmt, title
    )


def _report_charts(board: dashboard.Dashboard, c, naam: str) -> dict[str, svg.Chart]:
    """The dashboard's charts (trend, uniform/in burger, touching × outcome, outcome) and
    the two the report adds (conduct, location type): all the same SVG with values."""
    fmt = board.fmt
    return {
        **board.charts,
        "gedraging": _code_bars(
            codes.GEDRAGING, c.gedraging, fmt, f"Incidenten per gedraging, {naam}"
        ),
        "locatie": _code_bars(
            codes.LOCATIE_TYPE, c.locatie_type, fmt, f"Incidenten per type locatie, {naam}"
        ),
    }


def _month_chart(figures: Figures, periode: Period, fmt: Formatter, naam: str) -> svg.Chart:
    """Incidents and pv's per calendar month (the coordinator's exact report)."""
    months = periode.maanden()
    return svg.columns(
        [charts.month_label(*m) for m in months],
        {
            "Incidenten": [figures.maand.get(m, 0) for m in months],
            "Processen-verbaal": [figures.maand_pv.get(m, 0) for m in months],
        },
        fmt,
        f"Incidenten en processen-verbaal per maand, {naam}",
        height=220,
    )


def _politie_rows(figures: Figures, periode: Period, purged: PurgedPart | None) -> list[dict]:
    """Boa and police figures per quarter, for the quarters that have police figures.

    The boa columns count the months with police figures; of a purged quarter only the
    quarter total is kept, so it is shown when all three months have police figures.
    """
    quarters: dict[str, dict] = {}
    for month in periode.maanden():
        police = figures.politie.get(month)
        if police is None:
            continue
        row = quarters.setdefault(
            quarter_of(date(*month, 1)).code,
            {
                "boa": 0,
                "boa_pv": 0,
                "meldingen": None,
                "aangiftes": None,
                "processen_verbaal": None,
            },
        )
        row["boa"] += figures.maand.get(month, 0)
        row["boa_pv"] += figures.maand_pv.get(month, 0)
        for name, value in police.items():
            if value is not None:
                row[name] = (row[name] or 0) + value
    for code, (incidenten, pv) in (purged.per_kwartaal if purged else {}).items():
        if code not in quarters:
            continue
        months = [m for m in periode.maanden() if quarter_of(date(*m, 1)).code == code]
        whole = all(m in figures.politie for m in months)  # else not comparable by month
        quarters[code]["boa"] = incidenten if whole else None
        quarters[code]["boa_pv"] = pv if whole else None
    return [{"kwartaal": label, **row} for label, row in quarters.items()]


@cyclic_gc_paused()
def build_gemeente_report(
    gemeente: Gemeente, periode: Period, now: datetime | None = None
) -> Report:
    """The exact report of one gemeente for any ``periode`` (its own coordinator only)."""
    now = now or clock.now()
    fmt = policy.formatter(exact=True)
    figures = count_figures([gemeente.id], periode)[gemeente.id]
    cells = grid_cells([gemeente.id], periode, CELL_M)
    purged = add_purged(gemeente, periode, figures, cells, CELL_M)
    frozen = purged.per_kwartaal if purged else None
    board = dashboard.gemeente_exact(gemeente, periode, figures, frozen)
    params = {
        "soort": "gemeente",
        "gemeente": gemeente.cbs_code,
        "van": periode.van,
        "tot": periode.tot,
        "k": fmt.k,
        "onderdrukt": fmt.actief,
    }
    fingerprint = report_fingerprint(params, [gemeente.id], periode)
    pdf = render_pdf(
        "reports/gemeente.html",
        gemeente=gemeente,
        periode=periode,
        fmt=fmt,
        board=board,
        c=figures,
        charts={
            **_report_charts(board, figures, gemeente.naam),
            "maand": _month_chart(figures, periode, fmt, gemeente.naam),
        },
        weekdagen=_weekday_table(figures),
        kaart=hotspot_figure.gemeente_map_svg(_boundary(gemeente), cells, CELL_M, fmt),
        politie=_politie_rows(figures, periode, purged),
        bewaard=purged,
        buiten_periode=outside_counts([gemeente.id])[gemeente.id],
        synthetisch=has_synthetic([gemeente.id], periode),
        vingerafdruk=fingerprint,
        gegenereerd=now,
        cel_m=CELL_M,
    )
    name = f"rapport-{gemeente.cbs_code}-{periode.van.isoformat()}-{periode.tot.isoformat()}.pdf"
    return Report(pdf, fingerprint, name, fmt.actief)


def _outsider_politie_rows(publication: Publication, unit: str, period: OutsiderPeriod):
    """Boa and police figures per quarter, for the quarters with police figures."""
    rows = []
    for quarter in period.quarters:
        if not publication.politie_months(unit, quarter.code) or not publication.has(
            unit, quarter.code
        ):
            continue
        rows.append(
            {
                "kwartaal": quarter.code,
                "boa": publication.spine(unit, quarter.code),
                "boa_pv": publication.figure(
                    "afdoening", unit, quarter.code, "proces_verbaal", "ALL", "ALL"
                ),
                **{
                    m: publication.politie(unit, quarter.code, m)
                    for m in ("meldingen", "aangiftes", "processen_verbaal")
                },
            }
        )
    return rows


def _outsider_cells(publication: Publication, cbs_code: str, period: OutsiderPeriod):
    """The map of the newest quarter of the period: its cells as an outsider gets them."""
    quarter = period.quarters[-1]
    return quarter, [(x, y, shown) for x, y, shown in publication.map_cells(cbs_code, quarter.code)]


def _outsider_fingerprint(params: dict, publication: Publication) -> str:
    """The parameters and the version of the data the whole publication was built from."""
    text = repr(sorted((str(k), str(v)) for k, v in params.items())) + publication.version
    return hashlib.sha256(text.encode()).hexdigest()


@cyclic_gc_paused()
def build_outsider_gemeente_report(
    gemeente: Gemeente, period: OutsiderPeriod, now: datetime | None = None
) -> Report:
    """One gemeente's report as everyone outside the gemeente gets it (protected)."""
    now = now or clock.now()
    fmt = policy.formatter(exact=False)
    publication = policy.outsider_publication()
    board = dashboard.gemeente_outsider(publication, gemeente, period)
    c = board.totaal.c
    params = {"soort": "gemeente", "gemeente": gemeente.cbs_code, "periode": period.key, "k": fmt.k}
    fingerprint = _outsider_fingerprint(params, publication)
    quarter, cells = _outsider_cells(publication, gemeente.cbs_code, period)
    pdf = render_pdf(
        "reports/gemeente.html",
        gemeente=gemeente,
        periode=_as_range(period),
        fmt=fmt,
        board=board,
        c=c,
        charts=_report_charts(board, c, gemeente.naam),
        weekdagen=None,
        kaart=hotspot_figure.gemeente_map_svg(_boundary(gemeente), cells, CELL_M, fmt),
        kaart_kwartaal=quarter,
        politie=_outsider_politie_rows(publication, gemeente.cbs_code, period),
        buiten_periode=None,  # records outside the pilot period: the coordinator's report only
        weggelaten=sorted(q for cbs, q in publication.excluded if cbs == gemeente.cbs_code),
        synthetisch=has_synthetic([gemeente.id], _as_range(period)),
        vingerafdruk=fingerprint,
        gegenereerd=now,
        cel_m=CELL_M,
    )
    name = f"rapport-{gemeente.cbs_code}-{period.key}.pdf"
    return Report(pdf, fingerprint, name, True)


def _as_range(period: OutsiderPeriod) -> Period:
    """An outsider period as the date range the templates and effort queries use."""
    return Period(period.van, period.tot, period.label)


@cyclic_gc_paused()
def build_aggregate_report(now: datetime | None = None) -> Report:
    """All gemeenten side by side for the whole pilot, from the protected publication
    (the national dashboard's figures for the whole pilot)."""
    now = now or clock.now()
    fmt = policy.formatter(exact=False)
    publication = policy.outsider_publication()
    pilot = publication.periods.get("P")
    params = {"soort": "totaal", "k": fmt.k}
    fingerprint = _outsider_fingerprint(params, publication)
    if pilot is None:
        pdf = render_pdf(
            "reports/aggregate.html", board=None, periode=None, fmt=fmt,
            vingerafdruk=fingerprint, gegenereerd=now, cel_m=CELL_M,
        )  # fmt: skip
        return Report(pdf, fingerprint, "rapport-totaal.pdf", True)
    board = dashboard.national(publication, pilot)
    names = {row.key for row in board.rijen}
    gemeenten = [
        g for g in db.session.execute(all_gemeenten()).scalars().all() if g.cbs_code in names
    ]
    quarter = pilot.quarters[-1]
    panels_map = [
        (g.naam, _boundary(g), publication.map_cells(g.cbs_code, quarter.code)) for g in gemeenten
    ]
    periode = _as_range(pilot)
    pdf = render_pdf(
        "reports/aggregate.html",
        board=board,
        gemeenten=gemeenten,
        periode=periode,
        fmt=fmt,
        c=board.totaal.c,
        charts=_report_charts(board, board.totaal.c, "alle pilotgemeenten"),
        kaart=hotspot_figure.gemeente_maps_svg(panels_map, CELL_M, fmt) if panels_map else None,
        kaart_kwartaal=quarter,
        weggelaten=sorted(publication.excluded),
        synthetisch=has_synthetic([g.id for g in gemeenten], periode),
        vingerafdruk=fingerprint,
        gegenereerd=now,
        cel_m=CELL_M,
    )
    return Report(pdf, fingerprint, "rapport-totaal.pdf", True)


def download_gemeente_report(
    gemeente: Gemeente, periode: Period | OutsiderPeriod, exact: bool
) -> Report:
    """Build a gemeente report and record the download in the audit trail (one commit).

    Exact (the gemeente's own coordinator, or the operator on the command line) for any
    ``Period``; otherwise the protected report of an outsider period.
    """
    if exact:
        report = build_gemeente_report(gemeente, periode)
    else:
        report = build_outsider_gemeente_report(gemeente, periode)
    audit.record(
        "downloaden",
        "rapport",
        gemeente.cbs_code,
        gemeente_id=gemeente.id,
        soort="gemeente",
        van=periode.van,
        tot=periode.tot,
        onderdrukt=report.onderdrukt,
        vingerafdruk=report.vingerafdruk,
    )
    db.session.commit()
    return report


def download_aggregate_report() -> Report:
    """Build the aggregate report and record the download in the audit trail (one commit)."""
    report = build_aggregate_report()
    audit.record(
        "downloaden", "rapport", "totaal", soort="totaal", vingerafdruk=report.vingerafdruk
    )
    db.session.commit()
    return report
