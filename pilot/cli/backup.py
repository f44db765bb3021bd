"""Backup and restore: ``flask --app pilot backup maken|terugzetten``."""

from pathlib import Path

import click
from flask.cli import AppGroup

backup_cli = AppGroup("backup", help="Backup maken en terugzetten (SQLite of PostgreSQL).")


@backup_cli.command("maken")
@click.option("--uit", type=click.Path(path_type=Path), required=True, help="Backupbestand.")
def make(uit: Path):
    """Maak een backup van de database en controleer die."""
    from pilot.services.backup import BackupError, make_backup

    try:
        make_backup(uit)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup geschreven en gecontroleerd: {uit}")


@backup_cli.command("terugzetten")
@click.option("--van", type=click.Path(path_type=Path, exists=True), required=True)
@click.option("--ja", is_flag=True, help="Niet om bevestiging vragen.")
def restore(van: Path, ja: bool):
    """Vervang de hele database door een backup (stop eerst app en verwerker)."""
    from pilot.services.backup import BackupError, restore_backup

    if not ja:
        click.confirm("De huidige database wordt vervangen. Doorgaan?", abort=True)
    try:
        restore_backup(van)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Database teruggezet uit {van}.")
