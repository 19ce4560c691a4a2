"""API keys for tests: created straight through the key service, sent as a bearer header."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.db import User
from matchmaker.flask_database import get_database
from matchmaker.services import keys

ALL_SCOPES = ("public:read", "contacts:read", "requests:write", "adviser")


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def new_key(app, *scopes: str, owner: str = "test tool", email: str | None = None) -> str:
    """A key with the given scopes, held by the user with that email when one is named; returns
    the plaintext to send."""
    with get_database(app).transaction() as session:
        user_id = None
        if email is not None:
            user_id = session.scalar(select(User.id).where(User.email == email))
            assert user_id is not None, f"no user {email}"
        _, plaintext = keys.create_key(session, owner, list(scopes), user_id)
    return plaintext


def user_headers(app, email: str, scopes=ALL_SCOPES, owner: str | None = None) -> dict[str, str]:
    """Bearer headers for a key held by a demo user (a user's key never exceeds the user's role)."""
    return bearer(new_key(app, *scopes, owner=owner or email, email=email))
