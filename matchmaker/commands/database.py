"""`matchmaker db ...`: schema creation and migration with Alembic."""

from __future__ import annotations

import click
from flask import current_app

from matchmaker.db import migrate


@click.group("db", help="Create or migrate the database schema.")
def db_group() -> None:
    pass


@db_group.command("upgrade", help="Create or migrate the schema to the latest revision.")
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    url = current_app.config["DATABASE_URL"]
    migrate.upgrade(url, revision)
    click.echo(f"Database at revision {migrate.head_revision(url) if revision == 'head' else revision}")


@db_group.command("downgrade", help="Migrate the schema down to REVISION (e.g. base).")
@click.argument("revision")
def downgrade(revision: str) -> None:
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database at revision {revision}")


COMMANDS = [db_group]
