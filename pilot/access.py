"""Access control: every endpoint declares which roles may reach it.

``@requires(Rol.X, ...)`` and ``@public`` record the decision on the view function; API
endpoints record a ``TokenAccess`` (``pilot.api.auth.requires_token``): they are reached
with an API token of the named kinds and scope, never with a log-in session. A
``before_request`` hook refuses any endpoint without a decision, so a new route is closed
until someone decides, and the route × role test fails until that decision is made.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_login import current_user

from pilot.extensions import db, login_manager
from pilot.models import Gemeente, Rol, User

ACCESS_ATTRIBUTE = "pilot_access"
PUBLIC = "public"


def requires(*roles: Rol) -> Callable:
    """Allow the view only to logged-in users with one of ``roles``."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapped, ACCESS_ATTRIBUTE, frozenset(roles))
        return wrapped

    return decorate


@dataclass(frozen=True)
class TokenAccess:
    """An API endpoint: reached with a token of one of ``soorten`` that may ``scope``."""

    soorten: frozenset[str]
    scope: str

    def __contains__(self, rol: object) -> bool:
        return False  # no log-in role reaches an API endpoint


def public(view: Callable) -> Callable:
    setattr(view, ACCESS_ATTRIBUTE, PUBLIC)
    return view


def access_of(endpoint: str) -> frozenset[Rol] | str | TokenAccess | None:
    view = current_app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTRIBUTE, None)


def visible_gemeente(cbs_code: str) -> Gemeente:
    """The gemeente named in a URL, or 404 when the user may not see it.

    A coordinator sees only their own gemeente; another code answers 404, exactly as a
    code that does not exist, so the existence of data elsewhere is not revealed.
    """
    if current_user.role is Rol.COORDINATOR:
        gemeente = current_user.gemeente  # loaded with the session (services.sessions)
        if gemeente.cbs_code != cbs_code:
            abort(404)
        return gemeente
    gemeente = db.session.execute(
        db.select(Gemeente).where(Gemeente.cbs_code == cbs_code)
    ).scalar_one_or_none()
    if gemeente is None:
        abort(404)
    return gemeente


def _enforce_declared_access():
    if request.endpoint is None or request.endpoint == "static":
        return None
    if access_of(request.endpoint) is None:
        abort(403)
    return None


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """The user of this request's live server-side session (``pilot.auth.guard``)."""
    user = g.get("session_user")  # loaded with the session row (services.sessions.check)
    if user is None or str(user.id) != user_id:
        return None
    return user if user.actief else None


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.log_in"
    login_manager.login_message = "Log in om deze pagina te bekijken."
    login_manager.login_message_category = "info"
    app.before_request(_enforce_declared_access)


def home_for(user: User):
    """Where a user lands after logging in."""
    if user.role is Rol.COORDINATOR:
        return redirect(url_for("gemeenten.show_gemeente", cbs_code=user.gemeente.cbs_code))
    if user.role is Rol.BEHEERDER:
        return redirect(url_for("gemeenten.list_gemeenten"))
    return redirect(url_for("home.show_start"))
