"""Set-up commands: users, gemeenten and their boundaries, demo data."""

import click
from flask.cli import AppGroup, with_appcontext

from pilot.audit import acting_as
from pilot.cli.common import fail
from pilot.extensions import db
from pilot.models import Gemeente, Rol
from pilot.services import gemeenten as gemeenten_service
from pilot.services import users as users_service
from pilot.services.errors import DomainError

# AppGroup: every command runs inside an app context, also under the test CLI runner.
users_cli = AppGroup("users", help="Gebruikers beheren.")
gemeenten_cli = AppGroup("gemeenten", help="Gemeenten en hun grenzen.")


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


@click.command("demo")
@with_appcontext
def demo():
    """Vul de database met demogegevens (veilig om twee keer te draaien)."""
    from flask import current_app

    from pilot.services import demo as demo_service

    if current_app.config["PILOT_PRODUCTION"]:
        click.echo("Fout: demogegevens zijn niet toegestaan in productie.", err=True)
        raise SystemExit(1)
    with acting_as("demo"):
        gemeenten_service.seed_pilot_gemeenten()
        if demo_service.load_demo_boundaries():
            click.echo("Gemeentegrenzen geladen.")
        else:
            click.echo(
                "Let op: geen gemeentegrenzen geladen. Laad ze met "
                "'flask --app pilot gemeenten import-grenzen PAD_OF_URL'."
            )
        logins = demo_service.seed_demo_users()
        _seed_registratie()
    click.echo("Demo-inloggegevens:")
    for login in logins:
        where = f" ({login.gemeente})" if login.gemeente else ""
        click.echo(f"  {login.rol.value:<12} {login.gebruikersnaam:<24} {login.wachtwoord}{where}")


def _seed_registratie() -> None:
    """Boa's, diensten, police figures and synthetic incidents (skipped where present)."""
    from datetime import datetime

    from pilot.services import demo_registratie
    from pilot.services.derived import AMSTERDAM

    today = datetime.now(AMSTERDAM).date()
    click.echo(f"{demo_registratie.seed_boas()} boa's toegevoegd.")
    click.echo(f"{demo_registratie.seed_diensten(today)} diensten toegevoegd.")
    click.echo(f"{demo_registratie.seed_politie(today)} maanden politiecijfers toegevoegd.")
    stored, refused = demo_registratie.seed_incidents(today)
    click.echo(
        f"{stored} synthetische incidenten toegevoegd ({refused} afgekeurd door de validatie)."
    )
