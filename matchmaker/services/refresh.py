"""Annual refresh rounds: opened by an adviser, answered per council, tracked on a dashboard."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.db import (
    Arrangement,
    AuditEvent,
    Membership,
    Organisation,
    RefreshResponse,
    RefreshRound,
    Submission,
)
from matchmaker.services import audit
from matchmaker.services.access import Principal, is_adviser


class RoundRefused(PermissionError):
    pass


class RoundConflict(RuntimeError):
    pass


def open_round(session: Session, principal: Principal, year: int) -> RefreshRound:
    if not is_adviser(principal):
        raise RoundRefused("only advisers open refresh rounds")
    if session.scalar(select(RefreshRound.id).where(RefreshRound.year == year)) is not None:
        raise RoundConflict(f"a refresh round for {year} already exists")
    if current_round(session) is not None:
        raise RoundConflict(f"the {current_round(session).year} round is still open; close it first")
    refresh_round = RefreshRound(year=year, status="open", opened_by_id=principal.user_id)
    session.add(refresh_round)
    session.flush()
    audit.record(session, principal.actor, "refresh.opened", "refresh_round", year)
    return refresh_round


def close_round(session: Session, principal: Principal, refresh_round: RefreshRound) -> None:
    if not is_adviser(principal):
        raise RoundRefused("only advisers close refresh rounds")
    if refresh_round.status != "open":
        raise RoundConflict(f"the {refresh_round.year} round is already closed")
    refresh_round.status = "closed"
    refresh_round.closed_at = datetime.now(timezone.utc)
    audit.record(session, principal.actor, "refresh.closed", "refresh_round", refresh_round.year)


def current_round(session: Session) -> RefreshRound | None:
    return session.scalar(select(RefreshRound).where(RefreshRound.status == "open").order_by(RefreshRound.year.desc()))


def round_for_year(session: Session, year: int) -> RefreshRound | None:
    return session.scalar(select(RefreshRound).where(RefreshRound.year == year))


def all_rounds(session: Session) -> list[RefreshRound]:
    return list(session.scalars(select(RefreshRound).order_by(RefreshRound.year.desc())))


def record_response(
    session: Session,
    principal: Principal,
    refresh_round: RefreshRound,
    organisation: Organisation,
    confirmed: list[Arrangement],
    submitted: int,
) -> RefreshResponse:
    """A council's answer. Each confirmation is an audit event, so answering twice counts once."""
    for arrangement in confirmed:
        audit.record(
            session,
            principal.actor,
            "refresh.confirmed",
            "arrangement",
            arrangement.public_id,
            round=refresh_round.year,
            organisation=organisation.gss_code,
        )
    session.flush()
    response = session.scalar(
        select(RefreshResponse).where(
            RefreshResponse.round_id == refresh_round.id,
            RefreshResponse.organisation_id == organisation.id,
        )
    )
    if response is None:
        response = RefreshResponse(
            round_id=refresh_round.id,
            organisation_id=organisation.id,
            confirmed_count=0,
            submission_count=0,
        )
        session.add(response)
    response.confirmed_count = len(_confirmed(session, refresh_round, organisation.gss_code))
    response.submission_count += submitted
    response.responded_at = datetime.now(timezone.utc)
    session.flush()
    return response


def _confirmed(session: Session, refresh_round: RefreshRound, organisation_code: str | None = None) -> set[str]:
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "refresh.confirmed"))
    return {
        e.object_id
        for e in events
        if e.detail.get("round") == refresh_round.year
        and (organisation_code is None or e.detail.get("organisation") == organisation_code)
    }


def councils_asked(session: Session) -> int:
    """Current councils that are members of at least one arrangement."""
    return session.scalar(
        select(func.count(func.distinct(Organisation.id)))
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Organisation.end_date.is_(None))
    )


def dashboard(session: Session, refresh_round: RefreshRound) -> dict[str, Any]:
    responses = session.scalars(select(RefreshResponse).where(RefreshResponse.round_id == refresh_round.id)).all()
    submissions = session.scalars(select(Submission).where(Submission.refresh_round_id == refresh_round.id)).all()
    by_status = {
        status: sum(1 for s in submissions if s.status == status) for status in ("pending", "approved", "rejected")
    }
    gaps_closed = {
        s.arrangement_id
        for s in submissions
        if s.kind == "savings_update" and s.status == "approved" and s.payload.get("filled_gap")
    }
    return {
        "year": refresh_round.year,
        "status": refresh_round.status,
        "councils_asked": councils_asked(session),
        "councils_responded": len(responses),
        "arrangements_total": session.scalar(select(func.count()).select_from(Arrangement)),
        "arrangements_confirmed": len(_confirmed(session, refresh_round)),
        "arrangements_without_savings": _without_savings(session),
        "savings_gaps_closed": len(gaps_closed),
        "submissions": by_status,
    }


def _without_savings(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Arrangement).where(~Arrangement.savings.any()))
