"""Gemeente commands: seed the pilot gemeenten, load boundaries."""

import click
from flask.cli import AppGroup

from pilot.audit import acting_as
from pilot.cli.common import fail
from pilot.services import gemeenten as gemeenten_service
from pilot.services.errors import DomainError

gemeenten_cli = AppGroup("gemeenten", help="Gemeenten en hun grenzen.")


@gemeenten_cli.command("seed")
def seed():
    """Voeg de pilotgemeenten uit het register toe (bestaande blijven ongewijzigd)."""
    with acting_as("cli"):
        added = gemeenten_service.seed_pilot_gemeenten()
    click.echo(f"{added} gemeente(n) toegevoegd.")


@gemeenten_cli.command("import-grenzen")
@click.argument("bron")
def import_grenzen(bron: str):
    """Laad gemeentegrenzen uit een CBS/PDOK-bestand of -URL (GeoJSON of GeoPackage)."""
    with acting_as("cli"):
        try:
            updated = gemeenten_service.import_boundaries(bron)
        except DomainError as error:
            fail(error)
    names = ", ".join(sorted(g.naam for g in updated))
    click.echo(f"Grenzen geladen voor {len(updated)} gemeente(n): {names}.")
