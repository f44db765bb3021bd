"""Report and dataset commands: the same code as the web downloads."""

from pathlib import Path

import click
from flask.cli import AppGroup

from pilot.audit import acting_as
from pilot.cli.common import fail, gemeente_or_fail
from pilot.services.errors import DomainError

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

    from pilot.services import reports
    from pilot.services.reports import periode

    gemeente = gemeente_or_fail(cbs_code)
    with acting_as("cli"):
        try:
            gekozen = periode.kies(gemeente, date.today(), van, tot, kwartaal)
        except DomainError as error:
            fail(error)
        report = reports.download_gemeenterapport(gemeente, gekozen, exact=not onderdrukt)
    Path(uit).write_bytes(report.pdf)
    click.echo(
        f"Rapport {gemeente.naam} geschreven naar {uit} (vingerafdruk {report.vingerafdruk})."
    )


@rapport_cli.command("totaal")
@click.option("--uit", "uit", required=True, type=click.Path(dir_okay=False), help="PDF-bestand.")
def rapport_totaal(uit: str):
    """Totaalrapport van alle gemeenten; kleine aantallen altijd onderdrukt."""

    from pilot.services import reports

    with acting_as("cli"):
        report = reports.download_totaalrapport()
    Path(uit).write_bytes(report.pdf)
    click.echo(f"Totaalrapport geschreven naar {uit} (vingerafdruk {report.vingerafdruk}).")


@export_cli.command("dataset")
@click.option("--uit", "uit", required=True, type=click.Path(file_okay=False), help="Map.")
def export_dataset(uit: str):
    """Evaluatiedataset (CSV, XLSX, GeoPackage) met codeboek (CSV, PDF) in een map."""

    from pilot.services.reports import dataset

    with acting_as("cli"):
        paths = dataset.exporteer_dataset(Path(uit))
    click.echo(f"{len(paths)} bestanden geschreven naar {uit}: {', '.join(p.name for p in paths)}.")
