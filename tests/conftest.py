"""Fixtures: a real database (SQLite, or PostgreSQL with ``--db=postgresql``), the app,
a test client, a CLI runner, ``login_as`` and ``frozen_clock``.

The schema is built once per run with the real migrations (``flask db upgrade``); each
test starts from empty tables plus the ten seeded pilot gemeenten and version 1 of the
code lists.
"""

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from pilot import clock, create_app
from pilot.extensions import db
from pilot.models import Base, Gemeente, IncidentTelling, Rol, User
from pilot.services.codelists import seed_code_lists
from pilot.services.gemeenten import seed_pilot_gemeenten
from pilot.services.users import hash_password
from tests.postgres import PostgresServer, PostgresUnavailable

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("PILOT_SHARED_DATA", ROOT.parent / "shared" / "data"))
PASSWORD = "test-wachtwoord-123"
# Every test user has MFA set up with this TOTP secret (base32); ``totp_code`` gives a code.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true"}
# Saturday 15-11-2025, 12:00 in Amsterdam: inside every gemeente's pilot period, after every
# incident the tests register, and with 2025-K3 as the newest completed quarter.
FROZEN_NOW = datetime(2025, 11, 15, 11, 0, tzinfo=UTC)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=["sqlite", "postgresql"],
        default=os.environ.get("PILOT_TEST_DB", "sqlite"),
        help="database for the run: sqlite (default) or postgresql (started by the tests)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that never reaches the database (no fixture depends on
    ``database_kind``) as ``db_independent``: ``make test`` runs those once, on SQLite."""
    for item in items:
        if "database_kind" not in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db_independent)


@pytest.fixture(scope="session")
def database_kind(request: pytest.FixtureRequest) -> str:
    return request.config.getoption("--db")


@pytest.fixture(scope="session")
def postgres_server(database_kind: str) -> Iterator[PostgresServer | None]:
    if database_kind != "postgresql":
        yield None
        return
    try:
        server = PostgresServer()
        server.start()
    except PostgresUnavailable as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        pytest.skip(f"PostgreSQL niet beschikbaar: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def make_database_url(
    database_kind: str, postgres_server: PostgresServer | None, tmp_path_factory
) -> Callable[[str], str]:
    """Return a function that creates a new empty database and gives its URL."""

    def make(name: str) -> str:
        if postgres_server is not None:
            return postgres_server.create_database(name)
        return f"sqlite:///{tmp_path_factory.mktemp('db') / (name + '.sqlite3')}"

    return make


@pytest.fixture(scope="session")
def test_config(tmp_path_factory) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "PSEUDONYM_KEY": "test-pseudonym-key",
        "WTF_CSRF_ENABLED": False,
        "PILOT_PAGE_SIZE": 20,
        # A write shows in the next outsider view (tests/test_caching.py covers the stand-in)
        "PILOT_PUBLICATION_MAX_AGE": 0,
        # Nothing listens on port 9: no test reaches PDOK (tests/pdok.py replays it).
        "PILOT_PDOK_LOCATIESERVER_URL": "http://127.0.0.1:9/locatieserver",
        "PILOT_API_LIMIT_WEIGERINGEN": "1000 per minute",  # the route tests send many 401s
        "PILOT_BASEMAP_URL": "",  # no outside host in tests; test_basemap serves its own tiles
    }


@pytest.fixture(scope="session")
def database_url(make_database_url, test_config, tmp_path_factory) -> str:
    """One migrated database for the run (the migrations themselves are under test here)."""
    url = make_database_url("pilot_test")
    os.environ["PILOT_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))
    app = create_app({**test_config, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)


def _empty_all_tables() -> None:
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(Base.metadata.sorted_tables):
            db.session.execute(table.delete())
        # deleting the incidents wrote their kept counts down (triggers, migration 0043)
        db.session.execute(IncidentTelling.__table__.delete())
    db.session.commit()


@pytest.fixture
def app(database_url: str, test_config: dict) -> Iterator[Flask]:
    app = create_app({**test_config, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        _empty_all_tables()
        seed_pilot_gemeenten()
        seed_code_lists()  # version 1, as the migration writes it
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def csrf_app(app: Flask, database_url: str, test_config: dict) -> Iterator[Flask]:
    """A second app on the same database with CSRF protection on, as in production."""
    protected = create_app(
        {**test_config, "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True}
    )
    yield protected
    with protected.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def worker(app: Flask) -> Iterator[object]:
    """The real background worker (a Huey consumer on the app's queue) in this process."""
    from pilot.services.jobs import worker as jobs_worker

    running = jobs_worker.start(app)
    yield running
    running.stop()


@pytest.fixture
def frozen_clock() -> Iterator[datetime]:
    """``pilot.clock`` stopped at FROZEN_NOW for the whole test, so that a test whose outcome
    depends on the date gives the same result on any day. Inside a test,
    ``with clock.frozen(moment):`` stops it at another moment for a block."""
    with clock.frozen(FROZEN_NOW) as moment:
        yield moment


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


def gemeente_by_code(cbs_code: str) -> Gemeente:
    return db.session.execute(db.select(Gemeente).where(Gemeente.cbs_code == cbs_code)).scalar_one()


@pytest.fixture
def make_user(app: Flask, password_hash: str) -> Callable[..., User]:
    def make(rol: Rol, cbs_code: str | None = None, gebruikersnaam: str | None = None) -> User:
        with app.app_context():
            gemeente = gemeente_by_code(cbs_code) if cbs_code else None
            name = gebruikersnaam or f"{rol.value}-{cbs_code or 'x'}".lower()
            user = User(
                gebruikersnaam=name,
                naam=name,
                password_hash=password_hash,
                rol=rol.value,
                gemeente_id=gemeente.id if gemeente else None,
                actief=True,
                totp_secret=TOTP_SECRET,
                mfa_actief=True,
            )
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


def totp_code(user_id: int) -> str:
    """A TOTP code the app accepts now for ``user_id`` (inside an app context): the current
    time step's, or the next one's when the current step was already used (one drift step)."""
    from pilot.services.mfa import STEP

    user = db.session.get(User, user_id)
    db.session.refresh(user)
    step = int(clock.now().timestamp()) // STEP
    if user.totp_laatste_stap is not None and user.totp_laatste_stap >= step:
        step = user.totp_laatste_stap + 1
    return pyotp.TOTP(user.totp_secret).generate_otp(step)


def log_in(app: Flask, the_client: FlaskClient, user: User, password: str = PASSWORD):
    """Both log-in steps through HTTP (password, then a TOTP code); returns the last response."""
    response = the_client.post(
        "/inloggen", data={"gebruikersnaam": user.gebruikersnaam, "wachtwoord": password}
    )
    assert response.status_code == 302, response.data
    assert response.headers["Location"].endswith("/inloggen/code"), response.headers
    with app.app_context():
        code = totp_code(user.id)
    response = the_client.post("/inloggen/code", data={"code": code})
    assert response.status_code == 302, response.data
    return response


@pytest.fixture
def login_as(app: Flask, client: FlaskClient, make_user) -> Callable[..., User]:
    """Create a user of ``rol`` (coordinators default to Rotterdam) and log the client in."""

    def login(rol: Rol, cbs_code: str | None = None, the_client: FlaskClient | None = None):
        if rol is Rol.COORDINATOR and cbs_code is None:
            cbs_code = "GM0599"
        user = make_user(rol, cbs_code if rol is Rol.COORDINATOR else None)
        log_in(app, the_client or client, user)
        return user

    return login


@pytest.fixture(scope="session")
def shared_boundaries() -> dict:
    """The shared WGS84 boundary file, read once per run ({statcode: RD geometry})."""
    from gemeenten import read_boundaries

    path = SHARED_DATA / "gemeenten_2026_wgs84.geojson"
    if not path.exists():
        pytest.fail(f"Gedeelde testdata ontbreekt: {path}")
    return read_boundaries(str(path))


@pytest.fixture
def boundaries_loaded(app: Flask, shared_boundaries: dict) -> None:
    """Store the shared file's boundaries for the pilot gemeenten, as the import would."""
    import shapely

    with app.app_context():
        for gemeente in db.session.execute(db.select(Gemeente)).scalars():
            gemeente.grens_rd_wkb = shapely.to_wkb(shared_boundaries[gemeente.cbs_code])
            gemeente.grens_bron = "gemeenten_2026_wgs84.geojson"
            gemeente.grens_geladen_op = clock.now()
        db.session.commit()


@pytest.fixture
def server(app: Flask) -> Iterator[str]:
    """The app served on localhost for the browser tests (skips without Chromium)."""
    from tests.browser import require_browser, serving

    require_browser()
    with serving(app) as url:
        yield url
