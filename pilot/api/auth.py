"""Token access to the API: who may call, how often, and the audit of every call.

``@requires_token(kinds, scope)`` marks an API view (``pilot.access.TokenAccess``, which
the route × role test reads), exempts it from CSRF (a token is sent deliberately in a
header, never by the browser on its own) and wraps it in two limits of the shared
Flask-Limiter (``pilot.extensions.limiter``): calls per token and scope, counted before
the token is checked (keyed by the hash of the presented token, or the address without
one), and refused authentications per address. Only then is the token checked. A log-in
session never authorises an API call: the session user is ignored for the request.

Every call made with a known token (including one refused because it expired or was
revoked) is written to the audit trail with the token's id, and changes made during the
call are attributed to the token (actor ``api-token <id>``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Response, current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import AnonymousUserMixin

from pilot import audit
from pilot.access import ACCESS_ATTRIBUTE, TokenAccess
from pilot.api.blueprint import bp
from pilot.api.problems import Problem
from pilot.extensions import csrf, db, limiter
from pilot.models import ApiToken, Gemeente
from pilot.services.api import tokens
from pilot.services.api.tokens import GEMEENTE, LEZEN, OUTSIDERS, SCHRIJVEN, TokenRefused

ALLE = frozenset({GEMEENTE, *OUTSIDERS})
REALM = 'Bearer realm="pilot-429ter"'
REFUSED = {
    "onbekend": "Dit token is onbekend.",
    "verlopen": "Dit token is verlopen; vraag een nieuw token aan.",
    "ingetrokken": "Dit token is ingetrokken.",
    "uitgever gedeactiveerd": "Het account dat dit token uitgaf is gedeactiveerd.",
}


@dataclass(frozen=True)
class ApiCall:
    token_id: int
    gemeente_id: int | None


def actor_name(token_id: int) -> str:
    return f"api-token {token_id}"


def bearer_secret() -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def _rate_key() -> str:
    secret = bearer_secret()
    return f"token:{tokens.hash_secret(secret)[:32]}" if secret else f"adres:{get_remote_address()}"


def _limit(scope: str) -> Callable[[], str]:
    name = "PILOT_API_LIMIT_SCHRIJVEN" if scope == SCHRIJVEN else "PILOT_API_LIMIT_LEZEN"
    return lambda: current_app.config[name]


def _refusal_limit() -> str:
    return current_app.config["PILOT_API_LIMIT_WEIGERINGEN"]


def _refused(response: Response) -> bool:
    return response.status_code == 401


def _authenticate(access: TokenAccess) -> ApiToken:
    g._login_user = AnonymousUserMixin()  # the session never authorises an API call
    secret = bearer_secret()
    if secret is None:
        raise Problem(401, headers={"WWW-Authenticate": REALM})
    try:
        token = tokens.authenticate(secret)
    except TokenRefused as refused:
        if refused.token_id is not None:
            g.api_call = ApiCall(refused.token_id, None)
        raise Problem(
            401,
            REFUSED.get(refused.reden),
            headers={"WWW-Authenticate": f'{REALM}, error="invalid_token"'},
        ) from refused
    g.api_call = ApiCall(token.id, token.gemeente_id)
    if token.soort not in access.soorten:
        raise Problem(403, "Dit soort token geeft geen toegang tot deze gegevens.")
    if access.scope == SCHRIJVEN and token.scope != SCHRIJVEN:
        raise Problem(403, "Dit token mag alleen lezen.")
    g.api_token = token
    return token


def requires_token(soorten: frozenset[str], scope: str = LEZEN) -> Callable:
    """Allow the view to callers with a token of one of ``soorten`` that may ``scope``."""
    access = TokenAccess(frozenset(soorten), scope)

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def authenticated(*args, **kwargs):
            token = _authenticate(access)
            with audit.acting_as(actor_name(token.id)):
                return view(*args, **kwargs)

        limited = limiter.limit(_limit(scope), key_func=_rate_key)(
            limiter.limit(_refusal_limit, key_func=get_remote_address, deduct_when=_refused)(
                authenticated
            )
        )
        setattr(limited, ACCESS_ATTRIBUTE, access)
        limited.operation_id = view.__name__  # the OpenAPI operationId: the endpoint's name
        csrf.exempt(limited)
        return limited

    return decorate


def current_token() -> ApiToken:
    return g.api_token


def token_gemeente(cbs_code: str) -> Gemeente:
    """The gemeente in the URL if it is the token's, else 404 (as if it did not exist)."""
    token = current_token()
    gemeente = db.session.get(Gemeente, token.gemeente_id) if token.gemeente_id else None
    if gemeente is None or gemeente.cbs_code != cbs_code:
        raise Problem(404)
    return gemeente


@bp.after_request
def audit_call(response: Response) -> Response:
    """One audit event per API call made with a known token."""
    call: ApiCall | None = g.pop("api_call", None)
    if call is None:
        return response
    db.session.rollback()  # nothing of a failed call may ride along with its audit event
    with audit.acting_as(actor_name(call.token_id)):
        audit.record(
            "api-aanroep",
            "api_token",
            str(call.token_id),
            call.gemeente_id,
            methode=request.method,
            endpoint=request.endpoint,
            status=response.status_code,
        )
    tokens.mark_used(call.token_id)
    db.session.commit()
    return response
