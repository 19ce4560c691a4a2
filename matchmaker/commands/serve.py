"""`matchmaker serve`: the production server (gunicorn); Flask's dev server only with --debug."""

from __future__ import annotations

import click
from flask import current_app

from matchmaker.commands.errors import fail


@click.command("serve", help="Serve the application with gunicorn.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, envvar="MATCHMAKER_WORKERS")
@click.option("--threads", default=4, show_default=True, type=int, envvar="MATCHMAKER_THREADS")
@click.option(
    "--keepalive",
    default=5,
    show_default=True,
    type=int,
    envvar="MATCHMAKER_KEEPALIVE",
    help="Seconds an idle keep-alive connection stays open (above the clients' think time).",
)
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    envvar="MATCHMAKER_LOG_LEVEL",
    type=click.Choice(["debug", "info", "warning", "error"]),
)
@click.option("--debug", is_flag=True, help="Use Flask's development server with the debugger.")
def serve(host: str, port: int, workers: int, threads: int, keepalive: int, log_level: str, debug: bool) -> None:
    from matchmaker.ops.checks import StartupCheckFailed, check_database

    app = current_app._get_current_object()
    try:
        check_database(app)
    except StartupCheckFailed as problem:
        fail(str(problem))
    if debug:
        app.run(host=host, port=port, debug=True)
        return
    from matchmaker.gunicorn_app import GunicornApp
    from matchmaker.ops.logging import json_logging_config

    GunicornApp(
        app,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "keepalive": keepalive,
            "accesslog": None,  # the app logs each request itself, with its request id
            "logconfig_dict": json_logging_config(log_level.upper()),
            "loglevel": log_level,
        },
    ).run()


COMMANDS = [serve]
