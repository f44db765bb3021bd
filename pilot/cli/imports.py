"""Import commands: incidents from CSV/XLSX and the import template."""

from pathlib import Path

import click
from flask.cli import AppGroup

from pilot.audit import acting_as
from pilot.cli.common import fail, gemeente_or_fail
from pilot.services.errors import DomainError
from pilot.templating import aantal, getal

imports_cli = AppGroup("imports", help="Incidenten importeren uit CSV of Excel.")


def _echo_progress(stage: str, done: int, total: int) -> None:
    if stage == "schrijven":
        click.echo(f"Schrijven: {getal(done)} van {getal(total)}")
    else:
        click.echo(f"{stage.capitalize()}: {aantal(done, 'rij', 'rijen')}")


@imports_cli.command("incidenten")
@click.argument("bestand", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--gemeente", "cbs_code", required=True, help="CBS-code, bijvoorbeeld GM0599.")
@click.option("--alles-of-niets", is_flag=True, help="Niets schrijven als een rij een fout heeft.")
@click.option("--max-fouten", default=50, show_default=True, help="Aantal getoonde foutregels.")
def import_incidenten(bestand: Path, cbs_code: str, alles_of_niets: bool, max_fouten: int):
    """Importeer incidenten uit een CSV- of XLSX-bestand (zelfde controles als het formulier)."""
    from pilot.services.imports import ImportFileError, import_file

    gemeente = gemeente_or_fail(cbs_code)
    with acting_as("cli"):
        try:
            result = import_file(gemeente, bestand, bestand.name, alles_of_niets, _echo_progress)
        except ImportFileError as error:
            fail(error)
    analysis = result.analysis
    for error in analysis.fouten[:max_fouten]:
        click.echo(f"Rij {error.rij}, {error.kolom}: {error.melding}", err=True)
    if len(analysis.fouten) > max_fouten:
        click.echo(f"… en nog {getal(len(analysis.fouten) - max_fouten)} fouten.", err=True)
    click.echo(
        f"{analysis.bestand}: {aantal(analysis.rijen, 'rij', 'rijen')}, {getal(result.geschreven)} "
        f"geïmporteerd, {getal(analysis.rijen_met_fouten)} met fouten, "
        f"{getal(analysis.al_aanwezig)} al aanwezig, "
        f"{getal(analysis.dubbel_in_bestand)} dubbel in het bestand."
    )
    if analysis.rd_omgezet:
        click.echo(f"{aantal(analysis.rd_omgezet, 'rij', 'rijen')} met RD-coördinaten omgerekend.")
    if result.geweigerd:
        click.echo("Niets geïmporteerd vanwege fouten.", err=True)
        raise SystemExit(1)


@imports_cli.command("sjabloon")
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
    from pilot.services.imports.service import boa_codes_of
    from pilot.services.imports.template import template_csv, template_xlsx

    suffix = uit.suffix.lower()
    if suffix not in {".xlsx", ".csv"}:
        fail(DomainError("Kies een bestandsnaam op .xlsx of .csv.", field="uit"))
    if suffix == ".csv":
        uit.write_bytes(template_csv())
    else:
        codes = boa_codes_of(gemeente_or_fail(cbs_code)) if cbs_code else []
        uit.write_bytes(template_xlsx(codes))
    click.echo(f"Sjabloon geschreven naar {uit}.")


@imports_cli.command("purge-uploads")
def purge_uploads():
    """Verwijder niet-bevestigde importbestanden ouder dan 24 uur (voor cron of een taak)."""
    from pilot.services.imports.uploads import purge_expired

    removed = purge_expired()
    click.echo(f"{getal(removed)} niet-bevestigde importbestanden verwijderd.")
