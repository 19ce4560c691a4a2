"""Organisation arguments and bodies."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import (
    OrganisationRefSchema,
    PageArgsSchema,
    PageSchema,
    free_text,
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
    gss_code = fields.String(required=True, allow_none=True)
    name = fields.String(required=True)
    short_name = fields.String(required=True, allow_none=True)
    kind = fields.String(required=True)
    council_type = fields.String(required=True, allow_none=True)
    tier = fields.String(required=True, allow_none=True)
    region = fields.String(required=True, allow_none=True)
    county_gss = fields.String(required=True, allow_none=True)
    start_date = fields.Date(required=True, allow_none=True)
    end_date = fields.Date(required=True, allow_none=True)
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
    lat = fields.Float(required=True, allow_none=True)
    lon = fields.Float(required=True, allow_none=True)
    population = fields.Integer(required=True, allow_none=True)
    successors = fields.List(fields.Nested(OrganisationRefSchema), required=True)
    predecessors = fields.List(fields.Nested(OrganisationRefSchema), required=True)
    neighbours = fields.List(fields.Nested(NeighbourSchema), required=True)
    arrangements = fields.List(fields.Nested(ArrangementRefSchema), required=True)
