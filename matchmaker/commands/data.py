"""`matchmaker load ...` and `matchmaker export ...`: all-or-nothing imports, lossless exports."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from matchmaker.commands.errors import fail
from matchmaker.db import Organisation
from matchmaker.flask_database import get_database
from matchmaker.ingest.arrangements import load_arrangements
from matchmaker.ingest.bundled import load_bundled
from matchmaker.ingest.councils import load_councils
from matchmaker.ingest.export import arrangements_for_export, write_arrangements_csv
from matchmaker.ingest.problems import ImportRejected
from matchmaker.services.demo_programme import load_demo_programme


def _run_import(loader, path: Path, what: str) -> None:
    try:
        with get_database().transaction() as session:
            count = loader(session, path)
    except ImportRejected as rejected:
        fail(f"{path} was not loaded, nothing was written:\n{rejected.summary()}")
    get_database().refresh_statistics()
    click.echo(f"Loaded {count} {what} from {path}")


@click.group("load", help="Load data into the database (all or nothing).")
def load_group() -> None:
    pass


@load_group.command("councils", help="Councils CSV in the reference format; upsert by gss_code.")
@click.argument("path", type=click.Path(path_type=Path))
def load_councils_command(path: Path) -> None:
    _run_import(load_councils, path, "councils")


@load_group.command("arrangements", help="Arrangements CSV in the import format.")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--periods",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Savings periods CSV (reference format) for the figures in PATH.",
)
def load_arrangements_command(path: Path, periods: Path | None) -> None:
    _run_import(lambda session, p: load_arrangements(session, p, periods=periods), path, "arrangements")


@load_group.command("bundled", help="Everything in data/ (demo contacts and users with --demo).")
@click.option("--demo", is_flag=True, help="Also add generated demo contacts, users and a demo programme year.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds data.")
def load_bundled_command(demo: bool, if_empty: bool) -> None:
    data_dir = Path(current_app.config["DATA_DIR"])
    if if_empty and _has_organisations():
        click.echo("The database already holds data; nothing loaded.")
        return
    try:
        with get_database().transaction() as session:
            result = load_bundled(session, data_dir, demo=demo)
            if demo:
                load_demo_programme(session)
    except ImportRejected as rejected:
        fail(f"bundled data in {data_dir} was not loaded, nothing was written:\n{rejected.summary()}")
    get_database().refresh_statistics()
    click.echo("Loaded " + ", ".join(f"{n} {what}" for what, n in result.counts.items()))
    for account in result.demo_accounts:
        click.echo(f"Demo sign-in ({account.role}): {account.email} / {account.password}")


def _has_organisations() -> bool:
    with get_database().session() as session:
        return session.scalar(select(Organisation.id).limit(1)) is not None


@click.group("export", help="Export data from the database.")
def export_group() -> None:
    pass


@export_group.command("arrangements", help="Write arrangements in the import format.")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
def export_arrangements(path: Path) -> None:
    with get_database().session() as session:
        arrangements = arrangements_for_export(session)
        tmp = path.with_name(path.name + ".part")
        with tmp.open("w", encoding="utf-8", newline="") as out:
            count = write_arrangements_csv(arrangements, out)
    tmp.replace(path)
    click.echo(f"Wrote {count} arrangements to {path}")


COMMANDS = [load_group, export_group]
