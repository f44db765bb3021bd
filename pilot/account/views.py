"""The own account: change the password, new recovery codes, replace the authenticator app."""

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_login import current_user, logout_user
from werkzeug.security import check_password_hash

from pilot.access import requires
from pilot.account.forms import CodeConfirmForm, PasswordForm, ReplaceMfaForm
from pilot.extensions import db, limiter
from pilot.models import Rol
from pilot.services import mfa, sessions, users
from pilot.services.errors import DomainError
from pilot.services.passwords import MAX_LENGTH, MIN_LENGTH

bp = Blueprint("account", __name__, url_prefix="/account")
ACCOUNT_LIMITS = "10 per minute"


def _user_key() -> str:
    return f"user:{current_user.id}"


@bp.route("")
@requires(*Rol)
def show_account():
    """Overview: password, two-step verification and recovery codes."""
    return render_template(
        "account/index.html",
        herstelcodes=mfa.unused_recovery_codes(current_user),
        code_form=CodeConfirmForm(),
        replace_form=ReplaceMfaForm(),
    )


@bp.route("/wachtwoord", methods=["GET", "POST"])
@requires(*Rol)
@limiter.limit(ACCOUNT_LIMITS, methods=["POST"], key_func=_user_key)
def change_password():
    """Change the own password (required after a temporary one); other sessions end."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            users.change_own_password(current_user, form.huidig.data, form.nieuw.data)
        except DomainError as error:
            db.session.rollback()
            form.attach(error)
        else:
            session["sid"] = sessions.start(current_user)
            flash("Uw wachtwoord is gewijzigd. Andere sessies zijn beëindigd.", "success")
            return redirect(url_for("account.show_account"))
    return render_template(
        "account/password.html", form=form, min_length=MIN_LENGTH, max_length=MAX_LENGTH
    )


@bp.route("/herstelcodes", methods=["POST"])
@requires(*Rol)
@limiter.limit(ACCOUNT_LIMITS, key_func=_user_key)
def renew_recovery_codes():
    """New recovery codes (the old ones stop working), confirmed with a current code."""
    form = CodeConfirmForm()
    if form.validate_on_submit() and mfa.verify_totp(current_user, form.code.data):
        codes = mfa.new_recovery_codes(current_user)
        return render_template(
            "auth/recovery_codes.html", codes=codes, verder=url_for("account.show_account")
        )
    db.session.rollback()
    flash("De code klopt niet; er zijn geen nieuwe herstelcodes gemaakt.", "error")
    return redirect(url_for("account.show_account"))


@bp.route("/tweede-stap-vervangen", methods=["POST"])
@requires(*Rol)
@limiter.limit(ACCOUNT_LIMITS, key_func=_user_key)
def replace_mfa():
    """Replace the authenticator app: MFA is removed, set up again at the next log-in."""
    form = ReplaceMfaForm()
    if not form.validate_on_submit() or not check_password_hash(
        current_user.password_hash, form.wachtwoord.data or ""
    ):
        flash("Het wachtwoord klopt niet; de tweede stap is niet gewijzigd.", "error")
        return redirect(url_for("account.show_account"))
    mfa.reset(current_user)
    logout_user()
    session.clear()
    flash("Log opnieuw in om de tweede stap met uw nieuwe app in te stellen.", "info")
    return redirect(url_for("auth.log_in"))
