"""What councils send in: submissions awaiting moderation, and the annual refresh rounds that ask for them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.db.base import Base, Timestamped, UtcDateTime, utcnow

SUBMISSION_KINDS = ("new_arrangement", "correction", "savings_update", "report")
SUBMISSION_STATUSES = ("pending", "approved", "rejected")


class Submission(Timestamped, Base):
    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    arrangement_id: Mapped[int | None] = mapped_column(ForeignKey("arrangements.id"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitter_email: Mapped[str | None] = mapped_column(String(254))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("arrangements.id"))
    refresh_round_id: Mapped[int | None] = mapped_column(ForeignKey("refresh_rounds.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reject_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class RefreshRound(Base):
    __tablename__ = "refresh_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    responses: Mapped[list[RefreshResponse]] = relationship(back_populates="round", cascade="all, delete-orphan")


class RefreshResponse(Base):
    __tablename__ = "refresh_responses"
    __table_args__ = (UniqueConstraint("round_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("refresh_rounds.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    responded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    confirmed_count: Mapped[int] = mapped_column(Integer, default=0)
    submission_count: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)

    round: Mapped[RefreshRound] = relationship(back_populates="responses")
