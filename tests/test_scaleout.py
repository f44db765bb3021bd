"""No local state: two app servers (gunicorn, different ports) on one database share an
import between preview and confirm, and the job queue: a file previewed on one server is
confirmed on the other, and the job worker started by the first one writes it. They also
share the throttling counts: log-in attempts spread over both servers (and their gunicorn
workers) meet one limit."""

import re
import time

import pyotp
import pytest
import requests

from pilot.extensions import db
from pilot.models import Incident, Rol, User
from pilot.services.mfa import STEP
from tests.conftest import PASSWORD
from tests.test_imports import write_csv
from tests.test_jobs import _rows
from tests.test_production import serve, stop

pytestmark = pytest.mark.slow
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _csrf(page: requests.Response) -> str:
    found = CSRF.search(page.text)
    assert found, page.text[:500]
    return found.group(1)


def _totp_now(app, user_id: int) -> str:
    """A code the servers accept now: they run on the real clock, not the tests' frozen one."""
    with app.app_context():
        user = db.session.get(User, user_id)
        step = int(time.time()) // STEP  # noqa: TID251
        if user.totp_laatste_stap is not None and user.totp_laatste_stap >= step:
            step = user.totp_laatste_stap + 1
        return pyotp.TOTP(user.totp_secret).generate_otp(step)


def _log_in(app, url: str, user: User) -> requests.Session:
    """Both log-in steps (password, TOTP code) through HTTP on the served app."""
    session = requests.Session()
    token = _csrf(session.get(url + "/inloggen"))
    response = session.post(
        url + "/inloggen",
        data={"gebruikersnaam": user.gebruikersnaam, "wachtwoord": PASSWORD, "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    assert response.headers["Location"].endswith("/inloggen/code"), response.headers
    token = _csrf(session.get(url + "/inloggen/code"))
    response = session.post(
        url + "/inloggen/code",
        data={"code": _totp_now(app, user.id), "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    assert not response.headers["Location"].endswith("/inloggen/code"), response.headers
    return session


def test_preview_on_one_server_confirm_on_the_other(
    app, database_url, tmp_path, make_user, boundaries_loaded
):
    from tests.factories import make_boa

    with app.app_context():
        boa = make_boa("GM0599", code="BOA-0599-AB12").code
    user = make_user(Rol.COORDINATOR, "GM0599")
    path = write_csv(tmp_path / "import.csv", _rows(boa, 30))
    first, url_a, _ = serve(app, database_url, tmp_path, PILOT_JOB_IMPORT_ROWS="10")
    try:
        second, url_b, _ = serve(
            app, database_url, tmp_path, start_worker=False, PILOT_JOB_IMPORT_ROWS="10"
        )
        try:
            on_a, on_b = _log_in(app, url_a, user), _log_in(app, url_b, user)
            form = url_a + "/gemeente/GM0599/importeren/"
            token = _csrf(on_a.get(form))
            with path.open("rb") as handle:
                preview = on_a.post(
                    form, data={"csrf_token": token}, files={"bestand": ("import.csv", handle)},
                    allow_redirects=False,
                )  # fmt: skip
            assert preview.status_code == 302, preview.text[:500]
            preview_path = preview.headers["Location"].removeprefix(url_a)

            page = on_b.get(url_b + preview_path)  # the other server has the upload
            assert page.status_code == 200 and "import.csv" in page.text
            confirm = on_b.post(
                url_b + preview_path + "/bevestigen", data={"csrf_token": _csrf(page)},
                allow_redirects=False,
            )  # fmt: skip
            assert confirm.status_code == 302 and "/taken/" in confirm.headers["Location"]
            job = confirm.headers["Location"].removeprefix(url_b)
            deadline = time.monotonic() + 180
            while (state := on_b.get(url_b + job + "/status.json").json())["klaar"] is False:
                assert time.monotonic() < deadline, state
                time.sleep(0.2)
            assert state["status"] == "klaar", state
            assert on_a.get(url_a + job + "/status.json").json()["status"] == "klaar"
        finally:
            stop(second)
    finally:
        stop(first)
    with app.app_context():
        db.session.remove()
        assert db.session.execute(db.select(db.func.count(Incident.id))).scalar_one() == 30


def test_throttling_counts_are_shared_by_the_servers(app, database_url, tmp_path):
    """22 failed log-ins from one address, alternating between two servers of two gunicorn
    workers each: the address limit (20 per minute) holds across all four processes; with
    counts per process (memory://) each would have seen only 5 or 6."""
    first, url_a, _ = serve(app, database_url, tmp_path)  # its worker makes both healthy
    try:
        second, url_b, _ = serve(app, database_url, tmp_path, start_worker=False)
        try:
            statuses = []
            for i in range(22):
                session = requests.Session()
                url = (url_a, url_b)[i % 2]
                token = _csrf(session.get(url + "/inloggen"))
                response = session.post(
                    url + "/inloggen",
                    data={"gebruikersnaam": f"naam{i}", "wachtwoord": "fout", "csrf_token": token},
                    allow_redirects=False,
                )  # fmt: skip
                statuses.append(response.status_code)
        finally:
            stop(second)
    finally:
        stop(first)
    assert statuses[0] == 200 and statuses[-1] == 429, statuses
    assert statuses.count(429) == 2, statuses
