"""Audit-trail commands: verify the hash chain."""

import click
from flask.cli import AppGroup

from pilot.audit_chain import verify
from pilot.extensions import db

audittrail_cli = AppGroup("audittrail", help="De audittrail controleren.")


@audittrail_cli.command("verify")
def verify_chain():
    """Controleer de hashketen van de audittrail (exit 1 bij een breuk)."""
    result = verify(db.session.connection())
    click.echo(result.melding)
    if not result.intact:
        raise SystemExit(1)
