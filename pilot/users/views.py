"""User accounts: the beheerder lists, creates, deactivates and reactivates users."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from pilot.access import requires
from pilot.extensions import db
from pilot.models import Rol
from pilot.pagination import paginate
from pilot.services import users as users_service
from pilot.services.errors import DomainError
from pilot.services.gemeenten import all_gemeenten, get_gemeente
from pilot.users.forms import UserForm

bp = Blueprint("users", __name__, url_prefix="/beheer/gebruikers")


@bp.route("")
@requires(Rol.BEHEERDER)
def list_users():
    """List users, optionally of one role (``?rol=``), paginated."""
    rol = request.args.get("rol", "")
    selected = Rol(rol) if rol in {r.value for r in Rol} else None
    return render_template(
        "users/list.html",
        pagination=paginate(users_service.list_users(selected)),
        selected=selected,
    )


@bp.route("/nieuw", methods=["GET", "POST"])
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
            return redirect(url_for("users.list_users"))
    return render_template(
        "users/form.html", form=form, min_password_length=users_service.MIN_PASSWORD_LENGTH
    )


@bp.route("/<int:user_id>/deactiveren", methods=["POST"])
@requires(Rol.BEHEERDER)
def deactivate_user(user_id: int):
    """Deactivate a user (never oneself); they can no longer log in."""
    return _set_active(user_id, False, "is gedeactiveerd")


@bp.route("/<int:user_id>/heractiveren", methods=["POST"])
@requires(Rol.BEHEERDER)
def reactivate_user(user_id: int):
    """Make a deactivated user active again."""
    return _set_active(user_id, True, "is weer actief")


def _set_active(user_id: int, actief: bool, done: str):
    user = users_service.get_user(user_id)
    try:
        users_service.set_active(user, actief, acting_user_id=current_user.id)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(f"Gebruiker {user.gebruikersnaam} {done}.", "success")
    return redirect(url_for("users.list_users"))
