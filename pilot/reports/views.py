"""Report downloads: a page with the choices and one download per report.

Who gets what: a coordinator gets the own gemeente's report with exact counts; evaluator
and beheerder every gemeente's report (small counts suppressed) and the aggregate;
ministerie the aggregate only. The evaluation dataset has an area of its own
(``pilot.dataset``).
"""

import io

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from pilot import clock
from pilot.access import requires, visible_gemeente
from pilot.extensions import HEAVY_LIMITS, db, limiter, per_user
from pilot.models import Gemeente, Rol
from pilot.services.disclosure import policy
from pilot.services.errors import DomainError
from pilot.services.gemeenten import all_gemeenten
from pilot.services.jobs.runner import incident_count, submit, uses_worker
from pilot.services.reports import build, periods, tables

bp = Blueprint("reports", __name__, url_prefix="/rapporten")
B, C, E, M = Rol.BEHEERDER, Rol.COORDINATOR, Rol.EVALUATOR, Rol.MINISTERIE


def _pdf(report: build.Report):
    return send_file(
        io.BytesIO(report.pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=report.bestandsnaam,
    )


@bp.route("/")
@requires(B, C, E, M)
def choose_report():
    """Choose a gemeente and a period, or the aggregate report or the dataset."""
    gemeenten: list[Gemeente] = []
    if current_user.role is C:
        gemeenten = [current_user.gemeente]
    elif current_user.role in (B, E):
        gemeenten = list(db.session.execute(all_gemeenten()).scalars())
    kwartalen, perioden = [], []
    if current_user.role is C:
        start = current_user.gemeente.pilot_start
        kwartalen = periods.quarter_codes(start, max(start, clock.today()))
    elif gemeenten:
        perioden = policy.outsider_publication().offered_periods()
    return render_template(
        "reports/index.html", gemeenten=gemeenten, kwartalen=kwartalen, perioden=perioden
    )


@bp.route("/gemeente.pdf")
@requires(B, C, E)
@limiter.limit(HEAVY_LIMITS, key_func=per_user)
def download_gemeente_report():
    """One gemeente's report: exact for its own coordinator, else an outsider period."""
    gemeente = visible_gemeente(request.args.get("gemeente", ""))
    exact = current_user.role is C
    try:
        if exact:
            gekozen = periods.choose_period(
                gemeente,
                clock.today(),
                request.args.get("van", ""),
                request.args.get("tot", ""),
                request.args.get("kwartaal", ""),
            )
        else:
            gekozen = policy.outsider_period(gemeente, request.args.get("periode", "P"))
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("reports.choose_report"))
    if uses_worker("PILOT_JOB_REPORT_INCIDENTS", incident_count([gemeente.id])):
        job = submit(
            "rapport", f"Rapport {gemeente.naam}", current_user.id, gemeente.id,
            rapport="gemeente", exact=exact, periode=request.args.get("periode", "P"),
            **{name: request.args.get(name, "") for name in ("van", "tot", "kwartaal")},
        )  # fmt: skip
        return redirect(url_for("jobs.show_job", job_id=job.id))
    return _pdf(build.download_gemeente_report(gemeente, gekozen, exact))


@bp.route("/tabellen.csv")
@requires(B, E, M)
def download_tables():
    """Every figure of the outsider publication in one CSV (what all reports and maps show)."""
    return Response(
        tables.publication_csv(),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="pilot-429ter-tabellen.csv"'},
    )


@bp.route("/totaal.pdf")
@requires(B, E, M)
@limiter.limit(HEAVY_LIMITS, key_func=per_user)
def download_aggregate_report():
    """The aggregate report of all gemeenten (small counts always suppressed)."""
    if uses_worker("PILOT_JOB_REPORT_INCIDENTS", incident_count()):
        job = submit(
            "rapport", "Totaalrapport alle gemeenten", current_user.id, None, rapport="totaal"
        )
        return redirect(url_for("jobs.show_job", job_id=job.id))
    return _pdf(build.download_aggregate_report())
