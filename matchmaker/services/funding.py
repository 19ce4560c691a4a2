"""Funding offers on a match-making request (or an expert assignment on it), and claims on them.

An adviser makes an offer. Up to the budget's approval threshold it goes to the council at once;
above it, a second adviser (not the one who made it) approves or refuses it. Whenever an offer
goes to the council its amount is committed against the year's budget, under the budget's row
lock, and refused with the reason if the budget has not that much left. The council (or an
adviser on its behalf) accepts or declines; a declined offer frees its commitment. Claims are
recorded against an accepted offer with the evidence of what was delivered, never beyond the
offer's amount (the offer's row is locked while a claim is checked).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.core.money import (
    MoneyError,
    claim_refusal,
    commitment_refusal,
    day_rate_amount,
    financial_year,
    parse_pounds,
    year_label,
)  # fmt: skip
from matchmaker.db import Assignment, FundingClaim, FundingOffer, MatchRequest
from matchmaker.services import audit
from matchmaker.services.access import Principal, is_adviser
from matchmaker.services.programme_budgets import KIND_LABELS, budget_for, committed_pence, lock_budget

STATUS_LABELS = {
    "awaiting_approval": "Awaiting a second adviser's approval",
    "refused": "Refused by the approving adviser",
    "offered": "Offered to the council",
    "accepted": "Accepted by the council",
    "declined": "Declined by the council",
}
MAX_TEXT = 5000


class FundingRefused(PermissionError):
    """The change is not allowed (who, or the offer's state, or the money); the message says why."""


class InvalidOffer(ValueError):
    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in fields.items()))
        self.fields = fields


class OfferNotFound(LookupError):
    pass


def offer(
    session: Session, principal: Principal, request: MatchRequest, data: dict[str, Any], on: date | None = None
) -> FundingOffer:
    """A new offer from an adviser; ``on`` (default today) decides its financial year."""
    _require_adviser(principal)
    if request.status == "closed":
        raise FundingRefused(f"request {request.id} is closed: no funding can be offered on it")
    on = on or date.today()
    fields = _offer_fields(session, request, data)
    year = financial_year(on)
    budget = budget_for(session, year, fields["kind"])
    if budget is None:
        raise FundingRefused(
            f"no {KIND_LABELS[fields['kind']].lower()} budget is set for the financial year "
            f"{year_label(year)}: an admin sets it first"
        )
    made = FundingOffer(
        request_id=request.id,
        financial_year=year,
        offered_on=on,
        offered_by_id=principal.user_id,
        status="awaiting_approval",
        **fields,
    )
    session.add(made)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "funding.offered",
        "funding_offer",
        made.id,
        request=request.id,
        kind=made.kind,
        amount_pence=made.amount_pence,
        financial_year=year,
    )
    if made.amount_pence <= budget.approval_threshold_pence:
        _commit(session, made, principal, approved_by_id=principal.user_id)
    return made


def approve(session: Session, principal: Principal, offer_id: int) -> FundingOffer:
    """A second adviser approves an offer above the threshold: it is committed and goes to the council."""
    _require_adviser(principal)
    found = _locked(session, offer_id)
    if found.status != "awaiting_approval":
        raise FundingRefused(f"offer {found.id} is not awaiting approval (it is {STATUS_LABELS[found.status].lower()})")
    if found.offered_by_id == principal.user_id:
        raise FundingRefused("a second adviser must approve this offer: you made it")
    _commit(session, found, principal, approved_by_id=principal.user_id)
    return found


def refuse(session: Session, principal: Principal, offer_id: int, reason: str) -> FundingOffer:
    _require_adviser(principal)
    found = _locked(session, offer_id)
    if found.status != "awaiting_approval":
        raise FundingRefused(f"offer {found.id} is not awaiting approval")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidOffer({"reason": "say why the offer is refused"})
    found.status, found.refusal_reason = "refused", reason[:MAX_TEXT]
    found.approved_by_id, found.approved_at = principal.user_id, _now()
    audit.record(session, principal.actor, "funding.refused", "funding_offer", found.id)
    session.flush()
    return found


def answer(
    session: Session, principal: Principal, offer_id: int, accepted: bool, reason: str | None = None
) -> FundingOffer:
    """The council accepts or declines an offer made to it; declining frees the commitment."""
    _require_person(principal)
    found = _locked(session, offer_id)
    if not may_answer(principal, found):
        raise FundingRefused("only the council's officers (or an adviser on its behalf) answer an offer")
    if found.status != "offered":
        raise FundingRefused(f"offer {found.id} is {STATUS_LABELS[found.status].lower()}: it cannot be answered now")
    found.status = "accepted" if accepted else "declined"
    found.decline_reason = None if accepted else ((reason or "").strip()[:MAX_TEXT] or None)
    found.answered_by_id, found.answered_at = principal.user_id, _now()
    audit.record(session, principal.actor, f"funding.{found.status}", "funding_offer", found.id)
    session.flush()
    return found


def claim(session: Session, principal: Principal, offer_id: int, data: dict[str, Any]) -> FundingClaim:
    """Record a claim paid against an accepted offer, with what was delivered."""
    _require_adviser(principal)
    found = _locked(session, offer_id)
    if found.status != "accepted":
        raise FundingRefused(
            f"claims are recorded only against an accepted offer; offer {found.id} is "
            f"{STATUS_LABELS[found.status].lower()}"
        )
    amount, delivered_on, evidence = _claim_fields(found, data)
    paid = session.scalar(
        select(func.coalesce(func.sum(FundingClaim.amount_pence), 0)).where(FundingClaim.offer_id == found.id)
    )  # read under the offer's lock
    refusal = claim_refusal(found.amount_pence, int(paid), amount)
    if refusal:
        raise FundingRefused(refusal.reason)
    made = FundingClaim(
        offer=found, amount_pence=amount, delivered_on=delivered_on, evidence=evidence, recorded_by_id=principal.user_id
    )
    session.add(made)
    session.flush()
    audit.record(
        session, principal.actor, "funding.claimed", "funding_offer", found.id, claim=made.id, amount_pence=amount
    )
    return made


def get(session: Session, principal: Principal, offer_id: int) -> FundingOffer:
    found = session.get(FundingOffer, offer_id) if 0 < offer_id < 2**31 else None
    if found is None or not may_see(principal, found):
        raise OfferNotFound(f"there is no funding offer {offer_id} that you can see")
    return found


def may_see(principal: Principal, found: FundingOffer) -> bool:
    return is_adviser(principal) or _officer_of(principal, found)


def may_answer(principal: Principal, found: FundingOffer) -> bool:
    return principal.has("requests:write") and (is_adviser(principal) or _officer_of(principal, found))


def offers_on(session: Session, request: MatchRequest) -> list[FundingOffer]:
    return list(
        session.scalars(select(FundingOffer).where(FundingOffer.request_id == request.id).order_by(FundingOffer.id))
    )


def _officer_of(principal: Principal, found: FundingOffer) -> bool:
    return principal.organisation_id is not None and principal.organisation_id == found.request.organisation_id


def _commit(session: Session, found: FundingOffer, principal: Principal, approved_by_id: int | None) -> None:
    budget = lock_budget(session, found.financial_year, found.kind)
    refusal = commitment_refusal(
        budget.amount_pence if budget else None,
        committed_pence(session, found.financial_year, found.kind),
        found.amount_pence,
        KIND_LABELS[found.kind],
        found.financial_year,
    )
    if refusal:
        raise FundingRefused(refusal.reason)
    found.status, found.approved_by_id, found.approved_at = "offered", approved_by_id, _now()
    session.flush()
    audit.record(
        session,
        principal.actor,
        "funding.committed",
        "funding_offer",
        found.id,
        amount_pence=found.amount_pence,
        financial_year=found.financial_year,
    )


def _locked(session: Session, offer_id: int) -> FundingOffer:
    found = (
        session.scalar(
            select(FundingOffer)
            .where(FundingOffer.id == offer_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if 0 < offer_id < 2**31
        else None
    )
    if found is None:
        raise OfferNotFound(f"there is no funding offer {offer_id}")
    return found


def _offer_fields(session: Session, request: MatchRequest, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    kind = data.get("kind")
    if kind not in KIND_LABELS:
        errors["kind"] = "choose expert support or mediation"
    fields: dict[str, Any] = {"kind": kind, "conditions": str(data.get("conditions") or "").strip()[:MAX_TEXT]}
    fields.update(_amount_fields(data, errors))
    fields["assignment_id"] = _assignment_id(session, request, data.get("assignment"), errors)
    if errors:
        raise InvalidOffer(errors)
    return fields


def _amount_fields(data: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """A fixed amount, or days x day rate with an optional cap: one or the other."""
    basis = data.get("basis") or ("days" if str(data.get("days") or "").strip() else "amount")
    try:
        if basis == "amount":
            return {"amount_pence": _positive(parse_pounds(data.get("amount")), "amount", errors)}
        days_text = str(data.get("days") or "").strip()
        if not days_text.isdigit() or len(days_text) > 4:
            errors["days"] = "enter the number of days as a whole number, for example 10"
            return {}
        rate = parse_pounds(data.get("day_rate"))
        cap_text = str(data.get("cap") or "").strip()
        cap = parse_pounds(cap_text) if cap_text else None
        return {
            "amount_pence": day_rate_amount(int(days_text), rate, cap),
            "days": int(days_text),
            "day_rate_pence": rate,
            "cap_pence": cap,
        }
    except MoneyError as error:
        errors["amount" if basis == "amount" else "day_rate"] = str(error)
        return {}


def _positive(pence: int, name: str, errors: dict[str, str]) -> int:
    if pence <= 0:
        errors[name] = "the amount must be more than £0"
    return pence


def _assignment_id(session: Session, request: MatchRequest, value: Any, errors: dict[str, str]) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    assignment = session.get(Assignment, int(text)) if text.isdigit() and len(text) < 10 else None
    if assignment is None or assignment.request_id != request.id:
        errors["assignment"] = f"choose an expert assignment on request {request.id}"
        return None
    return assignment.id


def _claim_fields(found: FundingOffer, data: dict[str, Any]) -> tuple[int, date, str]:
    errors: dict[str, str] = {}
    amount = 0
    try:
        amount = parse_pounds(data.get("amount"))
    except MoneyError as error:
        errors["amount"] = str(error)
    delivered_on = _date(data.get("delivered_on"))
    if delivered_on is None:
        errors["delivered_on"] = "enter the date the work was delivered, for example 2026-04-01"
    elif delivered_on < found.offered_on:
        errors["delivered_on"] = (
            f"the work cannot be delivered before the offer was made ({found.offered_on:%-d %B %Y})"
        )
    elif delivered_on > date.today():
        errors["delivered_on"] = "the delivery date cannot be in the future"
    evidence = str(data.get("evidence") or "").strip()
    if not evidence:
        errors["evidence"] = "say what was delivered (the evidence for the claim)"
    if errors:
        raise InvalidOffer(errors)
    return amount, delivered_on, evidence[:MAX_TEXT]


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _require_adviser(principal: Principal) -> None:
    if not is_adviser(principal):
        raise FundingRefused("only advisers make, approve and record funding")
    _require_person(principal)


def _require_person(principal: Principal) -> None:
    """Money decisions are named to a person, so the second approval is truly someone else's."""
    if principal.user_id is None:
        raise FundingRefused("funding decisions need a person: use an API key that belongs to an adviser's account")


def _now() -> datetime:
    return datetime.now(timezone.utc)
