"""Errors of the API as RFC 9457 problem details (``application/problem+json``), in Dutch.

Every error under ``/api/`` is a problem object: ``type`` (a link to its explanation on
the documentation page), ``title``, ``status``, ``detail`` and ``instance``, and for
invalid input an ``errors`` list with one Dutch message per field, located by a JSON
pointer into the body (``#/incidenten/3/tijdstip``), a query ``parameter`` or a ``header``.
Input values are never echoed: a message names the field and the problem only.
"""

import json
from typing import Any

from flask import Response, current_app, has_request_context, request, url_for
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from pilot.api.blueprint import API_PREFIX
from pilot.services.incidenten import RowErrors

PROBLEM_JSON = "application/problem+json"

# status: (slug of the type, title, default detail)
KINDS: dict[int, tuple[str, str, str]] = {
    400: ("ongeldig-verzoek", "Ongeldig verzoek", "Het verzoek kon niet worden verwerkt."),
    401: (
        "niet-aangemeld",
        "Geen geldig token",
        "Stuur een geldig API-token mee: Authorization: Bearer <token>.",
    ),
    403: ("geen-toegang", "Geen toegang", "Dit token geeft geen toegang tot deze handeling."),
    404: (
        "niet-gevonden",
        "Niet gevonden",
        "Dit adres of dit record bestaat niet, of dit token heeft er geen toegang toe.",
    ),
    405: ("methode", "Methode niet toegestaan", "Deze methode is hier niet toegestaan."),
    409: ("conflict", "Conflict", "De gegevens zijn intussen door iemand anders gewijzigd."),
    412: (
        "versieconflict",
        "Versie gewijzigd",
        "Het record is gewijzigd sinds u het las: lees het opnieuw en stuur de nieuwe versie "
        "mee in If-Match.",
    ),
    413: ("te-groot", "Verzoek te groot", "Het verzoek is groter dan is toegestaan."),
    415: (
        "inhoudstype",
        "Verkeerd inhoudstype",
        "Stuur de gegevens als JSON (Content-Type: application/json).",
    ),
    422: ("validatie", "Ongeldige invoer", "Een of meer velden zijn ongeldig; zie errors."),
    428: (
        "versie-ontbreekt",
        "Versie ontbreekt",
        "Stuur de versie die u wijzigt mee in de header If-Match (de ETag van het record).",
    ),
    429: (
        "te-veel-verzoeken",
        "Te veel verzoeken",
        "Te veel verzoeken in korte tijd; probeer het na Retry-After seconden opnieuw.",
    ),
    500: ("serverfout", "Er ging iets mis", "Er ging iets mis aan onze kant."),
    503: (
        "bezet",
        "Even bezet",
        "De database is even bezet (bijvoorbeeld door een grote import); er is niets "
        "opgeslagen. Probeer het na Retry-After seconden opnieuw.",
    ),
}
IDEMPOTENCY = "idempotentie"
EXTRA_KINDS = {
    IDEMPOTENCY: (
        "Idempotency-Key hergebruikt",
        "Deze Idempotency-Key is eerder gebruikt voor een ander verzoek; kies een nieuwe sleutel.",
    )
}
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def is_api_request() -> bool:
    return has_request_context() and (
        request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")
    )


def type_uri(slug: str) -> str:
    return url_for("api.show_docs", _external=True) + f"#probleem-{slug}"


class Problem(Exception):
    """An API error; ``response()`` writes it as problem+json."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        soort: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        self.status = status if status in KINDS else 500
        slug, title, default = KINDS[self.status]
        if soort in EXTRA_KINDS:
            slug = soort
            title, default = EXTRA_KINDS[soort]
        self.body: dict[str, Any] = {
            "type": type_uri(slug),
            "title": title,
            "status": self.status,
            "detail": detail or default,
            "instance": request.path,
        }
        if errors:
            self.body["errors"] = errors
        self.body.update(extra)
        self.headers = headers or {}
        super().__init__(self.body["detail"])

    def response(self) -> Response:
        text = json.dumps(self.body, ensure_ascii=False)
        response = current_app.response_class(text, status=self.status, mimetype=PROBLEM_JSON)
        response.headers.update(self.headers)
        return response


def for_http_error(error: HTTPException) -> Response:
    """An HTTP error raised by Flask or an extension, as a problem (headers kept)."""
    status = error.code or 500
    headers = {}
    if error.response is not None:
        headers = {k: v for k, v in error.response.headers.items() if k in KEPT_HEADERS}
    else:
        headers = {k: v for k, v in error.get_headers() if k in KEPT_HEADERS}
    return Problem(status, headers=headers).response()


def field_errors(errors: RowErrors, prefix: str = "#", names: dict[str, str] | None = None):
    """A service's messages per field as problem ``errors`` (``__all__``: no pointer)."""
    names = names or {}
    result = []
    for name, messages in errors.items():
        for message in messages:
            item: dict[str, Any] = {"detail": message}
            if name != "__all__":
                item["pointer"] = f"{prefix}/{names.get(name, name)}"
            elif prefix != "#":
                item["pointer"] = prefix
            result.append(item)
    return result


def invalid(errors: list[dict[str, Any]], detail: str | None = None) -> Problem:
    return Problem(422, detail, errors=errors)


# Pydantic error types and their Dutch messages (``{…}`` from the error's context).
MESSAGES = {
    "missing": "Dit veld is verplicht.",
    "extra_forbidden": "Dit veld is onbekend; controleer de schrijfwijze.",
    "string_type": "Vul tekst in.",
    "string_too_short": "Vul minstens {min_length} teken(s) in.",
    "string_too_long": "Vul hoogstens {max_length} tekens in.",
    "string_pattern_mismatch": "De vorm klopt niet; zie de beschrijving van dit veld.",
    "int_type": "Vul een geheel getal in.",
    "int_parsing": "Vul een geheel getal in.",
    "int_from_float": "Vul een geheel getal in.",
    "float_type": "Vul een getal in.",
    "float_parsing": "Vul een getal in.",
    "finite_number": "Vul een eindig getal in.",
    "bool_type": "Vul true of false in.",
    "bool_parsing": "Vul true of false in.",
    "greater_than_equal": "Vul {ge} of meer in.",
    "greater_than": "Vul meer dan {gt} in.",
    "less_than_equal": "Vul {le} of minder in.",
    "less_than": "Vul minder dan {lt} in.",
    "datetime_type": "Vul datum en tijd in volgens ISO 8601, met tijdzone.",
    "datetime_parsing": "Vul datum en tijd in volgens ISO 8601, bijvoorbeeld "
    "2025-09-12T21:30:00+02:00.",
    "datetime_from_date_parsing": "Vul datum en tijd in volgens ISO 8601, bijvoorbeeld "
    "2025-09-12T21:30:00+02:00.",
    "timezone_aware": "Geef de tijdzone mee (bijvoorbeeld +02:00 of Z); zonder tijdzone is het "
    "tijdstip niet eenduidig.",
    "date_type": "Vul een datum in als jjjj-mm-dd.",
    "date_parsing": "Vul een datum in als jjjj-mm-dd.",
    "date_from_datetime_parsing": "Vul een datum in als jjjj-mm-dd.",
    "date_from_datetime_inexact": "Vul een datum in als jjjj-mm-dd, zonder tijd.",
    "list_type": "Geef een lijst.",
    "too_short": "Geef er minstens {min_length}.",
    "too_long": "Geef er hoogstens {max_length}.",
    "model_type": "Geef een object.",
    "model_attributes_type": "Geef een object.",
    "dict_type": "Geef een object.",
    "literal_error": "Kies een van: {expected}.",
    "enum": "Kies een van: {expected}.",
    "json_invalid": "Dit is geen geldige JSON.",
    "json_type": "Dit is geen geldige JSON.",
}
FALLBACK = "Deze waarde is ongeldig."


def dutch_message(error: dict[str, Any]) -> str:
    template = MESSAGES.get(error.get("type", ""), FALLBACK)
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return FALLBACK


def from_validation_error(error: ValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors with Dutch messages, located in the body, query or headers."""
    place = error.title or ""
    result = []
    for item in error.errors(include_url=False, include_input=False):
        loc = [str(part) for part in item.get("loc", ())]
        entry: dict[str, Any] = {"detail": dutch_message(item)}
        if place.endswith("Query"):
            entry["parameter"] = loc[0] if loc else ""
        elif place.endswith("Headers"):
            entry["header"] = loc[0] if loc else ""
        else:
            entry["pointer"] = "#" + "".join(
                "/" + p.replace("~", "~0").replace("/", "~1") for p in loc
            )
        result.append(entry)
    return result
