"""Accounts: invitations, single-use expiring links, roles and disabling (both backends)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from matchmaker.db import AuditEvent, Organisation, PasswordToken
from matchmaker.flask_database import get_session
from matchmaker.services import passwords, users

GOOD = "harbour lantern pebble"


def _adur(session):
    return session.scalar(select(Organisation).where(Organisation.gss_code == "E07000223"))


def test_an_invitation_makes_an_account_with_no_password_and_stores_only_a_hash(app):
    with app.app_context():
        session = get_session()
        issued = users.invite(session, "user:1", " New.Officer@Example.ORG ", "council_officer", _adur(session))
        session.commit()
        user = issued.user
        assert (user.email, user.role, user.organisation.gss_code) == (
            "new.officer@example.org",
            "council_officer",
            "E07000223",
        )
        assert not users.has_password(user)
        stored = session.scalars(select(PasswordToken.token_hash)).all()
        assert len(stored) == 1 and issued.token not in stored[0] and len(stored[0]) == 64
        assert issued.expires_at - datetime.now(timezone.utc) > timedelta(days=2, hours=23)
        assert session.scalar(select(AuditEvent.action).where(AuditEvent.object_id == str(user.id))) == "user.invite"


@pytest.mark.parametrize(
    "email, role, council, field, message",
    [
        (
            "not an address",
            "viewer",
            False,
            "email",
            "Enter an email address in the correct format, like name@example.org",
        ),
        ("adviser@demo.example", "viewer", False, "email", "There is already an account for adviser@demo.example"),
        ("a@example.org", "king", False, "role", "Choose a role: viewer, council officer, adviser, administrator"),
        ("a@example.org", "council_officer", False, "organisation", "Choose the council the officer works for"),
    ],
)
def test_an_invitation_that_cannot_be_made_says_why(app, email, role, council, field, message):
    with app.app_context():
        session = get_session()
        with pytest.raises(users.AccountProblem) as raised:
            users.invite(session, "user:1", email, role, _adur(session) if council else None)
        assert (raised.value.field, raised.value.message) == (field, message)


def test_a_link_sets_the_password_once(app):
    with app.app_context():
        session = get_session()
        issued = users.invite(session, "user:1", "someone@example.org", "viewer")
        session.commit()
        with pytest.raises(users.AccountProblem, match="too common"):
            users.set_password(session, issued.token, "1234567890")
        user = users.set_password(session, issued.token, GOOD)
        session.commit()
        assert passwords.matches(user.password_hash, GOOD)
        assert users.live_token(session, issued.token) is None
        with pytest.raises(users.AccountProblem, match="expired or has already been used"):
            users.set_password(session, issued.token, "another good passphrase")


def test_a_new_link_cancels_the_earlier_one_and_an_expired_link_does_nothing(app):
    with app.app_context():
        session = get_session()
        first = users.invite(session, "user:1", "someone@example.org", "viewer")
        second = users.issue_link(session, first.user, "invite")
        session.commit()
        assert users.live_token(session, first.token) is None
        assert users.live_token(session, second.token) is not None
        token = session.scalar(select(PasswordToken).where(PasswordToken.used_at.is_(None)))
        token.expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
        session.commit()
        assert users.live_token(session, second.token) is None


def test_a_reset_is_issued_only_for_an_active_account(app):
    with app.app_context():
        session = get_session()
        assert users.request_reset(session, "nobody@example.org") is None
        issued = users.request_reset(session, "Viewer@Demo.Example")
        assert issued.user.email == "viewer@demo.example"
        assert issued.expires_at - datetime.now(timezone.utc) <= timedelta(hours=1)
        users.disable(session, "user:4", issued.user)
        assert users.live_token(session, issued.token) is None
        assert users.request_reset(session, "viewer@demo.example") is None


def test_changing_a_role_keeps_the_council_only_for_officers(app):
    with app.app_context():
        session = get_session()
        officer = users.find_by_email(session, "council-officer@demo.example")
        users.change_role(session, "user:4", officer, "adviser", _adur(session))
        assert (officer.role, officer.organisation_id) == ("adviser", None)
        with pytest.raises(users.AccountProblem, match="Choose the council"):
            users.change_role(session, "user:4", officer, "council_officer", None)
        users.change_role(session, "user:4", officer, "council_officer", _adur(session))
        assert officer.organisation.gss_code == "E07000223"
        session.commit()
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.action == "user.role")).all()
        assert len(actions) == 2
