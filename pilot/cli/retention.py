"""Retention commands: purge incident-level data before a quarter boundary."""

from datetime import date

import click
from flask.cli import AppGroup

from pilot.audit import acting_as
from pilot.cli.common import fail, gemeente_or_fail
from pilot.services.errors import DomainError
from pilot.templating import getal

retention_cli = AppGroup(
    "retention", help="Bewaartermijn: incidentgegevens verwijderen; de totalen blijven bewaard."
)


@retention_cli.command("purge")
@click.option(
    "--voor",
    required=True,
    help="Eerste dag van een kwartaal (JJJJ-MM-DD); alles daarvóór gaat weg.",
)
@click.option("--gemeente", "cbs_code", default=None, help="CBS-code; zonder: alle gemeenten.")
@click.option("--ja", is_flag=True, help="Niet om bevestiging vragen.")
def purge_command(voor: str, cbs_code: str | None, ja: bool):
    """Verwijder incidentgegevens van vóór een kwartaalgrens; de kwartaaltotalen blijven."""
    from pilot import clock
    from pilot.extensions import db
    from pilot.services.gemeenten import all_gemeenten
    from pilot.services.retention.purge import plan_purge, purge

    try:
        boundary = date.fromisoformat(voor)
    except ValueError:
        fail(DomainError("Geef de datum als JJJJ-MM-DD, bijvoorbeeld 2025-01-01.", field="voor"))
    if cbs_code:
        gemeenten = [gemeente_or_fail(cbs_code)]
    else:
        gemeenten = list(db.session.execute(all_gemeenten()).scalars())
    try:
        plan = plan_purge(gemeenten, boundary, clock.today())
    except DomainError as error:
        fail(error)
    click.echo(f"Te verwijderen van vóór {boundary:%d-%m-%Y}:")
    for row in plan.gemeenten:
        click.echo(
            f"  {row.gemeente.cbs_code} {row.gemeente.naam}: {getal(row.incidenten)} incidenten, "
            f"{getal(row.auditgebeurtenissen)} audit-details, {getal(row.uploads)} "
            f"importbestanden; totalen bewaard van {len(row.kwartalen)} kwartalen"
        )
    if not ja:
        answer = click.prompt("Definitief verwijderen? (ja/nee)", default="nee")
        if answer.strip().lower() not in {"j", "ja"}:
            click.echo("Niets verwijderd.", err=True)
            raise SystemExit(1)
    with acting_as("cli"):
        done = purge(gemeenten, boundary, clock.today())
    click.echo(
        f"Verwijderd: {getal(done.totaal('incidenten'))} incidenten, "
        f"{getal(done.totaal('auditgebeurtenissen'))} audit-details, "
        f"{getal(done.totaal('uploads'))} importbestanden."
    )
