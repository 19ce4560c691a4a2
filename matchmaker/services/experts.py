"""The shared-service expert programme: the registry, current load, and assignments.

An adviser asks for a proposal (the exact optimum from ``core.experts`` for every open request
that needs an expert and has none), then accepts it as proposed or edited, or rejects it. Accepting
checks every pair again against the database as it is then (skills, region, free capacity), with
the experts' rows locked on PostgreSQL, so two advisers accepting at once cannot overfill anyone.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.core import experts as engine
from matchmaker.db import Assignment, Expert, MatchRequest, RequestEvent
from matchmaker.services import audit, request_lifecycle, stale
from matchmaker.services.access import Principal, is_adviser
from matchmaker.services.expert_fields import InvalidExpert, check_expert

__all__ = [
    "InvalidExpert",
    "ExpertRefused",
    "ExpertConflict",
    "AssignmentRefused",
    "create",
    "update",
    "delete",
    "loads",
    "waiting_requests",
    "propose",
    "accept",
    "reject",
    "end",
]


class ExpertRefused(PermissionError):
    pass


class ExpertConflict(RuntimeError):
    """The entry changed since the editor saw it; nothing was saved."""

    def __init__(self, message: str, current_version: int | None) -> None:
        super().__init__(message)
        self.current_version = current_version


class AssignmentRefused(ValueError):
    """The assignment cannot be accepted as given; ``problems`` names each pair at fault."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _require_adviser(principal: Principal) -> None:
    if not is_adviser(principal):
        raise ExpertRefused("only advisers manage experts and assignments")


def create(session: Session, principal: Principal, data: dict[str, Any]) -> Expert:
    _require_adviser(principal)
    expert = Expert(**check_expert(session, data))
    session.add(expert)
    session.flush()
    audit.record(session, principal.actor, "expert.created", "expert", expert.id, name=expert.name)
    return expert


def update(
    session: Session, principal: Principal, expert: Expert, data: dict[str, Any], expected_version: int | None = None
) -> Expert:
    """Change the entry. ``expected_version``, the version the editor saw, guards against
    overwriting an edit made meanwhile by someone else (ExpertConflict; nothing is saved)."""
    _require_adviser(principal)
    seen = expert.version if expected_version is None else expected_version
    if seen != expert.version:
        raise _conflict(expert.id, expert.name, seen, expert.version)
    values = check_expert(session, {**_as_data(expert), **data})
    changed = sorted(k for k, v in values.items() if getattr(expert, k) != v)
    if changed:
        _write(session, expert, {name: values[name] for name in changed}, seen)
        audit.record(session, principal.actor, "expert.edited", "expert", expert.id, fields=changed)
        session.flush()
    return expert


def _write(session: Session, expert: Expert, changes: dict[str, Any], seen: int) -> None:
    expert_id, name = expert.id, expert.name
    try:
        with stale.flushed(session, Expert, expert_id):
            for field, value in changes.items():
                setattr(expert, field, value)
    except stale.Stale as error:
        raise _conflict(expert_id, name, seen, error.current) from None


def _conflict(expert_id: int, name: str, seen: int, current: int | None) -> ExpertConflict:
    return ExpertConflict(stale.conflict_text(f"{name}'s entry (expert {expert_id})", seen, current), current)


def delete(session: Session, principal: Principal, expert: Expert) -> None:
    """Only an expert who never had an assignment is deleted; others are marked unavailable."""
    _require_adviser(principal)
    if session.scalar(select(func.count()).select_from(Assignment).where(Assignment.expert_id == expert.id)):
        raise ExpertRefused(f"{expert.name} has assignments on record; mark them unavailable instead")
    audit.record(session, principal.actor, "expert.deleted", "expert", expert.id, name=expert.name)
    session.delete(expert)
    session.flush()


def _as_data(expert: Expert) -> dict[str, Any]:
    return {
        name: getattr(expert, name)
        for name in (
            "name",
            "email",
            "service_slugs",
            "help_kinds",
            "regions",
            "capacity",
            "available",
            "available_from",
        )
    }


def assignments_of(session: Session, expert: Expert) -> list[Assignment]:
    """The expert's assignments, active first, then the most recent."""
    found = session.scalars(
        select(Assignment)
        .where(Assignment.expert_id == expert.id)
        .order_by(Assignment.start_date.desc(), Assignment.id.desc())
    )
    return sorted(found, key=lambda a: a.status != "active")


def loads(session: Session) -> dict[int, int]:
    """Active assignments per expert id."""
    rows = session.execute(
        select(Assignment.expert_id, func.count()).where(Assignment.status == "active").group_by(Assignment.expert_id)
    )
    return {expert_id: count for expert_id, count in rows}


def is_available(expert: Expert, today: date | None = None) -> bool:
    return expert.available and (expert.available_from is None or expert.available_from <= (today or date.today()))


def profile(expert: Expert, load: int) -> engine.ExpertProfile:
    return engine.ExpertProfile(
        expert.id,
        expert.name,
        frozenset(expert.service_slugs),
        frozenset(expert.regions),
        frozenset(expert.help_kinds),
        expert.capacity,
        load,
        is_available(expert),
    )


def need(request: MatchRequest) -> engine.RequestNeed:
    return engine.RequestNeed(
        request.id,
        request.service_area.slug,
        request.organisation.region,
        frozenset(request.constraints.get("expert_help", [])),
        request.urgency,
        f"{request.organisation.display_name}: {request.service_area.name}",
        request.service_area.name,
    )


def waiting_requests(session: Session) -> list[MatchRequest]:
    """Open requests that need an expert and have no active assignment, oldest first."""
    assigned = select(Assignment.request_id).where(Assignment.status == "active")
    return list(
        session.scalars(
            select(MatchRequest)
            .where(
                MatchRequest.needs_expert.is_(True),
                MatchRequest.status.in_(request_lifecycle.OPEN),
                MatchRequest.id.not_in(assigned),
            )
            .order_by(MatchRequest.id)
        )
    )


def propose(session: Session, principal: Principal) -> dict[str, Any]:
    """The best assignment for every waiting request, with the greedy baseline's figures beside it."""
    _require_adviser(principal)
    requests = waiting_requests(session)
    current = loads(session)
    experts = list(session.scalars(select(Expert).order_by(Expert.id)))
    needs, profiles = [need(r) for r in requests], [profile(e, current.get(e.id, 0)) for e in experts]
    best, baseline = engine.assign(needs, profiles), engine.greedy(needs, profiles)
    problem = engine.build_problem(needs, profiles)
    choices = {n.id: [profiles[e].id for e in problem.allowed[r].nonzero()[0]] for r, n in enumerate(needs)}
    return {
        "pairs": best.pairs,
        "unassigned": best.unassigned,
        "total_fit": best.total_fit,
        "choices": choices,
        "requests": {r.id: r for r in requests},
        "experts": {e.id: e for e in experts},
        "loads": current,
        "greedy": {"assigned": len(baseline.pairs), "total_fit": baseline.total_fit},
    }


def accept(
    session: Session, principal: Principal, pairs: list[tuple[int, int]], edited: bool = False
) -> list[Assignment]:
    """Create the assignments, re-checking every pair; all or nothing."""
    _require_adviser(principal)
    if not pairs:
        raise AssignmentRefused(["there is nothing to accept"])
    waiting = {r.id: r for r in waiting_requests(session)}
    expert_ids = sorted({e for _, e in pairs})
    experts = {
        e.id: e
        for e in session.scalars(select(Expert).where(Expert.id.in_(expert_ids)).order_by(Expert.id).with_for_update())
    }
    current, taken, problems, made = loads(session), Counter(), [], []
    for request_id, expert_id in pairs:
        request, expert = waiting.get(request_id), experts.get(expert_id)
        why = _pair_problem(request_id, request, expert_id, expert, current, taken)
        if why:
            problems.append(why)
            continue
        made.append(_assignment(session, principal, request, expert, current.get(expert_id, 0) + taken[expert_id]))
        taken[expert_id] += 1
        waiting.pop(request_id)
    if problems:
        raise AssignmentRefused(problems)
    audit.record(
        session,
        principal.actor,
        "assignment.accepted",
        "assignment_proposal",
        "-",
        edited=edited,
        pairs=[[a.request.id, a.expert.id] for a in made],
    )
    session.flush()
    return made


def _pair_problem(
    request_id: int,
    request: MatchRequest | None,
    expert_id: int,
    expert: Expert | None,
    current: dict[int, int],
    taken: Counter,
) -> str | None:
    if request is None:
        return f"request {request_id} is not waiting for an expert (closed, already assigned or listed twice)"
    if expert is None:
        return f"there is no expert {expert_id}"
    why = engine.why_not(need(request), profile(expert, current.get(expert.id, 0) + taken[expert.id]))
    return f"request {request_id}: {why}" if why else None


def _assignment(session: Session, principal: Principal, request: MatchRequest, expert: Expert, load: int) -> Assignment:
    (pair,) = engine.assign([need(request)], [profile(expert, load)]).pairs
    assignment = Assignment(
        expert=expert, request=request, status="active", start_date=date.today(), fit_score=pair.fit, reason=pair.reason
    )
    session.add(assignment)
    session.add(
        RequestEvent(
            request=request,
            actor=principal.actor,
            kind="assignment",
            note=f"Expert assigned: {expert.name}. {pair.reason}",
        )
    )
    return assignment


def reject(session: Session, principal: Principal, reason: str) -> None:
    _require_adviser(principal)
    audit.record(
        session,
        principal.actor,
        "assignment.rejected",
        "assignment_proposal",
        "-",
        reason=(reason or "").strip()[:2000],
        waiting=[r.id for r in waiting_requests(session)],
    )
    session.flush()


def end(session: Session, principal: Principal, assignment: Assignment, status: str = "completed") -> Assignment:
    """Finish (completed) or withdraw (cancelled) an assignment, freeing the expert's place."""
    _require_adviser(principal)
    if assignment.status != "active":
        raise AssignmentRefused([f"assignment {assignment.id} is already {assignment.status}"])
    if status not in ("completed", "cancelled"):
        raise AssignmentRefused([f"an assignment ends as completed or cancelled, not {status!r}"])
    assignment.status, assignment.end_date = status, date.today()
    session.add(
        RequestEvent(
            request=assignment.request,
            actor=principal.actor,
            kind="assignment",
            note=f"Expert assignment {status}: {assignment.expert.name}",
        )
    )
    audit.record(session, principal.actor, f"assignment.{status}", "assignment", assignment.id)
    session.flush()
    return assignment
