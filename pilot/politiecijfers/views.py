"""Police figures per gemeente and month, for the gemeente's coordinator or a beheerder."""

from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for

from pilot import clock
from pilot.access import requires, visible_gemeente
from pilot.models import Rol
from pilot.pagination import paginate
from pilot.politiecijfers.forms import PolitieForm
from pilot.services import politiecijfers
from pilot.services.errors import DomainError

bp = Blueprint("politiecijfers", __name__, url_prefix="/gemeente/<cbs_code>/politiecijfers")


@bp.route("/", methods=["GET", "POST"])
@requires(Rol.COORDINATOR, Rol.BEHEERDER)
def edit_politiecijfers(cbs_code: str):
    """Police figures per month: list, and enter or correct a month (?maand=JJJJ-MM)."""
    gemeente = visible_gemeente(cbs_code)
    form = PolitieForm()
    if not form.is_submitted() and (maand := _maand_arg()):
        form.process(obj=politiecijfers.get_cijfers(gemeente, maand), maand=maand)
    if form.validate_on_submit():
        try:
            row = politiecijfers.save_cijfers(gemeente, form.to_input())
        except DomainError as error:
            form.attach(error)
        else:
            flash(f"De politiecijfers van {row.maand:%m-%Y} zijn opgeslagen.", "success")
            return redirect(url_for(".edit_politiecijfers", cbs_code=cbs_code))
    pagination = paginate(politiecijfers.list_cijfers(gemeente))
    return render_template(
        "politiecijfers/list.html", gemeente=gemeente, form=form, pagination=pagination
    )


def _maand_arg():
    maand = request.args.get("maand", "")
    try:
        return datetime.strptime(maand, "%Y-%m").replace(tzinfo=clock.AMSTERDAM).date()
    except ValueError:
        return None
