"""Service areas, statistics and the model card."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import SavingsByKindSchema, ServiceRefSchema, nullable
from matchmaker.core.types import current_year

FIRST_STATISTICS_YEAR = 1990


class ServiceAreaSchema(ServiceRefSchema):
    covers = fields.List(fields.String(), required=True)


class ServiceAreaListSchema(Schema):
    items = fields.List(fields.Nested(ServiceAreaSchema), required=True)


YEARLY = (
    "each whole-arrangement figure with a known period put on a yearly basis (a total divided "
    "by the years it covers); figures with no known period and single councils' shares left out"
)


class SavingsByMeasureSchema(SavingsByKindSchema):
    achieved_yearly = nullable(fields.Integer, metadata={"description": f"achieved savings a year: {YEARLY}"})
    expected_yearly = nullable(fields.Integer, metadata={"description": f"expected savings a year: {YEARLY}"})


class FigureCountsSchema(Schema):
    achieved_annual = fields.Integer(required=True)
    achieved_cumulative = fields.Integer(required=True)
    expected = fields.Integer(required=True)
    achieved_yearly = fields.Integer(required=True)
    expected_yearly = fields.Integer(required=True)


class StatisticsRowSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    arrangements = fields.Integer(required=True)
    with_savings_figures = fields.Integer(required=True)
    without_savings_figures = fields.Integer(required=True)
    savings_gbp = fields.Nested(
        SavingsByMeasureSchema,
        required=True,
        metadata={"description": "sums by kind, never added across kinds; null when none reported"},
    )
    savings_figures = fields.Nested(FigureCountsSchema, required=True)
    figures_without_yearly_basis = fields.Integer(
        required=True,
        metadata={
            "description": "figures with no known period, or one council's share: shown as stated, "
            "never in a yearly sum"
        },
    )


class StatisticsTotalsSchema(StatisticsRowSchema):
    councils_involved = fields.Integer(required=True)


def _rows(description: str) -> fields.List:
    return fields.List(fields.Nested(StatisticsRowSchema), required=True, metadata={"description": description})


class StatisticsArgsSchema(Schema):
    year = fields.Integer(
        # The latest year is fixed when the service starts, so the OpenAPI document states it.
        validate=validate.Range(FIRST_STATISTICS_YEAR, current_year()),
        metadata={
            "description": "as things were in this year: arrangements known to be running then, "
            "their members then, and savings reported for that financial year or earlier"
        },
    )


class StatisticsSchema(Schema):
    as_of_year = nullable(
        fields.Integer,
        metadata={"description": "the year asked for; null: the arrangements held now"},
    )
    totals = fields.Nested(StatisticsTotalsSchema, required=True)
    by_service_group = _rows("an arrangement counts once in each group it covers")
    by_service = _rows("an arrangement counts once in each service it covers")
    by_region = _rows("an arrangement counts once in each of its members' regions")
    by_tier_pair = _rows("pairs of member tiers, e.g. lower-lower")
    by_status = _rows("operational, in development or ended")
    by_start_year = _rows("year the arrangement started; unknown when not reported")


class FeatureSchema(Schema):
    name = fields.String(required=True)
    description = fields.String(required=True)


class ModelCardSchema(Schema):
    model = fields.String(
        required=True,
        metadata={
            "description": "the kind of model answering: listwise (the rule-anchored ranking model), "
            "anchored, logistic, boosted or linear; baseline when no artefact could be used"
        },
    )
    version = nullable(fields.String, metadata={"description": "when the artefact was trained"})
    format_version = fields.Integer(allow_none=True)
    fallback = fields.Boolean(required=True)
    fallback_reason = nullable(fields.String)
    features = fields.List(fields.Nested(FeatureSchema), required=True)
    training = nullable(fields.Dict)
    metrics = nullable(fields.Dict)
    library_versions = fields.Dict(allow_none=True)
    data_version = nullable(
        fields.Integer,
        metadata={
            "description": "the data version the model was trained on (none for models "
            "trained before versions were kept)"
        },
    )
    current_data_version = fields.Integer(
        required=True,
        metadata={"description": "the data's version now; higher means the model is older than the data"},
    )
