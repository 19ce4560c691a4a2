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
    nullable,
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
    joined_year = nullable(fields.Integer)
    left_year = nullable(fields.Integer)


class SavingsRecordSchema(Schema):
    kind = fields.String(required=True, metadata={"description": "achieved or expected"})
    period = nullable(fields.String, metadata={"description": "annual, cumulative or unknown"})
    financial_year = nullable(fields.Integer)
    amount_gbp = fields.Float(required=True)
    note = nullable(fields.String)
    reported_year = nullable(fields.Integer, metadata={"description": "year the figure was published or refers to"})
    period_start_year = nullable(
        fields.Integer,
        metadata={"description": "first year covered (a financial year by its first year: 2015/16 is 2015)"},
    )
    period_end_year = nullable(fields.Integer, metadata={"description": "last year covered"})
    period_years = nullable(
        fields.Integer,
        metadata={"description": "years a total covers, or a forecast's horizon; 1 for a yearly rate; null unknown"},
    )
    per_council = nullable(
        fields.Boolean,
        metadata={"description": "true: one member council's share; false: the whole arrangement; null: unclear"},
    )
    yearly_gbp = nullable(
        fields.Float,
        metadata={"description": "the figure per year over the years it covers; null when the period is not known"},
    )
    text = fields.String(required=True, metadata={"description": "the figure in words, with its period"})
    source_url = nullable(fields.String)


class ArrangementLinksSchema(Schema):
    self_ = fields.String(required=True, data_key="self", attribute="self")
    source = nullable(fields.String)


class ArrangementSchema(Schema):
    class Meta:
        description = "An arrangement as lists show it: never with contacts."

    arrangement_id = fields.String(required=True)
    name = fields.String(required=True)
    status = fields.String(required=True)
    start_year = nullable(fields.Integer)
    end_year = nullable(fields.Integer)
    end_reason = nullable(fields.String)
    members = fields.List(fields.Nested(MemberSchema), required=True)
    other_partners = nullable(fields.String)
    services = fields.List(fields.Nested(ServiceRefSchema), required=True)
    savings = fields.List(
        fields.Nested(SavingsRecordSchema),
        required=True,
        metadata={"description": "reported figures; empty when none were reported (never zero)"},
    )
    has_savings_figures = fields.Boolean(required=True)
    evidence = nullable(fields.String)
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
