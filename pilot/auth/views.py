"""Logging in (password, then a TOTP or recovery code; enrolment at the first log-in) and out.

Between the two steps the signed cookie holds only the id of the user whose password was
right and when (``mfa_pending``, valid for ``PENDING_SECONDS``); the user is logged in, with
a new server-side session, only after the second factor.
"""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from pilot import audit, clock
from pilot.access import home_for, public, requires
from pilot.auth.forms import CodeForm, EnrolForm, LoginForm
from pilot.extensions import db, limiter
from pilot.models import Rol, User
from pilot.services import login, mfa, sessions, users

bp = Blueprint("auth", __name__)
PENDING_SECONDS = 300
LOGIN_LIMITS = "20 per minute;200 per hour"
WRONG = "Onbekende gebruikersnaam of onjuist wachtwoord."


def _account_key() -> str:
    """Rate-limit key per account name typed (or pending), beside the per-address limit."""
    name = request.form.get("gebruikersnaam") or str(session.get("mfa_pending", ""))
    return "account:" + login.normalise(name)


def _blocked_message(attempt_minutes: int) -> str:
    return (
        "Te veel mislukte pogingen. Probeer het over "
        f"{attempt_minutes} minuut{'en' if attempt_minutes != 1 else ''} opnieuw, "
        "of vraag een beheerder de blokkade op te heffen."
    )


@bp.route("/inloggen", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMITS, methods=["POST"])
@limiter.limit(LOGIN_LIMITS, methods=["POST"], key_func=_account_key)
def log_in():
    """Step 1: user name and password."""
    if current_user.is_authenticated:
        return home_for(current_user)
    form = LoginForm()
    if form.validate_on_submit():
        attempt = login.authenticate(form.gebruikersnaam.data, form.wachtwoord.data)
        if attempt.geblokkeerd_tot is not None:
            form.wachtwoord.errors.append(_blocked_message(attempt.minuten))
        elif attempt.user is None:
            form.wachtwoord.errors.append(WRONG)
        else:
            target = _safe_next(request.args.get("next", ""))
            session.clear()
            session["mfa_pending"] = attempt.user.id
            session["mfa_since"] = int(clock.now().timestamp())
            session["next"] = target
            if attempt.user.mfa_actief:
                return redirect(url_for("auth.verify_mfa"))
            return redirect(url_for("auth.enrol_mfa"))
    return render_template("auth/login.html", form=form)


def _pending_user() -> User | None:
    user_id, since = session.get("mfa_pending"), session.get("mfa_since")
    if not isinstance(user_id, int) or not isinstance(since, int):
        return None
    if clock.now().timestamp() - since > PENDING_SECONDS:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.actief else None


def _restart():
    session.clear()
    flash("Log opnieuw in.", "info")
    return redirect(url_for("auth.log_in"))


@bp.route("/inloggen/code", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMITS, methods=["POST"])
@limiter.limit(LOGIN_LIMITS, methods=["POST"], key_func=_account_key)
def verify_mfa():
    """Step 2: a code from the authenticator app, or a recovery code."""
    if current_user.is_authenticated:
        return home_for(current_user)
    user = _pending_user()
    if user is None or not user.mfa_actief:
        return _restart()
    form = CodeForm()
    if form.validate_on_submit():
        if (until := login.blocked_until(user.gebruikersnaam)) is not None:
            login.record_failure(user.gebruikersnaam, user, "geblokkeerd")
            form.code.errors.append(_blocked_message(login.Attempt(None, until).minuten))
        elif mfa.verify_totp(user, form.code.data) or mfa.use_recovery_code(user, form.code.data):
            return _complete(user)
        else:
            db.session.rollback()
            login.record_failure(user.gebruikersnaam, user, "code")
            form.code.errors.append("Deze code klopt niet of is al gebruikt.")
    return render_template("auth/code.html", form=form)


@bp.route("/inloggen/tweede-stap-instellen", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMITS, methods=["POST"])
def enrol_mfa():
    """First log-in: set up the authenticator app, confirm with a code, show recovery codes."""
    if current_user.is_authenticated:
        return home_for(current_user)
    user = _pending_user()
    if user is None or user.mfa_actief:
        return _restart()
    form = EnrolForm()
    if request.method == "GET" or not user.totp_secret:
        mfa.begin_enrolment(user)
    elif form.validate_on_submit():
        codes = mfa.confirm_enrolment(user, form.code.data)
        if codes is not None:
            response = _complete(user)
            return render_template(
                "auth/recovery_codes.html", codes=codes, verder=response.location
            )
        db.session.rollback()
        form.code.errors.append("Deze code klopt niet. Controleer de tijd op uw telefoon.")
    return render_template(
        "auth/enrol.html", form=form, qr=mfa.qr_svg(user), secret=mfa.grouped_secret(user)
    )


def _complete(user: User):
    """Both factors are right: a new session (new id), then the temporary password or home."""
    target = session.get("next", "")
    session.clear()
    session["sid"] = sessions.start(user)
    login_user(user)
    users.mark_logged_in(user)
    if user.wachtwoord_tijdelijk:
        return redirect(url_for("account.change_password"))
    return redirect(target) if target else home_for(user)


def _safe_next(target: str) -> str:
    safe = target.startswith("/") and not urlsplit(target).netloc
    return target if safe and "//" not in target and "\\" not in target else ""


@bp.route("/uitloggen", methods=["POST"])
@requires(*Rol)
def log_out():
    """Log out everywhere: every server-side session of the user ends (POST only)."""
    audit.record("uitloggen", "user_account", str(current_user.id))
    sessions.end_all(current_user.id)
    db.session.commit()
    logout_user()
    session.clear()
    flash("U bent uitgelogd.", "info")
    return redirect(url_for("auth.log_in"))
