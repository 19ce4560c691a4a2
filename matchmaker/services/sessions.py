"""Ending a user's sessions: every signed-in browser of that user at once.

Each session cookie names the user and the user's session version; a cookie whose version is
not the stored one opens nothing. Sign-out, a password change, deactivation and a role change
raise the version, so a copied or forgotten cookie stops working everywhere. API keys do not
carry the version: a deactivated user's keys are refused, and a user's key never does more than
the user's current role allows (see ``access.principal_for_key``).
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from matchmaker.db import User


def session_token(user_id: int, session_version: int) -> str:
    """What the session cookie keeps to name the user."""
    return f"{user_id}.{session_version}"


def parse_session_token(token: str) -> tuple[int, int] | None:
    user_id, dot, version = token.partition(".")
    if not dot or not user_id.isdigit() or not version.isdigit():
        return None
    return int(user_id), int(version)


def end_sessions(session: Session, user_id: int) -> None:
    """Every session of the user ends at its next request (the caller commits). To keep the
    current browser signed in, as after a password change, sign it in again afterwards."""
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session="fetch")
    )
