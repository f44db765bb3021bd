"""The landing page: what the system is (logged out), the overview after log-in for roles
without a page of their own."""

from flask import Blueprint, render_template
from flask_login import current_user

from pilot.access import home_for, public, requires
from pilot.extensions import db
from pilot.models import Rol
from pilot.services import dashboard
from pilot.services.disclosure import policy
from pilot.services.disclosure.publication import PILOT
from pilot.services.gemeenten import all_gemeenten

bp = Blueprint("home", __name__)


@bp.route("/")
@public
def redirect_visitor():
    """Send users to their start page; tell visitors what this is and whom to ask."""
    if current_user.is_authenticated:
        return home_for(current_user)
    return render_template("home/welcome.html")


@bp.route("/start")
@requires(*Rol)
def show_start():
    """The pilot gemeenten; outside a gemeente also the national and per-gemeente key
    figures and the hotspot table of the whole pilot (protected)."""
    gemeenten = db.session.execute(all_gemeenten()).scalars().all()
    board = None
    if current_user.role is not Rol.COORDINATOR:
        publication = policy.outsider_publication()
        if PILOT in publication.periods:
            board = dashboard.national(publication, publication.periods[PILOT])
    return render_template("home/index.html", gemeenten=gemeenten, board=board)
