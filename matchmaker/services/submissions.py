"""Submissions from councils and visitors: checked, queued, never published until approved.

Kinds: ``new_arrangement``, ``correction`` and ``savings_update`` (signed-in users, for their own
organisation; advisers for any), and ``report`` (anyone, with an email address for follow-up).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.db import Arrangement, Membership, Organisation, Submission, User
from matchmaker.db.repositories.versions import current_number
from matchmaker.ingest import submission_rules
from matchmaker.ingest.problems import Problem
from matchmaker.services import audit
from matchmaker.services.access import Principal, is_adviser
from matchmaker.services.duplicates import find_duplicate

KINDS = ("new_arrangement", "correction", "savings_update", "report")
ARRANGEMENT_KINDS = ("correction", "savings_update")


class SubmissionRefused(PermissionError):
    """The principal may not make this submission; the message says why."""


class UnknownArrangement(LookupError):
    pass


def submit(
    session: Session,
    principal: Principal,
    kind: str,
    data: dict[str, Any],
    arrangement_public_id: str | None = None,
    refresh_round_id: int | None = None,
) -> tuple[Submission, str | None]:
    """Store a pending submission. Returns it and, for a report, a receipt token shown once
    (the visitor uses it to see the decision); raises InvalidSubmission or SubmissionRefused."""
    if kind not in KINDS:
        raise submission_rules.InvalidSubmission(
            [Problem("submission", None, "kind", f"{kind!r} is not one of: {', '.join(KINDS)}")]
        )
    if kind == "report":
        return _report(session, principal, data)
    _require_signed_in(principal)
    arrangement = None
    if kind in ARRANGEMENT_KINDS:
        arrangement = _arrangement(session, arrangement_public_id)
        _require_member(session, principal, arrangement)
        payload = (
            submission_rules.check_correction(session, arrangement, data)
            if kind == "correction"
            else submission_rules.check_savings_update(data)
        )
        payload["base_version"] = current_number(session, arrangement.id)
        payload["filled_gap"] = kind == "savings_update" and not arrangement.savings
    else:
        payload = submission_rules.check_new_arrangement(session, data)
        _require_own_council(session, principal, payload["council_codes"])
    submission = Submission(
        kind=kind,
        status="pending",
        organisation_id=principal.organisation_id,
        arrangement_id=arrangement.id if arrangement else None,
        submitted_by_id=principal.user_id,
        payload=payload,
        refresh_round_id=refresh_round_id,
    )
    if kind == "new_arrangement":
        duplicate = find_duplicate(session, payload["council_codes"], payload["service_slugs"])
        submission.duplicate_of_id = duplicate.id if duplicate else None
    return _store(session, principal, submission), None


def _store(session: Session, principal: Principal, submission: Submission) -> Submission:
    session.add(submission)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "submission.created",
        "submission",
        submission.id,
        kind=submission.kind,
    )
    return submission


def _report(session: Session, principal: Principal, data: dict[str, Any]) -> tuple[Submission, str]:
    if not data.get("email") and principal.user_id is not None:
        data = {**data, "email": session.get(User, principal.user_id).email}
    payload = submission_rules.check_report(session, data)
    receipt = secrets.token_urlsafe(24)
    payload["receipt_sha256"] = receipt_hash(receipt)
    arrangement_id = None
    if payload["arrangement_id"]:
        arrangement_id = _arrangement(session, payload["arrangement_id"]).id
    submission = Submission(
        kind="report",
        status="pending",
        organisation_id=principal.organisation_id,
        arrangement_id=arrangement_id,
        submitted_by_id=principal.user_id,
        submitter_email=payload["email"],
        payload=payload,
    )
    return _store(session, principal, submission), receipt


def receipt_hash(receipt: str) -> str:
    return hashlib.sha256(receipt.encode()).hexdigest()


def _arrangement(session: Session, public_id: str | None) -> Arrangement:
    arrangement = session.scalar(
        select(Arrangement)
        .where(Arrangement.public_id == (public_id or ""))
        .options(selectinload(Arrangement.members).selectinload(Membership.organisation))
    )
    if arrangement is None:
        raise UnknownArrangement(f"no arrangement {public_id!r}")
    return arrangement


def _require_signed_in(principal: Principal) -> None:
    if principal.user_id is None:
        raise SubmissionRefused("sign in (or use a key linked to a user) to submit for your organisation")
    if principal.organisation_id is None and not is_adviser(principal):
        raise SubmissionRefused("your account is not linked to an organisation")


def _require_member(session: Session, principal: Principal, arrangement: Arrangement) -> None:
    if is_adviser(principal):
        return
    if principal.organisation_id not in {m.organisation_id for m in arrangement.current_members}:
        raise SubmissionRefused(
            f"your organisation is not a member of arrangement {arrangement.public_id}; "
            "report a wrong arrangement instead"
        )


def _require_own_council(session: Session, principal: Principal, codes: list[str]) -> None:
    if is_adviser(principal):
        return
    own = session.get(Organisation, principal.organisation_id)
    if own.gss_code not in codes:
        raise SubmissionRefused(f"a new arrangement must include your organisation ({own.gss_code})")


def for_submitter(session: Session, principal: Principal) -> list[Submission]:
    """The principal's own submissions, newest first, with decisions and reasons."""
    if principal.user_id is None:
        return []
    return list(
        session.scalars(
            select(Submission).where(Submission.submitted_by_id == principal.user_id).order_by(Submission.id.desc())
        )
    )


def by_receipt(session: Session, receipt: str) -> Submission | None:
    digest = receipt_hash(receipt)
    reports = session.scalars(select(Submission).where(Submission.kind == "report"))
    return next((s for s in reports if s.payload.get("receipt_sha256") == digest), None)


def pending(session: Session) -> list[Submission]:
    return list(session.scalars(select(Submission).where(Submission.status == "pending").order_by(Submission.id)))
