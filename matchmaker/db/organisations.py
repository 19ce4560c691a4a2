"""Organisations (councils and other public bodies), successions, neighbours, service areas."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.db.base import Base, Timestamped


class Organisation(Timestamped, Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    gss_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="council", index=True)
    council_type: Mapped[str | None] = mapped_column(String(4), index=True)
    tier: Mapped[str | None] = mapped_column(String(8), index=True)
    region: Mapped[str | None] = mapped_column(String(60), index=True)
    county_gss: Mapped[str | None] = mapped_column(String(16), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    population: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, index=True)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)

    successors: Mapped[list[Organisation]] = relationship(
        secondary="organisation_successions",
        primaryjoin="Organisation.id == Succession.predecessor_id",
        secondaryjoin="Organisation.id == Succession.successor_id",
        back_populates="predecessors",
        order_by="Organisation.gss_code",
    )
    predecessors: Mapped[list[Organisation]] = relationship(
        secondary="organisation_successions",
        primaryjoin="Organisation.id == Succession.successor_id",
        secondaryjoin="Organisation.id == Succession.predecessor_id",
        back_populates="successors",
        order_by="Organisation.gss_code",
    )

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def exists_on(self, day: date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (self.end_date is None or self.end_date >= day)


class Succession(Base):
    __tablename__ = "organisation_successions"

    predecessor_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)


class NeighbourPair(Base):
    """Councils whose boundaries touch; stored once with org_a_id < org_b_id."""

    __tablename__ = "neighbours"

    org_a_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    org_b_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    shared_boundary_km: Mapped[float] = mapped_column(Float)


class ServiceArea(Base):
    __tablename__ = "service_areas"
    __table_args__ = (UniqueConstraint("slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    group: Mapped[str] = mapped_column(String(40))
    covers: Mapped[str] = mapped_column(String(400), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
