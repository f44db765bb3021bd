"""Dutch error pages without stack traces, and service errors as HTTP responses.

The one place where a service's ``NotFound`` becomes 404 and ``Conflict`` becomes 409, so
views call services without ``try``/``abort`` around every lookup. The 500 handler rolls
the session back. Under ``/api/`` every error is an RFC 9457 problem in JSON instead of a
page (``pilot.api.problems``).
"""

from flask import Flask, make_response, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from pilot.api import problems
from pilot.extensions import db
from pilot.services.errors import Conflict, NotFound

MESSAGES = {
    400: ("Ongeldig verzoek", "Het verzoek kon niet worden verwerkt."),
    403: ("Geen toegang", "U heeft geen toegang tot deze pagina."),
    404: ("Niet gevonden", "Deze pagina bestaat niet of u heeft er geen toegang toe."),
    405: ("Niet toegestaan", "Deze handeling is hier niet toegestaan."),
    409: ("Conflict", "De gegevens zijn intussen door iemand anders gewijzigd."),
    413: ("Bestand te groot", "Het bestand is groter dan is toegestaan."),
    429: (
        "Te veel verzoeken",
        "U heeft in korte tijd te veel verzoeken gedaan. Wacht een minuut en probeer het opnieuw.",
    ),
    500: ("Er ging iets mis", "Er ging iets mis aan onze kant. Probeer het later opnieuw."),
    503: (
        "Even bezet",
        "De database is even bezet, bijvoorbeeld door een grote import. Er is niets opgeslagen: "
        "ga terug en probeer het over een minuut opnieuw.",
    ),
}
RETRY_AFTER_SECONDS = 30
# A write that waited in vain for another transaction's lock (SQLite's busy timeout,
# PostgreSQL's lock_timeout): nothing was stored, and trying again later will work.
LOCKED = ("database is locked", "lock timeout", "could not obtain lock")


def _render(status: int, message: str | None = None):
    if problems.is_api_request():
        return problems.Problem(status).response()
    title, default = MESSAGES.get(status, MESSAGES[500])
    return (
        render_template(
            "errors/error.html", status=status, title=title, message=message or default
        ),
        status,
    )


def register(app: Flask) -> None:
    for status in MESSAGES:
        if status == 500:
            continue
        app.register_error_handler(status, lambda error, s=status: _render(s))

    @app.errorhandler(problems.Problem)
    def api_problem(error: problems.Problem):
        return error.response()

    @app.errorhandler(HTTPException)
    def other_http_error(error: HTTPException):
        """Codes without a page of their own (401, 429, …): a problem on the API."""
        if problems.is_api_request():
            return problems.for_http_error(error)
        return error

    @app.errorhandler(NotFound)
    def not_found(error):
        db.session.rollback()
        return _render(404)

    @app.errorhandler(Conflict)
    def conflict(error):
        db.session.rollback()
        return _render(409)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(400, "Het formulier is verlopen of ongeldig. Laad de pagina opnieuw.")

    @app.errorhandler(OperationalError)
    def database_busy(error: OperationalError):
        db.session.rollback()
        if not any(marker in str(error.orig).lower() for marker in LOCKED):
            return _render(500)
        response = make_response(_render(503))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _render(500)
