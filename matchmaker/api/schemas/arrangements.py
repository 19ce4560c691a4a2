"""Arrangement arguments and bodies."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import (
    ContactSchema,
    OrganisationRefSchema,
    PageArgsSchema,
    PageSchema,
    ServiceRefSchema,
    free_text,
    organisation_code,
    updated_since,
    year,
)
from matchmaker.api.schemas.reference_values import service_groups, service_slugs
from matchmaker.core.types import ARRANGEMENT_STATUSES

ARRANGEMENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"


class ArrangementFilterArgsSchema(Schema):
    service = fields.String(validate=validate.OneOf(service_slugs()), metadata={"description": "service area slug"})
    group = fields.String(validate=validate.OneOf(service_groups()), metadata={"description": "service group"})
    region = free_text(60, metadata={"description": "a member's region"})
    status = fields.String(validate=validate.OneOf(ARRANGEMENT_STATUSES))
    organisation = organisation_code("GSS code of a member")
    year = year(metadata={"description": "running in this year"})
    updated_since = updated_since("arrangements")


class ArrangementArgsSchema(ArrangementFilterArgsSchema, PageArgsSchema):
    pass


class MemberSchema(OrganisationRefSchema):
    role = fields.String(required=True, metadata={"description": "host or member"})
    joined_year = fields.Integer(required=True, allow_none=True)
    left_year = fields.Integer(required=True, allow_none=True)


class SavingsRecordSchema(Schema):
    kind = fields.String(required=True, metadata={"description": "achieved or expected"})
    period = fields.String(required=True, allow_none=True, metadata={"description": "annual, cumulative or unknown"})
    financial_year = fields.Integer(required=True, allow_none=True)
    amount_gbp = fields.Float(required=True)
    note = fields.String(required=True, allow_none=True)
    reported_year = fields.Integer(
        required=True, allow_none=True, metadata={"description": "year the figure was published or refers to"}
    )
    period_start_year = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "first year covered (a financial year by its first year: 2015/16 is 2015)"},
    )
    period_end_year = fields.Integer(required=True, allow_none=True, metadata={"description": "last year covered"})
    period_years = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "years a total covers, or a forecast's horizon; 1 for a yearly rate; null unknown"},
    )
    per_council = fields.Boolean(
        required=True,
        allow_none=True,
        metadata={"description": "true: one member council's share; false: the whole arrangement; null: unclear"},
    )
    yearly_gbp = fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "the figure per year over the years it covers; null when the period is not known"},
    )
    text = fields.String(required=True, metadata={"description": "the figure in words, with its period"})
    source_url = fields.String(required=True, allow_none=True)


class ArrangementLinksSchema(Schema):
    self_ = fields.String(required=True, data_key="self", attribute="self")
    source = fields.String(required=True, allow_none=True)


class ArrangementSchema(Schema):
    class Meta:
        description = "An arrangement as lists show it: never with contacts."

    arrangement_id = fields.String(required=True)
    name = fields.String(required=True)
    status = fields.String(required=True)
    start_year = fields.Integer(required=True, allow_none=True)
    end_year = fields.Integer(required=True, allow_none=True)
    end_reason = fields.String(required=True, allow_none=True)
    members = fields.List(fields.Nested(MemberSchema), required=True)
    other_partners = fields.String(required=True, allow_none=True)
    services = fields.List(fields.Nested(ServiceRefSchema), required=True)
    savings = fields.List(
        fields.Nested(SavingsRecordSchema),
        required=True,
        metadata={"description": "reported figures; empty when none were reported (never zero)"},
    )
    has_savings_figures = fields.Boolean(required=True)
    evidence = fields.String(required=True, allow_none=True)
    synthetic = fields.Boolean(required=True)
    version = fields.Integer(required=True)
    links = fields.Nested(ArrangementLinksSchema, required=True)


class ArrangementDetailSchema(ArrangementSchema):
    class Meta:
        description = "One arrangement; contacts only for callers with contacts:read."

    contacts = fields.List(
        fields.Nested(ContactSchema),
        metadata={
            "description": "only for callers with contacts:read, and each read is audited; "
            "absent (not empty) otherwise. Never in lists."
        },
    )


class ArrangementPageSchema(PageSchema):
    items = fields.List(fields.Nested(ArrangementSchema), required=True)
