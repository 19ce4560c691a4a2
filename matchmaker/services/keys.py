"""API keys: shown once, stored as a hash with a visible prefix, revocable."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.db import ApiKey
from matchmaker.services.access import validate_scopes

KEY_PREFIX = "mm"


def _hash(secret: str) -> str:
    # Keys are 256-bit random, so a fast hash is safe here (unlike passwords).
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(
    session: Session, owner: str, scopes: list[str], user_id: int | None = None
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
    )
    session.add(key)
    session.flush()
    return key, f"{KEY_PREFIX}_{prefix}_{secret}"


def authenticate(session: Session, presented: str) -> ApiKey | None:
    """The live key matching ``presented``, with its last-used time updated; else None."""
    parts = presented.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        return None
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == parts[1]))
    if key is None or key.revoked_at is not None:
        return None
    if not hmac.compare_digest(key.secret_hash, _hash(parts[2])):
        return None
    key.last_used_at = datetime.now(timezone.utc)
    return key


def revoke(session: Session, prefix: str) -> ApiKey | None:
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if key is not None and key.revoked_at is None:
        key.revoked_at = datetime.now(timezone.utc)
    return key
