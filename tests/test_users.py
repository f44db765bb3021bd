"""User screens of the beheerder through HTTP: list, create, (de)activate."""

from flask import Flask

from pilot.extensions import db
from pilot.models import Rol, User
from tests.conftest import PASSWORD, gemeente_by_code, totp_code


def _gemeente(app: Flask, cbs_code: str):
    with app.app_context():
        g = gemeente_by_code(cbs_code)
        db.session.expunge(g)
        return g


def test_users_list_filters_by_role_and_paginates(app, client, login_as, make_user):
    login_as(Rol.BEHEERDER)
    for i in range(25):
        make_user(Rol.EVALUATOR, gebruikersnaam=f"eval-{i:02d}")
    make_user(Rol.MINISTERIE, gebruikersnaam="min-1")
    first = client.get("/beheer/gebruikers?rol=evaluator")
    assert first.status_code == 200
    assert first.text.count("<tr><td>eval-") == 20  # PILOT_PAGE_SIZE in tests
    assert "min-1" not in first.text
    assert "Pagina 1 van 2 (25 in totaal)" in first.text
    assert "rol=evaluator" in first.text.split('rel="next"')[0].rsplit("href=", 1)[1]
    second = client.get("/beheer/gebruikers?rol=evaluator&pagina=2")
    assert second.text.count("<tr><td>eval-") == 5
    everyone = client.get("/beheer/gebruikers").text
    assert "Pagina 1 van 2 (27 in totaal)" in everyone
    assert "min-1" in client.get("/beheer/gebruikers?pagina=2").text  # ordered by role
    assert client.get("/beheer/gebruikers?rol=onzin").status_code == 200


def test_create_coordinator_through_the_form(app, client, login_as):
    login_as(Rol.BEHEERDER)
    assert client.get("/beheer/gebruikers/nieuw").status_code == 200
    response = client.post(
        "/beheer/gebruikers/nieuw",
        data={
            "gebruikersnaam": "Coord.Breda",
            "naam": "Coördinator Breda",
            "wachtwoord": "lang-genoeg-wachtwoord",
            "rol": "coordinator",
            "gemeente": "GM0758",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.execute(
            db.select(User).where(User.gebruikersnaam == "coord.breda")
        ).scalar_one()
        assert user.role is Rol.COORDINATOR and user.gemeente.cbs_code == "GM0758"
        assert user.password_hash.startswith("scrypt:")
    new_client = app.test_client()
    login = new_client.post(
        "/inloggen", data={"gebruikersnaam": "coord.breda", "wachtwoord": "lang-genoeg-wachtwoord"}
    )
    assert login.headers["Location"].endswith("/inloggen/tweede-stap-instellen")
    with app.app_context():
        assert db.session.get(User, user.id).wachtwoord_tijdelijk is True


def test_create_user_shows_domain_errors_on_the_fields(app, client, login_as, make_user):
    login_as(Rol.BEHEERDER)
    make_user(Rol.EVALUATOR, gebruikersnaam="bestaat")
    response = client.post(
        "/beheer/gebruikers/nieuw",
        data={"gebruikersnaam": "bestaat", "wachtwoord": "kort", "rol": "coordinator"},
    )
    assert response.status_code == 200
    assert 'id="gebruikersnaam-fout">Deze gebruikersnaam bestaat al.' in response.text
    assert 'id="wachtwoord-fout">Het wachtwoord moet minstens 12 tekens lang zijn.' in response.text
    assert 'id="gemeente-fout">Een coördinator hoort bij een gemeente.' in response.text
    response = client.post(
        "/beheer/gebruikers/nieuw",
        data={
            "gebruikersnaam": "nieuw",
            "wachtwoord": "lang-genoeg-wachtwoord",
            "rol": "evaluator",
            "gemeente": "GM0599",
        },
    )
    assert 'id="gemeente-fout">Alleen een coördinator hoort bij één gemeente' in response.text
    assert 'value="nieuw"' in response.text
    with app.app_context():
        assert (
            db.session.execute(db.select(User).where(User.gebruikersnaam == "nieuw")).first()
            is None
        )


def test_deactivate_and_reactivate_user(app, client, login_as, make_user):
    login_as(Rol.BEHEERDER)
    other = make_user(Rol.COORDINATOR, "GM0344", gebruikersnaam="coord.utrecht")
    response = client.post(f"/beheer/gebruikers/{other.id}/deactiveren")
    assert response.status_code == 302
    assert "Gebruiker coord.utrecht is gedeactiveerd." in client.get("/beheer/gebruikers").text
    with app.app_context():
        assert db.session.get(User, other.id).actief is False
    refused = app.test_client().post(
        "/inloggen", data={"gebruikersnaam": "coord.utrecht", "wachtwoord": PASSWORD}
    )
    assert refused.status_code == 200
    client.post(f"/beheer/gebruikers/{other.id}/heractiveren")
    with app.app_context():
        assert db.session.get(User, other.id).actief is True
    assert client.get(f"/beheer/gebruikers/{other.id}/deactiveren").status_code == 405
    assert client.post("/beheer/gebruikers/999999/deactiveren").status_code == 404


def test_deactivated_user_is_logged_out_of_an_open_session(app, client, login_as, make_user):
    login_as(Rol.BEHEERDER)
    coordinator_client = app.test_client()
    coordinator = login_as(Rol.COORDINATOR, "GM0344", the_client=coordinator_client)
    assert coordinator_client.get("/gemeente/GM0344/boas").status_code == 200
    client.post(f"/beheer/gebruikers/{coordinator.id}/deactiveren")
    assert coordinator_client.get("/gemeente/GM0344/boas").status_code == 302


def test_beheerder_cannot_deactivate_themself(app, client, login_as):
    me = login_as(Rol.BEHEERDER)
    response = client.post(f"/beheer/gebruikers/{me.id}/deactiveren", follow_redirects=True)
    assert "U kunt uw eigen account niet deactiveren." in response.text
    with app.app_context():
        assert db.session.get(User, me.id).actief is True
    assert f"/beheer/gebruikers/{me.id}/deactiveren" not in client.get("/beheer/gebruikers").text


def test_deactivate_requires_csrf_token(csrf_app, make_user):
    app = csrf_app
    target = make_user(Rol.EVALUATOR, gebruikersnaam="doelwit")
    admin = make_user(Rol.BEHEERDER)
    client = app.test_client()
    login_page = client.get("/inloggen").text
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/inloggen",
        data={"gebruikersnaam": admin.gebruikersnaam, "wachtwoord": PASSWORD, "csrf_token": token},
    )
    token = client.get("/inloggen/code").text.split('name="csrf_token" type="hidden" value="')[1]
    with app.app_context():
        code = totp_code(admin.id)
    client.post("/inloggen/code", data={"code": code, "csrf_token": token.split('"')[0]})
    refused = client.post(f"/beheer/gebruikers/{target.id}/deactiveren")
    assert refused.status_code == 400
    page = client.get("/beheer/gebruikers").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    accepted = client.post(
        f"/beheer/gebruikers/{target.id}/deactiveren", data={"csrf_token": token}
    )
    assert accepted.status_code == 302
    with app.app_context():
        assert db.session.get(User, target.id).actief is False
