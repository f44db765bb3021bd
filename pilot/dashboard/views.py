"""Dashboards on screen: the national one and one per gemeente (``services/dashboard.py``).

The gemeente's own coordinator sees exact figures for any period; everyone else chooses
an outsider period (the whole pilot, a closed year, a completed quarter) and sees the
protected publication.
"""

from flask import Blueprint, flash, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from pilot import clock
from pilot.access import requires, visible_gemeente
from pilot.models import Rol
from pilot.services import dashboard
from pilot.services.cache import DerivedCache
from pilot.services.disclosure import policy
from pilot.services.disclosure.publication import PILOT
from pilot.services.errors import DomainError
from pilot.services.reports import periods

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
B, C, E, M = Rol.BEHEERDER, Rol.COORDINATOR, Rol.EVALUATOR, Rol.MINISTERIE
# The rendered sections of an outsider dashboard, per board (itself cached per publication).
RENDERED = DerivedCache(sources=64, per_source=1)


def _sections(board, hotspots_url: str) -> Markup | None:
    if board is None:
        return None

    def render() -> Markup:
        html = render_template("dashboard/_board.html", board=board, hotspots_url=hotspots_url)
        return Markup(html)  # our own template, already escaped by Jinja

    return render() if board.exact else RENDERED.get(board, hotspots_url, render)


def _outsider_period(publication, gemeente=None):
    """The outsider period asked for (``?periode=``), else the whole pilot."""
    offered = publication.offered_periods(gemeente)
    key = request.args.get("periode", PILOT)
    chosen = next((p for p in offered if p.key == key), None)
    if chosen is None and key != PILOT:
        flash("Kies een periode uit de lijst; getoond is de hele pilot.", "error")
    return chosen or next((p for p in offered if p.key == PILOT), None), offered


@bp.route("/")
@requires(B, E, M)
def show_national():
    """All gemeenten, tranches and the country side by side (protected)."""
    publication = policy.outsider_publication()
    period, offered = _outsider_period(publication)
    board = dashboard.national(publication, period) if period else None
    sections = _sections(board, url_for("hotspots.show_national_map"))
    return render_template(
        "dashboard/national.html", board=board, sections=sections, perioden=offered
    )


@bp.route("/gemeente/<cbs_code>")
@requires(B, C, E)
def show_gemeente(cbs_code: str):
    """One gemeente: exact for its own coordinator (any period), else protected."""
    gemeente = visible_gemeente(cbs_code)
    map_url = url_for("hotspots.show_gemeente_map", cbs_code=gemeente.cbs_code)
    if current_user.role is C:
        args = request.args
        try:
            periode = periods.choose_period(
                gemeente, clock.today(), args.get("van", ""), args.get("tot", ""),
                args.get("kwartaal", ""),
            )  # fmt: skip
        except DomainError as error:
            flash(str(error), "error")
            periode = periods.pilot_period(gemeente, clock.today())
        board = dashboard.gemeente_exact(gemeente, periode)
        kwartalen = periods.quarter_codes(
            gemeente.pilot_start, max(gemeente.pilot_start, clock.today())
        )
        return render_template(
            "dashboard/gemeente.html", board=board, sections=_sections(board, map_url),
            gemeente=gemeente, kwartalen=kwartalen,
        )  # fmt: skip
    publication = policy.outsider_publication()
    period, offered = _outsider_period(publication, gemeente)
    board = dashboard.gemeente_outsider(publication, gemeente, period) if period else None
    return render_template(
        "dashboard/gemeente.html", board=board, sections=_sections(board, map_url),
        gemeente=gemeente, perioden=offered,
    )  # fmt: skip
