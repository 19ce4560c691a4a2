"""/api/v1/assignments: propose the best expert assignment, accept (as is or edited), reject, end."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from sqlalchemy import select

from matchmaker.api.auth import require
from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.caching import no_store
from matchmaker.api.commits import committed, sentence
from matchmaker.api.errors import ApiProblem, not_found
from matchmaker.api.match_requests import assignment_ref
from matchmaker.api.schemas.workflow import (
    AcceptSchema,
    AssignmentArgsSchema,
    AssignmentListSchema,
    AssignmentRefSchema,
    EndAssignmentSchema,
    ProposalSchema,
    RejectProposalSchema,
)  # fmt: skip
from matchmaker.db import Assignment
from matchmaker.flask_database import get_session
from matchmaker.services import experts

blueprint = ResourceBlueprint(
    "api_assignments",
    __name__,
    url_prefix="/api/v1/assignments",
    description="Expert assignments: the proposal that maximises total fit within capacity, and decisions on it.",
    tag="Assignments",
)


def decided(change) -> Any:
    return committed(
        change,
        {experts.AssignmentRefused: lambda error: ApiProblem(409, sentence(error), type_slug="assignment-refused")},
    )


@blueprint.route("")
class Assignments(MethodView):
    @blueprint.arguments(AssignmentArgsSchema, location="query", as_kwargs=True)
    @blueprint.response(200, AssignmentListSchema)
    def get(self, status: str | None = None):
        """Assignments, newest first."""
        require("adviser")
        no_store()
        query = select(Assignment).order_by(Assignment.id.desc())
        if status:
            query = query.where(Assignment.status == status)
        return {"items": [assignment_ref(a) for a in get_session().scalars(query)]}

    @blueprint.arguments(AcceptSchema, location="json")
    @blueprint.response(201, AssignmentListSchema)
    def post(self, body: dict[str, Any]):
        """Accept a proposal, as proposed or edited: every pair is checked again (skills, region,
        free capacity) and all are created or none (409 naming each pair at fault)."""
        principal = require("adviser")
        pairs = [(p["request_id"], p["expert_id"]) for p in body["pairs"]]
        made = decided(lambda session: experts.accept(session, principal, pairs, body["edited"]))
        return {"items": [assignment_ref(a) for a in made]}


@blueprint.route("/proposal")
class Proposal(MethodView):
    @blueprint.response(200, ProposalSchema)
    def get(self):
        """The assignment maximising total fit for every open request that needs an expert, each pair
        with its reason and each request left out with why; the greedy baseline's figures beside it."""
        principal = require("adviser")
        no_store()
        proposal = experts.propose(get_session(), principal)
        return {
            "pairs": [p.__dict__ for p in proposal["pairs"]],
            "unassigned": [u.__dict__ for u in proposal["unassigned"]],
            "total_fit": proposal["total_fit"],
            "greedy": proposal["greedy"],
        }


@blueprint.route("/proposal/rejection")
class ProposalRejection(MethodView):
    @blueprint.arguments(RejectProposalSchema, location="json")
    @blueprint.response(204)
    def post(self, body: dict[str, Any]):
        """Reject the current proposal with a reason (recorded in the audit log)."""
        principal = require("adviser")
        decided(lambda session: experts.reject(session, principal, body["reason"]))
        return None


@blueprint.route("/<int:assignment_id>/end")
class End(MethodView):
    @blueprint.arguments(EndAssignmentSchema, location="json")
    @blueprint.response(200, AssignmentRefSchema)
    def post(self, body: dict[str, Any], assignment_id: int):
        """Finish (completed) or withdraw (cancelled) an assignment, freeing the expert's place."""
        principal = require("adviser")
        assignment = get_session().get(Assignment, assignment_id) if 0 < assignment_id < 2**31 else None
        if assignment is None:
            raise not_found(f"There is no assignment {assignment_id}.")
        return assignment_ref(decided(lambda session: experts.end(session, principal, assignment, body["status"])))
