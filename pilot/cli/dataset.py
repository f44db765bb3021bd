"""Dataset commands: the evaluation dataset, the same code as the web download."""

from pathlib import Path

import click
from flask.cli import AppGroup

from pilot.audit import acting_as

dataset_cli = AppGroup("dataset", help="De evaluatiedataset met codeboek.")


@dataset_cli.command("export")
@click.option("--uit", "uit", required=True, type=click.Path(file_okay=False), help="Map.")
def export_dataset(uit: str):
    """Evaluatiedataset (CSV, XLSX, GeoPackage) met codeboek (CSV, PDF) in een map."""

    from pilot.services.dataset import export

    with acting_as("cli"):
        paths = export.export_dataset(Path(uit))
    click.echo(f"{len(paths)} bestanden geschreven naar {uit}: {', '.join(p.name for p in paths)}.")
