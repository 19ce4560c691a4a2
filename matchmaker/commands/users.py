"""`matchmaker users invite|list|disable|enable|role`: accounts from the command line.

An invitation is sent by email (or written to instance/outbox/ when no SMTP server is set) and
committed only when that worked, so a failed send leaves no half-made account behind.
"""

from __future__ import annotations

import click
from flask import current_app

from matchmaker.commands.errors import fail
from matchmaker.commands.options import organisation_option
from matchmaker.flask_database import get_database
from matchmaker.services import account_mail
from matchmaker.services.mail import MailSettings
from matchmaker.services.users import (
    ROLE_NAMES,
    AccountProblem,
    all_users,
    change_role,
    disable,
    enable,
    find_by_email,
    has_password,
    invite,
)

ACTOR = "command:users"
ROLE_WORDS = {
    "viewer": "viewer",
    "officer": "council_officer",
    "council_officer": "council_officer",
    "adviser": "adviser",
    "admin": "admin",
}
OPTION_OF_FIELD = {"email": "EMAIL", "role": "--role", "organisation": "--organisation"}
ROLE_CHOICE = click.Choice(["viewer", "officer", "adviser", "admin"])


@click.group("users", help="Invite, list, disable and re-enable user accounts; change roles.")
def users_group() -> None:
    pass


@users_group.command("invite", help="Create an account and email its owner a link to set a password.")
@click.argument("email")
@click.option("--role", type=ROLE_CHOICE, required=True, help="What the account may do.")
@click.option("--organisation", "code", help="GSS code of the officer's council (officers only).")
@click.option("--name", default="", help="The person's name, shown on pages they use.")
def invite_command(email: str, role: str, code: str | None, name: str) -> None:
    settings = MailSettings.from_config(current_app.config, current_app.instance_path)
    try:
        with get_database().transaction() as session:
            issued = invite(session, ACTOR, email, ROLE_WORDS[role], organisation_option(session, code), name)
            delivery = account_mail.send_invitation(settings, current_app.config["BASE_URL"], issued)
            address = issued.user.email
    except AccountProblem as problem:
        fail(f"{OPTION_OF_FIELD[problem.field]}: {problem.message}")
    except OSError as error:
        fail(f"the invitation could not be sent ({error}); no account was made")
    where = f"written to {delivery.file}" if delivery.file else "sent"
    click.echo(f"Invited {address} as {ROLE_NAMES[ROLE_WORDS[role]].lower()}; invitation {where}.")


@users_group.command("list", help="Every account: email, role, council, whether it can sign in.")
def list_command() -> None:
    with get_database().session() as session:
        click.echo(f"{'email':40s} {'role':16s} {'council':30s} state")
        for user in all_users(session):
            council = user.organisation.display_name if user.organisation else "-"
            click.echo(
                f"{user.email[:40]:40s} {ROLE_NAMES.get(user.role, user.role):16s} {council[:30]:30s} {_state(user)}"
            )


def _state(user) -> str:
    if not user.active:
        return "disabled"
    return "active" if has_password(user) else "invited"


def _change(email: str, action) -> str:
    with get_database().transaction() as session:
        user = find_by_email(session, email)
        if user is None:
            fail(f"EMAIL: there is no account for {email!r} (see `matchmaker users list`)")
        action(session, user)
        return user.email


@users_group.command("disable", help="Stop an account signing in; its sessions and keys end.")
@click.argument("email")
def disable_command(email: str) -> None:
    address = _change(email, lambda session, user: disable(session, ACTOR, user))
    click.echo(f"Disabled {address}.")


@users_group.command("enable", help="Let a disabled account sign in again.")
@click.argument("email")
def enable_command(email: str) -> None:
    address = _change(email, lambda session, user: enable(session, ACTOR, user))
    click.echo(f"Enabled {address}.")


@users_group.command("role", help="Change what an account may do.")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
@click.option("--organisation", "code", help="GSS code of the officer's council (officers only).")
def role_command(email: str, role: str, code: str | None) -> None:
    def change(session, user):
        try:
            change_role(session, ACTOR, user, ROLE_WORDS[role], organisation_option(session, code))
        except AccountProblem as problem:
            fail(f"{OPTION_OF_FIELD[problem.field]}: {problem.message}")

    address = _change(email, change)
    click.echo(f"{address} is now {ROLE_NAMES[ROLE_WORDS[role]].lower()}.")


COMMANDS = [users_group]
