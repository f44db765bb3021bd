"""Command-line interface: ``flask --app pilot <group> <command>``, one module per area."""

from flask import Flask


def register(app: Flask) -> None:
    from pilot.cli.audittrail import audittrail_cli
    from pilot.cli.backup import backup_cli
    from pilot.cli.dataset import dataset_cli
    from pilot.cli.demo import demo
    from pilot.cli.gemeenten import gemeenten_cli
    from pilot.cli.imports import imports_cli
    from pilot.cli.jobs import jobs_cli
    from pilot.cli.reports import reports_cli
    from pilot.cli.retention import retention_cli
    from pilot.cli.users import users_cli

    for command in (
        users_cli,
        gemeenten_cli,
        demo,
        imports_cli,
        reports_cli,
        dataset_cli,
        retention_cli,
        audittrail_cli,
        jobs_cli,
        backup_cli,
    ):
        app.cli.add_command(command)
