"""Error pages are Dutch and never show a stack trace or exception details."""

from flask import Flask

from pilot.access import public
from pilot.models import Rol


def test_404_is_dutch(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Niet gevonden" in response.text
    assert '<html lang="nl">' in response.text


def test_403_and_405_are_dutch(client, login_as):
    login_as(Rol.EVALUATOR)
    forbidden = client.get("/beheer/gemeenten")
    assert forbidden.status_code == 403 and "Geen toegang" in forbidden.text
    not_allowed = client.get("/uitloggen")
    assert not_allowed.status_code == 405 and "Niet toegestaan" in not_allowed.text


def test_500_is_dutch_without_stack_trace(app: Flask):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @public
    def broken():
        raise RuntimeError("interne details: geheim-7731")

    app.add_url_rule("/test-alleen/kapot", "test_broken", broken)
    response = app.test_client().get("/test-alleen/kapot")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.text
    for leak in ("Traceback", "RuntimeError", "geheim-7731", "broken", ".py"):
        assert leak not in response.text
