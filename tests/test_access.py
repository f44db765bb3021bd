"""Route × role: every route of the app has an access decision, and it is the expected one.

Adding a route without adding it to ``EXPECTED`` (and without ``@requires``/``@public`` or,
for the API, ``@requires_token``) makes these tests fail. API endpoints are reached with a
token only: a log-in session, of any role, gets 401 there (tests/test_api.py covers the
token kinds and scopes).
"""

import pytest
from flask import Flask

from pilot.access import PUBLIC, TokenAccess, access_of
from pilot.models import Rol

B, C, E, M = Rol.BEHEERDER, Rol.COORDINATOR, Rol.EVALUATOR, Rol.MINISTERIE
ALL = frozenset(Rol)
GEMEENTE_LEZEN = TokenAccess(frozenset({"gemeente"}), "lezen")
GEMEENTE_SCHRIJVEN = TokenAccess(frozenset({"gemeente"}), "schrijven")
BUITENSTAANDER = TokenAccess(frozenset({"evaluator", "ministerie"}), "lezen")
ELK_TOKEN = TokenAccess(frozenset({"gemeente", "evaluator", "ministerie"}), "lezen")

EXPECTED: dict[str, frozenset | str] = {
    "home.redirect_visitor": PUBLIC,
    "home.show_start": ALL,
    "auth.log_in": PUBLIC,
    "auth.log_out": ALL,
    "auth.verify_mfa": PUBLIC,
    "auth.enrol_mfa": PUBLIC,
    "account.show_account": ALL,
    "account.change_password": ALL,
    "account.renew_recovery_codes": ALL,
    "account.replace_mfa": ALL,
    "users.edit_user": frozenset({B}),
    "users.reset_password": frozenset({B}),
    "users.reset_mfa": frozenset({B}),
    "users.lift_lockout": frozenset({B}),
    "audittrail.search_events": frozenset({B}),
    "gemeenten.list_gemeenten": frozenset({B}),
    "gemeenten.edit_gemeente": frozenset({B}),
    "gemeenten.new_gemeente": frozenset({B}),
    "gemeenten.deactivate_gemeente": frozenset({B}),
    "gemeenten.activate_gemeente": frozenset({B}),
    "gemeenten.load_boundaries": frozenset({B}),
    "gemeenten.preview_boundaries": frozenset({B}),
    "gemeenten.confirm_boundaries": frozenset({B}),
    "users.list_users": frozenset({B}),
    "users.new_user": frozenset({B}),
    "users.deactivate_user": frozenset({B}),
    "users.reactivate_user": frozenset({B}),
    "gemeenten.show_gemeente": frozenset({B, C, E}),
    "boas.list_boas": frozenset({B, C}),
    "boas.new_boa": frozenset({C}),
    "boas.edit_boa": frozenset({C}),
    "boas.deactivate_boa": frozenset({C}),
    "boas.reactivate_boa": frozenset({C}),
    "boas.find_boa": frozenset({C}),
    "hotspots.show_national_map": frozenset({B, E, M}),
    "hotspots.download_national_cells": frozenset({B, E, M}),
    "hotspots.show_gemeente_map": frozenset({B, C, E}),
    "hotspots.download_gemeente_cells": frozenset({B, C, E}),
    "hotspots.serve_leaflet_heat": PUBLIC,
    "incidenten.list_incidenten": frozenset({C}),
    "incidenten.new_incident": frozenset({C}),
    "incidenten.show_incident": frozenset({C}),
    "incidenten.edit_incident": frozenset({C}),
    "incidenten.withdraw_incident": frozenset({C}),
    "incidenten.suggest_addresses": frozenset({C}),
    "incidenten.lookup_address": frozenset({C}),
    "diensten.list_diensten": frozenset({C}),
    "diensten.new_dienst": frozenset({C}),
    "diensten.edit_dienst": frozenset({C}),
    "politiecijfers.edit_politiecijfers": frozenset({B, C}),
    "reports.choose_report": ALL,
    "reports.download_gemeente_report": frozenset({B, C, E}),
    "reports.download_aggregate_report": frozenset({B, E, M}),
    "reports.download_tables": frozenset({B, E, M}),
    "dataset.show_dataset": frozenset({B, E}),
    "dataset.download_dataset": frozenset({B, E}),
    "dataset.download_extract": frozenset({E}),
    "dataset.list_grants": frozenset({B}),
    "dataset.new_grant": frozenset({B}),
    "dataset.revoke_grant": frozenset({B}),
    "codelists.list_codelists": frozenset({B}),
    "codelists.new_code": frozenset({B}),
    "codelists.edit_label": frozenset({B}),
    "dashboard.show_national": frozenset({B, E, M}),
    "dashboard.show_gemeente": frozenset({B, C, E}),
    "imports.upload_file": frozenset({C}),
    "imports.show_preview": frozenset({C}),
    "imports.download_errors": frozenset({C}),
    "imports.confirm_import": frozenset({C}),
    "imports.download_template": frozenset({C}),
    "retention.show_retention": frozenset({B}),
    "retention.confirm_purge": frozenset({B}),
    "retention.purge_data": frozenset({B}),
    "api.show_openapi": PUBLIC,
    "api.show_docs": PUBLIC,
    "api.list_tokens": frozenset({B, C}),
    "api.new_token": frozenset({B, C}),
    "api.revoke_token": frozenset({B, C}),
    "api.list_incidenten": GEMEENTE_LEZEN,
    "api.get_incident": GEMEENTE_LEZEN,
    "api.create_incident": GEMEENTE_SCHRIJVEN,
    "api.create_incident_batch": GEMEENTE_SCHRIJVEN,
    "api.update_incident": GEMEENTE_SCHRIJVEN,
    "api.withdraw_incident": GEMEENTE_SCHRIJVEN,
    "api.list_boas": GEMEENTE_LEZEN,
    "api.create_boa": GEMEENTE_SCHRIJVEN,
    "api.list_diensten": GEMEENTE_LEZEN,
    "api.create_dienst": GEMEENTE_SCHRIJVEN,
    "api.list_politiecijfers": GEMEENTE_LEZEN,
    "api.save_politiecijfers": GEMEENTE_SCHRIJVEN,
    "api.list_codelijsten": ELK_TOKEN,
    "api.list_perioden": BUITENSTAANDER,
    "api.list_cijfers": BUITENSTAANDER,
    "api.list_hotspots": BUITENSTAANDER,
    "jobs.show_job": ALL,
    "jobs.job_status": ALL,
    "jobs.download_result": ALL,
    "health.show_health": PUBLIC,
}

SAMPLE_VALUES = {"cbs_code": "GM0599", "int": 999999, "default": "x"}


def _endpoints(app: Flask) -> list[str]:
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()} - {"static"})


def test_every_route_has_an_expected_access_decision(app: Flask):
    with app.test_request_context():
        for endpoint in _endpoints(app):
            assert endpoint in EXPECTED, f"{endpoint} has no entry in EXPECTED"
            assert access_of(endpoint) == EXPECTED[endpoint], endpoint
    assert set(EXPECTED) == set(_endpoints(app)), "EXPECTED names routes that do not exist"


def _url(rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        if name in SAMPLE_VALUES:
            values[name] = SAMPLE_VALUES[name]
        elif converter == "IntegerConverter":
            values[name] = SAMPLE_VALUES["int"]
        else:
            values[name] = SAMPLE_VALUES["default"]
    return rule.build(values)[1]


@pytest.mark.parametrize("rol", list(Rol))
def test_each_role_reaches_exactly_its_routes(app: Flask, client, login_as, rol: Rol):
    login_as(rol)
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint == "auth.log_out":
            continue
        allowed = EXPECTED[rule.endpoint]
        method = "GET" if "GET" in rule.methods else "POST"
        if "PUT" in rule.methods:
            method = "PUT"
        response = client.open(_url(rule), method=method)
        if isinstance(allowed, TokenAccess):
            assert response.status_code == 401, (rule.endpoint, rol, response.status_code)
            assert response.content_type == "application/problem+json"
        elif allowed == PUBLIC or rol in allowed:
            assert response.status_code != 403, (rule.endpoint, rol)
            # The health endpoint's 503 is its answer (no worker runs here), not a failure.
            unhealthy_ok = rule.endpoint == "health.show_health" and response.status_code == 503
            assert response.status_code < 500 or unhealthy_ok, (rule.endpoint, rol)
        else:
            assert response.status_code == 403, (rule.endpoint, rol, response.status_code)


def test_anonymous_is_sent_to_login_for_every_protected_route(app: Flask, client):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or EXPECTED[rule.endpoint] == PUBLIC:
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        if "PUT" in rule.methods:
            method = "PUT"
        response = client.open(_url(rule), method=method)
        if isinstance(EXPECTED[rule.endpoint], TokenAccess):
            assert response.status_code == 401, rule.endpoint
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
            continue
        assert response.status_code == 302, rule.endpoint
        assert "/inloggen" in response.headers["Location"]


def test_coordinator_gets_404_for_another_gemeente(client, login_as):
    login_as(Rol.COORDINATOR, "GM0599")
    assert client.get("/gemeente/GM0599/").status_code == 200
    assert client.get("/gemeente/GM0344/").status_code == 404
    assert client.get("/gemeente/GM0344/boas").status_code == 404
    assert client.get("/gemeente/GM9999/").status_code == 404
