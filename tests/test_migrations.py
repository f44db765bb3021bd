"""The schema comes from the migrations only: on an empty database ``upgrade`` builds it,
and models and migrations agree (no autogenerate diff), on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from pilot import create_app
from pilot.extensions import db
from pilot.models import Base


def _fresh_app(make_database_url, test_config, monkeypatch, tmp_path, name: str):
    monkeypatch.setenv("PILOT_INSTANCE_PATH", str(tmp_path))
    return create_app({**test_config, "SQLALCHEMY_DATABASE_URI": make_database_url(name)})


def test_upgrade_on_an_empty_database_gives_the_models_schema(
    make_database_url, test_config, monkeypatch, tmp_path
):
    app = _fresh_app(make_database_url, test_config, monkeypatch, tmp_path, "migraties_leeg")
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
            current = context.get_current_revision()
        assert diff == [], f"models and migrations differ: {diff}"
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        assert current == script.get_current_head()
        assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()


def test_flask_db_check_and_downgrade(make_database_url, test_config, monkeypatch, tmp_path):
    app = _fresh_app(make_database_url, test_config, monkeypatch, tmp_path, "migraties_check")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()
