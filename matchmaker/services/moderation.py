"""Advisers review submissions: the diff, then approve (applied whole) or reject with a reason.

Approval runs inside the caller's transaction: the data change, the history version, the audit
event and the decision are committed together or not at all. A submission made against version N
of an arrangement is refused with a conflict if the arrangement has moved on, unless the adviser
approves against the version they have just reviewed (``expected_version``).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from matchmaker.db import Arrangement, Submission, arrangement_state
from matchmaker.db.arrangement_diff import diff_snapshots
from matchmaker.db.repositories.versions import current_number, record_version
from matchmaker.services import audit
from matchmaker.services.access import Principal, is_adviser
from matchmaker.services.proposals import proposal_for


class ModerationRefused(PermissionError):
    pass


class ModerationConflict(RuntimeError):
    """The submission or its arrangement changed since it was made or reviewed."""

    def __init__(self, message: str, current_version: int | None = None) -> None:
        super().__init__(message)
        self.current_version = current_version


def review(session: Session, submission: Submission) -> dict[str, Any]:
    """What approving would change, against the data as it is now."""
    proposal = proposal_for(session, submission)
    current = base = None
    if submission.arrangement_id is not None and submission.kind != "report":
        current = current_number(session, submission.arrangement_id)
        base = submission.payload.get("base_version")
    return {
        "submission": submission,
        "diff": diff_snapshots(proposal.before, proposal.after) if proposal.after else None,
        "proposed": proposal.after,
        "base_version": base,
        "current_version": current,
        "stale": current is not None and current != base,
        "duplicate_of": (session.get(Arrangement, submission.duplicate_of_id) if submission.duplicate_of_id else None),
    }


def approve(
    session: Session,
    submission: Submission,
    principal: Principal,
    expected_version: int | None = None,
) -> Arrangement | None:
    """Apply the submission; returns the arrangement created or changed (None for a report)."""
    _require_pending(principal, submission)
    arrangement = None
    try:
        if submission.kind != "report":
            arrangement = _apply(session, submission, principal, expected_version)
        _decide(submission, principal, "approved")
        audit.record(
            session,
            principal.actor,
            "submission.approved",
            "submission",
            submission.id,
            kind=submission.kind,
            arrangement=arrangement.public_id if arrangement else None,
        )
        session.flush()
    except (StaleDataError, IntegrityError) as exc:
        raise ModerationConflict(f"submission {submission.id} was decided or changed concurrently") from exc
    return arrangement


def _apply(session: Session, submission: Submission, principal: Principal, expected: int | None) -> Arrangement:
    if submission.kind == "new_arrangement":
        arrangement = Arrangement(public_id=f"S{submission.id:05d}", name="", status="")
        session.add(arrangement)
        note = f"Added from submission {submission.id}"
    else:
        arrangement = session.get(Arrangement, submission.arrangement_id)
        _check_version(session, submission, expected)
        note = f"{submission.kind.replace('_', ' ').capitalize()} from submission {submission.id}"
    proposal = proposal_for(session, submission)
    arrangement_state.apply(session, arrangement, proposal.after)
    record_version(session, arrangement, principal.actor, note, submission_id=submission.id)
    submission.arrangement_id = arrangement.id
    return arrangement


def _check_version(session: Session, submission: Submission, expected: int | None) -> None:
    current = current_number(session, submission.arrangement_id)
    wanted = submission.payload.get("base_version") if expected is None else expected
    if current != wanted:
        raise ModerationConflict(
            f"arrangement changed since version {wanted} (now version {current}); "
            "review the difference again before approving",
            current_version=current,
        )


def reject(session: Session, submission: Submission, principal: Principal, reason: str) -> None:
    _require_pending(principal, submission)
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("give a reason: the submitter sees it")
    submission.reject_reason = reason[:2000]
    _decide(submission, principal, "rejected")
    audit.record(
        session,
        principal.actor,
        "submission.rejected",
        "submission",
        submission.id,
        kind=submission.kind,
    )
    try:
        session.flush()
    except StaleDataError as exc:
        raise ModerationConflict(f"submission {submission.id} was decided concurrently") from exc


def _require_pending(principal: Principal, submission: Submission) -> None:
    if not is_adviser(principal):
        raise ModerationRefused("only advisers moderate submissions")
    if submission.status != "pending":
        raise ModerationConflict(f"submission {submission.id} is already {submission.status}")


def _decide(submission: Submission, principal: Principal, status: str) -> None:
    submission.status = status
    submission.decided_at = datetime.now(timezone.utc)
    submission.decided_by_id = principal.user_id
