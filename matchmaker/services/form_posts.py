"""One-time form tokens: a form sent twice (a double click, the back button, a resubmitted page)
acts once. Each rendered form carries a fresh random token; the first post to present it claims
it, and where that post led is remembered so that a repeat can be sent there instead.

A claim is committed before the form is handled, in a transaction of its own, so that a second
post racing the first finds it (the token is the primary key: only one insert can win)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matchmaker.db import FormPost
from matchmaker.db.base import utcnow

# Long enough for a form left open over lunch and sent twice; claims older than this are forgotten.
KEPT_FOR = timedelta(days=2)
TOKEN_LENGTH = 43  # secrets.token_urlsafe(32)


@dataclass(frozen=True)
class EarlierPost:
    """The same token was posted before: where it led, or None while it is still being handled."""

    result_url: str | None


def new_token() -> str:
    return secrets.token_urlsafe(32)


def is_well_formed(token: str) -> bool:
    return len(token) == TOKEN_LENGTH and all(c.isalnum() or c in "-_" for c in token)


def claim(database, token: str) -> EarlierPost | None:
    """Claim ``token`` for this post: None when it is the first, else what the earlier post did."""
    try:
        with database.transaction() as session:
            session.execute(delete(FormPost).where(FormPost.claimed_at < utcnow() - KEPT_FOR))
            session.add(FormPost(token=token))
        return None
    except IntegrityError:
        with database.transaction() as session:
            earlier = session.get(FormPost, token)
            return EarlierPost(earlier.result_url if earlier else None)


def record(database, token: str, result_url: str) -> None:
    with database.transaction() as session:
        _set_result(session, token, result_url)


def release(database, token: str) -> None:
    """The post changed nothing (a form with errors, a failure): the token may be sent again."""
    with database.transaction() as session:
        session.execute(delete(FormPost).where(FormPost.token == token))


def _set_result(session: Session, token: str, result_url: str) -> None:
    claimed = session.get(FormPost, token)
    if claimed is not None:
        claimed.result_url = result_url[:2000]
