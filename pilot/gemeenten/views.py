"""Gemeenten: the beheerder's list and edit screens, and a gemeente's own start page."""

from flask import Blueprint, flash, redirect, render_template, url_for

from pilot.access import requires, visible_gemeente
from pilot.extensions import db
from pilot.gemeenten.forms import GemeenteForm
from pilot.models import Rol
from pilot.services.errors import DomainError
from pilot.services.gemeenten import GemeenteInput, all_gemeenten, get_gemeente, update_gemeente

bp = Blueprint("gemeenten", __name__)


@bp.route("/beheer/gemeenten")
@requires(Rol.BEHEERDER)
def list_gemeenten():
    """List the pilot gemeenten with their period and boundary status."""
    rows = db.session.execute(all_gemeenten()).scalars().all()
    return render_template("gemeenten/list.html", gemeenten=rows)


@bp.route("/beheer/gemeenten/<cbs_code>/bewerken", methods=["GET", "POST"])
@requires(Rol.BEHEERDER)
def edit_gemeente(cbs_code: str):
    """Change a gemeente's pilot period, tranche and population; show its boundary status."""
    gemeente = get_gemeente(cbs_code)
    form = GemeenteForm(obj=gemeente)
    if form.validate_on_submit():
        data = GemeenteInput(
            form.pilot_start.data, form.pilot_eind.data, form.tranche.data, form.inwoners.data
        )
        try:
            update_gemeente(gemeente, data)
        except DomainError as error:
            db.session.rollback()
            form.attach(error)
        else:
            flash(f"De gegevens van {gemeente.naam} zijn opgeslagen.", "success")
            return redirect(url_for("gemeenten.list_gemeenten"))
    return render_template("gemeenten/form.html", gemeente=gemeente, form=form)


@bp.route("/gemeente/<cbs_code>/")
@requires(Rol.COORDINATOR, Rol.BEHEERDER, Rol.EVALUATOR)
def show_gemeente(cbs_code: str):
    """The gemeente's start page."""
    gemeente = visible_gemeente(cbs_code)
    return render_template("gemeenten/show.html", gemeente=gemeente)
