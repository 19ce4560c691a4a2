"""Forms already sent: each one-time form token, once a page form posting it has been handled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.db.base import Base, UtcDateTime, utcnow


class FormPost(Base):
    """A token claimed by a form post. ``result_url`` is where the post led (None while it is
    still being handled), so that the same form sent again leads there instead of acting twice."""

    __tablename__ = "form_posts"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    result_url: Mapped[str | None] = mapped_column(String(2000))
