"""The programme's money over the API: budgets, funding offers, claims and the dashboard figures.

Amounts are whole pence (integers); financial years are named by the year they start in
(2026 is 1 April 2026 to 31 March 2027) with the label ("2026-27") beside them.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import SavingsByKindSchema, StrictBoolean, nullable
from matchmaker.api.schemas.submissions import text
from matchmaker.core.money import MAX_PENCE, OFFER_KINDS
from matchmaker.db.programme import OFFER_STATUSES

KINDS = tuple(k for k, _ in OFFER_KINDS)
ID = validate.Range(1, 2**31 - 1)


def pence(required: bool = False, description: str = "an amount in whole pence") -> fields.Integer:
    return fields.Integer(
        required=required, validate=validate.Range(1, MAX_PENCE), metadata={"description": description}
    )


class BudgetSchema(Schema):
    financial_year = fields.Integer(required=True)
    financial_year_label = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    amount_pence = fields.Integer(required=True)
    approval_threshold_pence = fields.Integer(required=True)
    committed_pence = fields.Integer(required=True)
    left_pence = fields.Integer(required=True)
    demo = fields.Boolean(required=True)


class BudgetListSchema(Schema):
    items = fields.List(fields.Nested(BudgetSchema), required=True)


class ClaimSchema(Schema):
    id = fields.Integer(required=True)
    amount_pence = fields.Integer(required=True)
    delivered_on = fields.Date(required=True)
    evidence = fields.String(required=True)
    recorded_at = fields.DateTime(required=True)


class OfferSchema(Schema):
    id = fields.Integer(required=True)
    request_id = fields.Integer(required=True)
    organisation_code = fields.String(required=True)
    organisation_name = fields.String(required=True)
    assignment_id = fields.Integer(allow_none=True)
    kind = fields.String(required=True)
    financial_year = fields.Integer(required=True)
    financial_year_label = fields.String(required=True)
    offered_on = fields.Date(required=True)
    amount_pence = fields.Integer(required=True)
    days = fields.Integer(allow_none=True)
    day_rate_pence = fields.Integer(allow_none=True)
    cap_pence = fields.Integer(allow_none=True)
    conditions = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(OFFER_STATUSES))
    paid_pence = fields.Integer(required=True)
    left_to_pay_pence = fields.Integer(required=True)
    refusal_reason = fields.String(allow_none=True)
    decline_reason = fields.String(allow_none=True)
    demo = fields.Boolean(required=True)
    claims = fields.List(fields.Nested(ClaimSchema), required=True)


class OfferListSchema(Schema):
    items = fields.List(fields.Nested(OfferSchema), required=True)


class OfferArgsSchema(Schema):
    status = fields.String(validate=validate.OneOf(OFFER_STATUSES))
    request_id = fields.Integer(validate=ID)


class OfferCreateSchema(Schema):
    request_id = fields.Integer(required=True, validate=ID)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    amount_pence = pence(description="a fixed amount; or give days and day_rate_pence (and cap_pence)")
    days = fields.Integer(validate=validate.Range(1, 9999))
    day_rate_pence = pence()
    cap_pence = pence(description="the most days x day rate may come to")
    conditions = text(5000)
    assignment_id = fields.Integer(validate=ID, metadata={"description": "an expert assignment on the request"})


class RefusalSchema(Schema):
    reason = text(5000, required=True)


class AnswerSchema(Schema):
    accepted = StrictBoolean(required=True)
    reason = text(5000, metadata={"description": "why the council declined (optional)"})


class ClaimCreateSchema(Schema):
    amount_pence = pence(required=True)
    delivered_on = fields.Date(required=True)
    evidence = text(5000, required=True, metadata={"description": "what was delivered"})


class CountSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    requests = fields.Integer(required=True)


class RequestFiguresSchema(Schema):
    total = fields.Integer(required=True)
    by_status = fields.List(fields.Nested(CountSchema), required=True)
    by_region = fields.List(fields.Nested(CountSchema), required=True)
    by_service = fields.List(fields.Nested(CountSchema), required=True)
    finished = fields.Integer(required=True, metadata={"description": "arrangement formed or enlarged, or closed"})
    led_to_arrangement = fields.Integer(required=True)
    share_led_to_arrangement = nullable(fields.Float, metadata={"description": "of finished requests; null if none"})
    not_pursued_by_reason = fields.List(fields.Nested(CountSchema), required=True)
    median_days_to_introduction = nullable(fields.Float)
    requests_with_introductions = fields.Integer(required=True)
    median_days_to_arrangement = nullable(fields.Float)
    requests_with_arrangements = fields.Integer(required=True)


class FundingRowSchema(Schema):
    financial_year = fields.Integer(required=True)
    financial_year_label = fields.String(required=True)
    kind = fields.String(required=True)
    kind_label = fields.String(required=True)
    budget_pence = nullable(fields.Integer)
    awaiting_approval_pence = fields.Integer(required=True)
    offered_pence = fields.Integer(required=True, metadata={"description": "offers that went to the council"})
    committed_pence = fields.Integer(required=True, metadata={"description": "offered and not declined"})
    paid_pence = fields.Integer(required=True)
    left_pence = nullable(fields.Integer, metadata={"description": "budget less committed; null with no budget"})
    demo = fields.Boolean(required=True)


class SupportedArrangementSchema(Schema):
    arrangement_id = fields.String(required=True)
    name = fields.String(required=True)
    request_ids = fields.List(fields.Integer(), required=True)
    funding_paid_pence = fields.Integer(required=True)
    savings_since_year = nullable(fields.Integer)
    savings_since_label = nullable(fields.String)
    savings_pence = fields.Nested(SavingsByKindSchema, required=True)
    demo = fields.Boolean(required=True)


class SupportedSchema(Schema):
    arrangements = fields.List(fields.Nested(SupportedArrangementSchema), required=True)
    funding_paid_pence = fields.Integer(required=True)
    savings_pence = fields.Nested(
        SavingsByKindSchema, required=True, metadata={"description": "by kind, never added across kinds"}
    )


class FiguresSchema(Schema):
    requests = fields.Nested(RequestFiguresSchema, required=True)
    funding = fields.List(fields.Nested(FundingRowSchema), required=True)
    supported_arrangements = fields.Nested(SupportedSchema, required=True)


class BudgetSetSchema(Schema):
    amount_pence = fields.Integer(
        required=True,
        validate=validate.Range(0, MAX_PENCE),
        metadata={"description": "what may be committed that year to that offer"},
    )
    approval_threshold_pence = fields.Integer(
        required=True,
        validate=validate.Range(0, MAX_PENCE),
        metadata={"description": "offers above this need a second adviser's approval"},
    )
