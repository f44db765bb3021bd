"""The Huey instance of this app, chosen by the configuration, and the worker's heartbeat."""

import os
import socket
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, current_app
from sqlalchemy.engine import make_url

from pilot import clock

if TYPE_CHECKING:
    from huey import Huey

QUEUE_NAME = "pilot"
HEARTBEAT_KEY = "pilot:worker:heartbeat"
HEARTBEAT_SECONDS = 5.0
_queues: dict[str, "Huey"] = {}
_lock = threading.Lock()


def queue_url(config: dict) -> str:
    """``PILOT_QUEUE_URL``, else derived from the database: its PostgreSQL, or an SQLite
    file beside the SQLite database (a separate file: the queue must not wait for an
    import's write lock)."""
    if url := config.get("PILOT_QUEUE_URL"):
        return url
    database = make_url(config["SQLALCHEMY_DATABASE_URI"])
    if database.get_backend_name() == "postgresql":
        return database.set(drivername="postgresql").render_as_string(hide_password=False)
    path = Path(database.database or "pilot.sqlite3")
    return f"sqlite:///{path.with_name(path.stem + '.queue.sqlite3')}"


def _make(url: str) -> "Huey":
    from huey import PostgresHuey, RedisHuey, SqliteHuey  # not at app start-up

    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(QUEUE_NAME, url=url, results=False)
    if url.startswith("postgresql://"):
        return _postgres_queue(PostgresHuey, url)
    if url.startswith("sqlite:///"):
        return SqliteHuey(QUEUE_NAME, filename=url.removeprefix("sqlite:///"), results=False)
    raise ValueError(f"PILOT_QUEUE_URL wordt niet ondersteund: {url.split(':', 1)[0]}")


def _postgres_queue(kind: type, url: str) -> "Huey":
    """Huey creates its tables with CREATE TABLE IF NOT EXISTS, which is not safe when two
    processes start at once (gunicorn's workers and the job worker): the slower one fails
    on PostgreSQL's catalogue. The tables exist then, so a second try succeeds."""
    from psycopg.errors import DuplicateTable, UniqueViolation

    try:
        return kind(QUEUE_NAME, dsn=url, results=False)
    except (UniqueViolation, DuplicateTable):
        return kind(QUEUE_NAME, dsn=url, results=False)


def get_queue(app: Flask | None = None) -> "Huey":
    """The queue for this app's configuration, created on first use (connects then)."""
    app = app or current_app._get_current_object()
    url = queue_url(app.config)
    with _lock:
        if url not in _queues:
            from pilot.services.jobs import handlers  # noqa: F401  (registers the kinds)
            from pilot.services.jobs.runner import register_tasks

            huey = _make(url)
            register_tasks(huey)
            _queues[url] = huey
        return _queues[url]


def worker_name() -> str:
    return os.environ.get("PILOT_WORKER_NAME") or socket.gethostname()


def beat(huey: "Huey") -> None:
    huey.put(HEARTBEAT_KEY, clock.now().timestamp())


def last_heartbeat(huey: "Huey") -> float | None:
    """Seconds since a worker last reported, or None when none ever did."""
    seen = huey.get(HEARTBEAT_KEY, peek=True)
    return None if seen is None else clock.now().timestamp() - seen
