"""Beheerder screens: gemeenten and users."""

from flask import Blueprint, render_template

from pilot.access import requires
from pilot.extensions import db
from pilot.models import Rol
from pilot.pagination import paginate
from pilot.services.gemeenten import all_gemeenten
from pilot.services.users import list_users

bp = Blueprint("beheer", __name__, url_prefix="/beheer")


@bp.route("/gemeenten")
@requires(Rol.BEHEERDER)
def gemeenten():
    """List the pilot gemeenten with their period and boundary status."""
    rows = db.session.execute(all_gemeenten()).scalars().all()
    return render_template("beheer/gemeenten.html", gemeenten=rows)


@bp.route("/gebruikers")
@requires(Rol.BEHEERDER)
def users():
    """List users, paginated."""
    return render_template("beheer/users.html", pagination=paginate(list_users()))
