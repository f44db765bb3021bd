"""User commands: create an account (for instance the first beheerder)."""

import click
from flask.cli import AppGroup

from pilot.audit import acting_as
from pilot.cli.common import fail
from pilot.extensions import db
from pilot.models import Gemeente, Rol
from pilot.services import users as users_service
from pilot.services.errors import DomainError

# AppGroup: every command runs inside an app context, also under the test CLI runner.
users_cli = AppGroup("users", help="Gebruikers beheren.")


@users_cli.command("create")
@click.argument("gebruikersnaam")
@click.option("--rol", type=click.Choice([r.value for r in Rol]), default=Rol.BEHEERDER.value)
@click.option("--gemeente", "cbs_code", help="CBS-code, alleen voor een coördinator.")
@click.option("--naam", default="", help="Weergavenaam.")
@click.password_option("--wachtwoord", prompt="Wachtwoord", confirmation_prompt=True)
def create_user(gebruikersnaam: str, rol: str, cbs_code: str | None, naam: str, wachtwoord: str):
    """Maak een gebruiker aan (bijvoorbeeld de eerste beheerder)."""
    gemeente = None
    if cbs_code:
        gemeente = db.session.execute(
            db.select(Gemeente).where(Gemeente.cbs_code == cbs_code.upper())
        ).scalar_one_or_none()
        if gemeente is None:
            fail(DomainError(f"Onbekende gemeente {cbs_code}.", field="gemeente"))
    with acting_as("cli"):
        try:
            user = users_service.create_user(gebruikersnaam, naam, wachtwoord, Rol(rol), gemeente)
        except DomainError as error:
            fail(error)
    click.echo(f"Gebruiker {user.gebruikersnaam} ({user.rol}) aangemaakt.")
