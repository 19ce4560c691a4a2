"""Adviser workflow: match-making requests, their timeline and snapshots, experts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.db.base import Base, Timestamped, UtcDateTime, utcnow
from matchmaker.db.organisations import Organisation, ServiceArea

REQUEST_STATUSES = (
    "submitted",
    "triaged",
    "suggestions_sent",
    "introductions_made",
    "arrangement_formed",
    "closed",
)


class MatchRequest(Timestamped, Base):
    __tablename__ = "match_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    service_area_id: Mapped[int] = mapped_column(ForeignKey("service_areas.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="new")
    arrangement_id: Mapped[int | None] = mapped_column(ForeignKey("arrangements.id"))
    description: Mapped[str] = mapped_column(Text, default="")
    constraints: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    urgency: Mapped[str] = mapped_column(String(10), default="normal")
    status: Mapped[str] = mapped_column(String(24), default="submitted", index=True)
    close_reason: Mapped[str | None] = mapped_column(Text)
    not_pursued_reason: Mapped[str | None] = mapped_column(String(24))
    needs_expert: Mapped[bool] = mapped_column(Boolean, default=False)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    result_arrangement_id: Mapped[int | None] = mapped_column(ForeignKey("arrangements.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    organisation: Mapped[Organisation] = relationship()
    service_area: Mapped[ServiceArea] = relationship()
    events: Mapped[list[RequestEvent]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="RequestEvent.id"
    )
    snapshots: Mapped[list[SuggestionSnapshot]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="SuggestionSnapshot.id"
    )


class RequestEvent(Base):
    """One line of a request's timeline: a status change or a note."""

    __tablename__ = "match_request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("match_requests.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str | None] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(Text)

    request: Mapped[MatchRequest] = relationship(back_populates="events")


class SuggestionSnapshot(Base):
    """The suggestions as sent, frozen so history stays true after retraining."""

    __tablename__ = "suggestion_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("match_requests.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    model_version: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)

    request: Mapped[MatchRequest] = relationship(back_populates="snapshots")


class Expert(Timestamped, Base):
    __tablename__ = "experts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    service_slugs: Mapped[list[str]] = mapped_column(JSON, default=list)
    help_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    available_from: Mapped[date | None] = mapped_column(Date)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Assignment(Base):
    __tablename__ = "expert_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("match_requests.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="active")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    fit_score: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    expert: Mapped[Expert] = relationship()
    request: Mapped[MatchRequest] = relationship()
