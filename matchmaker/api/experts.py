"""/api/v1/experts: the shared-service expert registry with each expert's current load (advisers)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from sqlalchemy import select

from matchmaker.api.auth import require
from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.caching import no_store
from matchmaker.api.commits import committed, sentence
from matchmaker.api.errors import ApiProblem, not_found
from matchmaker.api.match_requests import invalid
from matchmaker.api.schemas.workflow import ExpertCreateSchema, ExpertEditSchema, ExpertListSchema, ExpertSchema
from matchmaker.db import Expert
from matchmaker.flask_database import get_session
from matchmaker.services import experts

blueprint = ResourceBlueprint(
    "api_experts",
    __name__,
    url_prefix="/api/v1/experts",
    description="Shared-service experts: skills, regions covered, capacity, availability and current load.",
    tag="Experts",
)


def representation(expert: Expert, load: int) -> dict[str, Any]:
    return {
        "id": expert.id,
        "name": expert.name,
        "email": expert.email,
        "service_slugs": expert.service_slugs,
        "help_kinds": expert.help_kinds,
        "regions": expert.regions,
        "capacity": expert.capacity,
        "load": load,
        "available": expert.available,
        "available_from": expert.available_from,
        "demo": expert.demo,
        "version": expert.version,
    }


def _expert(expert_id: int) -> Expert:
    expert = get_session().get(Expert, expert_id) if 0 < expert_id < 2**31 else None
    if expert is None:
        raise not_found(f"There is no expert {expert_id}.")
    return expert


def saved(change) -> Expert | None:
    return committed(
        change,
        {
            experts.InvalidExpert: invalid,
            experts.ExpertRefused: lambda error: ApiProblem(409, sentence(error)),
            experts.ExpertConflict: lambda error: ApiProblem(
                409, sentence(error), extra={"current_version": error.current_version}
            ),
        },
    )


@blueprint.route("")
class Experts(MethodView):
    @blueprint.response(200, ExpertListSchema)
    def get(self):
        """Every expert with their active assignments (load) against capacity."""
        require("adviser")
        no_store()
        session = get_session()
        loads = experts.loads(session)
        return {
            "items": [
                representation(e, loads.get(e.id, 0))
                for e in session.scalars(select(Expert).order_by(Expert.name, Expert.id))
            ]
        }

    @blueprint.arguments(ExpertCreateSchema, location="json")
    @blueprint.response(201, ExpertSchema)
    def post(self, body: dict[str, Any]):
        """Register an expert."""
        principal = require("adviser")
        return representation(saved(lambda session: experts.create(session, principal, body)), 0)


@blueprint.route("/<int:expert_id>")
class ExpertDetail(MethodView):
    @blueprint.response(200, ExpertSchema)
    def get(self, expert_id: int):
        require("adviser")
        no_store()
        return representation(_expert(expert_id), experts.loads(get_session()).get(expert_id, 0))

    @blueprint.arguments(ExpertEditSchema, location="json")
    @blueprint.response(200, ExpertSchema)
    def patch(self, body: dict[str, Any], expert_id: int):
        """Change an expert's skills, regions, capacity or availability. With ``version``, 409 if the
        entry has changed since that version."""
        principal = require("adviser")
        expert = _expert(expert_id)
        version = body.pop("version", None)
        saved(lambda session: experts.update(session, principal, expert, body, expected_version=version))
        return representation(expert, experts.loads(get_session()).get(expert_id, 0))

    @blueprint.response(204)
    def delete(self, expert_id: int):
        """Remove an expert who never had an assignment (409 otherwise: mark them unavailable)."""
        principal = require("adviser")
        expert = _expert(expert_id)
        saved(lambda session: experts.delete(session, principal, expert))
        return None
