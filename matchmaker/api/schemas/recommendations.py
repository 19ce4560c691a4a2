"""Recommendations, coalitions and savings estimates."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import OrganisationRefSchema, nullable, organisation_code, year
from matchmaker.api.schemas.reference_values import service_slugs

MAX_CANDIDATES = 50
MAX_COALITION_SIZE = 20


def service_slug(**kwargs) -> fields.String:
    return fields.String(
        validate=validate.OneOf(service_slugs()),
        metadata={
            "description": "service area slug, see /api/v1/service-areas",
            "example": "legal-democratic",
        },
        **kwargs,
    )


class QueryArgsSchema(Schema):
    council = organisation_code("GSS code of the council asking", required=True)
    service = service_slug(required=True)
    as_of = year(metadata={"description": "rank as the system would have that year"})


class RecommendationArgsSchema(QueryArgsSchema):
    limit = fields.Integer(load_default=10, validate=validate.Range(1, MAX_CANDIDATES))
    order_by = fields.String(
        load_default="score",
        validate=validate.OneOf(("score", "combined")),
        metadata={"description": "score (the council's view) or combined (both sides' interest)"},
    )


class ModelInfoSchema(Schema):
    """The model behind an answer, in brief (the model card has the rest, with ``model`` for ``kind``)."""

    kind = fields.String(required=True, metadata={"description": "as the model card's `model`"})
    version = nullable(fields.String)
    fallback = fields.Boolean(required=True)
    fallback_reason = nullable(fields.String)


class ReasonSchema(Schema):
    factor = fields.String(required=True)
    contribution = fields.Float(required=True)
    text = fields.String(required=True)


class CandidateSchema(OrganisationRefSchema):
    rank = fields.Integer(required=True)
    score = fields.Float(
        required=True,
        metadata={
            "description": "calibrated: the share of past suggestions this strong that became "
            "partners (learnt on the temporal back-test)"
        },
    )
    reciprocal_score = fields.Float(
        required=True,
        metadata={"description": "the same rate with the roles swapped: the council for the candidate"},
    )
    combined_score = fields.Float(
        required=True,
        metadata={"description": "geometric mean of score and reciprocal_score"},
    )
    fit = fields.String(
        required=True,
        metadata={
            "description": "the score in words",
            "example": "In past years about 1 in 3 suggestions this strong became partners",
        },
    )
    distance_km = fields.Float(required=True)
    reasons = fields.List(fields.Nested(ReasonSchema), required=True)


class JoinExistingSchema(Schema):
    rank = fields.Integer(required=True)
    arrangement_id = fields.String(required=True)
    name = fields.String(required=True)
    score = fields.Float(required=True)
    member_codes = fields.List(fields.String(), required=True)
    nearest_member = fields.String(required=True)
    nearest_km = fields.Float(required=True)
    reasons = fields.List(fields.String(), required=True)
    href = fields.String(required=True)


class QueryEchoSchema(Schema):
    council = fields.Nested(OrganisationRefSchema, required=True)
    service = fields.String(required=True)
    as_of_year = fields.Integer(required=True)
    model = fields.Nested(ModelInfoSchema, required=True)


class PartnerArrangementSchema(Schema):
    arrangement_id = fields.String(required=True)
    name = fields.String(required=True)
    start_year = nullable(fields.Integer)
    href = fields.String(required=True)


class ExistingPartnerSchema(OrganisationRefSchema):
    arrangements = fields.List(
        fields.Nested(PartnerArrangementSchema),
        required=True,
        metadata={"description": "the running arrangements through which they share the service"},
    )


class RecommendationsSchema(QueryEchoSchema):
    candidates = fields.List(fields.Nested(CandidateSchema), required=True)
    join_existing = fields.List(fields.Nested(JoinExistingSchema), required=True)
    existing_partners = fields.List(
        fields.Nested(ExistingPartnerSchema),
        required=True,
        metadata={"description": "organisations already sharing this service with the council (not candidates)"},
    )


class CoalitionSchema(Schema):
    size = fields.Integer(required=True)
    members = fields.List(fields.Nested(OrganisationRefSchema), required=True)
    score = fields.Float(required=True, metadata={"description": "mean pairwise match"})
    weakest_pair_score = fields.Float(required=True)
    reasons = fields.List(fields.String(), required=True)


class CoalitionsSchema(QueryEchoSchema):
    coalitions = fields.List(fields.Nested(CoalitionSchema), required=True)


class SavingsEstimateRequestSchema(Schema):
    council_codes = fields.List(
        organisation_code("GSS code of a council that would share"),
        required=True,
        validate=validate.Length(1, MAX_COALITION_SIZE),
    )
    service = service_slug(required=True)


class ComparableSchema(Schema):
    arrangement_id = fields.String(required=True)
    name = fields.String(required=True)
    annual_gbp = fields.Integer(
        required=True, metadata={"description": "its savings a year, over the period its source gives"}
    )
    scaled_gbp = fields.Integer(
        required=True, metadata={"description": "the same scaled to the proposal's combined population"}
    )
    kind = fields.String(required=True, metadata={"description": "achieved or expected (a forecast)"})
    population = nullable(fields.Integer)
    derivation = fields.String(required=True, metadata={"description": "the figure in words, with its period"})
    source_url = nullable(fields.String)


class SetupSchema(Schema):
    low_gbp = nullable(fields.Integer)
    high_gbp = nullable(fields.Integer)
    payback_years = nullable(fields.Float)
    text = fields.String(required=True)


class EvaluationSchema(Schema):
    held_out = fields.Integer(
        required=True, metadata={"description": "achieved figures each predicted from all the others"}
    )
    median_abs_log_error = nullable(fields.Float)
    constant_median_abs_log_error = nullable(
        fields.Float,
        metadata={"description": "the same for quoting the median achieved figure every time"},
    )
    typical_factor = nullable(
        fields.Float, metadata={"description": "half the held-out figures were within this factor"}
    )
    constant_factor = nullable(fields.Float)
    beats_constant = fields.Boolean(required=True)
    interval_level = fields.Float(required=True)
    inside_interval = nullable(
        fields.Integer,
        metadata={"description": "held-out figures inside the interval built without them"},
    )


class BenchmarkSchema(Schema):
    service_area = nullable(fields.String)
    measure = nullable(fields.String)
    low = nullable(fields.Float, metadata={"description": "in the row's unit; null if not given"})
    central = nullable(fields.Float)
    high = nullable(fields.Float)
    unit = nullable(fields.String, metadata={"description": "gbp, percent, years or count"})
    kind = fields.String(required=True, metadata={"description": "achieved, forecast or share_of_budget"})
    basis = nullable(fields.String)
    year = nullable(fields.Integer)
    source_title = nullable(fields.String)
    source_url = nullable(fields.String)


class SavingsEstimateSchema(Schema):
    service = fields.String(required=True)
    council_codes = fields.List(fields.String(), required=True)
    status = fields.String(
        required=True,
        metadata={
            "description": "estimate; evidence_too_thin (the method did not beat quoting the median "
            "figure, so no number); or not_enough_evidence"
        },
    )
    annual_gbp = nullable(fields.Integer, metadata={"description": "savings a year"})
    low_gbp = nullable(fields.Integer)
    high_gbp = nullable(fields.Integer)
    interval_level = fields.Float(required=True, metadata={"description": "the stated level of low-high"})
    level = nullable(fields.String, metadata={"description": "service, group, benchmarks or all"})
    level_text = nullable(fields.String)
    combined_population = nullable(fields.Integer)
    summary = fields.String(required=True)
    basis = nullable(fields.String)
    comparables_count = fields.Integer(required=True)
    achieved_count = fields.Integer(required=True)
    forecast_only_count = fields.Integer(required=True)
    min_comparables = fields.Integer(required=True)
    comparables = fields.List(fields.Nested(ComparableSchema), required=True)
    setup = nullable(fields.Nested, SetupSchema)
    evaluation = fields.Nested(EvaluationSchema, required=True)
    benchmarks = fields.List(fields.Nested(BenchmarkSchema), required=True)
