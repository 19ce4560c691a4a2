"""Arrangements, their members, services, savings records and versions."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.db.base import Base, Timestamped, UtcDateTime, utcnow
from matchmaker.db.organisations import Organisation, ServiceArea

arrangement_services = Table(
    "arrangement_services",
    Base.metadata,
    Column(
        "arrangement_id",
        ForeignKey("arrangements.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "service_area_id",
        ForeignKey("service_areas.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Arrangement(Timestamped, Base):
    __tablename__ = "arrangements"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), index=True)
    start_year: Mapped[int | None] = mapped_column(Integer, index=True)
    end_year: Mapped[int | None] = mapped_column(Integer)
    end_reason: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(String(1000))
    evidence: Mapped[str | None] = mapped_column(Text)
    other_partners: Mapped[str | None] = mapped_column(String(500))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    members: Mapped[list[Membership]] = relationship(
        back_populates="arrangement",
        cascade="all, delete-orphan",
        order_by="(Membership.position, Membership.id)",
    )
    services: Mapped[list[ServiceArea]] = relationship(secondary=arrangement_services, order_by="ServiceArea.position")
    savings: Mapped[list[SavingsRecord]] = relationship(
        back_populates="arrangement",
        cascade="all, delete-orphan",
        order_by="(SavingsRecord.position, SavingsRecord.id)",
    )

    @property
    def current_members(self) -> list[Membership]:
        """Members that have not left (a council replaced in a reorganisation has left)."""
        return [m for m in self.members if m.left_year is None]


class Membership(Base):
    __tablename__ = "arrangement_members"
    __table_args__ = (UniqueConstraint("arrangement_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("arrangements.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="member")
    joined_year: Mapped[int | None] = mapped_column(Integer)
    left_year: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)

    arrangement: Mapped[Arrangement] = relationship(back_populates="members")
    organisation: Mapped[Organisation] = relationship()


class SavingsRecord(Base):
    """A reported figure. Missing savings are absent rows, never zeros."""

    __tablename__ = "savings_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("arrangements.id", ondelete="CASCADE"), index=True)
    financial_year: Mapped[int | None] = mapped_column(Integer)
    amount_gbp: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    kind: Mapped[str] = mapped_column(String(10))
    period: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The period the figure covers, when its source says (see core.savings_figures); None is unknown.
    reported_year: Mapped[int | None] = mapped_column(Integer)
    period_start_year: Mapped[int | None] = mapped_column(Integer)
    period_end_year: Mapped[int | None] = mapped_column(Integer)
    period_years: Mapped[int | None] = mapped_column(Integer)
    per_council: Mapped[bool | None] = mapped_column(Boolean)
    source_url: Mapped[str | None] = mapped_column(String(1000))

    arrangement: Mapped[Arrangement] = relationship(back_populates="savings")


class ArrangementVersion(Base):
    """A frozen copy of an arrangement after each change; restoring adds a new one."""

    __tablename__ = "arrangement_versions"
    __table_args__ = (UniqueConstraint("arrangement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("arrangements.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_by: Mapped[str] = mapped_column(String(200))
    change_note: Mapped[str | None] = mapped_column(Text)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
