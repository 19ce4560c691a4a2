"""How commands fail: a clear message on stderr and exit status 2, as the contract says."""

from __future__ import annotations

import click

BAD_INPUT_EXIT = 2


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(BAD_INPUT_EXIT)
