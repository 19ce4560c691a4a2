"""`matchmaker keys create|revoke|list`: API keys, shown once and stored hashed."""

from __future__ import annotations

import click
from sqlalchemy import select

from matchmaker.commands.errors import fail
from matchmaker.commands.options import organisation_option
from matchmaker.db import ApiKey
from matchmaker.flask_database import get_database
from matchmaker.services import keys as key_service
from matchmaker.services.access import SCOPES


@click.group("keys", help="Create, revoke and list API keys.")
def keys_group() -> None:
    pass


@keys_group.command("create", help="Create a key; the key itself is printed once, never again.")
@click.option("--owner", required=True, help="Who the key is for (a team or tool, for the logs).")
@click.option(
    "--scopes",
    default="public:read",
    show_default=True,
    help=f"Comma- or space-separated scopes from: {', '.join(SCOPES)}.",
)
@click.option(
    "--organisation",
    "code",
    default=None,
    help="GSS code of the organisation the key acts for (needed to create requests).",
)
def create_command(owner: str, scopes: str, code: str | None) -> None:
    if not owner.strip():
        fail("--owner must name who the key is for")
    wanted = [s for s in scopes.replace(",", " ").split() if s]
    try:
        with get_database().transaction() as session:
            organisation = organisation_option(session, code)
            if "requests:write" in wanted and "adviser" not in wanted and organisation is None:
                fail(
                    "--organisation: a key with requests:write creates requests for an organisation; "
                    "give its GSS code, for example --organisation E07000223"
                )
            key, plaintext = key_service.create_key(
                session, owner.strip(), wanted, organisation_id=organisation.id if organisation else None
            )
            prefix, granted = key.prefix, key.scopes
    except ValueError as exc:
        fail(f"--scopes: {exc}")
    click.echo(plaintext)
    click.echo(
        f"Key {prefix} for {owner.strip()} with scopes: {granted}. Store it now: it is kept "
        "only as a hash and cannot be shown again.",
        err=True,
    )


@keys_group.command("revoke", help="Revoke the key with this prefix (the part after mm_).")
@click.argument("prefix")
def revoke_command(prefix: str) -> None:
    with get_database().transaction() as session:
        key = key_service.revoke(session, prefix.strip())
        if key is None:
            fail(f"no API key has the prefix {prefix!r} (see `matchmaker keys list`)")
        revoked_at = key.revoked_at
    click.echo(f"Key {prefix} revoked at {revoked_at.isoformat()}")


@keys_group.command("list", help="Every key: prefix, owner, scopes, created, last used, revoked.")
def list_command() -> None:
    with get_database().transaction() as session:
        rows = session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)).all()
        click.echo(f"{'prefix':9s} {'owner':30s} {'scopes':30s} {'created':17s} {'last used':17s} revoked")
        for key in rows:
            click.echo(
                f"{key.prefix:9s} {key.owner[:30]:30s} {key.scopes[:30]:30s} "
                f"{_when(key.created_at):17s} {_when(key.last_used_at):17s} {_when(key.revoked_at)}"
            )


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


COMMANDS = [keys_group]
