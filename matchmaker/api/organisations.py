"""/api/v1/organisations: filtered list and one organisation with its links."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.links import arrangement_href, organisation_href, organisation_ref
from matchmaker.api.lookups import organisation_or_404
from matchmaker.api.pagination import envelope, totals
from matchmaker.api.schemas.common import LINK_HEADER, ORGANISATION_CODE_PATTERN
from matchmaker.api.schemas.organisations import (
    OrganisationArgsSchema,
    OrganisationDetailSchema,
    OrganisationPageSchema,
)
from matchmaker.api.validation import check_path
from matchmaker.db import Organisation
from matchmaker.db.repositories import organisations as repository
from matchmaker.db.repositories.reference import arrangements_of
from matchmaker.flask_database import get_session

blueprint = ResourceBlueprint(
    "api_organisations",
    __name__,
    url_prefix="/api/v1/organisations",
    description="Councils and other public bodies, past and present, by GSS code.",
    tag="Organisations",
)


def summary(organisation: Organisation) -> dict[str, Any]:
    return {
        "gss_code": organisation.gss_code,
        "name": organisation.name,
        "short_name": organisation.short_name,
        "kind": organisation.kind,
        "council_type": organisation.council_type,
        "tier": organisation.tier,
        "region": organisation.region,
        "county_gss": organisation.county_gss,
        "start_date": organisation.start_date,
        "end_date": organisation.end_date,
        "abolished": organisation.end_date is not None,
        "synthetic": organisation.synthetic,
        "href": organisation_href(organisation.gss_code),
    }


def detail(organisation: Organisation) -> dict[str, Any]:
    session = get_session()
    return {
        **summary(organisation),
        "lat": organisation.lat,
        "lon": organisation.lon,
        "population": organisation.population,
        "successors": [organisation_ref(o) for o in organisation.successors],
        "predecessors": [organisation_ref(o) for o in organisation.predecessors],
        "neighbours": [
            {**organisation_ref(o), "shared_boundary_km": km}
            for o, km in repository.neighbours_of(session, organisation)
        ],
        "arrangements": [
            {
                "arrangement_id": a.public_id,
                "name": a.name,
                "status": a.status,
                "services": [s.slug for s in a.services],
                "href": arrangement_href(a.public_id),
            }
            for a in arrangements_of(session, organisation)
        ],
    }


@blueprint.route("")
class Organisations(MethodView):
    @blueprint.arguments(OrganisationArgsSchema, location="query", as_kwargs=True)
    @blueprint.response(200, OrganisationPageSchema, headers=LINK_HEADER)
    def get(self, limit: int, offset: int, **filters):
        """Organisations, filtered and paginated, in GSS code order."""
        where = repository.OrganisationFilter(
            region=filters.get("region"),
            tier=filters.get("tier"),
            council_type=filters.get("type"),
            county=filters.get("county"),
            name=filters.get("name"),
            exists_on=filters.get("exists_on"),
            updated_since=filters.get("updated_since"),
        )
        page = repository.list_organisations(get_session(), where, limit, offset, totals())
        return envelope(page, [summary(o) for o in page.items])


@blueprint.route("/<gss_code:gss_code>")
class OrganisationDetail(MethodView):
    @blueprint.response(200, OrganisationDetailSchema)
    def get(self, gss_code: str):
        """One organisation: successors (when abolished), predecessors, neighbours, arrangements."""
        check_path("gss_code", gss_code, ORGANISATION_CODE_PATTERN)
        return detail(organisation_or_404(gss_code))
