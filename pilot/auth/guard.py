"""Request guards of the log-in: a live server-side session, and a temporary password
that must be replaced before anything else.

``check_session`` runs before every request (and before Flask-Login loads the user): the
signed cookie's session token must name a live ``user_session`` row (not ended, within the
idle and absolute timeouts); otherwise the cookie is emptied, so a cookie captured before
log-out, deactivation or a password change opens nothing.
"""

from datetime import timedelta

from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user

from pilot.services import sessions

TEMPORARY_PASSWORD_ALLOWED = {"static", "account.change_password", "auth.log_out"}


def check_session():
    g.session_user = None
    g.pop("_login_user", None)  # Flask-Login's cache: never carried over from another request
    if request.endpoint == "static" or "sid" not in session:
        return None
    config = current_app.config
    result = sessions.check(
        str(session["sid"]),
        idle=timedelta(minutes=config["PILOT_SESSION_IDLE_MINUTES"]),
        absolute=timedelta(hours=config["PILOT_SESSION_MAX_HOURS"]),
    )
    if result.user is None:
        session.clear()
        if result.verlopen:
            flash("Uw sessie is verlopen. Log opnieuw in.", "info")
    else:
        g.session_user = result.user
    g.pop("_login_user", None)  # loaded (as anonymous) while the check committed: reload
    return None


def require_password_change():
    if request.endpoint in TEMPORARY_PASSWORD_ALLOWED or request.endpoint is None:
        return None
    if current_user.is_authenticated and current_user.wachtwoord_tijdelijk:
        return redirect(url_for("account.change_password"))
    return None


def refuse_nul_characters():
    """A NUL in a parameter is never meant (PostgreSQL cannot store it): 400, not 500."""
    for values in (request.args, request.form):
        if any("\x00" in k or any("\x00" in v for v in vs) for k, vs in values.lists()):
            abort(400)
    return None


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_characters)
    app.before_request(check_session)
    app.before_request(require_password_change)
