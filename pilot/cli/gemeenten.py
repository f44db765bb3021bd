"""Gemeente commands: seed the pilot gemeenten and the CBS list, load boundaries."""

import click
from flask.cli import AppGroup

from pilot.audit import acting_as
from pilot.cli.common import fail
from pilot.services import boundaries
from pilot.services import gemeenten as gemeenten_service
from pilot.services.errors import DomainError

gemeenten_cli = AppGroup("gemeenten", help="Gemeenten en hun grenzen.")


@gemeenten_cli.command("seed")
def seed():
    """Voeg de pilotgemeenten en de CBS-lijst van alle gemeenten toe (bestaande blijven)."""
    with acting_as("cli"):
        added = gemeenten_service.seed_pilot_gemeenten()
        listed = gemeenten_service.seed_cbs_list()
    click.echo(f"{added} gemeente(n) toegevoegd; {listed} gemeente(n) in de CBS-lijst gezet.")


@gemeenten_cli.command("import-grenzen")
@click.argument("bron")
@click.option("--jaar", type=int, help="Jaar van de indeling, als het bestand het niet zegt.")
@click.option("--voorbeeld", is_flag=True, help="Toon alleen het voorbeeld; sla niets op.")
def import_grenzen(bron: str, jaar: int | None, voorbeeld: bool):
    """Laad gemeentegrenzen uit een CBS/PDOK-bestand of -URL (GeoJSON of GeoPackage).

    Toont eerst per pilotgemeente de verandering van de oppervlakte en hoeveel incidenten
    buiten de nieuwe grens zouden vallen (zoals de webpagina), en slaat dan op.
    """
    with acting_as("cli"):
        try:
            loaded = boundaries.read(bron, jaar)
            _echo_preview(boundaries.preview(loaded))
            if voorbeeld:
                click.echo("Alleen voorbeeld: er is niets opgeslagen.")
                return
            updated = boundaries.apply(loaded, bron)
        except DomainError as error:
            fail(error)
    names = ", ".join(sorted(g.naam for g in updated))
    click.echo(f"Grenzen geladen voor {len(updated)} gemeente(n): {names}.")


def _echo_preview(preview: boundaries.Preview) -> None:
    jaar = preview.jaar or "onbekend (CBS-lijst wordt niet bijgewerkt)"
    click.echo(f"Jaar: {jaar}; {preview.aantal_gemeenten} gemeente(n) in het bestand.")
    click.echo(f"Incidenten buiten de grens met een marge van {preview.tolerantie_m:.0f} m:")
    for row in preview.rijen:
        if not row.in_bestand:
            click.echo(f"  {row.naam} ({row.cbs_code}): niet in het bestand, grens blijft.")
            continue
        old = "geen grens" if row.oppervlakte_oud_km2 is None else f"{row.oppervlakte_oud_km2} km²"
        click.echo(
            f"  {row.naam} ({row.cbs_code}): {old} -> {row.oppervlakte_nieuw_km2} km²; "
            f"{row.buiten_nieuw} van {row.incidenten} incident(en) buiten de nieuwe grens."
        )


@gemeenten_cli.command("import-inwoners")
@click.argument("bestand")
@click.option("--jaar", type=int, help="Jaar van de CBS-lijst (standaard de nieuwste).")
@click.option("--overschrijven", is_flag=True, help="Ook ingevulde inwonertallen vervangen.")
def import_inwoners(bestand: str, jaar: int | None, overschrijven: bool):
    """Laad CBS-inwonertallen per gemeente uit een CSV (bijvoorbeeld een StatLine-export).

    Vult de CBS-lijst en de pilotgemeenten zonder inwonertal (met --overschrijven alle).
    """
    with acting_as("cli"):
        try:
            result = gemeenten_service.load_population(bestand, jaar, overschrijven)
        except DomainError as error:
            fail(error)
    click.echo(
        f"{result.in_bestand} inwonertal(len) gelezen; {result.cbs_lijst} in de CBS-lijst "
        f"{result.jaar}; pilotgemeenten bijgewerkt: {', '.join(result.gemeenten) or 'geen'}."
    )
