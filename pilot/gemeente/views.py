"""A gemeente's own pages: overview and boa's (register, edit, deactivate, find).

Every view resolves the gemeente from the URL through ``visible_gemeente`` and every boa
through the gemeente, so another gemeente's coordinator gets 404 whatever is sent.
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from pilot.access import requires, visible_gemeente
from pilot.extensions import db
from pilot.gemeente.forms import PERSONEELSNUMMER_HINT, BoaForm, FindBoaForm
from pilot.models import Boa, Gemeente, Rol
from pilot.pagination import paginate
from pilot.services import boas as boas_service
from pilot.services.errors import DomainError, NotFound

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
    """The gemeente's boa's (read-only for the beheerder)."""
    gemeente = visible_gemeente(cbs_code)
    return render_template(
        "gemeente/boas.html",
        gemeente=gemeente,
        pagination=paginate(boas_service.boas_of(gemeente)),
    )


@bp.route("/boas/nieuw", methods=["GET", "POST"])
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
            return redirect(url_for("gemeente.boas", cbs_code=gemeente.cbs_code))
    return _render_form(gemeente, form, boa=None)


@bp.route("/boas/<int:boa_id>/bewerken", methods=["GET", "POST"])
@requires(Rol.COORDINATOR)
def edit_boa(cbs_code: str, boa_id: int):
    """Change a boa's training and mandate dates or personnel number."""
    gemeente, boa = _visible_boa(cbs_code, boa_id)
    form = BoaForm(obj=boa)
    if form.validate_on_submit():
        try:
            boas_service.update_boa(boa, _boa_input(form))
        except DomainError as error:
            db.session.rollback()
            form.attach(error)
        else:
            flash(f"Boa {boa.code} is bijgewerkt.", "success")
            return redirect(url_for("gemeente.boas", cbs_code=gemeente.cbs_code))
    return _render_form(gemeente, form, boa=boa)


@bp.route("/boas/<int:boa_id>/deactiveren", methods=["POST"])
@requires(Rol.COORDINATOR)
def deactivate_boa(cbs_code: str, boa_id: int):
    """Deactivate a boa; their incidents stay, new ones cannot name them."""
    gemeente, boa = _visible_boa(cbs_code, boa_id)
    boas_service.deactivate_boa(boa)
    flash(f"Boa {boa.code} is gedeactiveerd.", "success")
    return redirect(url_for("gemeente.boas", cbs_code=gemeente.cbs_code))


@bp.route("/boas/zoeken", methods=["GET", "POST"])
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
        "gemeente/boa_zoeken.html", gemeente=gemeente, form=form, found=found, searched=searched
    )


def _visible_boa(cbs_code: str, boa_id: int) -> tuple[Gemeente, Boa]:
    gemeente = visible_gemeente(cbs_code)
    try:
        return gemeente, boas_service.get_boa(gemeente, boa_id)
    except NotFound:
        abort(404)


def _boa_input(form: BoaForm) -> boas_service.BoaInput:
    return boas_service.BoaInput(
        opleidingsdatum=form.opleidingsdatum.data,
        mandaat_start=form.mandaat_start.data,
        mandaat_eind=form.mandaat_eind.data,
        personeelsnummer=form.personeelsnummer.data,
    )


def _render_form(gemeente: Gemeente, form: BoaForm, boa: Boa | None):
    return render_template(
        "gemeente/boa_form.html",
        gemeente=gemeente,
        form=form,
        boa=boa,
        personeelsnummer_hint=PERSONEELSNUMMER_HINT,
    )
