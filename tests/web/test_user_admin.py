"""Administrators invite, re-role and disable users; invitees and forgetful users set passwords
through links read from messages received by a real SMTP server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.databases import app_on_copy
from tests.support.mail_server import path_of, smtp_config, smtp_server  # noqa: F401 (fixture)
from tests.support.pages import ADMIN, ADVISER, VIEWER, csrf_token, sign_in, text

GOOD = "harbour lantern pebble"
NONCE = re.compile(r' nonce="[^"]*"')  # differs on every response


@pytest.fixture
def mail_app(backend, tmp_path, smtp_server):  # noqa: F811
    with app_on_copy(backend, "bundled", tmp_path, **smtp_config(smtp_server)) as app:
        yield app


@pytest.fixture
def mail_client(mail_app):
    return mail_app.test_client()


def _post(client, path, data, form_path=None):
    token = csrf_token(text(client.get(form_path or path)))
    return client.post(path, data={**data, "csrf_token": token})


def _invite(client, **fields):
    return _post(client, "/admin/users/invite", {"email": "", "name": "", "role": "", "organisation": "", **fields})


def _set_password(client, link, password=GOOD, confirm=None):
    return _post(client, path_of(link), {"password": password, "confirm": confirm or password})


def test_an_invited_officer_sets_a_password_from_the_emailed_link_and_signs_in(mail_client, smtp_server):  # noqa: F811
    sign_in(mail_client, ADMIN)
    response = _invite(
        mail_client, email="nia@example.org", name="Nia Example", role="council_officer", organisation="E07000223"
    )
    assert response.status_code == 302
    page = text(mail_client.get(response.headers["Location"]))
    assert "Invitation sent to nia@example.org" in page and "Invited" in page and "Adur" in page
    assert "outbox" not in page
    link = smtp_server.link_for("nia@example.org")
    assert "as a council officer for Adur" in smtp_server.to("nia@example.org")[0].get_content()
    mail_client.post("/sign-out", data={"csrf_token": csrf_token(page)})

    assert "Set your password" in text(mail_client.get(path_of(link)))
    refused = _set_password(mail_client, link, "1234567890")
    assert refused.status_code == 400 and "Password is too common" in text(refused)
    mismatch = _set_password(mail_client, link, GOOD, "something else entirely")
    assert "Enter the same password twice" in text(mismatch)
    assert _set_password(mail_client, link).headers["Location"] == "/sign-in"
    assert mail_client.get(path_of(link)).status_code == 404  # single use

    assert sign_in(mail_client, "nia@example.org", GOOD).status_code == 302
    assert "Signed in as Nia Example, Adur (council officer)" in " ".join(text(mail_client.get("/")).split())


def test_forgot_password_sends_a_link_that_replaces_the_password(mail_client, smtp_server):  # noqa: F811
    response = _post(mail_client, "/forgot-password", {"email": "VIEWER@demo.example"})
    assert "Check your email" in text(response) and "outbox" not in text(response)
    _set_password(mail_client, smtp_server.link_for(VIEWER), "a brand new passphrase")
    assert sign_in(mail_client, VIEWER).status_code == 400
    assert sign_in(mail_client, VIEWER, "a brand new passphrase").status_code == 302


def test_forgot_password_for_an_unknown_address_looks_the_same_and_sends_nothing(mail_client, smtp_server):  # noqa: F811
    known = NONCE.sub("", text(_post(mail_client, "/forgot-password", {"email": VIEWER})))
    unknown = NONCE.sub("", text(_post(mail_client, "/forgot-password", {"email": "nobody@example.org"})))
    assert unknown.replace("nobody@example.org", VIEWER) == known
    assert smtp_server.to("nobody@example.org") == []


def test_without_smtp_the_page_says_the_message_went_to_the_outbox(app, client):
    sign_in(client, ADMIN)
    response = _invite(client, email="sam@example.org", role="viewer")
    page = text(client.get(response.headers["Location"]))
    assert "No email server is set up (MATCHMAKER_SMTP_HOST)" in page and "outbox/" in page
    assert len(list((Path(app.instance_path) / "outbox").glob("*.eml"))) == 1
    reset = text(_post(client, "/forgot-password", {"email": VIEWER}))
    assert "written as .eml files to outbox/" in reset


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"email": ""}, "Enter the email address of the person to invite"),
        ({"email": "nia@", "role": "viewer"}, "Enter an email address in the correct format"),
        ({"email": "nia@example.org"}, "Choose a role"),
        ({"email": "nia@example.org", "role": "council_officer"}, "Choose the council the officer works for"),
        ({"email": VIEWER, "role": "viewer"}, "There is already an account for viewer@demo.example"),
    ],
)
def test_an_invitation_that_cannot_be_sent_says_why(client, fields, message):
    sign_in(client, ADMIN)
    response = _invite(client, **fields)
    assert response.status_code == 400
    assert message in text(response) and "There is a problem" in text(response)


def test_only_administrators_reach_the_users_pages(client):
    assert client.get("/admin/users").status_code == 302  # to sign in
    sign_in(client, ADVISER)
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/users/invite").status_code == 403


def test_a_disabled_user_is_signed_out_at_once_and_cannot_sign_in(app, client):
    viewer = app.test_client()
    sign_in(viewer, VIEWER)
    assert "Sign out" in text(viewer.get("/"))
    sign_in(client, ADMIN)
    users_page = text(client.get("/admin/users"))
    viewer_path = users_page.split('href="/admin/users/')[1:]
    viewer_id = next(part.split('"')[0] for part in viewer_path if f">{VIEWER}<" in part)
    response = _post(client, f"/admin/users/{viewer_id}/disable", {}, f"/admin/users/{viewer_id}")
    assert "is disabled" in text(client.get(response.headers["Location"]))
    assert "Sign out" not in text(viewer.get("/"))
    assert sign_in(viewer, VIEWER).status_code == 400


def test_an_administrator_changes_a_role(client):
    sign_in(client, ADMIN)
    users_page = text(client.get("/admin/users"))
    viewer_id = next(
        part.split('"')[0] for part in users_page.split('href="/admin/users/')[1:] if f">{VIEWER}<" in part
    )
    page = f"/admin/users/{viewer_id}"
    refused = _post(client, f"{page}/role", {"role": "council_officer", "organisation": ""}, page)
    assert refused.status_code == 400 and "Choose the council the officer works for" in text(refused)
    _post(client, f"{page}/role", {"role": "council_officer", "organisation": "E07000223"}, page)
    shown = text(client.get(page))
    assert "Council officer" in shown and "Adur" in shown


def test_sign_in_is_limited_per_account_whichever_address_tries(app):
    for attempt in range(10):
        guesser = app.test_client()
        response = guesser.post(
            "/sign-in",
            data={
                "email": VIEWER,
                "password": f"guess {attempt}",
                "csrf_token": csrf_token(text(guesser.get("/sign-in"))),
            },
            environ_base={"REMOTE_ADDR": f"10.0.0.{attempt}"},
        )
        assert response.status_code == 400
    owner = app.test_client()
    response = owner.post(
        "/sign-in",
        data={
            "email": VIEWER,
            "password": "demo-password-for-tests",
            "csrf_token": csrf_token(text(owner.get("/sign-in"))),
        },
        environ_base={"REMOTE_ADDR": "10.0.1.1"},
    )
    assert response.status_code == 429


def test_administrators_see_every_key_in_words_and_revoke_one(app, client, runner):
    created = runner.invoke(["keys", "create", "--owner", "Budget dashboard", "--scopes", "public:read,contacts:read"])
    prefix = created.output.split("_")[1]
    sign_in(client, ADVISER)
    assert client.get("/admin/keys").status_code == 403
    client = app.test_client()
    sign_in(client, ADMIN)
    page = text(client.get("/admin/keys"))
    assert "Budget dashboard" in page and "Made on the command line" in page
    assert "Read public data, read contact details" in page and "contacts:read" not in page
    response = _post(client, "/admin/keys/revoke", {"prefix": prefix}, "/admin/keys")
    assert f"Key {prefix} (Budget dashboard) revoked" in text(client.get(response.headers["Location"]))
    assert runner.invoke(["keys", "list"]).output.count("-") >= 1
    assert (
        [line for line in runner.invoke(["keys", "list"]).output.splitlines() if line.startswith(prefix)][0]
        .rstrip()[-1]
        .isdigit()
    )  # a revoked time
