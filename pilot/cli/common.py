"""Helpers shared by the command groups."""

import click

from pilot.extensions import db
from pilot.models import Gemeente
from pilot.services.errors import DomainError


def fail(error: DomainError) -> None:
    """Print a DomainError's Dutch messages and exit with status 1."""
    for field, messages in error.errors.items():
        for message in messages:
            prefix = "" if field == "__all__" else f"{field}: "
            click.echo(f"Fout: {prefix}{message}", err=True)
    raise SystemExit(1)


def gemeente_or_fail(cbs_code: str) -> Gemeente:
    gemeente = db.session.execute(
        db.select(Gemeente).where(Gemeente.cbs_code == cbs_code.upper())
    ).scalar_one_or_none()
    if gemeente is None:
        fail(DomainError(f"Onbekende gemeente {cbs_code}.", field="gemeente"))
    return gemeente
