"""The programme's money: budgets per financial year and offer, funding offers and claims.

Amounts are whole pence (BigInteger). A budget row is the lock that serialises commitments
against it (SELECT ... FOR UPDATE on PostgreSQL).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.db.base import Base, Timestamped, UtcDateTime, utcnow
from matchmaker.db.people import User
from matchmaker.db.workflow import Assignment, MatchRequest

OFFER_STATUSES = ("awaiting_approval", "refused", "offered", "accepted", "declined")
COMMITTED_STATUSES = ("offered", "accepted")


class ProgrammeBudget(Timestamped, Base):
    """What the programme may commit in one financial year for one kind of offer."""

    __tablename__ = "programme_budgets"
    __table_args__ = (UniqueConstraint("financial_year", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    financial_year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    approval_threshold_pence: Mapped[int] = mapped_column(BigInteger)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    demo: Mapped[bool] = mapped_column(Boolean, default=False)


class FundingOffer(Timestamped, Base):
    """Funding offered to a council on a request (or an expert assignment on it)."""

    __tablename__ = "funding_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("match_requests.id"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("expert_assignments.id"))
    kind: Mapped[str] = mapped_column(String(20))
    financial_year: Mapped[int] = mapped_column(Integer, index=True)
    offered_on: Mapped[date] = mapped_column(Date)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    days: Mapped[int | None] = mapped_column(Integer)
    day_rate_pence: Mapped[int | None] = mapped_column(BigInteger)
    cap_pence: Mapped[int | None] = mapped_column(BigInteger)
    conditions: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), index=True)
    offered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decline_reason: Mapped[str | None] = mapped_column(Text)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)

    request: Mapped[MatchRequest] = relationship()
    assignment: Mapped[Assignment | None] = relationship()
    offered_by: Mapped[User | None] = relationship(foreign_keys=[offered_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    claims: Mapped[list[FundingClaim]] = relationship(
        back_populates="offer", cascade="all, delete-orphan", order_by="FundingClaim.id"
    )

    @property
    def paid_pence(self) -> int:
        return sum(c.amount_pence for c in self.claims)


class FundingClaim(Base):
    """A payment against an offer, with the evidence of what was delivered."""

    __tablename__ = "funding_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("funding_offers.id", ondelete="CASCADE"), index=True)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    delivered_on: Mapped[date] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)

    offer: Mapped[FundingOffer] = relationship(back_populates="claims")
