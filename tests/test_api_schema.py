"""The served OpenAPI document: valid OpenAPI 3.1, rendered as the documentation page, and
the API checked against it by schemathesis: generated requests to every operation with a
real token, 0 server errors and every response (status, content type, headers, body)
valid against the document. Bounded: ``EXAMPLES`` per operation, in the SQLite pass only
(the responses' shapes do not depend on the database)."""

import re
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from pilot.services.api import tokens
from tests.api_support import bearer, issue
from tests.factories import make_boa, make_incident

EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
OUTSIDER_PATHS = ("/api/v1/publicatie/",)


@pytest.fixture
def api(app, frozen_clock):
    """A Rotterdam write token, an evaluator token, a boa and an incident to find."""
    app.config.update(PILOT_API_LIMIT_LEZEN="100000 per minute")
    app.config.update(PILOT_API_LIMIT_SCHRIJVEN="100000 per minute")
    app.config.update(PILOT_API_LIMIT_WEIGERINGEN="100000 per minute")
    with app.app_context():
        boa = make_boa("GM0599", code="BOA-0599-K7QX")
        incident = make_incident(boa, 51.9165, 4.4788).id
    _, gemeente = issue(app, geldig_tot=date(2026, 6, 30))
    _, evaluator = issue(app, tokens.EVALUATOR, tokens.LEZEN, None)
    return {"gemeente": gemeente, "evaluator": evaluator, "incident": incident}


def test_document_is_openapi_31_with_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    routes = {
        rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.rule.startswith("/api/v1/")
    }
    assert routes - set(document["paths"]) == {"/api/v1/openapi.json", "/api/v1/docs"}
    problem = document["paths"]["/api/v1/codelijsten"]["get"]["responses"]["401"]["content"]
    assert list(problem) == ["application/problem+json"]


def test_documentation_page_is_built_from_the_document_without_scripts_from_elsewhere(client):
    response = client.get("/api/v1/docs")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "POST /api/v1/gemeenten/{cbs_code}/incidenten/batch" in page
    assert 'id="schema-IncidentIn"' in page and 'id="probleem-validatie"' in page
    scripts = re.findall(r"<script[^>]*>", page)
    own = r'<script src="/static/js/[\w-]+\.js">'
    assert scripts and all(re.fullmatch(own, script) for script in scripts)
    assert "http" not in "".join(
        part.split('"')[0]
        for part in page.split('src="')[1:] + page.split('href="')[1:]
        if part.startswith("http")
    )


@pytest.mark.db_independent
def test_api_conforms_to_its_document(app, api):
    """Every operation: the schema's examples, then EXAMPLES generated requests.

    The Rotterdam token calls the gemeente operations (on GM0599; odd incident ids become a
    real one), the evaluator token the publication. Any failed check fails the test with
    the request that caused it (hypothesis shrinks it).
    """
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 16

    def call(case) -> None:
        parameters = case.path_parameters or {}
        if "cbs_code" in parameters:
            parameters["cbs_code"] = "GM0599"
        if parameters.get("incident_id", 0) % 2:
            parameters["incident_id"] = api["incident"]
        outsider = case.path.startswith(OUTSIDER_PATHS)
        secret = api["evaluator"] if outsider else api["gemeente"]
        case.call_and_validate(headers=bearer(secret), checks=CHECKS)

    for operation in operations:
        strategies = operation.get_strategies_from_examples()
        for strategy, examples in [
            *((s, 3) for s in strategies),
            (operation.as_strategy(), EXAMPLES),
        ]:
            run = settings(
                max_examples=examples,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )(given(case=strategy)(call))
            run()
