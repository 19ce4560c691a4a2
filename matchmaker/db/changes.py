"""The change log behind the change feed: one row per change, written in the change's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.db.base import Base, UtcDateTime, utcnow


class ChangeRecord(Base):
    """``scope`` is the API scope a reader needs to see the change (public:read for public data)."""

    __tablename__ = "changes"
    __table_args__ = (Index("ix_changes_resource_resource_id", "resource", "resource_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    resource: Mapped[str] = mapped_column(String(30))
    resource_id: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(30))
    version: Mapped[int | None] = mapped_column(Integer)
    scope: Mapped[str] = mapped_column(String(30), default="public:read", index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def changed_since(resource: str, since: datetime):
    """The ids of ``resource`` changed at or after ``since``: a subquery for list filters."""
    return select(ChangeRecord.resource_id).where(ChangeRecord.resource == resource, ChangeRecord.at >= since)
