"""/api/v1/programme: budgets, funding offers (offer, approve, refuse, answer, claim) and the
programme dashboard's figures. Adviser scope throughout.

A refusal that depends on the money or the offer's state (over budget, over the offer, the same
adviser approving, an offer not awaiting that step) is 409 naming the reason; a body field at
fault is 422 naming it.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from sqlalchemy import select

from matchmaker.api.auth import require
from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.caching import no_store
from matchmaker.api.commits import committed, sentence
from matchmaker.api.errors import ApiProblem, not_found
from matchmaker.api.schemas.programme import (
    AnswerSchema,
    BudgetListSchema,
    BudgetSchema,
    BudgetSetSchema,
    ClaimCreateSchema,
    ClaimSchema,
    FiguresSchema,
    OfferArgsSchema,
    OfferCreateSchema,
    OfferListSchema,
    OfferSchema,
    RefusalSchema,
)  # fmt: skip
from matchmaker.core.money import pounds_text, year_label
from matchmaker.db import FundingClaim, FundingOffer
from matchmaker.flask_database import get_session
from matchmaker.services import funding, match_requests, programme_budgets
from matchmaker.services.programme_budgets import KIND_LABELS
from matchmaker.services.programme_figures import programme_figures

blueprint = ResourceBlueprint(
    "api_programme",
    __name__,
    url_prefix="/api/v1/programme",
    description="The programme's money and results: budgets, funding offers and claims, dashboard figures.",
    tag="Programme",
)


def claim_representation(made: FundingClaim) -> dict[str, Any]:
    return {
        "id": made.id,
        "amount_pence": made.amount_pence,
        "delivered_on": made.delivered_on,
        "evidence": made.evidence,
        "recorded_at": made.recorded_at,
    }


def representation(found: FundingOffer) -> dict[str, Any]:
    return {
        "id": found.id,
        "request_id": found.request_id,
        "organisation_code": found.request.organisation.gss_code,
        "organisation_name": found.request.organisation.name,
        "assignment_id": found.assignment_id,
        "kind": found.kind,
        "financial_year": found.financial_year,
        "financial_year_label": year_label(found.financial_year),
        "offered_on": found.offered_on,
        "amount_pence": found.amount_pence,
        "days": found.days,
        "day_rate_pence": found.day_rate_pence,
        "cap_pence": found.cap_pence,
        "conditions": found.conditions,
        "status": found.status,
        "paid_pence": found.paid_pence,
        "left_to_pay_pence": found.amount_pence - found.paid_pence,
        "refusal_reason": found.refusal_reason,
        "decline_reason": found.decline_reason,
        "demo": found.demo,
        "claims": [claim_representation(c) for c in found.claims],
    }


def decided(change) -> Any:
    return committed(
        change,
        {
            funding.FundingRefused: lambda error: ApiProblem(409, sentence(error), type_slug="funding-refused"),
            funding.InvalidOffer: lambda error: ApiProblem(
                422,
                sentence(error),
                invalid_params=[
                    {"name": name, "in": "body", "reason": reason} for name, reason in error.fields.items()
                ],
            ),
            funding.OfferNotFound: lambda error: not_found(sentence(error)),
        },
    )


def _offer_or_404(offer_id: int) -> FundingOffer:
    try:
        return funding.get(get_session(), require("adviser"), offer_id)
    except funding.OfferNotFound as error:
        raise not_found(sentence(error)) from None


@blueprint.route("/budgets")
class Budgets(MethodView):
    @blueprint.response(200, BudgetListSchema)
    def get(self):
        """Budgets by financial year and offer, with what is committed and left (admins set them)."""
        require("adviser")
        no_store()
        session = get_session()
        return {"items": [_budget_representation(session, b) for b in programme_budgets.budgets(session)]}


def _budget_representation(session, budget) -> dict[str, Any]:
    held = programme_budgets.committed_pence(session, budget.financial_year, budget.kind)
    return {
        "financial_year": budget.financial_year,
        "financial_year_label": year_label(budget.financial_year),
        "kind": budget.kind,
        "amount_pence": budget.amount_pence,
        "approval_threshold_pence": budget.approval_threshold_pence,
        "committed_pence": held,
        "left_pence": budget.amount_pence - held,
        "demo": budget.demo,
    }


@blueprint.route("/budgets/<int:financial_year>/<kind>")
class Budget(MethodView):
    @blueprint.arguments(BudgetSetSchema, location="json")
    @blueprint.response(200, BudgetSchema)
    def put(self, body: dict[str, Any], financial_year: int, kind: str):
        """Set the budget for a financial year (2026 is 2026-27) and offer (expert_support or
        mediation): admins only (403 otherwise). 409 if it is less than is already committed."""
        principal = require("adviser")
        if kind not in KIND_LABELS or not programme_budgets.FIRST_YEAR <= financial_year <= programme_budgets.LAST_YEAR:
            raise not_found(f"There is no {kind} budget for financial year {financial_year} to set.")
        data = {
            "financial_year": financial_year,
            "kind": kind,
            "amount": pounds_text(body["amount_pence"]),
            "approval_threshold": pounds_text(body["approval_threshold_pence"]),
        }
        budget = committed(
            lambda session: programme_budgets.set_budget(session, principal, data),
            {
                programme_budgets.BudgetRefused: lambda error: ApiProblem(403, sentence(error)),
                programme_budgets.BudgetBelowCommitted: lambda error: ApiProblem(409, sentence(error)),
            },
        )
        return _budget_representation(get_session(), budget)


@blueprint.route("/offers")
class Offers(MethodView):
    @blueprint.arguments(OfferArgsSchema, location="query", as_kwargs=True)
    @blueprint.response(200, OfferListSchema)
    def get(self, status: str | None = None, request_id: int | None = None):
        """Funding offers, newest first."""
        require("adviser")
        no_store()
        query = select(FundingOffer).order_by(FundingOffer.id.desc())
        if status:
            query = query.where(FundingOffer.status == status)
        if request_id:
            query = query.where(FundingOffer.request_id == request_id)
        return {"items": [representation(o) for o in get_session().scalars(query)]}

    @blueprint.arguments(OfferCreateSchema, location="json")
    @blueprint.response(201, OfferSchema)
    def post(self, body: dict[str, Any]):
        """Offer funding on a request: a fixed amount_pence, or days x day_rate_pence capped at
        cap_pence. Up to the budget's approval threshold it is committed at once (409 if the year's
        budget has not that much left); above it, it waits for a second adviser's approval."""
        principal = require("adviser")
        try:
            found = match_requests.get(get_session(), principal, body["request_id"])
        except match_requests.RequestNotFound as error:
            raise not_found(sentence(error)) from None
        data = {"kind": body["kind"], "conditions": body.get("conditions"), "assignment": body.get("assignment_id")}
        if "days" in body or "day_rate_pence" in body:
            data.update(
                basis="days",
                days=body.get("days"),
                day_rate=_pounds(body.get("day_rate_pence")),
                cap=_pounds(body.get("cap_pence")),
            )
        else:
            data.update(basis="amount", amount=_pounds(body.get("amount_pence")))
        return representation(decided(lambda session: funding.offer(session, principal, found, data)))


def _pounds(value: int | None) -> str | None:
    return pounds_text(value) if value is not None else None


@blueprint.route("/offers/<int:offer_id>")
class OfferDetail(MethodView):
    @blueprint.response(200, OfferSchema)
    def get(self, offer_id: int):
        """One offer with its claims."""
        no_store()
        return representation(_offer_or_404(offer_id))


@blueprint.route("/offers/<int:offer_id>/approval")
class Approval(MethodView):
    @blueprint.response(200, OfferSchema)
    def post(self, offer_id: int):
        """A second adviser approves an offer awaiting approval: it is committed against the year's
        budget under the budget's row lock, or refused (409) if the budget has not that much left."""
        principal = require("adviser")
        _offer_or_404(offer_id)
        return representation(decided(lambda session: funding.approve(session, principal, offer_id)))


@blueprint.route("/offers/<int:offer_id>/refusal")
class Refusal(MethodView):
    @blueprint.arguments(RefusalSchema, location="json")
    @blueprint.response(200, OfferSchema)
    def post(self, body: dict[str, Any], offer_id: int):
        """Refuse an offer awaiting approval, with the reason."""
        principal = require("adviser")
        _offer_or_404(offer_id)
        return representation(decided(lambda session: funding.refuse(session, principal, offer_id, body["reason"])))


@blueprint.route("/offers/<int:offer_id>/answer")
class Answer(MethodView):
    @blueprint.arguments(AnswerSchema, location="json")
    @blueprint.response(200, OfferSchema)
    def post(self, body: dict[str, Any], offer_id: int):
        """Record the council's answer to an offer made to it; declining frees the commitment."""
        principal = require("adviser")
        _offer_or_404(offer_id)
        return representation(
            decided(lambda session: funding.answer(session, principal, offer_id, body["accepted"], body.get("reason")))
        )


@blueprint.route("/offers/<int:offer_id>/claims")
class Claims(MethodView):
    @blueprint.arguments(ClaimCreateSchema, location="json")
    @blueprint.response(201, ClaimSchema)
    def post(self, body: dict[str, Any], offer_id: int):
        """Record a claim against an accepted offer with what was delivered; 409 if it would pay
        the offer beyond its amount."""
        principal = require("adviser")
        _offer_or_404(offer_id)
        data = {
            "amount": pounds_text(body["amount_pence"]),
            "delivered_on": body["delivered_on"],
            "evidence": body["evidence"],
        }
        return claim_representation(decided(lambda session: funding.claim(session, principal, offer_id, data)))


@blueprint.route("/figures")
class Figures(MethodView):
    @blueprint.response(200, FiguresSchema)
    def get(self):
        """The programme dashboard's figures, as on the page: requests by status, region and service
        and their results; funding by financial year and offer (pence); savings reported by
        supported arrangements by kind (never added across kinds) against the funding paid."""
        require("adviser")
        no_store()
        return programme_figures(get_session())
