"""The schema comes from the migrations only: on an empty database ``upgrade`` builds it,
and models and migrations agree (no autogenerate diff), on SQLite and PostgreSQL."""

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from pilot import codes, create_app
from pilot.extensions import db
from pilot.models import Base, Dienst
from pilot.services.gemeenten import seed_pilot_gemeenten


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


def test_0051_adds_the_area_type_after_the_beheerders_versions_and_leaves_old_diensten_unknown(
    make_database_url, test_config, monkeypatch, tmp_path
):
    """An existing database: a beheerder made version 2 and a dienst exists before 0051."""
    app = _fresh_app(make_database_url, test_config, monkeypatch, tmp_path, "migraties_0051")
    with app.app_context():
        upgrade(revision="0043")
        seed_pilot_gemeenten()
        db.session.commit()
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO codeboek_versie (versie, tijdstip, actor, codelijst, wijziging) "
                    "VALUES (2, :nu, 'beheerder-x', 'locatie_type', 'Code tram toegevoegd.')"
                ),
                {"nu": datetime(2026, 1, 5, 12, tzinfo=UTC)},
            )
            connection.execute(
                text(
                    "INSERT INTO codelijst_code (codelijst, code, label, positie, sinds_versie) "
                    "VALUES ('locatie_type', 'tram', 'Tram', 8, 2)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO dienst (gemeente_id, datum, begintijd, eindtijd, duur_minuten, "
                    "gebied, aantal_uniform, aantal_burger, synthetisch, aangemaakt_op, version) "
                    "SELECT id, '2025-09-12', '21:00:00', '03:00:00', 360, 'Centrum', 2, 1, "
                    ":nee, :nu, 1 FROM gemeente WHERE cbs_code = 'GM0599'"
                ),
                {"nee": False, "nu": datetime(2025, 9, 13, tzinfo=UTC)},
            )
        upgrade()
        codes.forget_current()
        book = codes.current()
        assert book.versie == 3 and book["locatie_type"].label("tram") == "Tram"
        assert book["gebiedstype"] == codes.CodeList(
            "gebiedstype",
            "Type gebied",
            tuple(
                codes.Code(c.code, c.label, sinds_versie=3)
                for c in codes.BUILTIN_BOOK["gebiedstype"].codes
            ),
        )
        assert book.changes[-1].codelijst == "gebiedstype" and book.changes[-1].actor == "systeem"
        assert db.session.execute(db.select(Dienst.gebiedstype)).scalar_one() is None
        db.session.commit()  # PostgreSQL: the read's lock on dienst would block the ALTER
        downgrade(revision="0043")
        assert "gebiedstype" not in {c["name"] for c in inspect(db.engine).get_columns("dienst")}
        left = db.session.execute(text("SELECT max(versie) FROM codeboek_versie")).scalar()
        assert left == 2
        assert db.session.execute(text("SELECT count(*) FROM dienst")).scalar() == 1
        db.session.remove()
        db.engine.dispose()
