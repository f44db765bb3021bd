"""Authentication and sessions attacked through HTTP (ASVS V2, V3): each test is one finding
of issue 12 that held before and must not come back."""

import statistics
import time
from datetime import timedelta

import pyotp
import pytest
from flask import Flask

from pilot import clock
from pilot.extensions import db
from pilot.models import AuditEvent, Rol, User
from pilot.services import passwords
from tests.conftest import FROZEN_NOW, PASSWORD, TOTP_SECRET, log_in, totp_code


def _post_login(client, name: str, password: str):
    return client.post("/inloggen", data={"gebruikersnaam": name, "wachtwoord": password})


# --- V2.1 password rules -----------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaa",
        "123qweasdzxc",  # on the breached list
        "Password2025!",  # breached word with digits and a symbol
        "wachtwoord123456",  # Dutch word list
        "Zomer2025!Zomer",
        "qwertyuiopas",
        "abcdefghijkl",
    ],
)
def test_common_and_guessable_passwords_are_refused(password):
    assert passwords.problems(password) != []


def test_password_rules_allow_passphrases_and_any_character_but_not_the_user_name():
    assert passwords.problems("paars konijn fietst naar zee") == []
    assert passwords.problems("Ünïcødé wachtzin met ëmoji 🚲 ok") == []
    assert passwords.problems("kort") == [passwords.TOO_SHORT]
    assert passwords.problems("x" * 129) == [passwords.TOO_LONG]
    assert passwords.problems("jansen-rotterdam-2025-x", ("jansen",)) == [passwords.PERSONAL]


def test_beheerder_cannot_set_a_breached_password(client, login_as):
    login_as(Rol.BEHEERDER)
    response = client.post(
        "/beheer/gebruikers/nieuw",
        data={"gebruikersnaam": "eva2", "wachtwoord": "aaaaaaaaaaaa", "rol": "evaluator"},
    )
    assert response.status_code == 200
    assert "te makkelijk te raden" in response.text or "veelgebruikte" in response.text


# --- V2.2 throttling, lockout, enumeration -----------------------------------------------


def test_lockout_after_five_failures_refuses_the_right_password_then_lifts(
    app: Flask, client, make_user, frozen_clock
):
    user = make_user(Rol.EVALUATOR)
    for _ in range(4):
        assert "onjuist wachtwoord" in _post_login(client, user.gebruikersnaam, "fout").text
    assert "Te veel mislukte pogingen" in _post_login(client, user.gebruikersnaam, "fout").text
    blocked = _post_login(client, user.gebruikersnaam, PASSWORD)
    assert blocked.status_code == 200 and "Te veel mislukte pogingen" in blocked.text
    with app.app_context():
        failed = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.actie == "inloggen_mislukt")
        ).scalars()
        failed = list(failed)
        assert len(failed) == 6 and {e.entiteit_id for e in failed} == {str(user.id)}
        assert all("fout" not in str(e.details) for e in failed)
    with clock.frozen(FROZEN_NOW + timedelta(minutes=2)):
        assert _post_login(client, user.gebruikersnaam, PASSWORD).status_code == 302


def test_beheerder_lifts_a_lockout(app: Flask, client, make_user, login_as):
    user = make_user(Rol.EVALUATOR)
    other = app.test_client()
    for _ in range(6):
        _post_login(other, user.gebruikersnaam, "fout")
    assert "Te veel" in _post_login(other, user.gebruikersnaam, PASSWORD).text
    login_as(Rol.BEHEERDER)
    assert "Geblokkeerd" in client.get(f"/beheer/gebruikers/{user.id}").text
    client.post(f"/beheer/gebruikers/{user.id}/blokkade-opheffen")
    assert _post_login(other, user.gebruikersnaam, PASSWORD).status_code == 302


def test_unknown_names_are_locked_out_the_same_way(client):
    for _ in range(5):
        _post_login(client, "bestaat-niet", "fout")
    assert "Te veel mislukte pogingen" in _post_login(client, "bestaat-niet", "x").text


def test_address_throttle_answers_429(client):
    statuses = [_post_login(client, f"naam{i}", "fout").status_code for i in range(22)]
    assert statuses[0] == 200 and statuses[-1] == 429


def test_unknown_inactive_and_active_accounts_take_the_same_time(app: Flask, make_user):
    names = {"onbekend": [f"onbekend{i}" for i in range(3)], "inactief": [], "actief": []}
    for kind in ("inactief", "actief"):
        for i in range(3):
            names[kind].append(make_user(Rol.EVALUATOR, gebruikersnaam=f"{kind}{i}").gebruikersnaam)
    with app.app_context():
        for name in names["inactief"]:
            db.session.execute(
                db.update(User).where(User.gebruikersnaam == name).values(actief=False)
            )
        db.session.commit()
    timings, bodies = {}, {}
    for kind, accounts in names.items():
        runs = []
        for name in accounts * 2:  # below the lockout threshold and the address limit
            client = app.test_client()
            started = time.perf_counter()
            response = _post_login(client, name, "verkeerd-wachtwoord")
            runs.append(time.perf_counter() - started)
            bodies[kind] = response.text.replace(name, "NAAM")
        timings[kind] = statistics.median(runs)
    assert len(set(bodies.values())) == 1
    assert max(timings.values()) / min(timings.values()) < 1.5, timings


# --- V2.8 TOTP ---------------------------------------------------------------------------


def test_totp_code_is_accepted_once_and_wrong_codes_count_as_failures(
    app: Flask, client, make_user
):
    user = make_user(Rol.EVALUATOR)
    _post_login(client, user.gebruikersnaam, PASSWORD)
    with app.app_context():
        code = totp_code(user.id)
    assert client.post("/inloggen/code", data={"code": code}).status_code == 302
    client.post("/uitloggen")
    _post_login(client, user.gebruikersnaam, PASSWORD)
    replay = client.post("/inloggen/code", data={"code": code})
    assert replay.status_code == 200 and "al gebruikt" in replay.text
    with app.app_context():
        reasons = db.session.execute(
            db.select(AuditEvent.details).where(AuditEvent.actie == "inloggen_mislukt")
        ).scalars()
        assert [r["reden"] for r in reasons] == ["code"]


def test_password_alone_logs_nobody_in(client, make_user):
    user = make_user(Rol.BEHEERDER)
    _post_login(client, user.gebruikersnaam, PASSWORD)
    assert client.get("/beheer/gemeenten").status_code == 302


def test_recovery_code_works_once_and_beheerder_can_reset_mfa(app: Flask, client, make_user):
    user = make_user(Rol.EVALUATOR)
    with app.app_context():
        from pilot.services import mfa

        codes = mfa.new_recovery_codes(db.session.get(User, user.id))
    _post_login(client, user.gebruikersnaam, PASSWORD)
    assert client.post("/inloggen/code", data={"code": codes[0].lower()}).status_code == 302
    client.post("/uitloggen")
    _post_login(client, user.gebruikersnaam, PASSWORD)
    assert client.post("/inloggen/code", data={"code": codes[0]}).status_code == 200
    admin_client = app.test_client()
    admin = make_user(Rol.BEHEERDER)
    log_in(app, admin_client, admin)
    admin_client.post(f"/beheer/gebruikers/{user.id}/tweede-stap-resetten")
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert not stored.mfa_actief and stored.totp_secret is None
        assert db.session.execute(
            db.select(AuditEvent).where(AuditEvent.actie == "mfa_resetten")
        ).scalar_one().entiteit_id == str(user.id)
    fresh = app.test_client()
    response = _post_login(fresh, user.gebruikersnaam, PASSWORD)
    assert response.headers["Location"].endswith("/inloggen/tweede-stap-instellen")


# --- V2.1.5 / temporary passwords ---------------------------------------------------------


def test_temporary_password_must_be_changed_before_anything_else(app, client, make_user):
    admin = make_user(Rol.BEHEERDER)
    user = make_user(Rol.EVALUATOR)
    admin_client = app.test_client()
    log_in(app, admin_client, admin)
    response = admin_client.post(
        f"/beheer/gebruikers/{user.id}/wachtwoord", data={"wachtwoord": "tijdelijk lang wachtwoord"}
    )
    assert response.status_code == 302
    response = log_in(app, client, user, password="tijdelijk lang wachtwoord")
    assert response.headers["Location"].endswith("/account/wachtwoord")
    assert client.get("/rapporten/").headers["Location"].endswith("/account/wachtwoord")
    changed = client.post(
        "/account/wachtwoord",
        data={
            "huidig": "tijdelijk lang wachtwoord",
            "nieuw": "mijn eigen lange zin hier",
            "herhaling": "mijn eigen lange zin hier",
        },
    )
    assert changed.status_code == 302
    assert client.get("/rapporten/").status_code == 200


# --- V3 sessions -------------------------------------------------------------------------


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _with_cookie(app: Flask, value: str):
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def test_cookie_captured_before_logout_opens_nothing_afterwards(app, client, login_as):
    login_as(Rol.EVALUATOR)
    captured = _cookie(client)
    assert _with_cookie(app, captured).get("/rapporten/").status_code == 200
    client.post("/uitloggen")
    assert _with_cookie(app, captured).get("/rapporten/").status_code == 302


def test_reactivation_does_not_revive_old_cookies(app, client, login_as, make_user):
    user = login_as(Rol.EVALUATOR)
    captured = _cookie(client)
    admin_client = app.test_client()
    log_in(app, admin_client, make_user(Rol.BEHEERDER))
    admin_client.post(f"/beheer/gebruikers/{user.id}/deactiveren")
    admin_client.post(f"/beheer/gebruikers/{user.id}/heractiveren")
    assert _with_cookie(app, captured).get("/rapporten/").status_code == 302


def test_password_change_ends_other_sessions(app, client, make_user):
    user = make_user(Rol.EVALUATOR)
    log_in(app, client, user)
    second = app.test_client()
    log_in(app, second, user)
    client.post(
        "/account/wachtwoord",
        data={
            "huidig": PASSWORD,
            "nieuw": "nieuwe lange zin hier",
            "herhaling": "nieuwe lange zin hier",
        },
    )
    assert client.get("/rapporten/").status_code == 200
    assert second.get("/rapporten/").status_code == 302


def test_idle_and_absolute_timeouts(app, client, login_as, frozen_clock):
    login_as(Rol.EVALUATOR)
    with clock.frozen(FROZEN_NOW + timedelta(minutes=29)):
        assert client.get("/rapporten/").status_code == 200
    with clock.frozen(FROZEN_NOW + timedelta(minutes=29 + 31)):
        response = client.get("/rapporten/")
        assert response.status_code == 302
    login_as(Rol.MINISTERIE)
    moment = FROZEN_NOW
    for _ in range(12 * 3 + 1):  # active every 20 minutes for over 12 hours
        moment += timedelta(minutes=20)
        with clock.frozen(moment):
            status = client.get("/rapporten/").status_code
    assert status == 302


def test_log_in_gives_a_new_session_and_drops_what_was_planted(app, client, make_user):
    user = make_user(Rol.EVALUATOR)
    with client.session_transaction() as planted:
        planted["sid"] = "geplant"
        planted["_user_id"] = str(user.id)
    assert client.get("/rapporten/").status_code == 302
    log_in(app, client, user)
    with client.session_transaction() as current:
        first = current["sid"]
    client.post("/uitloggen")
    log_in(app, client, user)
    with client.session_transaction() as current:
        assert current["sid"] not in {first, "geplant"}


# --- V14.4 headers -----------------------------------------------------------------------


def test_security_headers_on_every_kind_of_response(client, login_as):
    login_as(Rol.COORDINATOR)
    for url in (
        "/inloggen",
        "/gemeente/GM0599/incidenten/",
        "/bestaat-niet",
        "/hotspots/gemeente/GM0599/kaart",
    ):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp, url
        assert "script-src 'self' 'nonce-" in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert headers["Cache-Control"] == "no-store"
        assert "Strict-Transport-Security" not in headers
    secure = client.get("/inloggen", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_map_page_scripts_all_carry_the_nonce(client, login_as):
    login_as(Rol.MINISTERIE)
    response = client.get("/hotspots/kaart")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    page = response.text
    inline = page.count("<script>") + page.count("<style>")
    assert inline == 0
    assert f'nonce="{nonce}"' in page


def test_totp_secret_in_conftest_is_valid_base32():
    assert len(pyotp.TOTP(TOTP_SECRET).now()) == 6


def test_heavy_downloads_are_throttled_per_user(client, login_as):
    login_as(Rol.MINISTERIE)
    statuses = [client.get("/hotspots/kaart/download/csv").status_code for _ in range(32)]
    assert statuses[0] == 200 and statuses[-1] == 429
