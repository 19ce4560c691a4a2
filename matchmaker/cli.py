"""The `matchmaker` console command: Flask's CLI with the product's commands."""

from __future__ import annotations

import logging.config
import os
import sys

import click
from flask.cli import FlaskGroup

from matchmaker import create_app
from matchmaker.config import ConfigError

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


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
    if sys.argv[1:2] == ["serve"]:
        # JSON from the first line: the app logs while it starts (e.g. Redis not answering),
        # before gunicorn applies the same configuration.
        from matchmaker.ops.logging import json_logging_config

        level = os.environ.get("MATCHMAKER_LOG_LEVEL", "info").upper()
        logging.config.dictConfig(json_logging_config(level if level in LEVELS else "INFO"))
    try:
        build_cli().main(prog_name="matchmaker")
    except ConfigError as problem:
        click.echo(f"Error: {problem}", err=True)
        raise SystemExit(2) from None
