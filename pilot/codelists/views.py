"""Code lists of the beheerder: see every list and its versions, add a code, correct a label."""

from flask import Blueprint, flash, redirect, render_template, url_for

from pilot import codes
from pilot.access import requires
from pilot.codelists.forms import TOELICHTING_HINT, LabelForm, NewCodeForm
from pilot.extensions import db
from pilot.models import Rol
from pilot.services import codelists as codelists_service
from pilot.services.errors import Conflict, DomainError, NotFound

bp = Blueprint("codelists", __name__, url_prefix="/beheer/codelijsten")
CONFLICT = "Iemand anders wijzigde tegelijk het codeboek. Bekijk de lijst en probeer het opnieuw."


@bp.route("")
@requires(Rol.BEHEERDER)
def list_codelists():
    """Every code list with its stable codes, labels and the codebook's change log."""
    return render_template("codelists/list.html", codeboek=codes.current())


@bp.route("/<naam>/nieuw", methods=["GET", "POST"])
@requires(Rol.BEHEERDER)
def new_code(naam: str):
    """Add a code at the end of a list (a new codebook version)."""
    lijst = codelists_service.code_list(naam)
    form = NewCodeForm()
    if form.validate_on_submit():
        done = _save(
            form,
            naam,
            lambda: codelists_service.add_code(
                naam, form.code.data, form.label.data, form.toelichting.data
            ),
            f"Code ‘{form.code.data}’ toegevoegd",
        )
        if done is not None:
            return done
    return render_template(
        "codelists/form.html",
        lijst=lijst,
        form=form,
        item=None,
        max_code=codelists_service.max_code_length(naam),
        toelichting_hint=TOELICHTING_HINT,
    )


@bp.route("/<naam>/<code>/label", methods=["GET", "POST"])
@requires(Rol.BEHEERDER)
def edit_label(naam: str, code: str):
    """Correct a code's label; the code and its meaning stay (a new codebook version)."""
    lijst = codelists_service.code_list(naam)
    item = next((c for c in lijst.codes if c.code == code), None)
    if item is None:
        raise NotFound
    form = LabelForm(data={"label": item.label})
    if form.validate_on_submit():
        done = _save(
            form,
            naam,
            lambda: codelists_service.correct_label(
                naam, code, form.label.data, form.toelichting.data
            ),
            f"Label van ‘{code}’ gecorrigeerd",
        )
        if done is not None:
            return done
    return render_template(
        "codelists/form.html",
        lijst=lijst,
        form=form,
        item=item,
        toelichting_hint=TOELICHTING_HINT,
    )


def _save(form, naam: str, change, done: str):
    """Run a codebook change: on success flash and redirect to the list; a domain error
    goes beside its field, a concurrent change above the form (None: show the form again)."""
    try:
        book = change()
    except DomainError as error:
        db.session.rollback()
        form.attach(error)
    except Conflict:
        form.form_errors = [CONFLICT]
    else:
        flash(f"{done}; codeboek versie {book.versie}.", "success")
        return redirect(url_for("codelists.list_codelists", _anchor=naam))
    return None
