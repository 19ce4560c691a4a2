"""`matchmaker export all DIR` and `matchmaker import all DIR`: whole-database backup and restore."""

from __future__ import annotations

from pathlib import Path

import click

from matchmaker.commands.data import export_group
from matchmaker.commands.errors import fail
from matchmaker.flask_database import get_database
from matchmaker.ingest.backup import export_all, import_all
from matchmaker.ingest.problems import ImportRejected


@click.command("all", help="Every table as CSV plus manifest.json (row counts, SHA-256) into DIR.")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def export_all_command(directory: Path) -> None:
    try:
        reports = export_all(get_database().engine, directory)
    except ImportRejected as refused:
        fail(f"{directory}: nothing exported:\n{refused.summary()}")
    total = sum(r.rows for r in reports)
    click.echo(f"Wrote {len(reports)} tables ({total} rows) and manifest.json to {directory}")


@click.group("import", help="Restore data into the database.")
def import_group() -> None:
    pass


@import_group.command("all", help="Restore a backup made by `export all` into an empty database.")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False, exists=True))
def import_all_command(directory: Path) -> None:
    try:
        reports = import_all(get_database().engine, directory)
    except ImportRejected as refused:
        fail(f"{directory} was not restored, nothing was written:\n{refused.summary()}")
    get_database().refresh_statistics()
    total = sum(r.rows for r in reports)
    click.echo(f"Restored {len(reports)} tables ({total} rows) from {directory}")


export_group.add_command(export_all_command)
COMMANDS = [export_group, import_group]  # export_group again: its new subcommand needs the app context
