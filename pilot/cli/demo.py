"""The demo command: demo data for a local run (refused in production)."""

import click
from flask.cli import with_appcontext

from pilot.audit import acting_as
from pilot.services import gemeenten as gemeenten_service


@click.command("demo")
@with_appcontext
def demo():
    """Vul de database met demogegevens (veilig om twee keer te draaien)."""
    from flask import current_app

    from pilot.services.demo import accounts as demo_accounts

    if current_app.config["PILOT_PRODUCTION"]:
        click.echo("Fout: demogegevens zijn niet toegestaan in productie.", err=True)
        raise SystemExit(1)
    with acting_as("demo"):
        gemeenten_service.seed_pilot_gemeenten()
        if demo_accounts.load_demo_boundaries():
            click.echo("Gemeentegrenzen geladen.")
        else:
            click.echo(
                "Let op: geen gemeentegrenzen geladen. Laad ze met "
                "'flask --app pilot gemeenten import-grenzen PAD_OF_URL'."
            )
        logins = demo_accounts.seed_demo_users()
        _seed_registratie()
    click.echo("Demo-inloggegevens:")
    for login in logins:
        where = f" ({login.gemeente})" if login.gemeente else ""
        click.echo(f"  {login.rol.value:<12} {login.gebruikersnaam:<24} {login.wachtwoord}{where}")


def _seed_registratie() -> None:
    """Boa's, diensten, police figures and synthetic incidents (skipped where present)."""
    from pilot import clock
    from pilot.services.demo import registratie

    today = clock.today()
    click.echo(f"{registratie.seed_boas()} boa's toegevoegd.")
    click.echo(f"{registratie.seed_diensten(today)} diensten toegevoegd.")
    click.echo(f"{registratie.seed_politie(today)} maanden politiecijfers toegevoegd.")
    stored, refused = registratie.seed_incidenten(today)
    click.echo(
        f"{stored} synthetische incidenten toegevoegd ({refused} afgekeurd door de validatie)."
    )
