"""Shared helpers for the programme tests: a second adviser, budgets and offers made through the services."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from matchmaker.db import FundingOffer, MatchRequest, SavingsRecord, User
from matchmaker.flask_database import get_database
from matchmaker.services import funding, programme_budgets
from tests.support.databases import DEMO_PASSWORD
from tests.support.pages import ADMIN
from tests.support.workflow import HORSHAM, adviser, create_request, move, officer, principal

SECOND_ADVISER = "second-adviser@demo.example"
BOUNDARY_DAY = date(2026, 3, 31)  # last day of 2025-26


def admin(session):
    return principal(session, ADMIN)


def second_adviser(session):
    if session.scalar(select(User).where(User.email == SECOND_ADVISER)) is None:
        session.add(
            User(
                email=SECOND_ADVISER,
                name="Second adviser (demo)",
                role="adviser",
                demo=True,
                password_hash=generate_password_hash(DEMO_PASSWORD),
            )
        )
        session.flush()
    return principal(session, SECOND_ADVISER)


def set_budget(app, year, kind="expert_support", amount="10000", threshold="2000"):
    with get_database(app).transaction() as session:
        programme_budgets.set_budget(
            session,
            admin(session),
            {"financial_year": year, "kind": kind, "amount": amount, "approval_threshold": threshold},
        )


def make_offer(app, request_id=None, on=BOUNDARY_DAY, who=adviser, **data) -> int:
    request_id = request_id or create_request(app)
    data.setdefault("kind", "expert_support")
    data.setdefault("amount", "1000")
    with get_database(app).transaction() as session:
        return funding.offer(session, who(session), session.get(MatchRequest, request_id), data, on=on).id


def offer_status(app, offer_id) -> str:
    with get_database(app).transaction() as session:
        return session.get(FundingOffer, offer_id).status


def build_programme(app) -> dict[str, int]:
    """A known programme: two budgets, four offers across the 2025-26 / 2026-27 boundary, one claim,
    one request that formed an arrangement (savings reported before and after), one not pursued.

    Expected funding: 2026-27 mediation: budget £2,000, offered = committed £2,000, left £0.
    2025-26 expert support: budget £10,000; awaiting £6,000; offered £3,500 (£500 declined);
    committed £3,000; paid £1,000; left £7,000.
    """
    set_budget(app, 2025, amount="10000", threshold="5000")
    set_budget(app, 2026, kind="mediation", amount="2000", threshold="5000")
    formed, not_pursued, still_open = create_request(app), create_request(app), create_request(app)
    funded = make_offer(app, formed, amount="3000", on=date(2026, 3, 31))
    declined = make_offer(app, not_pursued, amount="500", on=date(2026, 3, 31))
    make_offer(app, still_open, amount="6000", on=date(2026, 3, 31))
    make_offer(app, still_open, kind="mediation", amount="2000", on=date(2026, 4, 1))
    with get_database(app).transaction() as session:
        funding.answer(session, officer(session), funded, accepted=True)
        funding.answer(session, officer(session), declined, accepted=False)
    with get_database(app).transaction() as session:
        funding.claim(
            session,
            adviser(session),
            funded,
            {"amount": "1000", "delivered_on": "2026-04-02", "evidence": "Business case delivered"},
        )
    for status in ("triaged", "suggestions_sent", "introductions_made"):
        move(app, formed, status)
    move(app, formed, "arrangement_formed", partner_codes=[HORSHAM])
    move(app, not_pursued, "closed", reason="Council chose to wait", not_pursued_reason="timing")
    moments = {
        "introductions_made": datetime(2026, 3, 11, 10, tzinfo=timezone.utc),
        "arrangement_formed": datetime(2026, 4, 1, 10, tzinfo=timezone.utc),
    }
    with get_database(app).transaction() as session:
        request = session.get(MatchRequest, formed)
        request.created_at = datetime(2026, 3, 1, 9, tzinfo=timezone.utc)
        for event in request.events:
            event.at = moments.get(event.to_status, request.created_at)
        add_savings(session, request.result_arrangement_id)
        arrangement = request.result_arrangement_id
    return {
        "formed": formed,
        "not_pursued": not_pursued,
        "open": still_open,
        "funded": funded,
        "arrangement": arrangement,
    }


def add_savings(session, arrangement_id: str) -> None:
    """Savings reported for 2025-26 (before), 2026-27 and 2027-28 (expected): £4,000, £12,500.25, £30,000."""
    for year, kind, period, amount in (
        (2025, "achieved", "annual", "4000"),
        (2026, "achieved", "annual", "12500.25"),
        (2027, "expected", None, "30000"),
    ):
        session.add(
            SavingsRecord(
                arrangement_id=arrangement_id,
                financial_year=year,
                kind=kind,
                period=period,
                amount_gbp=Decimal(amount),
            )
        )
