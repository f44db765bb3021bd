"""Is this app server fit to serve: database reachable, migrations current, worker alive."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import text

from pilot.extensions import db

MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations"
WORKER_SILENT_AFTER_S = 30.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@cache
def _head() -> str | None:
    """The newest migration of this code (alembic is imported only here, once)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def _database() -> tuple[Check, Check]:
    try:
        db.session.execute(text("SELECT 1"))
        current = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception as exc:
        db.session.rollback()
        detail = f"niet bereikbaar ({type(exc).__name__})"
        return Check("database", False, detail), Check("migraties", False, "onbekend")
    finally:
        db.session.rollback()
    head = _head()
    migrations = Check(
        "migraties", current == head, "actueel" if current == head else f"{current} ≠ {head}"
    )
    return Check("database", True, "bereikbaar"), migrations


def _worker() -> Check:
    from pilot.services.jobs.queue import get_queue, last_heartbeat

    try:
        silent = last_heartbeat(get_queue())
    except Exception as exc:
        return Check("verwerker", False, f"wachtrij niet bereikbaar ({type(exc).__name__})")
    if silent is None:
        return Check("verwerker", False, "nooit gezien")
    if silent > WORKER_SILENT_AFTER_S:
        return Check("verwerker", False, f"{silent:.0f} s stil")
    return Check("verwerker", True, f"{silent:.0f} s geleden gezien")


def checks() -> list[Check]:
    return [*_database(), _worker()]
