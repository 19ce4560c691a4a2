"""/api/v1/statistics: counts and reported savings computed from the arrangements held."""

from __future__ import annotations

from flask.views import MethodView

from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.schemas.reference import StatisticsArgsSchema, StatisticsSchema
from matchmaker.flask_database import get_session
from matchmaker.services import stored_statistics

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
        """Counts and savings; arrangements without figures are counted, never read as zero.

        Computed ahead by a background job after each change and served while the data has not
        changed since; computed on the spot otherwise, so the figures are never out of date."""
        return stored_statistics.figures(get_session(), year)
