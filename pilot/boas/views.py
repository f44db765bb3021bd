"""A gemeente's boa's: list, register, edit, deactivate (after confirmation), reactivate,
find by personnel number.

Every view resolves the gemeente from the URL through ``visible_gemeente`` and every boa
through the gemeente, so another gemeente's coordinator gets 404 whatever is sent.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from pilot import clock
from pilot.access import requires, visible_gemeente
from pilot.boas.forms import PERSONEELSNUMMER_HINT, BoaForm, FindBoaForm
from pilot.extensions import db
from pilot.models import Boa, Gemeente, Rol
from pilot.pagination import paginate
from pilot.services import boas as boas_service
from pilot.services.errors import DomainError

bp = Blueprint("boas", __name__, url_prefix="/gemeente/<cbs_code>/boas")


@bp.route("")
@requires(Rol.COORDINATOR, Rol.BEHEERDER)
def list_boas(cbs_code: str):
    """The gemeente's boa's (read-only for the beheerder)."""
    gemeente = visible_gemeente(cbs_code)
    return render_template(
        "boas/list.html",
        gemeente=gemeente,
        pagination=paginate(boas_service.boas_of(gemeente)),
        today=clock.today(),
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@requires(Rol.COORDINATOR)
def new_boa(cbs_code: str):
    """Register a boa; the app issues the pseudonymous code."""
    gemeente = visible_gemeente(cbs_code)
    form = BoaForm()
    if form.validate_on_submit():
        try:
            boa = boas_service.register_boa(gemeente, _boa_input(form))
        except DomainError as error:
            db.session.rollback()
            form.attach(error)
        else:
            flash(f"Boa geregistreerd met code {boa.code}.", "success")
            return redirect(url_for("boas.list_boas", cbs_code=gemeente.cbs_code))
    return _render_form(gemeente, form, boa=None)


@bp.route("/<int:boa_id>/bewerken", methods=["GET", "POST"])
@requires(Rol.COORDINATOR)
def edit_boa(cbs_code: str, boa_id: int):
    """Change a boa's training and mandate dates or personnel number."""
    gemeente = visible_gemeente(cbs_code)
    boa = boas_service.get_boa(gemeente, boa_id)
    form = BoaForm(obj=boa)
    if form.validate_on_submit():
        try:
            boas_service.update_boa(boa, _boa_input(form))
        except DomainError as error:
            db.session.rollback()
            form.attach(error)
        else:
            flash(f"Boa {boa.code} is bijgewerkt.", "success")
            return redirect(url_for("boas.list_boas", cbs_code=gemeente.cbs_code))
    return _render_form(gemeente, form, boa=boa)


@bp.route("/<int:boa_id>/deactiveren", methods=["GET", "POST"])
@requires(Rol.COORDINATOR)
def deactivate_boa(cbs_code: str, boa_id: int):
    """Ask for confirmation, then deactivate: their incidents stay, new ones cannot name them."""
    gemeente = visible_gemeente(cbs_code)
    boa = boas_service.get_boa(gemeente, boa_id)
    if request.method == "POST" and request.form.get("bevestigd") == "ja" and boa.actief:
        boas_service.deactivate_boa(boa)
        flash(f"Boa {boa.code} is gedeactiveerd.", "success")
        return redirect(url_for("boas.list_boas", cbs_code=gemeente.cbs_code))
    return render_template("boas/deactivate.html", gemeente=gemeente, boa=boa)


@bp.route("/<int:boa_id>/reactiveren", methods=["POST"])
@requires(Rol.COORDINATOR)
def reactivate_boa(cbs_code: str, boa_id: int):
    """Make a deactivated boa selectable again."""
    gemeente = visible_gemeente(cbs_code)
    boa = boas_service.get_boa(gemeente, boa_id)
    boas_service.reactivate_boa(boa)
    flash(f"Boa {boa.code} is weer actief ({boa.status(clock.today()).label}).", "success")
    return redirect(url_for("boas.list_boas", cbs_code=gemeente.cbs_code))


@bp.route("/zoeken", methods=["GET", "POST"])
@requires(Rol.COORDINATOR)
def find_boa(cbs_code: str):
    """Find a boa again by personnel number (POST, so the number never appears in a URL)."""
    gemeente = visible_gemeente(cbs_code)
    form = FindBoaForm()
    found: Boa | None = None
    searched = form.validate_on_submit()
    if searched:
        found = boas_service.find_by_personeelsnummer(gemeente, form.personeelsnummer.data)
        form.personeelsnummer.data = ""
    return render_template(
        "boas/find.html", gemeente=gemeente, form=form, found=found, searched=searched
    )


def _boa_input(form: BoaForm) -> boas_service.BoaInput:
    return boas_service.BoaInput(
        opleidingsdatum=form.opleidingsdatum.data,
        mandaat_start=form.mandaat_start.data,
        mandaat_eind=form.mandaat_eind.data,
        personeelsnummer=form.personeelsnummer.data,
    )


def _render_form(gemeente: Gemeente, form: BoaForm, boa: Boa | None):
    return render_template(
        "boas/form.html",
        gemeente=gemeente,
        form=form,
        boa=boa,
        personeelsnummer_hint=PERSONEELSNUMMER_HINT,
    )
