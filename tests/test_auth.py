from flask import Flask

from pilot.extensions import db
from pilot.models import AuditEvent, Rol, User
from tests.conftest import PASSWORD, log_in


def test_login_with_wrong_password_is_refused_with_dutch_message(client, make_user):
    user = make_user(Rol.BEHEERDER)
    response = client.post(
        "/inloggen", data={"gebruikersnaam": user.gebruikersnaam, "wachtwoord": "fout"}
    )
    assert response.status_code == 200
    assert "Onbekende gebruikersnaam of onjuist wachtwoord." in response.text
    assert client.get("/beheer/gemeenten").status_code == 302


def test_login_is_audited_and_lands_on_role_page(app: Flask, client, make_user):
    user = make_user(Rol.COORDINATOR, "GM0344")
    response = log_in(app, client, user)
    assert response.headers["Location"].endswith("/gemeente/GM0344/")
    with app.app_context():
        events = (
            db.session.execute(db.select(AuditEvent).where(AuditEvent.actie == "inloggen"))
            .scalars()
            .all()
        )
        assert [e.user_id for e in events] == [user.id]
        assert PASSWORD not in str(events[0].details)


def test_deactivated_user_cannot_log_in(app: Flask, client, make_user):
    user = make_user(Rol.EVALUATOR)
    with app.app_context():
        db.session.get(User, user.id).actief = False
        db.session.commit()
    response = client.post(
        "/inloggen", data={"gebruikersnaam": user.gebruikersnaam, "wachtwoord": PASSWORD}
    )
    assert response.status_code == 200
    assert "onjuist wachtwoord" in response.text


def test_open_redirect_after_login_is_refused(app, client, make_user):
    user = make_user(Rol.BEHEERDER)
    client.post(
        "/inloggen?next=//evil.example/x",
        data={"gebruikersnaam": user.gebruikersnaam, "wachtwoord": PASSWORD},
    )
    with app.app_context():
        from tests.conftest import totp_code

        code = totp_code(user.id)
    response = client.post("/inloggen/code", data={"code": code})
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]
    assert response.headers["Location"].endswith("/beheer/gemeenten")


def test_logout_requires_post_and_logs_out(client, login_as):
    login_as(Rol.BEHEERDER)
    assert client.get("/uitloggen").status_code == 405
    assert client.post("/uitloggen").status_code == 302
    assert client.get("/beheer/gemeenten").status_code == 302


def test_csrf_is_enforced_on_forms(csrf_app, make_user):
    user = make_user(Rol.BEHEERDER)
    response = csrf_app.test_client().post(
        "/inloggen", data={"gebruikersnaam": user.gebruikersnaam, "wachtwoord": PASSWORD}
    )
    assert response.status_code == 400
    assert "Het formulier is verlopen of ongeldig" in response.text


def test_password_hash_is_strong(make_user, app):
    user = make_user(Rol.MINISTERIE)
    assert user.password_hash.startswith("scrypt:")


def test_session_cookie_flags(app: Flask):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_row_changes_are_audited_with_the_record_id(app: Flask, make_user):
    user = make_user(Rol.EVALUATOR, gebruikersnaam="eva")
    with app.app_context():
        event = db.session.execute(
            db.select(AuditEvent).where(
                AuditEvent.entiteit == "user_account", AuditEvent.actie == "aanmaken"
            )
        ).scalar_one()
        assert event.entiteit_id == str(user.id)
        assert "password_hash" not in event.details
