"""`matchmaker users invite|list|disable|enable|role`."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import pytest

from matchmaker.flask_database import get_session
from matchmaker.services import users
from tests.support.mail_server import smtp_config, smtp_server  # noqa: F401 (fixture)


def test_invite_without_smtp_writes_the_message_to_the_outbox(app, runner):
    result = runner.invoke(
        [
            "users",
            "invite",
            "new@example.org",
            "--role",
            "officer",
            "--organisation",
            "e07000223",
            "--name",
            "Nia Example",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Invited new@example.org as council officer; invitation written to" in result.output
    written = list((Path(app.instance_path) / "outbox").glob("*.eml"))
    assert len(written) == 1
    message = message_from_bytes(written[0].read_bytes(), policy=policy.default)
    assert message["To"] == "new@example.org"
    assert "as a council officer for Adur" in message.get_content()
    assert "http://127.0.0.1:5000/set-password/" in message.get_content()
    listing = runner.invoke(["users", "list"]).output
    assert "new@example.org" in listing and "invited" in listing and "Adur" in listing


def test_invite_through_smtp_sends_a_working_link(app, runner, smtp_server):  # noqa: F811
    app.config.update(smtp_config(smtp_server))
    result = runner.invoke(["users", "invite", "adviser2@example.org", "--role", "adviser"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("invitation sent.")
    token = smtp_server.link_for("adviser2@example.org").rsplit("/", 1)[1]
    with app.app_context():
        assert users.live_token(get_session(), token).user.email == "adviser2@example.org"


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["users", "invite", "x@example.org", "--role", "officer"],
            "--organisation: Choose the council the officer works for",
        ),
        (
            ["users", "invite", "x@example.org", "--role", "officer", "--organisation", "E99999999"],
            "--organisation: no organisation has the GSS code 'E99999999'",
        ),
        (
            ["users", "invite", "viewer@demo.example", "--role", "viewer"],
            "EMAIL: There is already an account for viewer@demo.example",
        ),
        (["users", "invite", "nonsense", "--role", "viewer"], "EMAIL: Enter an email address in the correct format"),
        (["users", "disable", "nobody@example.org"], "EMAIL: there is no account for 'nobody@example.org'"),
    ],
)
def test_bad_arguments_fail_with_status_2_and_write_nothing(app, runner, args, message):
    before = runner.invoke(["users", "list"]).output
    result = runner.invoke(args)
    assert result.exit_code == 2
    assert message in result.output
    assert runner.invoke(["users", "list"]).output == before
    assert not (Path(app.instance_path) / "outbox").exists()


def test_invite_that_cannot_be_sent_makes_no_account(app, runner):
    app.config.update({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": 9, "SMTP_STARTTLS": False})
    result = runner.invoke(["users", "invite", "lost@example.org", "--role", "viewer"])
    assert result.exit_code == 2
    assert "the invitation could not be sent" in result.output and "no account was made" in result.output
    assert "lost@example.org" not in runner.invoke(["users", "list"]).output


def test_disable_enable_and_role(app, runner):
    assert runner.invoke(["users", "disable", "Viewer@demo.example"]).output == "Disabled viewer@demo.example.\n"
    assert (
        "disabled"
        in [line for line in runner.invoke(["users", "list"]).output.splitlines() if line.startswith("viewer@")][0]
    )
    assert runner.invoke(["users", "enable", "viewer@demo.example"]).exit_code == 0
    result = runner.invoke(["users", "role", "viewer@demo.example", "officer", "--organisation", "E07000223"])
    assert result.output == "viewer@demo.example is now council officer.\n"
    with app.app_context():
        user = users.find_by_email(get_session(), "viewer@demo.example")
        assert (user.active, user.role, user.organisation.gss_code) == (True, "council_officer", "E07000223")
