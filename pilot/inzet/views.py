"""Diensten (coordinator only) and police figures (the gemeente's coordinator or a beheerder)."""

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from pilot.access import requires, visible_gemeente
from pilot.extensions import db
from pilot.inzet.forms import DienstForm, PolitieForm
from pilot.models import Dienst, Gemeente, Rol
from pilot.pagination import paginate
from pilot.services import diensten, politie
from pilot.services.errors import Conflict, DomainError, NotFound

diensten_bp = Blueprint("diensten", __name__, url_prefix="/gemeente/<cbs_code>/diensten")
politie_bp = Blueprint("politie", __name__, url_prefix="/gemeente/<cbs_code>/politiecijfers")

CONFLICT_MESSAGE = (
    "Deze dienst is intussen door iemand anders gewijzigd. Uw invoer staat hieronder nog; "
    "sla opnieuw op om uw wijziging toch door te voeren."
)


@diensten_bp.route("/")
@requires(Rol.COORDINATOR)
def lijst(cbs_code: str):
    """The gemeente's shifts, newest first."""
    gemeente = visible_gemeente(cbs_code)
    pagination = paginate(diensten.list_diensten(gemeente))
    return render_template("diensten/lijst.html", gemeente=gemeente, pagination=pagination)


@diensten_bp.route("/nieuw", methods=["GET", "POST"])
@requires(Rol.COORDINATOR)
def nieuw(cbs_code: str):
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
            return redirect(url_for(".lijst", cbs_code=cbs_code))
    return render_template("diensten/formulier.html", gemeente=gemeente, form=form, dienst=None)


def _dienst_or_404(gemeente: Gemeente, dienst_id: int) -> Dienst:
    try:
        return diensten.get_dienst(gemeente, dienst_id)
    except NotFound:
        abort(404)


@diensten_bp.route("/<int:dienst_id>/wijzigen", methods=["GET", "POST"])
@requires(Rol.COORDINATOR)
def wijzigen(cbs_code: str, dienst_id: int):
    """Correct a shift (with the same version check as incidents)."""
    gemeente = visible_gemeente(cbs_code)
    dienst = _dienst_or_404(gemeente, dienst_id)
    form = DienstForm()
    if not form.is_submitted():
        form.fill_from(diensten.input_from_dienst(dienst), dienst.version)
    elif form.validate():
        try:
            diensten.update_dienst(gemeente, dienst, form.to_input(), int(form.version.data or 0))
        except Conflict:
            db.session.refresh(dienst)
            form.version.data = str(dienst.version)
            form.form_errors.append(CONFLICT_MESSAGE)
        except DomainError as error:
            form.attach(error)
        else:
            flash("De dienst is gewijzigd.", "success")
            return redirect(url_for(".lijst", cbs_code=cbs_code))
    return render_template("diensten/formulier.html", gemeente=gemeente, form=form, dienst=dienst)


@politie_bp.route("/", methods=["GET", "POST"])
@requires(Rol.COORDINATOR, Rol.BEHEERDER)
def cijfers(cbs_code: str):
    """Police figures per month: list, and enter or correct a month (?maand=JJJJ-MM)."""
    gemeente = visible_gemeente(cbs_code)
    form = PolitieForm()
    if not form.is_submitted() and (maand := _maand_arg()):
        form.process(obj=politie.get_cijfers(gemeente, maand), maand=maand)
    if form.validate_on_submit():
        try:
            row = politie.save_cijfers(gemeente, form.to_input())
        except DomainError as error:
            form.attach(error)
        else:
            flash(f"De politiecijfers van {row.maand:%m-%Y} zijn opgeslagen.", "success")
            return redirect(url_for(".cijfers", cbs_code=cbs_code))
    pagination = paginate(politie.list_cijfers(gemeente))
    return render_template(
        "politie/cijfers.html", gemeente=gemeente, form=form, pagination=pagination
    )


def _maand_arg():
    try:
        return datetime.strptime(request.args.get("maand", ""), "%Y-%m").date()
    except ValueError:
        return None
