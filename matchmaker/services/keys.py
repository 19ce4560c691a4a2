"""API keys: shown once, stored as a hash with a visible prefix, revocable.

Checking a key only reads. Its last-used time is kept to the minute: ``record_use`` writes it
when the stored time is a minute old or more, so a caller making thousands of requests a minute
costs one write a minute, not one per request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from matchmaker.db import ApiKey
from matchmaker.services.access import validate_scopes

KEY_PREFIX = "mm"
LAST_USE_PRECISION = timedelta(minutes=1)


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key sent in ``Authorization: Bearer <key>`` or ``X-API-Key``, if any (not yet checked)."""
    header = headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    key = headers.get("X-API-Key", "").strip()
    return key or None


def _hash(secret: str) -> str:
    # Keys are 256-bit random, so a fast hash is safe here (unlike passwords).
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(
    session: Session,
    owner: str,
    scopes: list[str],
    user_id: int | None = None,
    organisation_id: int | None = None,
) -> tuple[ApiKey, str]:
    """Returns the stored key and the plaintext, which is never stored or shown again."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(
        prefix=prefix,
        secret_hash=_hash(secret),
        scopes=" ".join(validate_scopes(scopes)),
        owner=owner,
        user_id=user_id,
        organisation_id=organisation_id,
    )
    session.add(key)
    session.flush()
    return key, f"{KEY_PREFIX}_{prefix}_{secret}"


def authenticate(session: Session, presented: str) -> ApiKey | None:
    """The live key matching ``presented``, of an active user if a user's, else None. Reads only:
    see ``record_use``."""
    parts = presented.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        return None
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == parts[1]))
    if key is None or key.revoked_at is not None:
        return None
    if not hmac.compare_digest(key.secret_hash, _hash(parts[2])):
        return None
    if key.user is not None and not key.user.active:
        return None  # a deactivated user's keys stop with the account
    return key


def record_use(session: Session, key: ApiKey, now: datetime) -> bool:
    """Sets the key's last-used time to ``now`` unless it was set less than a minute before.
    True when it wrote (the caller commits). The condition is in the UPDATE itself, so workers
    that see the same stale time at once write it only once between them."""
    cutoff = now - LAST_USE_PRECISION
    if key.last_used_at is not None and key.last_used_at > cutoff:
        return False
    result = session.execute(
        update(ApiKey)
        .where(
            ApiKey.id == key.id,
            or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at <= cutoff),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    set_committed_value(key, "last_used_at", now)
    return True


def revoke(session: Session, prefix: str) -> ApiKey | None:
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if key is not None and key.revoked_at is None:
        key.revoked_at = datetime.now(timezone.utc)
    return key
