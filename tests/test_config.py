"""Configuration: secrets from the environment or generated once, production refusal,
DATABASE_URL, SQLite pragmas."""

import stat

import pytest
from sqlalchemy import text

from pilot import create_app
from pilot.config import ConfigurationError
from pilot.extensions import db

ENVIRONMENT = (
    "PILOT_SECRET_KEY",
    "PILOT_PSEUDONYM_KEY",
    "PILOT_PRODUCTION",
    "DATABASE_URL",
    "FLASK_DEBUG",
)


@pytest.fixture
def make_app(monkeypatch, tmp_path):
    """Build an app from the environment alone (no test overrides of keys or database)."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PILOT_INSTANCE_PATH", str(tmp_path / "instance"))
    apps = []

    def make(**environment: str):
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        app = create_app({"TESTING": True})
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def test_secrets_are_generated_once_into_the_instance_folder(make_app, tmp_path):
    first = make_app()
    instance = tmp_path / "instance"
    for setting, filename in (("SECRET_KEY", "secret_key"), ("PSEUDONYM_KEY", "pseudonym_key")):
        path = instance / filename
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_text() == first.config[setting]
        assert len(first.config[setting]) == 64
    assert first.config["SECRET_KEY"] != first.config["PSEUDONYM_KEY"]
    second = make_app()
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    assert second.config["PSEUDONYM_KEY"] == first.config["PSEUDONYM_KEY"]


def test_secrets_from_the_environment_win_and_write_nothing(make_app, tmp_path):
    app = make_app(PILOT_SECRET_KEY="sessie-sleutel", PILOT_PSEUDONYM_KEY="hmac-sleutel")
    assert app.config["SECRET_KEY"] == "sessie-sleutel"
    assert app.config["PSEUDONYM_KEY"] == "hmac-sleutel"
    assert not (tmp_path / "instance" / "secret_key").exists()
    assert not (tmp_path / "instance" / "pseudonym_key").exists()


def test_production_refuses_to_start_without_keys(make_app, tmp_path):
    with pytest.raises(ConfigurationError, match="PILOT_SECRET_KEY ontbreekt"):
        make_app(PILOT_PRODUCTION="1")
    with pytest.raises(ConfigurationError, match="PILOT_PSEUDONYM_KEY ontbreekt"):
        make_app(PILOT_PRODUCTION="1", PILOT_SECRET_KEY="sessie-sleutel")
    assert not (tmp_path / "instance" / "secret_key").exists()
    assert not (tmp_path / "instance" / "pseudonym_key").exists()


LONG_KEY = "s" * 40
OTHER_LONG_KEY = "p" * 40


def test_production_starts_with_keys_and_secure_cookies(make_app):
    app = make_app(
        PILOT_PRODUCTION="1", PILOT_SECRET_KEY=LONG_KEY, PILOT_PSEUDONYM_KEY=OTHER_LONG_KEY
    )
    assert app.config["PILOT_PRODUCTION"] is True
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_default_database_is_sqlite_in_the_instance_folder(make_app, tmp_path):
    app = make_app()
    expected = f"sqlite:///{tmp_path / 'instance' / 'pilot.sqlite3'}"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected


def test_database_url_overrides_the_default(make_app, tmp_path):
    path = tmp_path / "ander.sqlite3"
    app = make_app(DATABASE_URL=f"sqlite:///{path}")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{path}"
    with app.app_context():
        assert db.engine.url.database == str(path)
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert path.exists()


@pytest.mark.parametrize(
    "url", ["postgres://pilot@db.example/pilot", "postgresql://pilot@db.example/pilot"]
)
def test_postgresql_urls_use_psycopg_3(make_app, url):
    app = make_app(DATABASE_URL=url)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://pilot@db.example/pilot"
    with app.app_context():
        assert db.engine.dialect.driver == "psycopg"


@pytest.mark.parametrize(
    ("environment", "refusal"),
    [
        ({"PILOT_SECRET_KEY": "k", "PILOT_PSEUDONYM_KEY": "p" * 40}, "SECRET_KEY is korter"),
        (
            {"PILOT_SECRET_KEY": "s" * 40, "PILOT_PSEUDONYM_KEY": "p" * 31},
            "PSEUDONYM_KEY is korter",
        ),
        ({"PILOT_SECRET_KEY": "s" * 40, "PILOT_PSEUDONYM_KEY": "s" * 40}, "zijn gelijk"),
        (
            {"PILOT_SECRET_KEY": "s" * 40, "PILOT_PSEUDONYM_KEY": "p" * 40, "FLASK_DEBUG": "1"},
            "debugmodus",
        ),
    ],
)
def test_production_refuses_weak_or_equal_keys_and_debug(make_app, environment, refusal):
    with pytest.raises(ConfigurationError, match=refusal):
        make_app(PILOT_PRODUCTION="1", **environment)


def test_production_ignores_keys_generated_into_the_instance_folder(make_app, tmp_path):
    make_app()  # a development start writes both key files
    assert (tmp_path / "instance" / "secret_key").exists()
    with pytest.raises(ConfigurationError, match="instance-map"):
        make_app(PILOT_PRODUCTION="1")


def test_instance_folder_and_sqlite_file_are_private(make_app, tmp_path):
    app = make_app()
    with app.app_context(), db.engine.connect() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    instance = tmp_path / "instance"
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    assert stat.S_IMODE((instance / "pilot.sqlite3").stat().st_mode) == 0o600


def test_no_server_version_banner(make_app):
    app = make_app()
    response = app.test_client().get("/inloggen")
    assert response.headers["Server"] == "pilot"
