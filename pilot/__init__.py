"""The Flask app of the 429ter pilot: ``create_app`` and nothing else at import time."""

import gc
import os
from pathlib import Path

# One BLAS thread per process, unless the operator says otherwise. The app runs as several
# worker processes on few cores; OpenBLAS would start a thread per core in each, and its
# threads spin while they wait for work: the outsider publication build took 13.3 s of CPU
# for 7.3 s of wall time with two threads, 5.1 s and 5.1 s with one (issue 16). Set before
# anything here imports numpy or scipy, which read it when their OpenBLAS loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from flask import Flask  # noqa: E402

from pilot.config import (  # noqa: E402
    check_production,
    create_private_sqlite,
    default_config,
    from_environment,
    load_secrets,
)

ROOT = Path(__file__).resolve().parent.parent
__version__ = "0.1.0"


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, error handlers, commands.

    Building imports some 1,000 modules (SQLAlchemy among them) and allocates about
    150,000 objects that live as long as the process. The cyclic collector would walk that
    growing heap again and again while it is built, and once more (with the deallocation of
    it all) when a CLI command exits: together a third of ``flask --help`` (issue 16). So it
    is paused while the app is built, and what was built is then frozen (``gc.freeze``):
    later collections skip it. Not under ``TESTING``: a test process builds an app per
    test, and those must be freed.
    """
    from pilot.services.gc_pause import cyclic_gc_paused

    with cyclic_gc_paused():
        app = _build_app(test_config)
        if not app.testing:
            gc.freeze()
    return app


def _build_app(test_config: dict | None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("PILOT_INSTANCE_PATH") or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True, mode=0o700)
    app.config.from_mapping(default_config(app.instance_path))
    app.config.update(from_environment())
    if test_config:
        app.config.update(test_config)
    load_secrets(app.config, app.instance_path)
    check_production(app.config)
    create_private_sqlite(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["PILOT_VERSION"] = __version__

    from pilot import logs

    logs.init_app(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    from sqlalchemy import event

    from pilot import access, audit, headers, schema_migrations
    from pilot.auth import guard
    from pilot.extensions import csrf, db, limiter, login_manager
    from pilot.services import throttle_storage  # noqa: F401  (registers pilot-db://)

    db.init_app(app)
    schema_migrations.init_app(app, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    headers.init_app(app)
    guard.init_app(app)
    access.init_app(app)
    audit.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def register_blueprints(app: Flask) -> None:
    from pilot.routing import IntegerConverter

    app.url_map.converters["int"] = IntegerConverter
    from pilot.account.views import bp as account_bp
    from pilot.api.views import bp as api_bp
    from pilot.audittrail.views import bp as audittrail_bp
    from pilot.auth.views import bp as auth_bp
    from pilot.boas.views import bp as boas_bp
    from pilot.codelists.views import bp as codelists_bp
    from pilot.dashboard.views import bp as dashboard_bp
    from pilot.dataset.views import bp as dataset_bp
    from pilot.diensten.views import bp as diensten_bp
    from pilot.gemeenten.views import bp as gemeenten_bp
    from pilot.health.views import bp as health_bp
    from pilot.home.views import bp as home_bp
    from pilot.hotspots.views import bp as hotspots_bp
    from pilot.imports.views import bp as imports_bp
    from pilot.incidenten.views import bp as incidenten_bp
    from pilot.jobs.views import bp as jobs_bp
    from pilot.politiecijfers.views import bp as politiecijfers_bp
    from pilot.reports.views import bp as reports_bp
    from pilot.retention.views import bp as retention_bp
    from pilot.users.views import bp as users_bp

    for blueprint in (
        home_bp,
        auth_bp,
        account_bp,
        users_bp,
        audittrail_bp,
        gemeenten_bp,
        boas_bp,
        incidenten_bp,
        imports_bp,
        diensten_bp,
        politiecijfers_bp,
        hotspots_bp,
        reports_bp,
        dashboard_bp,
        dataset_bp,
        retention_bp,
        api_bp,
        codelists_bp,
        jobs_bp,
        health_bp,
    ):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from pilot.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from pilot.cli import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from pilot.templating import register

    register(app)
