"""/api/v1/service-areas: the 15 service areas with their groups."""

from __future__ import annotations

from flask.views import MethodView

from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.schemas.reference import ServiceAreaListSchema
from matchmaker.db.repositories.reference import service_areas
from matchmaker.flask_database import get_session

blueprint = ResourceBlueprint(
    "api_service_areas",
    __name__,
    url_prefix="/api/v1/service-areas",
    description="The service areas arrangements and recommendations are about.",
    tag="Service areas",
)


@blueprint.route("")
class ServiceAreas(MethodView):
    @blueprint.response(200, ServiceAreaListSchema)
    def get(self):
        """Every service area, in display order; slugs are used by the other endpoints."""
        areas = service_areas(get_session())
        return {
            "items": [
                {
                    "slug": a.slug,
                    "name": a.name,
                    "group": a.group,
                    "covers": [c.strip() for c in a.covers.split(";") if c.strip()],
                }
                for a in areas
            ]
        }
