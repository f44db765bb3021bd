"""Report commands: the same code as the web downloads."""

from pathlib import Path

import click
from flask.cli import AppGroup

from pilot.audit import acting_as
from pilot.cli.common import fail, gemeente_or_fail
from pilot.services.errors import DomainError

reports_cli = AppGroup(
    "reports",
    help="PDF-rapporten. Draait als beheerder van het systeem: 'gemeente' geeft exacte "
    "aantallen (tenzij --onderdrukt), 'totaal' onderdrukt kleine aantallen altijd.",
)


@reports_cli.command("gemeente")
@click.argument("cbs_code")
@click.option("--van", default="", help="Begindatum JJJJ-MM-DD (standaard: start pilot).")
@click.option("--tot", default="", help="Einddatum JJJJ-MM-DD, tot en met.")
@click.option("--kwartaal", default="", help="Een kwartaal, bijvoorbeeld 2025-K1.")
@click.option(
    "--onderdrukt",
    is_flag=True,
    help="Het rapport zoals buiten de gemeente (beveiligde publicatie); met --periode.",
)
@click.option("--periode", default="P", help="Met --onderdrukt: P, een jaar of 2025-K3.")
@click.option("--uit", "uit", required=True, type=click.Path(dir_okay=False), help="PDF-bestand.")
def gemeente_report(
    cbs_code: str, van: str, tot: str, kwartaal: str, onderdrukt: bool, periode: str, uit: str
):
    """Rapport van één gemeente over een periode (standaard de hele pilotperiode)."""
    from pilot import clock
    from pilot.services.disclosure import policy
    from pilot.services.reports import build, periods

    gemeente = gemeente_or_fail(cbs_code)
    with acting_as("cli"):
        try:
            if onderdrukt:
                gekozen = policy.outsider_period(gemeente, periode)
            else:
                gekozen = periods.choose_period(gemeente, clock.today(), van, tot, kwartaal)
        except DomainError as error:
            fail(error)
        report = build.download_gemeente_report(gemeente, gekozen, exact=not onderdrukt)
    Path(uit).write_bytes(report.pdf)
    click.echo(
        f"Rapport {gemeente.naam} geschreven naar {uit} (vingerafdruk {report.vingerafdruk})."
    )


@reports_cli.command("totaal")
@click.option("--uit", "uit", required=True, type=click.Path(dir_okay=False), help="PDF-bestand.")
def aggregate_report(uit: str):
    """Totaalrapport van alle gemeenten; kleine aantallen altijd onderdrukt."""

    from pilot.services.reports import build

    with acting_as("cli"):
        report = build.download_aggregate_report()
    Path(uit).write_bytes(report.pdf)
    click.echo(f"Totaalrapport geschreven naar {uit} (vingerafdruk {report.vingerafdruk}).")
