"""Logging in and out."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from pilot import audit
from pilot.access import home_for, public, requires
from pilot.auth.forms import LoginForm
from pilot.extensions import db
from pilot.models import Rol
from pilot.services import users

bp = Blueprint("auth", __name__)


@bp.route("/inloggen", methods=["GET", "POST"])
@public
def log_in():
    """Show the log-in form and log a user in."""
    if current_user.is_authenticated:
        return home_for(current_user)
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(form.gebruikersnaam.data, form.wachtwoord.data)
        if user is None:
            form.wachtwoord.errors.append("Onbekende gebruikersnaam of onjuist wachtwoord.")
        else:
            login_user(user)
            users.mark_logged_in(user)
            target = request.args.get("next", "")
            if target.startswith("/") and not urlsplit(target).netloc and "//" not in target:
                return redirect(target)
            return home_for(user)
    return render_template("auth/login.html", form=form)


@bp.route("/uitloggen", methods=["POST"])
@requires(*Rol)
def log_out():
    """Log out (POST, so a link on another site cannot do it)."""
    audit.record("uitloggen", "user_account", str(current_user.id))
    db.session.commit()
    logout_user()
    flash("U bent uitgelogd.", "info")
    return redirect(url_for("auth.log_in"))
