"""Command-line interface: ``flask --app pilot <group> <command>``, one module per area."""

from flask import Flask


def register(app: Flask) -> None:
    from pilot.cli.importeren import import_cli
    from pilot.cli.rapport import export_cli, rapport_cli
    from pilot.cli.setup import demo, gemeenten_cli, users_cli

    for command in (users_cli, gemeenten_cli, demo, import_cli, rapport_cli, export_cli):
        app.cli.add_command(command)
