"""Flask-Migrate, loaded when something needs it.

Importing flask_migrate imports alembic (about 0.3 s). Every CLI command, gunicorn worker
and test process creates the app, but only ``flask db …``, an ``upgrade()`` call and the
health check use migrations; so the ``db`` command group and ``app.extensions["migrate"]``
stand in for Flask-Migrate's until they are used, then hand over to the real ones.
"""

from typing import Any

import click
from flask import Flask

from pilot.extensions import db

DB_HELP = "Databasemigraties (Flask-Migrate / Alembic): upgrade, check, current, …"


def init_app(app: Flask, directory: str) -> None:
    app.extensions["migrate"] = _DeferredConfig(app, directory)
    app.cli.add_command(_DeferredGroup("db", help=DB_HELP, short_help=DB_HELP))


class _DeferredConfig:
    """In ``app.extensions["migrate"]`` until an attribute is read: then Flask-Migrate is
    set up (which puts its own config there) and the read goes to that."""

    def __init__(self, app: Flask, directory: str) -> None:
        self._app, self._directory = app, directory

    def __getattr__(self, name: str) -> Any:
        if self._app.extensions.get("migrate") is self:
            from flask_migrate import Migrate

            Migrate(self._app, db, directory=self._directory, render_as_batch=True)
        return getattr(self._app.extensions["migrate"], name)


class _DeferredGroup(click.Group):
    """The ``db`` command group: its help is known without Flask-Migrate; once invoked,
    Flask-Migrate's own group parses the arguments and runs (with its options)."""

    def _real(self) -> click.Group:
        from flask_migrate.cli import db as group

        return group

    def make_context(self, info_name, args, parent=None, **extra: Any) -> click.Context:
        return self._real().make_context(info_name, args, parent=parent, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._real().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._real().get_command(ctx, cmd_name)
