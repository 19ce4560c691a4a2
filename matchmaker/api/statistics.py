"""/api/v1/statistics: counts and reported savings computed from the arrangements held."""

from __future__ import annotations

from flask.views import MethodView

from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.schemas.reference import StatisticsArgsSchema, StatisticsSchema
from matchmaker.database import get_session
from matchmaker.services.statistics import national_statistics

blueprint = ResourceBlueprint(
    "api_statistics",
    __name__,
    url_prefix="/api/v1/statistics",
    description="National counts and savings by group, service, region, tier pair, status, year.",
    tag="Statistics",
)


@blueprint.route("")
class Statistics(MethodView):
    @blueprint.arguments(StatisticsArgsSchema, location="query", as_kwargs=True)
    @blueprint.response(200, StatisticsSchema)
    def get(self, year: int | None = None):
        """Counts and savings; arrangements without figures are counted, never read as zero."""
        return national_statistics(get_session(), year)
