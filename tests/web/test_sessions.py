"""Sign-out, deactivation, a role or password change: every session of that user ends at once,
and a deactivated user's API keys stop working."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from matchmaker.db import User
from matchmaker.flask_database import get_database
from matchmaker.services import keys
from matchmaker.services.sessions import end_sessions
from tests.support.pages import ADUR, ADVISER, OFFICER, csrf_token, sign_in, text

CONTACTS = f"/api/v1/organisations/{ADUR}/contacts"


def _user_id(app, email: str) -> int:
    with get_database(app).transaction() as session:
        return session.scalar(select(User.id).where(User.email == email))


def _signed_in(app, email: str):
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def _replay(app, cookie):
    """Another browser holding a copy of the cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def _sign_out(client) -> None:
    form = csrf_token(text(client.get("/")))
    assert client.post("/sign-out", data={"csrf_token": form}).status_code == 302


def _opens_moderation(client) -> bool:
    response = client.get("/moderation")
    if response.status_code == 302:
        assert "/sign-in" in response.headers["Location"]
        return False
    assert response.status_code == 200
    return True


def test_a_session_cookie_replayed_after_sign_out_opens_nothing(app):
    adviser = _signed_in(app, ADVISER)
    cookie = adviser.get_cookie("session")
    assert _opens_moderation(_replay(app, cookie))
    assert "Shared services lead" in text(_replay(app, cookie).get(f"/councils/{ADUR}"))

    _sign_out(adviser)

    replayed = _replay(app, cookie)
    assert not _opens_moderation(replayed)
    assert "Shared services lead" not in text(replayed.get(f"/councils/{ADUR}"))
    assert replayed.get(CONTACTS).status_code == 401
    # Signing in again works, with a new cookie.
    assert _opens_moderation(_signed_in(app, ADVISER))


def test_signing_out_in_one_browser_ends_the_users_other_sessions(app):
    laptop, phone = _signed_in(app, ADVISER), _signed_in(app, ADVISER)
    _sign_out(laptop)
    assert not _opens_moderation(phone)


def test_ending_sessions_signs_out_every_browser_of_that_user_only(app):
    """What a password or role change calls."""
    adviser, officer = _signed_in(app, ADVISER), _signed_in(app, OFFICER)
    with get_database(app).transaction() as session:
        end_sessions(session, _user_id(app, ADVISER))
    assert not _opens_moderation(adviser)
    assert officer.get(CONTACTS).status_code == 200


def test_a_deactivated_users_session_and_key_are_refused(app):
    now = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
    app.config["CLOCK"] = lambda: now
    officer = _signed_in(app, OFFICER)
    officer_id = _user_id(app, OFFICER)
    with get_database(app).transaction() as session:
        _, key = keys.create_key(session, "officer's script", ["contacts:read"], user_id=officer_id)
    api = app.test_client()
    assert api.get(CONTACTS, headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert officer.get(CONTACTS).status_code == 200

    with get_database(app).transaction() as session:
        session.get(User, officer_id).active = False
    # The key was checked a moment ago, and that check is not trusted after the change.

    refused = api.get(CONTACTS, headers={"Authorization": f"Bearer {key}"})
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"
    assert officer.get(CONTACTS).status_code == 401
    assert officer.get("/account").status_code == 302


def test_a_role_change_ends_sessions_and_narrows_the_users_keys(app):
    adviser = _signed_in(app, ADVISER)
    adviser_id = _user_id(app, ADVISER)
    with get_database(app).transaction() as session:
        _, key = keys.create_key(session, "adviser's script", ["contacts:read"], user_id=adviser_id)
    api = app.test_client()
    assert api.get(CONTACTS, headers={"Authorization": f"Bearer {key}"}).status_code == 200
    with get_database(app).transaction() as session:
        session.get(User, adviser_id).role = "viewer"
        end_sessions(session, adviser_id)
    assert not _opens_moderation(adviser)
    narrowed = api.get(CONTACTS, headers={"Authorization": f"Bearer {key}"})
    assert narrowed.status_code == 403


def test_a_cookie_naming_only_the_user_id_is_not_accepted(app):
    """Cookies from before session versions (or forged with a known secret) name no version."""
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = str(_user_id(app, ADVISER))
        cookie["_fresh"] = True
    assert not _opens_moderation(client)


def test_the_accounts_service_ends_sessions_on_role_change_disabling_and_new_password(app):
    from matchmaker.flask_database import get_session
    from matchmaker.services import users

    adviser_id = _user_id(app, ADVISER)
    for change in ("role", "disable", "password"):
        with get_database(app).transaction() as session:
            user = session.get(User, adviser_id)
            user.active, user.role = True, "adviser"
        browser = _signed_in(app, ADVISER)
        assert _opens_moderation(browser)
        with app.app_context():
            session = get_session()
            user = session.get(User, adviser_id)
            if change == "role":
                users.change_role(session, "user:1", user, "viewer")
            elif change == "disable":
                users.disable(session, "user:1", user)
            else:
                issued = users.issue_link(session, user, "reset")
                users.set_password(session, issued.token, "a brand new harbour lantern")
            session.commit()
        with get_database(app).transaction() as session:
            user = session.get(User, adviser_id)
            user.active, user.role = True, "adviser"  # the same rights again: only the cookie is old
        assert not _opens_moderation(browser), change
