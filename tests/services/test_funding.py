"""Budgets, funding offers, approval, the council's answer and claims, on SQLite and PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy import func, select

from matchmaker.db import AuditEvent, FundingClaim, FundingOffer, MatchRequest
from matchmaker.flask_database import get_database
from matchmaker.services import funding, programme_budgets
from matchmaker.services.programme_budgets import committed_pence
from tests.support.programme import (
    BOUNDARY_DAY,
    admin,
    make_offer,
    offer_status,
    second_adviser,
    set_budget,
)  # fmt: skip
from tests.support.workflow import adviser, create_request, officer


def _committed(app, year, kind="expert_support"):
    with get_database(app).transaction() as session:
        return committed_pence(session, year, kind)


def test_only_an_admin_sets_a_budget(app):
    with get_database(app).transaction() as session:
        with pytest.raises(programme_budgets.BudgetRefused):
            programme_budgets.set_budget(
                session,
                adviser(session),
                {"financial_year": 2025, "kind": "mediation", "amount": "1", "approval_threshold": "1"},
            )
        with pytest.raises(programme_budgets.InvalidBudget) as raised:
            programme_budgets.set_budget(
                session,
                admin(session),
                {"financial_year": "soon", "kind": "lunch", "amount": "1.234", "approval_threshold": ""},
            )
    assert set(raised.value.fields) == {"financial_year", "kind", "amount", "approval_threshold"}


def test_small_offer_is_committed_at_once_and_big_one_waits_for_a_second_adviser(app):
    set_budget(app, 2025, amount="10000", threshold="2000")
    small = make_offer(app, amount="2000")
    big = make_offer(app, amount="2000.01")
    assert offer_status(app, small) == "offered"
    assert offer_status(app, big) == "awaiting_approval"
    assert _committed(app, 2025) == 200000
    with get_database(app).transaction() as session:
        with pytest.raises(funding.FundingRefused, match="a second adviser must approve"):
            funding.approve(session, adviser(session), big)
    with get_database(app).transaction() as session:
        funding.approve(session, second_adviser(session), big)
    assert offer_status(app, big) == "offered"
    assert _committed(app, 2025) == 400001


def test_days_times_rate_capped(app):
    set_budget(app, 2025, threshold="100000")
    made = make_offer(app, amount=None, days="12", day_rate="450", cap="5000")
    with get_database(app).transaction() as session:
        found = session.get(FundingOffer, made)
        assert (found.days, found.day_rate_pence, found.cap_pence, found.amount_pence) == (12, 45000, 500000, 500000)


def test_offer_beyond_the_budget_is_refused_with_the_reason_and_nothing_is_written(app):
    set_budget(app, 2025, amount="3000", threshold="5000")
    make_offer(app, amount="2500")
    request_id = create_request(app)
    with pytest.raises(funding.FundingRefused) as raised:
        make_offer(app, request_id, amount="500.01")
    assert str(raised.value) == (
        "the expert support budget for 2025-26 has £500.00 left of £3,000.00; this offer is £500.01"
    )
    with get_database(app).transaction() as session:
        assert session.scalar(select(func.count()).select_from(FundingOffer)) == 1


def test_offers_on_31_march_and_1_april_charge_different_years(app):
    set_budget(app, 2025, amount="1000", threshold="5000")
    set_budget(app, 2026, amount="700", threshold="5000")
    make_offer(app, amount="1000", on=date(2026, 3, 31))
    make_offer(app, amount="700", on=date(2026, 4, 1))
    assert (_committed(app, 2025), _committed(app, 2026)) == (100000, 70000)
    with pytest.raises(funding.FundingRefused, match="2026-27 has £0.00 left"):
        make_offer(app, amount="0.01", on=date(2026, 4, 1))
    with pytest.raises(funding.FundingRefused, match="no expert support budget is set for the financial year 2027-28"):
        make_offer(app, amount="1", on=date(2027, 4, 1))


def test_council_accepts_or_declines_and_declining_frees_the_commitment(app):
    set_budget(app, 2025, threshold="5000")
    kept, declined = make_offer(app, amount="1000"), make_offer(app, amount="400")
    with get_database(app).transaction() as session:
        funding.answer(session, officer(session), kept, accepted=True)
        funding.answer(session, officer(session), declined, accepted=False, reason="Done in-house")
    assert (offer_status(app, kept), offer_status(app, declined)) == ("accepted", "declined")
    assert _committed(app, 2025) == 100000
    with get_database(app).transaction() as session:
        with pytest.raises(funding.FundingRefused, match="cannot be answered now"):
            funding.answer(session, officer(session), kept, accepted=False)


def test_claims_are_never_paid_beyond_the_offer(app):
    set_budget(app, 2025, threshold="5000")
    made = make_offer(app, amount="1000")
    claim = {"amount": "600", "delivered_on": "2026-04-02", "evidence": "Options appraisal delivered"}
    with get_database(app).transaction() as session:
        with pytest.raises(funding.FundingRefused, match="only against an accepted offer"):
            funding.claim(session, adviser(session), made, claim)
    with get_database(app).transaction() as session:
        funding.answer(session, officer(session), made, accepted=True)
        funding.claim(session, adviser(session), made, claim)
    with get_database(app).transaction() as session:
        with pytest.raises(funding.FundingRefused) as raised:
            funding.claim(session, adviser(session), made, {**claim, "amount": "400.01"})
    assert str(raised.value) == "the offer has £400.00 left to pay of £1,000.00; this claim is £400.01"
    with get_database(app).transaction() as session:
        funding.claim(session, adviser(session), made, {**claim, "amount": "400"})
        assert session.get(FundingOffer, made).paid_pence == 100000
        assert session.scalar(select(func.count()).select_from(FundingClaim)) == 2


def test_claim_needs_evidence_and_a_delivery_date_after_the_offer(app):
    set_budget(app, 2025, threshold="5000")
    made = make_offer(app, amount="1000")
    with get_database(app).transaction() as session:
        funding.answer(session, officer(session), made, accepted=True)
    with get_database(app).transaction() as session:
        with pytest.raises(funding.InvalidOffer) as raised:
            funding.claim(
                session, adviser(session), made, {"amount": "x", "delivered_on": "2026-03-30", "evidence": " "}
            )
    assert raised.value.fields == {
        "amount": "'x' is not an amount in pounds: use digits, for example 1250 or 1,250.50",
        "delivered_on": "the work cannot be delivered before the offer was made (31 March 2026)",
        "evidence": "say what was delivered (the evidence for the claim)",
    }


def test_officers_cannot_offer_approve_or_claim(app):
    set_budget(app, 2025)
    with pytest.raises(funding.FundingRefused, match="only advisers"):
        make_offer(app, who=officer)


def test_offer_on_an_assignment_of_another_request_is_refused(app):
    set_budget(app, 2025)
    with pytest.raises(funding.InvalidOffer, match="assignment"):
        make_offer(app, assignment="999")


def test_every_step_is_audited(app):
    set_budget(app, 2025, threshold="500")
    made = make_offer(app, amount="1000", on=BOUNDARY_DAY)
    with get_database(app).transaction() as session:
        funding.approve(session, second_adviser(session), made)
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type.in_(("funding_offer", "programme_budget")))
            .order_by(AuditEvent.id)
        ).all()
    assert actions == ["programme.budget_set", "funding.offered", "funding.committed"]


def test_closed_request_takes_no_offer(app):
    set_budget(app, 2025)
    request_id = create_request(app)
    with get_database(app).transaction() as session:
        session.get(MatchRequest, request_id).status = "closed"
    with pytest.raises(funding.FundingRefused, match="is closed"):
        make_offer(app, request_id)
