"""Beheerder screens: gemeenten (pilot period, tranche, boundary status) and users."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from pilot.access import requires
from pilot.beheer.forms import GemeenteForm, UserForm
from pilot.extensions import db
from pilot.models import Rol
from pilot.pagination import paginate
from pilot.services import users as users_service
from pilot.services.errors import DomainError, NotFound
from pilot.services.gemeenten import GemeenteInput, all_gemeenten, get_gemeente, update_gemeente

bp = Blueprint("beheer", __name__, url_prefix="/beheer")


@bp.route("/gemeenten")
@requires(Rol.BEHEERDER)
def gemeenten():
    """List the pilot gemeenten with their period and boundary status."""
    rows = db.session.execute(all_gemeenten()).scalars().all()
    return render_template("beheer/gemeenten.html", gemeenten=rows)


@bp.route("/gemeenten/<cbs_code>/bewerken", methods=["GET", "POST"])
@requires(Rol.BEHEERDER)
def edit_gemeente(cbs_code: str):
    """Change a gemeente's pilot period, tranche and population; show its boundary status."""
    gemeente = _or_404(get_gemeente, cbs_code)
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
            return redirect(url_for("beheer.gemeenten"))
    return render_template("beheer/gemeente_form.html", gemeente=gemeente, form=form)


@bp.route("/gebruikers")
@requires(Rol.BEHEERDER)
def users():
    """List users, optionally of one role (``?rol=``), paginated."""
    rol = request.args.get("rol", "")
    selected = Rol(rol) if rol in {r.value for r in Rol} else None
    return render_template(
        "beheer/users.html",
        pagination=paginate(users_service.list_users(selected)),
        selected=selected,
    )


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@requires(Rol.BEHEERDER)
def new_user():
    """Create a user; a coordinator belongs to one gemeente."""
    form = UserForm()
    form.set_gemeenten(db.session.execute(all_gemeenten()).scalars())
    if form.validate_on_submit():
        try:
            gemeente = get_gemeente(form.gemeente.data) if form.gemeente.data else None
            user = users_service.create_user(
                form.gebruikersnaam.data,
                form.naam.data or "",
                form.wachtwoord.data,
                Rol(form.rol.data),
                gemeente,
            )
        except DomainError as error:
            db.session.rollback()
            form.attach(error)
        else:
            flash(f"Gebruiker {user.gebruikersnaam} is aangemaakt.", "success")
            return redirect(url_for("beheer.users"))
    return render_template(
        "beheer/user_form.html", form=form, min_password_length=users_service.MIN_PASSWORD_LENGTH
    )


@bp.route("/gebruikers/<int:user_id>/deactiveren", methods=["POST"])
@requires(Rol.BEHEERDER)
def deactivate_user(user_id: int):
    """Deactivate a user (never oneself); they can no longer log in."""
    return _set_active(user_id, False, "is gedeactiveerd")


@bp.route("/gebruikers/<int:user_id>/heractiveren", methods=["POST"])
@requires(Rol.BEHEERDER)
def reactivate_user(user_id: int):
    """Make a deactivated user active again."""
    return _set_active(user_id, True, "is weer actief")


def _set_active(user_id: int, actief: bool, done: str):
    user = _or_404(users_service.get_user, user_id)
    try:
        users_service.set_active(user, actief, acting_user_id=current_user.id)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(f"Gebruiker {user.gebruikersnaam} {done}.", "success")
    return redirect(url_for("beheer.users"))


def _or_404(lookup, key):
    try:
        return lookup(key)
    except NotFound:
        abort(404)
