"""Match-making requests: a council asks for partners for a service; advisers take it through
the lifecycle (``services.request_lifecycle``) to an arrangement or a close.

Council officers create requests for their own organisation, follow them, add notes and withdraw
(close) them; advisers create them on a council's behalf and make every other change. Every change
writes an audit event and a line of the request's timeline. Changes to the request itself name
the version the caller saw: if someone else changed it meanwhile, RequestConflict is raised and
nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.core.results import REASON_LABELS
from matchmaker.db import Assignment, MatchRequest, RequestEvent
from matchmaker.db.repositories import changes
from matchmaker.services import audit, request_lifecycle, request_outcome, request_suggestions, stale
from matchmaker.services.access import Principal, is_adviser
from matchmaker.services.cache import AppCache
from matchmaker.services.request_fields import InvalidRequest, check_details, check_new

__all__ = [
    "InvalidRequest",
    "RequestRefused",
    "RequestConflict",
    "RequestNotFound",
    "create",
    "get",
    "update",
    "add_note",
    "move",
    "is_overdue",
    "OVERDUE_DAYS",
]
OVERDUE_DAYS = {"high": 5, "normal": 14, "low": 28}  # days in one open status before it is overdue


MAX_NOTE = 5000


class RequestRefused(PermissionError):
    """The principal may not do this to the request; the message says why."""


class RequestNotFound(LookupError):
    pass


class RequestConflict(RuntimeError):
    """Someone else changed the request since the caller read it."""

    def __init__(self, message: str, current_version: int | None) -> None:
        super().__init__(message)
        self.current_version = current_version


def create(session: Session, principal: Principal, data: dict[str, Any]) -> MatchRequest:
    """A submitted request from an officer (for their own organisation) or an adviser."""
    _require_requester(principal)
    fields = check_new(session, data, principal.organisation_id if not is_adviser(principal) else None)
    request = MatchRequest(status="submitted", requested_by_id=principal.user_id, **fields)
    session.add(request)
    session.flush()
    _event(session, request, principal, "created", to_status="submitted", note=request.description or None)
    audit.record(
        session,
        principal.actor,
        "match_request.created",
        "match_request",
        request.id,
        organisation=request.organisation.gss_code,
        service=request.service_area.slug,
    )
    session.flush()
    return request


def get(session: Session, principal: Principal, request_id: int) -> MatchRequest:
    """The request if the principal may see it (advisers: all; officers: their organisation's)."""
    request = session.get(MatchRequest, request_id) if 0 < request_id < 2**31 else None
    if request is None or not may_see(principal, request):
        raise RequestNotFound(f"there is no match-making request {request_id} that you can see")
    return request


def may_see(principal: Principal, request: MatchRequest) -> bool:
    return is_adviser(principal) or (
        principal.organisation_id is not None and principal.organisation_id == request.organisation_id
    )


def update(
    session: Session, principal: Principal, request: MatchRequest, expected_version: int, data: dict[str, Any]
) -> MatchRequest:
    """Change the description, constraints, urgency or whether an expert is needed."""
    _require_open(request)
    if not may_see(principal, request) or not principal.has("requests:write"):
        raise RequestRefused("only advisers and the requesting organisation's officers may edit the request")
    _check_version(request, expected_version)
    changes = check_details(session, request, data)
    if not changes:
        return request
    with _conflicts(session, request, expected_version):
        for name, value in changes.items():
            setattr(request, name, value)
        _event(session, request, principal, "edited", note="Changed " + ", ".join(sorted(changes)))
        audit.record(
            session, principal.actor, "match_request.edited", "match_request", request.id, fields=sorted(changes)
        )
    return request


def add_note(session: Session, principal: Principal, request: MatchRequest, note: str) -> RequestEvent:
    """Notes are appended, so they never conflict with other changes."""
    if not may_see(principal, request) or not principal.has("requests:write"):
        raise RequestRefused("only advisers and the requesting organisation's officers may add notes")
    note = (note or "").strip()
    if not note:
        raise InvalidRequest({"note": "write the note"})
    if len(note) > MAX_NOTE:
        raise InvalidRequest({"note": f"a note can be at most {MAX_NOTE:,} characters; this one has {len(note):,}"})
    event = _event(session, request, principal, "note", note=note)
    audit.record(session, principal.actor, "match_request.noted", "match_request", request.id)
    session.flush()
    return event


def move(
    session: Session,
    principal: Principal,
    request: MatchRequest,
    to_status: str,
    expected_version: int,
    *,
    reason: str | None = None,
    note: str | None = None,
    partner_codes: list[str] | None = None,
    model_path: str | None = None,
    cache: AppCache | None = None,
    not_pursued_reason: str | None = None,
) -> MatchRequest:
    """Take the request to ``to_status``; raises request_lifecycle.TransitionRefused if that skips or
    reverses the request_lifecycle. Sending suggestions stores the snapshot; forming an arrangement
    creates (or enlarges) it from the request; closing records why it was not pursued (a reason
    from core.results' list: a council withdrawing says so, an adviser's close without one is "other").
    ``cache``: the caller's AppCache for the engine (by default one for this call only)."""
    _require_mover(principal, request, to_status)
    _check_version(request, expected_version)
    request_lifecycle.check(request.status, to_status, reason)
    if to_status == "closed":
        not_pursued_reason = _not_pursued(principal, not_pursued_reason)
    with _conflicts(session, request, expected_version):
        if to_status == "closed":
            request.not_pursued_reason = not_pursued_reason
        _apply_move(session, principal, request, to_status, reason, note, partner_codes, model_path, cache)
    return request


def _not_pursued(principal: Principal, given: str | None) -> str:
    if not given:
        return "other" if is_adviser(principal) else "council_withdrew"
    if given not in REASON_LABELS:
        raise InvalidRequest({"not_pursued_reason": f"choose one of: {', '.join(REASON_LABELS)}"})
    return given


def _apply_move(
    session: Session,
    principal: Principal,
    request: MatchRequest,
    to_status: str,
    reason: str | None,
    note: str | None,
    partner_codes: list[str] | None,
    model_path: str | None,
    cache: AppCache | None,
) -> None:
    detail: dict[str, Any] = {}
    if to_status == "suggestions_sent":
        snapshot = request_suggestions.take_snapshot(session, request, cache or AppCache(), model_path)
        detail["candidates"] = [c["gss_code"] for c in snapshot.payload["candidates"]]
    elif to_status == "arrangement_formed":
        arrangement = request_outcome.form_arrangement(session, request, partner_codes or [], principal.actor)
        request.result_arrangement_id = arrangement.id
        detail["arrangement"] = arrangement.public_id
    if to_status == "closed":
        request.close_reason = reason.strip()[:2000]
    if to_status in request_lifecycle.FINAL:
        _finish_assignments(session, request, "completed" if to_status == "arrangement_formed" else "cancelled")
    before, request.status = request.status, to_status
    said = [(reason or "").strip() if to_status == "closed" else "", (note or "").strip()]
    _event(
        session,
        request,
        principal,
        "status",
        from_status=before,
        to_status=to_status,
        note="; ".join(t for t in said if t) or None,
    )
    audit.record(
        session,
        principal.actor,
        "match_request.status",
        "match_request",
        request.id,
        from_status=before,
        to_status=to_status,
        **detail,
    )


def is_overdue(request: MatchRequest, now: datetime | None = None) -> bool:
    """Open and in its current status longer than its urgency allows."""
    if request.status in request_lifecycle.FINAL:
        return False
    since = max((e.at for e in request.events if e.kind in ("created", "status")), default=request.created_at)
    now = now or datetime.now(timezone.utc)
    if since.tzinfo is None:  # SQLite hands back naive datetimes (stored as UTC)
        since = since.replace(tzinfo=timezone.utc)
    return now - since > timedelta(days=OVERDUE_DAYS.get(request.urgency, OVERDUE_DAYS["normal"]))


def _finish_assignments(session: Session, request: MatchRequest, status: str) -> None:
    for assignment in session.scalars(
        select(Assignment).where(Assignment.request_id == request.id, Assignment.status == "active")
    ):
        assignment.status, assignment.end_date = status, date.today()


def _event(session: Session, request: MatchRequest, principal: Principal, kind: str, **fields) -> RequestEvent:
    event = RequestEvent(request=request, actor=principal.actor, kind=kind, **fields)
    session.add(event)
    changes.request_changed(session, request.id, kind, None, {"request_id": request.id, "status": request.status})
    return event


def _require_requester(principal: Principal) -> None:
    if not principal.has("requests:write"):
        raise RequestRefused("sign in as a council officer or an adviser to request partners")
    if not is_adviser(principal) and principal.organisation_id is None:
        raise RequestRefused("your account is not linked to an organisation")


def _require_mover(principal: Principal, request: MatchRequest, to_status: str) -> None:
    if is_adviser(principal):
        return
    if to_status == "closed" and may_see(principal, request) and principal.has("requests:write"):
        return  # the requesting council may withdraw its request
    raise RequestRefused(
        "only advisers move a request through its lifecycle; the requesting council may close (withdraw) it"
    )


def _require_open(request: MatchRequest) -> None:
    if request.status in request_lifecycle.FINAL:
        raise request_lifecycle.TransitionRefused(
            request.status,
            request.status,
            f"the request is {request_lifecycle.LABELS[request.status].lower()}; it cannot change",
        )


def _check_version(request: MatchRequest, expected: int) -> None:
    if expected != request.version:
        raise RequestConflict(_conflict_text(request.id, expected, request.version), request.version)


def _conflict_text(request_id: int, seen: int, current: int | None) -> str:
    return stale.conflict_text(f"request {request_id}", seen, current)


@contextmanager
def _conflicts(session: Session, request: MatchRequest, expected: int) -> Iterator[None]:
    """Write the block's changes now, so a concurrent change to the same request surfaces as
    RequestConflict (with the version it has now); the caller rolls the transaction back."""
    request_id = request.id
    try:
        with stale.flushed(session, MatchRequest, request_id):
            yield
    except stale.Stale as error:
        raise RequestConflict(_conflict_text(request_id, expected, error.current), error.current) from None
