"""Backup and restore of the database: SQLite's backup API, or pg_dump/pg_restore.

A backup is one file: an SQLite database (consistent even while the app writes: the
backup API copies a snapshot) or a pg_dump archive in custom format. ``verify`` opens it
again (``PRAGMA integrity_check``, or ``pg_restore --list``) before it is called done.
Restoring replaces the whole database; stop the app servers and the job worker first.
The keys (``PILOT_SECRET_KEY``, ``PILOT_PSEUDONYM_KEY``) are not in the database and must
be kept separately: without the pseudonym key the keyed hashes cannot be matched again.
"""

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from pilot.extensions import db


class BackupError(RuntimeError):
    """The backup or restore failed; the message is Dutch."""


def _url() -> URL:
    return make_url(db.engine.url.render_as_string(hide_password=False))


def _libpq(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is niet geïnstalleerd (Debian-pakket postgresql-client).")
    return found


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} mislukte: {done.stderr.strip()[:500]}")


def make_backup(target: Path) -> Path:
    """Write a backup of the app's database to ``target`` and verify it."""
    url = _url()
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        db.session.remove()
        with sqlite3.connect(url.database) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        copy.close()
        source.close()
    elif url.get_backend_name() == "postgresql":
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}",
              f"--dbname={_libpq(url)}"])  # fmt: skip
    else:
        raise BackupError(f"Geen backup voor database {url.get_backend_name()}.")
    verify(target)
    return target


def verify(path: Path) -> None:
    """Open the backup again; raises BackupError when it is not usable."""
    if not path.is_file() or path.stat().st_size == 0:
        raise BackupError(f"De backup {path} ontbreekt of is leeg.")
    if _url().get_backend_name() == "sqlite":
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as copy:
                result = copy.execute("PRAGMA integrity_check").fetchone()[0]
                copy.execute("SELECT version_num FROM alembic_version").fetchone()
            copy.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"De backup {path} is geen bruikbare database: {exc}") from exc
        if result != "ok":
            raise BackupError(f"De backup {path} is beschadigd: {result}")
    else:
        _run([_tool("pg_restore"), "--list", str(path)])


def restore_backup(source: Path) -> None:
    """Replace the app's database by the backup in ``source``."""
    verify(source)
    url = _url()
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(source) as backup, sqlite3.connect(url.database) as live:
            backup.backup(live)
        backup.close()
        live.close()
    else:
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_libpq(url)}", str(source)])  # fmt: skip
