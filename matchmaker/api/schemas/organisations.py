"""Organisation arguments and bodies."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import (
    OrganisationRefSchema,
    PageArgsSchema,
    PageSchema,
    free_text,
    nullable,
    organisation_code,
    updated_since,
)
from matchmaker.core.types import COUNCIL_TYPES, TIERS


class OrganisationArgsSchema(PageArgsSchema):
    region = free_text(60, metadata={"example": "South East"})
    tier = fields.String(validate=validate.OneOf(TIERS))
    type = fields.String(
        validate=validate.OneOf(COUNCIL_TYPES),
        metadata={"description": "council type: CTY, NMD, UA, MD, LBO, COI, IOS"},
    )
    county = organisation_code("GSS code of the county the council lies in")
    name = free_text(100, metadata={"description": "part of the name"})
    exists_on = fields.Date(metadata={"description": "only organisations existing on this date"})
    updated_since = updated_since("organisations")


class OrganisationSummarySchema(Schema):
    gss_code = nullable(fields.String)
    name = fields.String(required=True)
    short_name = nullable(fields.String)
    kind = fields.String(required=True)
    council_type = nullable(fields.String)
    tier = nullable(fields.String)
    region = nullable(fields.String)
    county_gss = nullable(fields.String)
    start_date = nullable(fields.Date)
    end_date = nullable(fields.Date)
    abolished = fields.Boolean(required=True)
    synthetic = fields.Boolean(required=True)
    href = fields.String(required=True)


class OrganisationPageSchema(PageSchema):
    items = fields.List(fields.Nested(OrganisationSummarySchema), required=True)


class NeighbourSchema(OrganisationRefSchema):
    shared_boundary_km = fields.Float(required=True)


class ArrangementRefSchema(Schema):
    arrangement_id = fields.String(required=True)
    name = fields.String(required=True)
    status = fields.String(required=True)
    services = fields.List(fields.String(), required=True)
    href = fields.String(required=True)


class OrganisationDetailSchema(OrganisationSummarySchema):
    lat = nullable(fields.Float)
    lon = nullable(fields.Float)
    population = nullable(fields.Integer)
    successors = fields.List(fields.Nested(OrganisationRefSchema), required=True)
    predecessors = fields.List(fields.Nested(OrganisationRefSchema), required=True)
    neighbours = fields.List(fields.Nested(NeighbourSchema), required=True)
    arrangements = fields.List(fields.Nested(ArrangementRefSchema), required=True)
