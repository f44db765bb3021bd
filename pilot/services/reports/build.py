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
from pilot.services.disclosure import policy
from pilot.services.disclosure.labels import Formatter
from pilot.services.disclosure.publication import Period as OutsiderPeriod
from pilot.services.disclosure.publication import Publication
from pilot.services.gc_pause import cyclic_gc_paused
from pilot.services.gemeenten import all_gemeenten
from pilot.services.hotspots import figure as hotspot_figure
from pilot.services.pilot_period import outside_counts
from pilot.services.reports import charts
from pilot.services.reports.figures import (
    Figures,
    count_figures,
    effort_figures,
    grid_cells,
    sum_figures,
)
from pilot.services.reports.fingerprint import report_fingerprint
from pilot.services.reports.pdf import render_pdf
from pilot.services.reports.periods import Period
from pilot.services.reports.protected import ProtectedFigures, protected_figures
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


def _code_chart(
    code_list: codes.CodeList | codes.CodeListRef, counts: dict[str, int], fmt: Formatter
) -> str:
    items = [(item.label, counts.get(item.code, 0)) for item in code_list.codes]
    return charts.bar_chart([label for label, _ in items], [n for _, n in items], fmt)


def _gemeente_charts(figures: Figures, periode: Period, fmt: Formatter) -> dict[str, str]:
    months = periode.maanden()
    kleding = [item.code for item in codes.KLEDING.codes]
    return {
        "maand": charts.monthly_chart(months, [figures.maand.get(m, 0) for m in months], fmt),
        "gedraging": _code_chart(codes.GEDRAGING, figures.gedraging, fmt),
        "afdoening": _code_chart(codes.AFDOENING, figures.afdoening, fmt),
        "locatie": _code_chart(codes.LOCATIE_TYPE, figures.locatie_type, fmt),
        "kleding": charts.grouped_bar_chart(
            [codes.KLEDING.label(code) for code in kleding],
            {
                "Incidenten": [figures.kleding.get(code, 0) for code in kleding],
                "Processen-verbaal": [figures.kleding_pv.get(code, 0) for code in kleding],
            },
            fmt,
            width_cm=9,
        ),
    }


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
        c=figures,
        charts=_gemeente_charts(figures, periode, fmt),
        weekdagen=_weekday_table(figures),
        kaart=hotspot_figure.gemeente_map_svg(_boundary(gemeente), cells, CELL_M, fmt),
        politie=_politie_rows(figures, periode, purged),
        bewaard=purged,
        buiten_periode=outside_counts([gemeente.id])[gemeente.id],
        vingerafdruk=fingerprint,
        gegenereerd=now,
        cel_m=CELL_M,
    )
    name = f"rapport-{gemeente.cbs_code}-{periode.van.isoformat()}-{periode.tot.isoformat()}.pdf"
    return Report(pdf, fingerprint, name, fmt.actief)


def _outsider_charts(c: ProtectedFigures, fmt: Formatter) -> dict[str, str]:
    kleding = [item.code for item in codes.KLEDING.codes]
    return {
        "kwartaal": charts.period_chart(
            [label for label, _ in c.kwartalen], [n for _, n in c.kwartalen], fmt
        ),
        "gedraging": _code_chart(codes.GEDRAGING, c.gedraging, fmt),
        "afdoening": _code_chart(codes.AFDOENING, c.afdoening, fmt),
        "locatie": _code_chart(codes.LOCATIE_TYPE, c.locatie_type, fmt),
        "kleding": charts.grouped_bar_chart(
            [codes.KLEDING.label(code) for code in kleding],
            {
                "Incidenten": [c.kleding[code] for code in kleding],
                "Processen-verbaal": [c.kleding_pv[code] for code in kleding],
            },
            fmt,
            width_cm=9,
        ),
    }


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
    effort = effort_figures([gemeente.id], _as_range(period))[gemeente.id]
    c = protected_figures(publication, gemeente.cbs_code, period, effort)
    params = {"soort": "gemeente", "gemeente": gemeente.cbs_code, "periode": period.key, "k": fmt.k}
    fingerprint = _outsider_fingerprint(params, publication)
    quarter, cells = _outsider_cells(publication, gemeente.cbs_code, period)
    pdf = render_pdf(
        "reports/gemeente.html",
        gemeente=gemeente,
        periode=_as_range(period),
        fmt=fmt,
        c=c,
        charts=_outsider_charts(c, fmt),
        weekdagen=None,
        kaart=hotspot_figure.gemeente_map_svg(_boundary(gemeente), cells, CELL_M, fmt),
        kaart_kwartaal=quarter,
        politie=_outsider_politie_rows(publication, gemeente.cbs_code, period),
        buiten_periode=None,  # records outside the pilot period: the coordinator's report only
        weggelaten=sorted(q for cbs, q in publication.excluded if cbs == gemeente.cbs_code),
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
    """All gemeenten side by side for the whole pilot, from the protected publication."""
    now = now or clock.now()
    fmt = policy.formatter(exact=False)
    publication = policy.outsider_publication()
    gemeenten = db.session.execute(all_gemeenten()).scalars().all()
    pilot = publication.periods.get("P")
    params = {"soort": "totaal", "k": fmt.k}
    fingerprint = _outsider_fingerprint(params, publication)
    if pilot is None:
        pdf = render_pdf(
            "reports/aggregate.html", gemeenten=[], periode=None, fmt=fmt,
            vingerafdruk=fingerprint, gegenereerd=now, cel_m=CELL_M,
        )  # fmt: skip
        return Report(pdf, fingerprint, "rapport-totaal.pdf", True)
    periode = _as_range(pilot)
    ids = [g.id for g in gemeenten]
    effort = effort_figures(ids, periode)
    per_gemeente = {
        g.id: protected_figures(publication, g.cbs_code, pilot, effort[g.id]) for g in gemeenten
    }
    tranches: dict[int, list[Gemeente]] = {}
    for gemeente in gemeenten:
        tranches.setdefault(gemeente.tranche, []).append(gemeente)
    tranche_totals = {
        tranche: protected_figures(
            publication, f"T{tranche}", pilot, sum_figures([effort[g.id] for g in members])
        )
        for tranche, members in tranches.items()
    }
    totaal = protected_figures(publication, "NL", pilot, sum_figures(list(effort.values())))
    quarter = pilot.quarters[-1]
    panels_map = [
        (g.naam, _boundary(g), publication.map_cells(g.cbs_code, quarter.code)) for g in gemeenten
    ]
    trends = [(g.naam, [n for _, n in per_gemeente[g.id].kwartalen]) for g in gemeenten]
    pdf = render_pdf(
        "reports/aggregate.html",
        gemeenten=gemeenten,
        periode=periode,
        fmt=fmt,
        per_gemeente=per_gemeente,
        tranches=tranches,
        tranche_totals=tranche_totals,
        totaal=totaal,
        afdoening_chart=_code_chart(codes.AFDOENING, totaal.afdoening, fmt),
        trends=charts.small_multiples(trends, fmt, unit="kwartalen sinds start", step=fmt.k)
        if trends
        else None,
        kaart=hotspot_figure.gemeente_maps_svg(panels_map, CELL_M, fmt) if panels_map else None,
        kaart_kwartaal=quarter,
        weggelaten=sorted(publication.excluded),
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
