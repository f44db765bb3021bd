"""API tokens through HTTP: issued on the web page (shown once, stored as a hash), scoped
to a gemeente and to reading or writing, refused when expired, revoked or when the issuer
is deactivated; every call audited with the token id; throttled; a log-in session opens
nothing on the API; token endpoints need no CSRF token."""

import re
from datetime import UTC, date, datetime

import pytest

from pilot import clock
from pilot.extensions import db
from pilot.models import ApiToken, AuditEvent, Rol, User
from pilot.services.api import tokens
from tests.api_support import bearer, incident_body, issue
from tests.conftest import PASSWORD, gemeente_by_code
from tests.factories import make_boa

CODES = "/api/v1/codelijsten"
ROTTERDAM = "/api/v1/gemeenten/GM0599"
SECRET = re.compile(r'value="(p429_[\w-]+)"')
pytestmark = pytest.mark.usefixtures("frozen_clock")


def form(**changes) -> dict:
    data = {
        "naam": "Zaaksysteem handhaving",
        "soort": "gemeente",
        "gemeente_id": "",
        "scope": "schrijven",
        "geldig_tot": "2026-02-13",
    }
    data.update(changes)
    return data


def gemeente_id(app, cbs_code: str) -> int:
    with app.app_context():
        return gemeente_by_code(cbs_code).id


def test_coordinator_issues_a_token_for_the_own_gemeente_shown_once(app, client, login_as):
    login_as(Rol.COORDINATOR, "GM0599")
    rotterdam = gemeente_id(app, "GM0599")
    response = client.post("/api-tokens/nieuw", data=form(gemeente_id=rotterdam))
    assert response.status_code == 200
    secret = SECRET.search(response.get_data(as_text=True)).group(1)
    listing = client.get("/api-tokens/").get_data(as_text=True)
    assert secret not in listing and secret[:12] in listing
    with app.app_context():
        token = db.session.execute(db.select(ApiToken)).scalar_one()
        assert token.token_hash == tokens.hash_secret(secret) and secret not in repr(
            [getattr(token, c.key) for c in ApiToken.__table__.columns]
        )
        assert (token.soort, token.scope, token.gemeente_id) == ("gemeente", "schrijven", rotterdam)
        assert token.verloopt_op == datetime(2026, 2, 13, 23, 0, tzinfo=UTC)  # end of 13-02
        event = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.entiteit == "api_token")
        ).scalar_one()
        assert event.actie == "aanmaken" and secret not in str(event.details)
    assert client.get(f"{ROTTERDAM}/boas", headers=bearer(secret)).status_code == 200


def test_coordinator_cannot_issue_for_another_gemeente_or_an_outsider_token(app, client, login_as):
    login_as(Rol.COORDINATOR, "GM0599")
    utrecht = gemeente_id(app, "GM0344")
    for data in (form(gemeente_id=utrecht), form(soort="evaluator", scope="lezen")):
        response = client.post("/api-tokens/nieuw", data=data)
        assert response.status_code == 200 and "p429_" not in response.get_data(as_text=True)
        assert 'class="error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(ApiToken)).first() is None


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"geldig_tot": "2027-01-01"}, "hoogstens 365 dagen"),
        ({"geldig_tot": "2025-11-14"}, "verleden"),
        ({"soort": "evaluator", "scope": "schrijven"}, "alleen lezen"),
        ({"naam": "Mail jan@example.org"}, "e-mailadres"),
    ],
)
def test_beheerder_form_refuses_what_the_service_refuses(app, client, login_as, changes, fragment):
    login_as(Rol.BEHEERDER)
    response = client.post(
        "/api-tokens/nieuw", data=form(gemeente_id=gemeente_id(app, "GM0599"), **changes)
    )
    text = response.get_data(as_text=True)
    assert "p429_" not in text and fragment in text


def test_revoked_expired_and_orphaned_tokens_are_refused(app, client, login_as):
    live_id, live = issue(app)
    _, expiring = issue(app, geldig_tot=date(2025, 11, 15))
    assert client.get(CODES, headers=bearer(live)).status_code == 200
    assert client.get(CODES, headers=bearer(expiring)).status_code == 200
    with clock.frozen(datetime(2025, 11, 15, 23, 0, 1, tzinfo=UTC)):  # 16-11 00:00:01 local
        late = client.get(CODES, headers=bearer(expiring))
    assert late.status_code == 401 and late.get_json()["detail"].startswith("Dit token is verlopen")
    assert 'error="invalid_token"' in late.headers["WWW-Authenticate"]
    login_as(Rol.BEHEERDER)
    assert client.post(f"/api-tokens/{live_id}/intrekken").status_code == 302
    revoked = client.get(CODES, headers=bearer(live))
    assert (
        revoked.status_code == 401 and revoked.get_json()["detail"] == "Dit token is ingetrokken."
    )
    _, orphan = issue(app)
    with app.app_context():
        db.session.execute(
            db.update(User)
            .where(User.gebruikersnaam == "uitgever-beheerder-x")
            .values(actief=False)
        )
        db.session.commit()
    assert client.get(CODES, headers=bearer(orphan)).status_code == 401
    for wrong in ("", "Bearer", "Bearer p429_bestaatniet", "Basic abc", f"Token {live}"):
        assert client.get(CODES, headers={"Authorization": wrong}).status_code == 401


def test_coordinator_revokes_only_the_own_gemeentes_tokens(app, client, login_as):
    utrecht_id, utrecht = issue(app, cbs_code="GM0344")
    login_as(Rol.COORDINATOR, "GM0599")
    assert client.post(f"/api-tokens/{utrecht_id}/intrekken").status_code == 404
    assert "Systeem gemeente" not in client.get("/api-tokens/").get_data(as_text=True)
    assert client.get(CODES, headers=bearer(utrecht)).status_code == 200


def test_scope_and_kind_decide_what_a_token_reaches(app, client):
    _, reader = issue(app, scope=tokens.LEZEN)
    _, writer = issue(app)
    _, evaluator = issue(app, tokens.EVALUATOR, tokens.LEZEN, None)
    _, ministerie = issue(app, tokens.MINISTERIE, tokens.LEZEN, None)
    boa = {"opleidingsdatum": "2024-06-01", "mandaat_start": "2024-06-15"}
    assert client.get(f"{ROTTERDAM}/boas", headers=bearer(reader)).status_code == 200
    refused = client.post(f"{ROTTERDAM}/boas", json=boa, headers=bearer(reader))
    assert (
        refused.status_code == 403 and refused.get_json()["detail"] == "Dit token mag alleen lezen."
    )
    assert client.post(f"{ROTTERDAM}/boas", json=boa, headers=bearer(writer)).status_code == 201
    for outsider in (evaluator, ministerie):
        assert client.get(f"{ROTTERDAM}/boas", headers=bearer(outsider)).status_code == 403
        assert client.get(CODES, headers=bearer(outsider)).status_code == 200
        assert (
            client.get("/api/v1/publicatie/perioden", headers=bearer(outsider)).status_code == 200
        )
    for gemeente_token in (reader, writer):
        perioden = client.get("/api/v1/publicatie/perioden", headers=bearer(gemeente_token))
        assert perioden.status_code == 403


def test_every_call_is_audited_with_the_token_id(app, client):
    token_id, secret = issue(app)
    client.get(CODES, headers=bearer(secret))
    client.get(f"{ROTTERDAM}/incidenten/12345", headers=bearer(secret))
    client.post(f"{ROTTERDAM}/boas", json={"onbekend": 1}, headers=bearer(secret))
    with app.app_context():
        events = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.actie == "api-aanroep").order_by(AuditEvent.id)
        ).scalars()
        calls = [
            (e.entiteit_id, e.actor, e.details["endpoint"], e.details["status"]) for e in events
        ]
        token = db.session.get(ApiToken, token_id)
        assert token.laatst_gebruikt_op == clock.now()
    actor = f"api-token {token_id}"
    assert calls == [
        (str(token_id), actor, "api.list_codelijsten", 200),
        (str(token_id), actor, "api.get_incident", 404),
        (str(token_id), actor, "api.create_boa", 422),
    ]


def test_calls_are_throttled_per_token_and_refusals_per_address(app, client):
    app.config.update(
        PILOT_API_LIMIT_LEZEN="3 per minute", PILOT_API_LIMIT_WEIGERINGEN="2 per minute"
    )
    _, first = issue(app)
    _, second = issue(app)
    answers = [client.get(CODES, headers=bearer(first)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    throttled = client.get(CODES, headers=bearer(first))
    assert throttled.content_type == "application/problem+json"
    assert int(throttled.headers["Retry-After"]) > 0
    assert client.get(CODES, headers=bearer(second)).status_code == 200  # its own budget
    wrong = [client.get(CODES, headers=bearer(f"p429_fout{i}")).status_code for i in range(3)]
    assert wrong == [401, 401, 429]


def test_a_log_in_session_opens_nothing_on_the_api(app, client, login_as):
    login_as(Rol.COORDINATOR, "GM0599")
    response = client.get(f"{ROTTERDAM}/boas")
    assert response.status_code == 401 and response.content_type == "application/problem+json"


def test_token_calls_need_no_csrf_token_but_the_token_pages_do(app, csrf_app, make_user):
    with app.app_context():
        make_boa("GM0599", code="BOA-R-01")
    token_id, secret = issue(app)
    client = csrf_app.test_client()
    response = client.post(
        f"{ROTTERDAM}/incidenten", json=incident_body("BOA-R-01"), headers=bearer(secret)
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    admin = make_user(Rol.BEHEERDER)
    login_page = client.get("/inloggen").text
    csrf = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/inloggen",
        data={"gebruikersnaam": admin.gebruikersnaam, "wachtwoord": PASSWORD, "csrf_token": csrf},
    )
    assert client.post(f"/api-tokens/{token_id}/intrekken").status_code == 400
    refused = client.post("/api-tokens/nieuw", data=form(gemeente_id=gemeente_id(app, "GM0599")))
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(ApiToken.id))).scalar_one() == 1
