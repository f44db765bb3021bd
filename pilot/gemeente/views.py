"""A gemeente's own pages: overview and boa's."""

from flask import Blueprint, render_template

from pilot.access import requires, visible_gemeente
from pilot.models import Rol
from pilot.pagination import paginate
from pilot.services.boas import boas_of

bp = Blueprint("gemeente", __name__, url_prefix="/gemeente/<cbs_code>")


@bp.route("/")
@requires(Rol.COORDINATOR, Rol.BEHEERDER, Rol.EVALUATOR)
def overzicht(cbs_code: str):
    """The gemeente's start page."""
    gemeente = visible_gemeente(cbs_code)
    return render_template("gemeente/overzicht.html", gemeente=gemeente)


@bp.route("/boas")
@requires(Rol.COORDINATOR, Rol.BEHEERDER)
def boas(cbs_code: str):
    """The gemeente's boa's."""
    gemeente = visible_gemeente(cbs_code)
    return render_template(
        "gemeente/boas.html", gemeente=gemeente, pagination=paginate(boas_of(gemeente))
    )
