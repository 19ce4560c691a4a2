"""Shared helpers for the programme tests: a second adviser, budgets and offers made through the services."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from matchmaker.database import get_database
from matchmaker.db import FundingOffer, MatchRequest, User
from matchmaker.services import funding, programme_budgets
from tests.databases import DEMO_PASSWORD
from tests.services.workflow_helpers import adviser, create_request, principal

SECOND_ADVISER = "second-adviser@demo.example"
BOUNDARY_DAY = date(2026, 3, 31)  # last day of 2025-26


def admin(session):
    return principal(session, "admin@demo.example")


def second_adviser(session):
    if session.scalar(select(User).where(User.email == SECOND_ADVISER)) is None:
        session.add(User(email=SECOND_ADVISER, name="Second adviser (demo)", role="adviser", demo=True,
                         password_hash=generate_password_hash(DEMO_PASSWORD)))
        session.flush()
    return principal(session, SECOND_ADVISER)


def set_budget(app, year, kind="expert_support", amount="10000", threshold="2000"):
    with get_database(app).transaction() as session:
        programme_budgets.set_budget(session, admin(session), {
            "financial_year": year, "kind": kind, "amount": amount, "approval_threshold": threshold})


def make_offer(app, request_id=None, on=BOUNDARY_DAY, who=adviser, **data) -> int:
    request_id = request_id or create_request(app)
    data.setdefault("kind", "expert_support")
    data.setdefault("amount", "1000")
    with get_database(app).transaction() as session:
        return funding.offer(session, who(session), session.get(MatchRequest, request_id), data, on=on).id


def offer_status(app, offer_id) -> str:
    with get_database(app).transaction() as session:
        return session.get(FundingOffer, offer_id).status
