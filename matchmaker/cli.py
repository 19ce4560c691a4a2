"""The `matchmaker` console command: Flask's CLI with the product's commands."""
from __future__ import annotations

import click
from flask.cli import FlaskGroup

from matchmaker import create_app
from matchmaker.config import ConfigError


def build_cli() -> FlaskGroup:
    """The product's commands live on the app's own CLI (see matchmaker.commands), so Flask
    runs each inside the application context."""
    return FlaskGroup(
        name="matchmaker",
        create_app=lambda: create_app(),
        add_version_option=False,
        load_dotenv=False,
        help="Shared Service Matchmaker: data, model and service commands.",
    )


def main() -> None:
    try:
        build_cli().main(prog_name="matchmaker")
    except ConfigError as problem:
        click.echo(f"Error: {problem}", err=True)
        raise SystemExit(2) from None
