"""User accounts: invitations, roles, disabling, and single-use links to set a password.

An account starts with no password: the invitee sets one through a link that works once and
expires. "Forgot password" sends the same kind of link. Only a SHA-256 hash of each link's token
is stored (the token is 256 random bits, so a fast hash is enough); issuing a new link cancels the
user's earlier unused ones.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from matchmaker.db import Organisation, PasswordToken, User
from matchmaker.db.people import USER_ROLES
from matchmaker.services import audit, passwords
from matchmaker.services.sessions import end_sessions

ROLE_NAMES = {
    "viewer": "Viewer",
    "council_officer": "Council officer",
    "adviser": "Adviser",
    "admin": "Administrator",
}
LINK_LIFETIMES = {"invite": timedelta(days=3), "reset": timedelta(hours=1)}


class AccountProblem(ValueError):
    """A request about an account that cannot be met; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class IssuedLink:
    user: User
    token: str
    expires_at: datetime


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise AccountProblem("email", "Enter an email address in the correct format, like name@example.org") from None


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def _check_role(role: str, organisation: Organisation | None) -> None:
    if role not in USER_ROLES:
        raise AccountProblem("role", f"Choose a role: {', '.join(ROLE_NAMES.values()).lower()}")
    if role == "council_officer" and organisation is None:
        raise AccountProblem("organisation", "Choose the council the officer works for")


def invite(
    session: Session,
    actor: str,
    email: str,
    role: str,
    organisation: Organisation | None = None,
    name: str = "",
) -> IssuedLink:
    """A new account with no password yet, and the link its owner uses to set one."""
    address = normalise_email(email)
    _check_role(role, organisation)
    if find_by_email(session, address) is not None:
        raise AccountProblem("email", f"There is already an account for {address}")
    user = User(
        email=address,
        name=name.strip(),
        role=role,
        password_hash=passwords.UNSET,
        active=True,
        organisation_id=organisation.id if role == "council_officer" and organisation else None,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.invite", "user", user.id, role=role, email=address)
    return issue_link(session, user, "invite")


def issue_link(session: Session, user: User, purpose: str) -> IssuedLink:
    session.execute(
        update(PasswordToken)
        .where(PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None))
        .values(used_at=_now())
    )
    token = secrets.token_urlsafe(32)
    expires_at = _now() + LINK_LIFETIMES[purpose]
    session.add(PasswordToken(user_id=user.id, token_hash=_hash(token), purpose=purpose, expires_at=expires_at))
    session.flush()
    return IssuedLink(user, token, expires_at)


def request_reset(session: Session, email: str) -> IssuedLink | None:
    """A reset link for an active account with this address; None (and no hint why) otherwise."""
    user = find_by_email(session, email)
    if user is None or not user.active:
        return None
    audit.record(session, "anonymous", "user.reset_requested", "user", user.id)
    return issue_link(session, user, "reset")


def live_token(session: Session, token: str) -> PasswordToken | None:
    """The unused, unexpired link for this token, whose user is still active; else None."""
    if not token or len(token) > 200:
        return None
    found = session.scalar(select(PasswordToken).where(PasswordToken.token_hash == _hash(token)))
    if found is None or found.used_at is not None or found.expires_at <= _now():
        return None
    return found if found.user.active else None


def set_password(session: Session, token: str, password: str) -> User:
    """Uses the link once: sets the password and spends every open link of that user."""
    found = live_token(session, token)
    if found is None:
        raise AccountProblem("token", "This link has expired or has already been used")
    user = found.user
    wrong = passwords.problem(password, user.email)
    if wrong:
        raise AccountProblem("password", wrong)
    user.password_hash = passwords.hash_password(password)
    session.execute(
        update(PasswordToken)
        .where(PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None))
        .values(used_at=_now())
    )
    _end_access(session, user)
    audit.record(session, f"user:{user.id}", f"user.password_set.{found.purpose}", "user", user.id)
    return user


def change_role(session: Session, actor: str, user: User, role: str, organisation: Organisation | None = None) -> None:
    _check_role(role, organisation)
    before = user.role
    user.role = role
    user.organisation_id = organisation.id if role == "council_officer" and organisation else None
    _end_access(session, user)
    audit.record(session, actor, "user.role", "user", user.id, before=before, after=role)


def disable(session: Session, actor: str, user: User) -> None:
    if not user.active:
        return
    user.active = False
    _end_access(session, user)
    audit.record(session, actor, "user.disable", "user", user.id)


def enable(session: Session, actor: str, user: User) -> None:
    if user.active:
        return
    user.active = True
    audit.record(session, actor, "user.enable", "user", user.id)


def _end_access(session: Session, user: User) -> None:
    """Ends the user's signed-in sessions and API keys: every session cookie of the user stops
    working (``sessions.end_sessions``), a disabled user's keys are refused, and a key never does
    more than the user's current role allows."""
    session.flush()
    end_sessions(session, user.id)


def has_password(user: User) -> bool:
    return bool(user.password_hash) and user.password_hash != passwords.UNSET


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(func.lower(User.email))))
