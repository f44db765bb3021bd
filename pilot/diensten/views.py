"""Diensten (enforcement shifts) of a gemeente, for its own coordinator."""

from flask import Blueprint, flash, redirect, render_template, url_for

from pilot import codes
from pilot.access import requires, visible_gemeente
from pilot.diensten.forms import DienstForm
from pilot.extensions import db
from pilot.forms import parse_version
from pilot.models import Rol
from pilot.pagination import paginate
from pilot.services import diensten
from pilot.services.errors import Conflict, DomainError

bp = Blueprint("diensten", __name__, url_prefix="/gemeente/<cbs_code>/diensten")

CONFLICT_MESSAGE = (
    "Deze dienst is intussen door iemand anders gewijzigd. Uw invoer staat hieronder nog; "
    "sla opnieuw op om uw wijziging toch door te voeren."
)


@bp.route("/")
@requires(Rol.COORDINATOR)
def list_diensten(cbs_code: str):
    """The gemeente's shifts, newest first."""
    gemeente = visible_gemeente(cbs_code)
    pagination = paginate(diensten.list_diensten(gemeente))
    return render_template(
        "diensten/list.html",
        gemeente=gemeente,
        pagination=pagination,
        gebiedstype=codes.GEBIEDSTYPE.resolve(),
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@requires(Rol.COORDINATOR)
def new_dienst(cbs_code: str):
    """Record a shift."""
    gemeente = visible_gemeente(cbs_code)
    form = DienstForm()
    if form.validate_on_submit():
        try:
            diensten.create_dienst(gemeente, form.to_input())
        except DomainError as error:
            form.attach(error)
        else:
            flash("De dienst is vastgelegd.", "success")
            return redirect(url_for(".list_diensten", cbs_code=cbs_code))
    return render_template(
        "diensten/form.html",
        gemeente=gemeente,
        form=form,
        dienst=None,
        max_duur_uur=diensten.MAX_DUUR_UUR,
    )


@bp.route("/<int:dienst_id>/wijzigen", methods=["GET", "POST"])
@requires(Rol.COORDINATOR)
def edit_dienst(cbs_code: str, dienst_id: int):
    """Correct a shift (with the same version check as incidents)."""
    gemeente = visible_gemeente(cbs_code)
    dienst = diensten.get_dienst(gemeente, dienst_id)
    form = DienstForm()
    if not form.is_submitted():
        form.fill_from(diensten.input_from_dienst(dienst), dienst.version)
    elif form.validate():
        try:
            diensten.update_dienst(
                gemeente, dienst, form.to_input(), parse_version(form.version.data)
            )
        except Conflict:
            db.session.refresh(dienst)
            form.version.data = str(dienst.version)
            form.form_errors.append(CONFLICT_MESSAGE)
        except DomainError as error:
            form.attach(error)
        else:
            flash("De dienst is gewijzigd.", "success")
            return redirect(url_for(".list_diensten", cbs_code=cbs_code))
    return render_template(
        "diensten/form.html",
        gemeente=gemeente,
        form=form,
        dienst=dienst,
        max_duur_uur=diensten.MAX_DUUR_UUR,
    )
