"""Command-line interface: ``flask --app pilot <group> <command>``."""

import click
from flask import Flask
from flask.cli import AppGroup

from pilot.audit import acting_as
from pilot.extensions import db
from pilot.models import Gemeente, Rol
from pilot.services import gemeenten as gemeenten_service
from pilot.services import users as users_service
from pilot.services.errors import DomainError

users_cli = click.Group("users", help="Gebruikers beheren.")
gemeenten_cli = click.Group("gemeenten", help="Gemeenten en hun grenzen.")


def _fail(error: DomainError) -> None:
    for field, messages in error.errors.items():
        for message in messages:
            prefix = "" if field == "__all__" else f"{field}: "
            click.echo(f"Fout: {prefix}{message}", err=True)
    raise SystemExit(1)


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
            _fail(DomainError(f"Onbekende gemeente {cbs_code}.", field="gemeente"))
    with acting_as("cli"):
        try:
            user = users_service.create_user(gebruikersnaam, naam, wachtwoord, Rol(rol), gemeente)
        except DomainError as error:
            _fail(error)
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
            _fail(error)
    names = ", ".join(sorted(g.naam for g in updated))
    click.echo(f"Grenzen geladen voor {len(updated)} gemeente(n): {names}.")


@click.command("demo")
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
    click.echo("Demo-inloggegevens:")
    for login in logins:
        where = f" ({login.gemeente})" if login.gemeente else ""
        click.echo(f"  {login.rol.value:<12} {login.gebruikersnaam:<24} {login.wachtwoord}{where}")


rapport_cli = AppGroup(
    "rapport",
    help="PDF-rapporten. Draait als beheerder van het systeem: 'gemeente' geeft exacte "
    "aantallen (tenzij --onderdrukt), 'totaal' onderdrukt kleine aantallen altijd.",
)
export_cli = AppGroup("export", help="Exports voor de evaluatie.")


@rapport_cli.command("gemeente")
@click.argument("cbs_code")
@click.option("--van", default="", help="Begindatum JJJJ-MM-DD (standaard: start pilot).")
@click.option("--tot", default="", help="Einddatum JJJJ-MM-DD, tot en met.")
@click.option("--kwartaal", default="", help="Een kwartaal, bijvoorbeeld 2025-K1.")
@click.option("--onderdrukt", is_flag=True, help="Kleine aantallen weergeven als <k.")
@click.option("--uit", "uit", required=True, type=click.Path(dir_okay=False), help="PDF-bestand.")
def rapport_gemeente(cbs_code: str, van: str, tot: str, kwartaal: str, onderdrukt: bool, uit: str):
    """Rapport van één gemeente over een periode (standaard de hele pilotperiode)."""
    from datetime import date
    from pathlib import Path

    from pilot.services import reports
    from pilot.services.reports import periode

    gemeente = db.session.execute(
        db.select(Gemeente).where(Gemeente.cbs_code == cbs_code.upper())
    ).scalar_one_or_none()
    if gemeente is None:
        _fail(DomainError(f"Onbekende gemeente {cbs_code}.", field="gemeente"))
    with acting_as("cli"):
        try:
            gekozen = periode.kies(gemeente, date.today(), van, tot, kwartaal)
        except DomainError as error:
            _fail(error)
        report = reports.download_gemeenterapport(gemeente, gekozen, exact=not onderdrukt)
    Path(uit).write_bytes(report.pdf)
    click.echo(
        f"Rapport {gemeente.naam} geschreven naar {uit} (vingerafdruk {report.vingerafdruk})."
    )


@rapport_cli.command("totaal")
@click.option("--uit", "uit", required=True, type=click.Path(dir_okay=False), help="PDF-bestand.")
def rapport_totaal(uit: str):
    """Totaalrapport van alle gemeenten; kleine aantallen altijd onderdrukt."""
    from pathlib import Path

    from pilot.services import reports

    with acting_as("cli"):
        report = reports.download_totaalrapport()
    Path(uit).write_bytes(report.pdf)
    click.echo(f"Totaalrapport geschreven naar {uit} (vingerafdruk {report.vingerafdruk}).")


@export_cli.command("dataset")
@click.option("--uit", "uit", required=True, type=click.Path(file_okay=False), help="Map.")
def export_dataset(uit: str):
    """Evaluatiedataset (CSV, XLSX, GeoPackage) met codeboek (CSV, PDF) in een map."""
    from pathlib import Path

    from pilot.services.reports import dataset

    with acting_as("cli"):
        paths = dataset.exporteer_dataset(Path(uit))
    click.echo(f"{len(paths)} bestanden geschreven naar {uit}: {', '.join(p.name for p in paths)}.")


def register(app: Flask) -> None:
    app.cli.add_command(demo)
    app.cli.add_command(rapport_cli)
    app.cli.add_command(export_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(gemeenten_cli)
