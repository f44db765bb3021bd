"""Command-line interface: ``flask --app pilot <group> <command>``."""

from pathlib import Path

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
import_cli = AppGroup("import", help="Incidenten importeren uit CSV of Excel.")


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


def _getal(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _echo_progress(stage: str, done: int, total: int) -> None:
    if stage == "schrijven":
        click.echo(f"Schrijven: {_getal(done)} van {_getal(total)}")
    else:
        click.echo(f"{stage.capitalize()}: {_getal(done)} rijen")


@import_cli.command("incidenten")
@click.argument("bestand", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--gemeente", "cbs_code", required=True, help="CBS-code, bijvoorbeeld GM0599.")
@click.option("--alles-of-niets", is_flag=True, help="Niets schrijven als een rij een fout heeft.")
@click.option("--max-fouten", default=50, show_default=True, help="Aantal getoonde foutregels.")
def import_incidenten(bestand: Path, cbs_code: str, alles_of_niets: bool, max_fouten: int):
    """Importeer incidenten uit een CSV- of XLSX-bestand (zelfde controles als het formulier)."""
    from pilot.services.importing import ImportFileError, import_file

    gemeente = _gemeente_or_fail(cbs_code)
    with acting_as("cli"):
        try:
            result = import_file(gemeente, bestand, bestand.name, alles_of_niets, _echo_progress)
        except ImportFileError as error:
            _fail(error)
    analysis = result.analysis
    for error in analysis.fouten[:max_fouten]:
        click.echo(f"Rij {error.rij}, {error.kolom}: {error.melding}", err=True)
    if len(analysis.fouten) > max_fouten:
        click.echo(f"… en nog {_getal(len(analysis.fouten) - max_fouten)} fouten.", err=True)
    click.echo(
        f"{analysis.bestand}: {_getal(analysis.rijen)} rijen, {_getal(result.geschreven)} "
        f"geïmporteerd, {_getal(analysis.rijen_met_fouten)} met fouten, "
        f"{_getal(analysis.al_aanwezig)} al aanwezig, "
        f"{_getal(analysis.dubbel_in_bestand)} dubbel in het bestand."
    )
    if analysis.rd_omgezet:
        click.echo(f"{_getal(analysis.rd_omgezet)} rijen met RD-coördinaten omgerekend.")
    if result.geweigerd:
        click.echo("Niets geïmporteerd vanwege fouten.", err=True)
        raise SystemExit(1)


@import_cli.command("sjabloon")
@click.option(
    "--uit",
    "uit",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Doelbestand: .xlsx of .csv.",
)
@click.option("--gemeente", "cbs_code", help="Neem de boa-codes van deze gemeente op.")
def sjabloon(uit: Path, cbs_code: str | None):
    """Schrijf het importsjabloon (XLSX met keuzelijsten en toelichting, of CSV)."""
    from pilot.services.importing import template_csv, template_xlsx
    from pilot.services.importing.service import boa_codes_of

    suffix = uit.suffix.lower()
    if suffix not in {".xlsx", ".csv"}:
        _fail(DomainError("Kies een bestandsnaam op .xlsx of .csv.", field="uit"))
    if suffix == ".csv":
        uit.write_bytes(template_csv())
    else:
        codes = boa_codes_of(_gemeente_or_fail(cbs_code)) if cbs_code else []
        uit.write_bytes(template_xlsx(codes))
    click.echo(f"Sjabloon geschreven naar {uit}.")


def _gemeente_or_fail(cbs_code: str) -> Gemeente:
    gemeente = db.session.execute(
        db.select(Gemeente).where(Gemeente.cbs_code == cbs_code.upper())
    ).scalar_one_or_none()
    if gemeente is None:
        _fail(DomainError(f"Onbekende gemeente {cbs_code}.", field="gemeente"))
    return gemeente


def register(app: Flask) -> None:
    app.cli.add_command(demo)
    app.cli.add_command(import_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(gemeenten_cli)
