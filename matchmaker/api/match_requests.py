"""/api/v1/match-requests: councils ask for partners; advisers take requests through the request_lifecycle.

Needs requests:write. Advisers see every request; council officers only their organisation's.
Changes name the version seen: 409 (with ``current_version``) if it has changed since; a status
change that skips or reverses the lifecycle is 422 naming the reason.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from sqlalchemy import select

from matchmaker import app_cache
from matchmaker.api.auth import current_principal, require
from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.caching import no_store
from matchmaker.api.commits import committed, sentence
from matchmaker.api.errors import ApiProblem, not_found
from matchmaker.api.links import organisation_ref
from matchmaker.api.lookups import arrangement_or_404, organisation_or_404
from matchmaker.api.pagination import envelope
from matchmaker.api.schemas.common import LINK_HEADER
from matchmaker.api.schemas.workflow import (
    NoteSchema,
    RequestArgsSchema,
    RequestCreateSchema,
    RequestDetailSchema,
    RequestEditSchema,
    RequestPageSchema,
    TransitionSchema,
)  # fmt: skip
from matchmaker.core.results import outcome
from matchmaker.db import Arrangement, Assignment, MatchRequest
from matchmaker.db.repositories.match_requests import RequestFilter, list_requests
from matchmaker.flask_database import get_session
from matchmaker.services import match_requests, request_lifecycle
from matchmaker.services.access import Principal, is_adviser

blueprint = ResourceBlueprint(
    "api_match_requests",
    __name__,
    url_prefix="/api/v1/match-requests",
    description="Match-making requests: partners wanted for a service, followed to an arrangement or a close.",
    tag="Match-making requests",
)


def assignment_ref(assignment: Assignment) -> dict[str, Any]:
    return {
        "id": assignment.id,
        "expert_id": assignment.expert_id,
        "expert_name": assignment.expert.name,
        "request_id": assignment.request_id,
        "status": assignment.status,
        "start_date": assignment.start_date,
        "end_date": assignment.end_date,
        "fit_score": assignment.fit_score,
        "reason": assignment.reason,
    }


def _public_id(arrangement_id: int | None) -> str | None:
    return get_session().get(Arrangement, arrangement_id).public_id if arrangement_id else None


def representation(request: MatchRequest) -> dict[str, Any]:
    active = get_session().scalar(
        select(Assignment)
        .where(Assignment.request_id == request.id)
        .order_by(Assignment.status != "active", Assignment.id.desc())
        .limit(1)
    )
    return {
        "id": request.id,
        "organisation": organisation_ref(request.organisation),
        "service": request.service_area.slug,
        "service_name": request.service_area.name,
        "kind": request.kind,
        "arrangement_id": _public_id(request.arrangement_id),
        "description": request.description,
        "constraints": request.constraints,
        "urgency": request.urgency,
        "needs_expert": request.needs_expert,
        "status": request.status,
        "close_reason": request.close_reason,
        "result_arrangement_id": _public_id(request.result_arrangement_id),
        "version": request.version,
        "overdue": match_requests.is_overdue(request),
        "next_statuses": list(request_lifecycle.next_statuses(request.status)),
        "created_at": request.created_at,
        "updated_at": request.updated_at,
        "assignment": assignment_ref(active) if active else None,
        "outcome": _outcome(request),
    }


def _outcome(request: MatchRequest) -> dict[str, Any] | None:
    found = outcome(request.status, request.kind, request.not_pursued_reason)
    if found is None:
        return None
    return {
        "kind": found.kind,
        "label": found.label,
        "not_pursued_reason": found.reason,
        "not_pursued_reason_label": found.reason_label,
        "arrangement_id": _public_id(request.result_arrangement_id),
    }


def detail(request: MatchRequest) -> dict[str, Any]:
    events = [
        {
            "at": e.at,
            "actor": e.actor,
            "kind": e.kind,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "note": e.note,
        }
        for e in request.events
    ]
    snapshots = [
        {"id": s.id, "created_at": s.created_at, "model_version": s.model_version, "payload": s.payload}
        for s in request.snapshots
    ]
    return {**representation(request), "events": events, "suggestions": snapshots}


def _visible(principal: Principal, request_id: int) -> MatchRequest:
    try:
        return match_requests.get(get_session(), principal, request_id)
    except match_requests.RequestNotFound as error:
        raise not_found(sentence(error)) from None


# Refusals that depend on the data as it is now, not on the body alone: 409, like a stale version.
STATE_FIELDS = ("organisation", "arrangement", "constraints.same_county")


def invalid(error: Exception, given: dict[str, Any] | None = None) -> ApiProblem:
    """422 when the body must change (a field missing or wrong); 403 when an officer names
    another organisation; 409 when it contradicts the data (an abolished council, an ended
    arrangement or one it is not in, same county for a unitary)."""
    fields = getattr(error, "fields", {"body": str(error)})
    params = [{"name": name, "in": "body", "reason": reason} for name, reason in fields.items()]
    return ApiProblem(_status(fields, given or {}), sentence(error), invalid_params=params)


def _status(fields: dict[str, str], given: dict[str, Any]) -> int:
    if any(name not in STATE_FIELDS or not _given(given, name) for name in fields):
        return 422
    if "organisation" in fields and not is_adviser(current_principal()):
        return 403
    return 409


def _given(body: dict[str, Any], name: str) -> bool:
    value = body
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value not in (None, "", [], False)


def changed(change, given: dict[str, Any] | None = None) -> MatchRequest:
    """Run a change and commit it, answering its refusals as problems (nothing kept)."""
    return committed(
        change,
        {
            match_requests.RequestConflict: lambda error: ApiProblem(
                409, sentence(error), extra={"current_version": error.current_version}
            ),
            request_lifecycle.TransitionRefused: lambda error: ApiProblem(
                422,
                sentence(error),
                type_slug="transition-refused",
                invalid_params=[{"name": "to_status", "in": "body", "reason": error.reason}],
            ),
            match_requests.InvalidRequest: lambda error: invalid(error, given),
            match_requests.RequestRefused: lambda error: ApiProblem(403, sentence(error)),
        },
    )


@blueprint.route("")
class MatchRequests(MethodView):
    @blueprint.arguments(RequestArgsSchema, location="query", as_kwargs=True)
    @blueprint.response(200, RequestPageSchema, headers=LINK_HEADER)
    def get(self, limit: int, offset: int, **filters):
        """The queue, oldest first: advisers see all requests, officers their organisation's."""
        principal = require("requests:write")
        no_store()
        scope = None if is_adviser(principal) else (principal.organisation_id or -1)
        page = list_requests(get_session(), RequestFilter(organisation_id=scope, **filters), limit, offset)
        return envelope(page, [representation(r) for r in page.items])

    @blueprint.arguments(RequestCreateSchema, location="json")
    @blueprint.response(201, RequestDetailSchema)
    def post(self, body: dict[str, Any]):
        """Ask for partners for a service (officers: for their own organisation). 404 for an
        unknown organisation or arrangement; 403 for an officer naming another organisation; 409
        when the request contradicts the data (abolished council, ended arrangement or one the
        council is not in, same county for a council outside a two-tier county); 422 when a
        field is missing (organisation for advisers, arrangement_id to enlarge) or wrong."""
        principal = require("requests:write")
        if body.get("organisation"):
            organisation_or_404(body["organisation"])
        if "arrangement_id" in body:
            body["arrangement"] = body.pop("arrangement_id")
            if body.get("kind") == "enlarge":
                arrangement_or_404(body["arrangement"])
        return detail(changed(lambda session: match_requests.create(session, principal, body), body))


@blueprint.route("/<int:request_id>")
class MatchRequestDetail(MethodView):
    @blueprint.response(200, RequestDetailSchema)
    def get(self, request_id: int):
        """One request with its timeline and the suggestions it was sent."""
        request = _visible(require("requests:write"), request_id)
        no_store()
        return detail(request)

    @blueprint.arguments(RequestEditSchema, location="json")
    @blueprint.response(200, RequestDetailSchema)
    def patch(self, body: dict[str, Any], request_id: int):
        """Change description, constraints, urgency or needs_expert. 409 if the version is stale."""
        principal = require("requests:write")
        request = _visible(principal, request_id)
        version = body.pop("version")
        return detail(changed(lambda session: match_requests.update(session, principal, request, version, body), body))


@blueprint.route("/<int:request_id>/transitions")
class Transitions(MethodView):
    @blueprint.arguments(TransitionSchema, location="json")
    @blueprint.response(200, RequestDetailSchema)
    def post(self, body: dict[str, Any], request_id: int):
        """Move the request on (advisers; officers may close their own). suggestions_sent stores the
        constrained suggestions; arrangement_formed creates or enlarges the arrangement with
        partner_codes. 422 names why a change that skips the lifecycle is refused."""
        principal = require("requests:write")
        request = _visible(principal, request_id)
        model_path = current_app.config.get("MODEL_PATH")
        return detail(
            changed(
                lambda session: match_requests.move(
                    session,
                    principal,
                    request,
                    body["to_status"],
                    body["version"],
                    reason=body.get("reason"),
                    note=body.get("note"),
                    partner_codes=body.get("partner_codes"),
                    model_path=model_path,
                    cache=app_cache.current(),
                    not_pursued_reason=body.get("not_pursued_reason"),
                )
            )
        )


@blueprint.route("/<int:request_id>/notes")
class Notes(MethodView):
    @blueprint.arguments(NoteSchema, location="json")
    @blueprint.response(201, RequestDetailSchema)
    def post(self, body: dict[str, Any], request_id: int):
        """Add a note to the timeline (notes never conflict, so no version is needed)."""
        principal = require("requests:write")
        request = _visible(principal, request_id)

        def note(session):
            match_requests.add_note(session, principal, request, body["note"])
            return request

        return detail(changed(note))
