"""National statistics computed ahead by a background job, one row per period, with the data
version they were computed from (services/stored_statistics.py decides when they may be used)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.db.base import Base, UtcDateTime, utcnow


class StoredStatistics(Base):
    """``period`` is "now" or a year; ``data_version`` the change-log data version and ``state``
    a fingerprint of the tables the figures read, both as they were when computed."""

    __tablename__ = "stored_statistics"

    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    data_version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(64))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    built_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
