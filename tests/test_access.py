"""Route × role: every route of the app has an access decision, and it is the expected one.

Adding a route without adding it to ``EXPECTED`` (and without ``@requires``/``@public``)
makes these tests fail.
"""

import pytest
from flask import Flask

from pilot.access import PUBLIC, access_of
from pilot.models import Rol

B, C, E, M = Rol.BEHEERDER, Rol.COORDINATOR, Rol.EVALUATOR, Rol.MINISTERIE
ALL = frozenset(Rol)

EXPECTED: dict[str, frozenset | str] = {
    "home.root": PUBLIC,
    "home.index": ALL,
    "auth.login": PUBLIC,
    "auth.logout": ALL,
    "beheer.gemeenten": frozenset({B}),
    "beheer.edit_gemeente": frozenset({B}),
    "beheer.users": frozenset({B}),
    "beheer.new_user": frozenset({B}),
    "beheer.deactivate_user": frozenset({B}),
    "beheer.reactivate_user": frozenset({B}),
    "gemeente.overzicht": frozenset({B, C, E}),
    "gemeente.boas": frozenset({B, C}),
    "gemeente.new_boa": frozenset({C}),
    "gemeente.edit_boa": frozenset({C}),
    "gemeente.deactivate_boa": frozenset({C}),
    "gemeente.find_boa": frozenset({C}),
    "analyse.kaart": frozenset({B, E, M}),
    "analyse.kaart_download": frozenset({B, E, M}),
    "analyse.gemeente_kaart": frozenset({B, C, E}),
    "analyse.gemeente_kaart_download": frozenset({B, C, E}),
    "analyse.leaflet_heat": PUBLIC,
    "incidenten.lijst": frozenset({C}),
    "incidenten.nieuw": frozenset({C}),
    "incidenten.detail": frozenset({C}),
    "incidenten.wijzigen": frozenset({C}),
    "incidenten.intrekken": frozenset({C}),
    "diensten.lijst": frozenset({C}),
    "diensten.nieuw": frozenset({C}),
    "diensten.wijzigen": frozenset({C}),
    "politie.cijfers": frozenset({B, C}),
    "rapporten.index": ALL,
    "rapporten.gemeente_pdf": frozenset({B, C, E}),
    "rapporten.totaal_pdf": frozenset({B, E, M}),
    "rapporten.dataset_zip": frozenset({B, E}),
    "importeren.upload": frozenset({C}),
    "importeren.voorbeeld": frozenset({C}),
    "importeren.fouten": frozenset({C}),
    "importeren.bevestigen": frozenset({C}),
    "importeren.sjabloon": frozenset({C}),
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
        if rule.endpoint == "static" or rule.endpoint == "auth.logout":
            continue
        allowed = EXPECTED[rule.endpoint]
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(_url(rule), method=method)
        if allowed == PUBLIC or rol in allowed:
            assert response.status_code != 403, (rule.endpoint, rol)
            assert response.status_code < 500, (rule.endpoint, rol)
        else:
            assert response.status_code == 403, (rule.endpoint, rol, response.status_code)


def test_anonymous_is_sent_to_login_for_every_protected_route(app: Flask, client):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or EXPECTED[rule.endpoint] == PUBLIC:
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(_url(rule), method=method)
        assert response.status_code == 302, rule.endpoint
        assert "/inloggen" in response.headers["Location"]


def test_coordinator_gets_404_for_another_gemeente(client, login_as):
    login_as(Rol.COORDINATOR, "GM0599")
    assert client.get("/gemeente/GM0599/").status_code == 200
    assert client.get("/gemeente/GM0344/").status_code == 404
    assert client.get("/gemeente/GM0344/boas").status_code == 404
    assert client.get("/gemeente/GM9999/").status_code == 404
