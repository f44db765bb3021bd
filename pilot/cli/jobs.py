"""The background worker: ``flask --app pilot jobs worker``."""

import logging

import click
from flask import current_app
from flask.cli import AppGroup

jobs_cli = AppGroup("jobs", help="Achtergrondtaken (import, rapporten, dataset, opschonen).")


@jobs_cli.command("worker")
@click.option("--threads", default=2, show_default=True, help="Taken tegelijk.")
def worker(threads: int):
    """Voer achtergrondtaken uit tot de verwerker wordt gestopt (Ctrl+C of SIGTERM)."""
    from pilot.services.jobs import worker as jobs_worker
    from pilot.services.jobs.queue import queue_url

    kind = queue_url(current_app.config).split(":", 1)[0]
    if current_app.config.get("PILOT_JSON_LOGS"):
        logging.getLogger("pilot.jobs").info("job worker running", extra={"aantal": threads})
    else:
        click.echo(f"Verwerker gestart ({threads} tegelijk), wachtrij: {kind}")
    jobs_worker.run(current_app._get_current_object(), threads)
