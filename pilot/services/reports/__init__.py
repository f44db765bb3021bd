"""PDF reports: per gemeente and for the whole pilot, built from SQL aggregates.

``bouw_gemeenterapport`` and ``bouw_totaalrapport`` build a report without side effects;
``download_gemeenterapport`` and ``download_totaalrapport`` are the use cases the web
and the CLI call: build, record the download in the audit trail, commit.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import shapely
from flask import current_app

from pilot import audit, codes
from pilot.extensions import db
from pilot.models import Gemeente
from pilot.services.gc_pause import cyclic_gc_paused
from pilot.services.gemeenten import all_gemeenten
from pilot.services.reports import charts, maps
from pilot.services.reports.data import (
    Cijfers,
    cijfers,
    grid_cells,
    grid_cells_per_gemeente,
    pilot_range,
    som,
)
from pilot.services.reports.fingerprint import vingerafdruk
from pilot.services.reports.pdf import render_pdf
from pilot.services.reports.periode import Periode
from pilot.services.reports.suppression import Onderdrukking

CELL_M = 500


@dataclass(frozen=True)
class Rapport:
    pdf: bytes
    vingerafdruk: str
    bestandsnaam: str
    onderdrukt: bool


def onderdrukking(exact: bool) -> Onderdrukking:
    return Onderdrukking(k=current_app.config["PILOT_SUPPRESSION_K"], actief=not exact)


def _boundary(gemeente: Gemeente):
    return shapely.from_wkb(gemeente.grens_rd_wkb) if gemeente.grens_rd_wkb else None


def _weekdag_tabel(figures: Cijfers) -> list[tuple[str, list[int], int]]:
    rows = []
    for day in codes.WEEKDAG.codes:
        index, naam = int(day.code), day.label
        values = [figures.weekdag_tijdvak.get((index, t.code), 0) for t in codes.TIJDVAK.codes]
        rows.append((naam, values, sum(values)))
    return rows


def _code_chart(code_list: codes.CodeList, counts: dict[str, int], fmt: Onderdrukking) -> str:
    items = [(item.label, counts.get(item.code, 0)) for item in code_list.codes]
    return charts.staven([label for label, _ in items], [n for _, n in items], fmt)


def _gemeente_charts(figures: Cijfers, periode: Periode, fmt: Onderdrukking) -> dict[str, str]:
    months = periode.maanden()
    kleding = [item.code for item in codes.KLEDING.codes]
    return {
        "maand": charts.per_maand(months, [figures.maand.get(m, 0) for m in months], fmt),
        "gedraging": _code_chart(codes.GEDRAGING, figures.gedraging, fmt),
        "afdoening": _code_chart(codes.AFDOENING, figures.afdoening, fmt),
        "locatie": _code_chart(codes.LOCATIE_TYPE, figures.locatie_type, fmt),
        "kleding": charts.groepen(
            [codes.KLEDING.label(code) for code in kleding],
            {
                "Incidenten": [figures.kleding.get(code, 0) for code in kleding],
                "Processen-verbaal": [figures.kleding_pv.get(code, 0) for code in kleding],
            },
            fmt,
            width_cm=9,
        ),
    }


def _politie_rijen(figures: Cijfers, periode: Periode) -> list[dict]:
    """Boa and police figures per quarter, for the quarters that have police figures."""
    quarters: dict[str, dict] = {}
    for month in periode.maanden():
        police = figures.politie.get(month)
        if police is None:
            continue
        row = quarters.setdefault(
            f"{month[0]}-K{(month[1] - 1) // 3 + 1}",
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
def bouw_gemeenterapport(
    gemeente: Gemeente, periode: Periode, exact: bool, now: datetime | None = None
) -> Rapport:
    """The report of one gemeente for ``periode``; exact counts only when ``exact``."""
    now = now or datetime.now(UTC)
    fmt = onderdrukking(exact)
    figures = cijfers([gemeente.id], periode)[gemeente.id]
    params = {
        "soort": "gemeente",
        "gemeente": gemeente.cbs_code,
        "van": periode.van,
        "tot": periode.tot,
        "k": fmt.k,
        "onderdrukt": fmt.actief,
    }
    fingerprint = vingerafdruk(params, [gemeente.id], periode)
    cells = grid_cells([gemeente.id], periode, CELL_M)
    pdf = render_pdf(
        "reports/gemeente.html",
        gemeente=gemeente,
        periode=periode,
        fmt=fmt,
        c=figures,
        charts=_gemeente_charts(figures, periode, fmt),
        weekdagen=_weekdag_tabel(figures),
        kaart=maps.hotspotkaart(_boundary(gemeente), cells, CELL_M, fmt),
        politie=_politie_rijen(figures, periode),
        vingerafdruk=fingerprint,
        gegenereerd=now,
        cel_m=CELL_M,
    )
    name = f"rapport-{gemeente.cbs_code}-{periode.van.isoformat()}-{periode.tot.isoformat()}.pdf"
    return Rapport(pdf, fingerprint, name, fmt.actief)


def _trend(figures: Cijfers, gemeente: Gemeente, periode: Periode) -> list[int]:
    start = Periode(max(gemeente.pilot_start, periode.van), periode.tot, "")
    return [figures.maand.get(m, 0) for m in start.maanden()]


@cyclic_gc_paused()
def bouw_totaalrapport(now: datetime | None = None, today: date | None = None) -> Rapport:
    """All gemeenten side by side, always with small counts suppressed."""
    now = now or datetime.now(UTC)
    fmt = onderdrukking(exact=False)
    gemeenten = db.session.execute(all_gemeenten()).scalars().all()
    today = today or now.date()
    periode = pilot_range(gemeenten, today) if gemeenten else Periode(today, today, "Geen")
    ids = [g.id for g in gemeenten]
    per_gemeente = cijfers(ids, periode)
    tranches: dict[int, list[Gemeente]] = {}
    for gemeente in gemeenten:
        tranches.setdefault(gemeente.tranche, []).append(gemeente)
    tranche_totals = {
        tranche: som([per_gemeente[g.id] for g in members]) for tranche, members in tranches.items()
    }
    totaal = som(list(per_gemeente.values()))
    params = {"soort": "totaal", "k": fmt.k, "van": periode.van, "tot": periode.tot}
    fingerprint = vingerafdruk(params, ids, periode)
    cells = grid_cells_per_gemeente(ids, periode, CELL_M)
    panels_map = [(g.naam, _boundary(g), cells[g.id]) for g in gemeenten]
    trends = [(g.naam, _trend(per_gemeente[g.id], g, periode)) for g in gemeenten]
    pdf = render_pdf(
        "reports/totaal.html",
        gemeenten=gemeenten,
        periode=periode,
        fmt=fmt,
        per_gemeente=per_gemeente,
        tranches=tranches,
        tranche_totals=tranche_totals,
        totaal=totaal,
        afdoening_chart=_code_chart(codes.AFDOENING, totaal.afdoening, fmt),
        trends=charts.kleine_veelvouden(trends, fmt) if trends else None,
        kaart=maps.kaarten(panels_map, CELL_M, fmt) if panels_map else None,
        vingerafdruk=fingerprint,
        gegenereerd=now,
        cel_m=CELL_M,
    )
    return Rapport(pdf, fingerprint, "rapport-totaal.pdf", True)


def download_gemeenterapport(gemeente: Gemeente, periode: Periode, exact: bool) -> Rapport:
    """Build a gemeente report and record the download in the audit trail (one commit)."""
    report = bouw_gemeenterapport(gemeente, periode, exact)
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


def download_totaalrapport() -> Rapport:
    """Build the aggregate report and record the download in the audit trail (one commit)."""
    report = bouw_totaalrapport()
    audit.record(
        "downloaden", "rapport", "totaal", soort="totaal", vingerafdruk=report.vingerafdruk
    )
    db.session.commit()
    return report
