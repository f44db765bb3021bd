"""User accounts: the beheerder lists, creates, edits, (de)activates users, resets a
password (temporary) or MFA and lifts a lockout; all audited."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from pilot.access import requires
from pilot.extensions import db
from pilot.models import Rol
from pilot.pagination import paginate
from pilot.services import login, mfa
from pilot.services import users as users_service
from pilot.services.errors import DomainError
from pilot.services.gemeenten import all_gemeenten, get_gemeente
from pilot.users.forms import EditUserForm, ResetPasswordForm, UserForm, gemeente_choices

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


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@requires(Rol.BEHEERDER)
def edit_user(user_id: int):
    """Edit name, role and gemeente; reset password or MFA; lift a lockout."""
    user = users_service.get_user(user_id)
    form = EditUserForm(obj=user if request.method != "POST" else None)
    form.gemeente.choices = gemeente_choices(db.session.execute(all_gemeenten()).scalars())
    if request.method == "GET":
        form.gemeente.data = user.gemeente.cbs_code if user.gemeente else ""
    if form.validate_on_submit():
        try:
            gemeente = get_gemeente(form.gemeente.data) if form.gemeente.data else None
            users_service.update_user(user, form.naam.data or "", Rol(form.rol.data), gemeente)
        except DomainError as error:
            db.session.rollback()
            form.attach(error)
        else:
            flash(f"Gebruiker {user.gebruikersnaam} is gewijzigd.", "success")
            return redirect(url_for("users.list_users"))
    return _edit_page(user, form, ResetPasswordForm(formdata=None))


def _edit_page(user, form, reset_form):
    return render_template(
        "users/edit.html",
        user=user,
        form=form,
        reset_form=reset_form,
        geblokkeerd_tot=login.blocked_until(user.gebruikersnaam),
        min_password_length=users_service.MIN_PASSWORD_LENGTH,
    )


@bp.route("/<int:user_id>/wachtwoord", methods=["POST"])
@requires(Rol.BEHEERDER)
def reset_password(user_id: int):
    """Set a temporary password; the user must change it at the next log-in."""
    user = users_service.get_user(user_id)
    reset_form = ResetPasswordForm()
    if reset_form.validate_on_submit():
        try:
            users_service.reset_password(user, reset_form.wachtwoord.data)
        except DomainError as error:
            db.session.rollback()
            reset_form.attach(error)
        else:
            flash(f"Tijdelijk wachtwoord van {user.gebruikersnaam} is ingesteld.", "success")
            return redirect(url_for("users.edit_user", user_id=user.id))
    form = EditUserForm(formdata=None, obj=user)
    form.gemeente.choices = gemeente_choices(db.session.execute(all_gemeenten()).scalars())
    form.gemeente.data = user.gemeente.cbs_code if user.gemeente else ""
    return _edit_page(user, form, reset_form)


@bp.route("/<int:user_id>/tweede-stap-resetten", methods=["POST"])
@requires(Rol.BEHEERDER)
def reset_mfa(user_id: int):
    """Remove a user's MFA (lost phone): they set it up again at the next log-in."""
    user = users_service.get_user(user_id)
    mfa.reset(user)
    flash(f"Tweestapsverificatie van {user.gebruikersnaam} is gereset.", "success")
    return redirect(url_for("users.edit_user", user_id=user.id))


@bp.route("/<int:user_id>/blokkade-opheffen", methods=["POST"])
@requires(Rol.BEHEERDER)
def lift_lockout(user_id: int):
    """Lift the lockout after too many failed log-ins."""
    user = users_service.get_user(user_id)
    users_service.lift_lockout(user)
    flash(f"De blokkade van {user.gebruikersnaam} is opgeheven.", "success")
    return redirect(url_for("users.edit_user", user_id=user.id))


def _set_active(user_id: int, actief: bool, done: str):
    user = users_service.get_user(user_id)
    try:
        users_service.set_active(user, actief, acting_user_id=current_user.id)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(f"Gebruiker {user.gebruikersnaam} {done}.", "success")
    return redirect(url_for("users.list_users"))
