"""The OpenAPI 3.1 document, generated from the API's views and models by spectree.

spectree (``mode="strict"``) describes exactly the views decorated with ``spec.validate``
and validates their requests against the same pydantic models; its ``before`` hook turns a
validation failure into a problem with Dutch messages. spectree's own routes are not
registered: this module serves the document at ``/api/v1/openapi.json`` and the
documentation page (``pilot.api.docs``) renders it server-side, so the page needs no
script and no asset from elsewhere under the strict Content-Security-Policy.

What spectree cannot say is added here: problem responses as ``application/problem+json``
and the patterns of path parameters.
"""

import copy
import threading
from typing import Any

from flask import Request
from spectree import Response, SpecTree

from pilot.api import problems
from pilot.api.schemas import ProblemOut

DESCRIPTION = """Machine-tot-machine-toegang voor de pilot handhaving art. 429ter Sr.

**Systemen van een gemeente** registreren incidenten (één of een batch), boa's, diensten en
politiecijfers van hun eigen gemeente, met dezelfde regels als het webformulier en de import.
**Evaluatoren en het ministerie** lezen de gepubliceerde, beschermde cijfers en
hotspotcellen: dezelfde als in de rapporten en kaarten, nooit kleine aantallen.

Stuur bij elk verzoek `Authorization: Bearer <token>`. Een token wordt uitgegeven door een
beheerder, of door een coördinator voor de eigen gemeente, en is één keer zichtbaar.
Fouten zijn RFC 9457-problemen (`application/problem+json`) met een Nederlandse melding per
veld in `errors`."""

PATH_PARAMETERS = {
    "cbs_code": {"type": "string", "pattern": r"^GM[0-9]{4}$", "examples": ["GM0599"]},
    "maand": {"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$", "examples": ["2025-09"]},
    "incident_id": {"type": "integer", "minimum": 1, "maximum": 2147483647},
}
COMMON_ERRORS = (401, 403, 429)
DESCRIPTIONS = {
    200: "Gelukt",
    201: "Aangemaakt",
    **{status: title for status, (_slug, title, _detail) in problems.KINDS.items()},
}


def _before(req: Request, _resp, error, _instance, _adapter) -> None:
    """Refuse a body that is not JSON, then report validation errors in Dutch."""
    if req.method in ("POST", "PUT", "PATCH"):
        if not req.is_json:
            raise problems.Problem(415)
        if req.get_json(silent=True) is None:
            raise problems.Problem(400, "De body is geen geldige JSON.")
    if error is not None:
        raise problems.invalid(problems.from_validation_error(error))


class DeferredSpecTree(SpecTree):
    """spectree computes each model's JSON schema when a view is decorated: a quarter of a
    second of creating the app, for every CLI command and worker. Only the document needs
    the schemas, so they are computed when it is first built (same models, same order)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: list[tuple[Any, str]] = []

    def _add_model(self, model: Any, mode: str = "validation") -> str:
        self._pending.append((model, mode))
        return self.naming_strategy(model)

    def _generate_spec(self) -> dict[str, Any]:
        pending, self._pending = self._pending, []
        for model, mode in pending:
            super()._add_model(model=model, mode=mode)
        return super()._generate_spec()


spec = DeferredSpecTree(
    "flask",
    mode="strict",
    title="API pilot handhaving art. 429ter Sr",
    version="1",
    description=DESCRIPTION,
    path="api/v1/docs",
    before=_before,
    validation_error_status=422,
    validation_error_model=ProblemOut,
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
    security_schemes=[
        {
            "name": "token",
            "data": {
                "type": "http",
                "scheme": "bearer",
                "description": "Een API-token (p429_…), uitgegeven in de webapplicatie.",
            },
        }
    ],
    security={"token": []},
)


def responses(errors: tuple[int, ...] = (), **success: Any) -> Response:
    """A spectree Response: the success models plus problems for ``errors`` and the
    errors every API call can give (no or a wrong token, throttled)."""
    codes = {f"HTTP_{status}": ProblemOut for status in (*COMMON_ERRORS, *errors)}
    return Response(**success, **codes)


_lock = threading.Lock()
_document: dict | None = None


def openapi_document() -> dict:
    """The document (built once per process: the routes never change while running)."""
    global _document
    with _lock:
        if _document is None:
            _document = _complete(copy.deepcopy(spec.spec))
        return _document


def _complete(document: dict) -> dict:
    problem_ref = "#/components/schemas/ProblemOut"
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] in PATH_PARAMETERS:
                    parameter["schema"] = dict(PATH_PARAMETERS[parameter["name"]])
            for status, response in operation.get("responses", {}).items():
                response["description"] = DESCRIPTIONS.get(int(status), response["description"])
                content = response.get("content", {})
                json_content = content.get("application/json")
                if json_content and json_content.get("schema", {}).get("$ref") == problem_ref:
                    content[problems.PROBLEM_JSON] = content.pop("application/json")
    return document
