"""PDF reports: per gemeente and for the whole pilot, built from SQL aggregates.

``bouw_gemeenterapport`` and ``bouw_totaalrapport`` build a report without side effects;
``download_gemeenterapport`` and ``download_totaalrapport`` are the use cases the web
and the CLI call: build, record the download in the audit trail, commit.
"""

from dataclasses import dataclass
from datetime import date, datetime

import shapely
from flask import current_app

from pilot import audit, clock, codes
from pilot.extensions import db
from pilot.models import Gemeente
from pilot.quarters import quarter_of
from pilot.services.gc_pause import cyclic_gc_paused
from pilot.services.gemeenten import all_gemeenten
from pilot.services.hotspots import figure as hotspot_figure
from pilot.services.reports import charts
from pilot.services.reports.figures import (
    Figures,
    count_figures,
    grid_cells,
    grid_cells_per_gemeente,
    pilot_range,
    sum_figures,
)
from pilot.services.reports.fingerprint import report_fingerprint
from pilot.services.reports.pdf import render_pdf
from pilot.services.reports.periods import Period
from pilot.services.reports.suppression import Suppression

CELL_M = 500


@dataclass(frozen=True)
class Report:
    pdf: bytes
    vingerafdruk: str
    bestandsnaam: str
    onderdrukt: bool


def suppression_for(exact: bool) -> Suppression:
    return Suppression(k=current_app.config["PILOT_SUPPRESSION_K"], actief=not exact)


def _boundary(gemeente: Gemeente):
    return shapely.from_wkb(gemeente.grens_rd_wkb) if gemeente.grens_rd_wkb else None


def _weekday_table(figures: Figures) -> list[tuple[str, list[int], int]]:
    rows = []
    for day in codes.WEEKDAG.codes:
        index, naam = int(day.code), day.label
        values = [figures.weekdag_tijdvak.get((index, t.code), 0) for t in codes.TIJDVAK.codes]
        rows.append((naam, values, sum(values)))
    return rows


def _code_chart(code_list: codes.CodeList, counts: dict[str, int], fmt: Suppression) -> str:
    items = [(item.label, counts.get(item.code, 0)) for item in code_list.codes]
    return charts.bar_chart([label for label, _ in items], [n for _, n in items], fmt)


def _gemeente_charts(figures: Figures, periode: Period, fmt: Suppression) -> dict[str, str]:
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


def _politie_rows(figures: Figures, periode: Period) -> list[dict]:
    """Boa and police figures per quarter, for the quarters that have police figures."""
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
    return [{"kwartaal": label, **row} for label, row in quarters.items()]


@cyclic_gc_paused()
def build_gemeente_report(
    gemeente: Gemeente, periode: Period, exact: bool, now: datetime | None = None
) -> Report:
    """The report of one gemeente for ``periode``; exact counts only when ``exact``."""
    now = now or clock.now()
    fmt = suppression_for(exact)
    figures = count_figures([gemeente.id], periode)[gemeente.id]
    params = {
        "soort": "gemeente",
        "gemeente": gemeente.cbs_code,
        "van": periode.van,
        "tot": periode.tot,
        "k": fmt.k,
        "onderdrukt": fmt.actief,
    }
    fingerprint = report_fingerprint(params, [gemeente.id], periode)
    cells = grid_cells([gemeente.id], periode, CELL_M)
    pdf = render_pdf(
        "reports/gemeente.html",
        gemeente=gemeente,
        periode=periode,
        fmt=fmt,
        c=figures,
        charts=_gemeente_charts(figures, periode, fmt),
        weekdagen=_weekday_table(figures),
        kaart=hotspot_figure.gemeente_map_svg(_boundary(gemeente), cells, CELL_M, fmt),
        politie=_politie_rows(figures, periode),
        vingerafdruk=fingerprint,
        gegenereerd=now,
        cel_m=CELL_M,
    )
    name = f"rapport-{gemeente.cbs_code}-{periode.van.isoformat()}-{periode.tot.isoformat()}.pdf"
    return Report(pdf, fingerprint, name, fmt.actief)


def _trend(figures: Figures, gemeente: Gemeente, periode: Period) -> list[int]:
    start = Period(max(gemeente.pilot_start, periode.van), periode.tot, "")
    return [figures.maand.get(m, 0) for m in start.maanden()]


@cyclic_gc_paused()
def build_aggregate_report(now: datetime | None = None, today: date | None = None) -> Report:
    """All gemeenten side by side, always with small counts suppressed."""
    now = now or clock.now()
    fmt = suppression_for(exact=False)
    gemeenten = db.session.execute(all_gemeenten()).scalars().all()
    today = today or now.astimezone(clock.AMSTERDAM).date()
    periode = pilot_range(gemeenten, today) if gemeenten else Period(today, today, "Geen")
    ids = [g.id for g in gemeenten]
    per_gemeente = count_figures(ids, periode)
    tranches: dict[int, list[Gemeente]] = {}
    for gemeente in gemeenten:
        tranches.setdefault(gemeente.tranche, []).append(gemeente)
    tranche_totals = {
        tranche: sum_figures([per_gemeente[g.id] for g in members])
        for tranche, members in tranches.items()
    }
    totaal = sum_figures(list(per_gemeente.values()))
    params = {"soort": "totaal", "k": fmt.k, "van": periode.van, "tot": periode.tot}
    fingerprint = report_fingerprint(params, ids, periode)
    cells = grid_cells_per_gemeente(ids, periode, CELL_M)
    panels_map = [(g.naam, _boundary(g), cells[g.id]) for g in gemeenten]
    trends = [(g.naam, _trend(per_gemeente[g.id], g, periode)) for g in gemeenten]
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
        trends=charts.small_multiples(trends, fmt) if trends else None,
        kaart=hotspot_figure.gemeente_maps_svg(panels_map, CELL_M, fmt) if panels_map else None,
        vingerafdruk=fingerprint,
        gegenereerd=now,
        cel_m=CELL_M,
    )
    return Report(pdf, fingerprint, "rapport-totaal.pdf", True)


def download_gemeente_report(gemeente: Gemeente, periode: Period, exact: bool) -> Report:
    """Build a gemeente report and record the download in the audit trail (one commit)."""
    report = build_gemeente_report(gemeente, periode, exact)
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
