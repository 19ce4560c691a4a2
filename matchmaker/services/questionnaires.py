"""Questionnaires in and out: a council's answers, from its workbook or the web form, become
submissions, all or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.db import AuditEvent, Organisation, RefreshRound, Submission
from matchmaker.ingest.questionnaire import council_rows, questionnaire_bytes
from matchmaker.ingest.questionnaire_answers import (
    ARRANGEMENTS,
    Answer,
    CellProblem,
    QuestionnaireRejected,
    form_answers,
    read_answers,
)  # fmt: skip
from matchmaker.ingest.submission_rules import InvalidSubmission
from matchmaker.services import audit, refresh, submissions
from matchmaker.services.access import Principal, is_adviser


class UnknownCouncil(LookupError):
    pass


@dataclass
class QuestionnaireResult:
    confirmed: int
    submissions: list[Submission]


def council(session: Session, code: str) -> Organisation:
    organisation = session.scalar(select(Organisation).where(Organisation.gss_code == code))
    if organisation is None:
        raise UnknownCouncil(f"no council with GSS code {code!r}")
    return organisation


def may_answer_for(principal: Principal, organisation: Organisation) -> bool:
    return is_adviser(principal) or principal.organisation_id == organisation.id


def export(session: Session, organisation: Organisation, refresh_round: RefreshRound) -> bytes:
    return questionnaire_bytes(session, organisation, refresh_round.year)


UPLOADED = "questionnaire.uploaded"


def upload(
    session: Session,
    principal: Principal,
    organisation: Organisation,
    refresh_round: RefreshRound,
    raw: bytes,
) -> QuestionnaireResult:
    """Check every cell, then turn the answers into pending submissions and record the response.
    Raises QuestionnaireRejected (nothing written) or submissions.SubmissionRefused."""
    _check_may_answer(principal, organisation, refresh_round)
    digest = hashlib.sha256(raw).hexdigest()
    _refuse_repeat(session, organisation, refresh_round, digest)
    answers = read_answers(session, raw, organisation.gss_code, council_rows(session, organisation))
    result = _record(session, principal, organisation, refresh_round, answers)
    audit.record(
        session,
        principal.actor,
        UPLOADED,
        "organisation",
        organisation.gss_code,
        round=refresh_round.year,
        sha256=digest,
    )
    return result


def _refuse_repeat(session: Session, organisation: Organisation, refresh_round: RefreshRound, digest: str) -> None:
    """The same file twice is the same answers twice: refused, saying when it first came."""
    earlier = session.scalars(
        select(AuditEvent).where(AuditEvent.action == UPLOADED, AuditEvent.object_id == organisation.gss_code)
    ).all()
    for event in earlier:
        if event.detail.get("round") == refresh_round.year and event.detail.get("sha256") == digest:
            raise submissions.SubmissionRefused(
                f"this file was already uploaded for {organisation.name} on "
                f"{event.at.strftime('%-d %B %Y at %H:%M')}; its answers are with the advisers. "
                "To change an answer, upload a corrected file or answer online"
            )


def answer_online(
    session: Session,
    principal: Principal,
    organisation: Organisation,
    refresh_round: RefreshRound,
    form: Mapping[str, str],
) -> QuestionnaireResult:
    """The same questionnaire answered in the web form; the same checks and the same outcome."""
    _check_may_answer(principal, organisation, refresh_round)
    answers = form_answers(session, council_rows(session, organisation), form)
    if not answers:
        raise submissions.SubmissionRefused(
            "nothing was answered: confirm, correct or add a savings figure to at least one arrangement"
        )
    return _record(session, principal, organisation, refresh_round, answers)


def _check_may_answer(principal: Principal, organisation: Organisation, refresh_round: RefreshRound) -> None:
    if not may_answer_for(principal, organisation):
        raise submissions.SubmissionRefused(f"you cannot answer the questionnaire for {organisation.name}")
    if refresh_round.status != "open":
        raise submissions.SubmissionRefused(f"the {refresh_round.year} refresh round is closed")


def _record(
    session: Session,
    principal: Principal,
    organisation: Organisation,
    refresh_round: RefreshRound,
    answers: list[Answer],
) -> QuestionnaireResult:
    created = []
    for answer in answers:
        created.extend(_submit(session, principal, refresh_round, answer))
    confirmed = [a.arrangement for a in answers if a.confirmed]
    refresh.record_response(session, principal, refresh_round, organisation, confirmed, len(created))
    return QuestionnaireResult(len(confirmed), created)


def _submit(session: Session, principal: Principal, refresh_round: RefreshRound, answer: Answer) -> list[Submission]:
    public_id = answer.arrangement.public_id
    wanted = [("correction", answer.correction), ("savings_update", answer.savings)]
    if answer.note:
        wanted.append(("report", {"message": answer.note, "arrangement_id": public_id}))
    made = []
    for kind, data in wanted:
        if not data:
            continue
        try:
            submission, _receipt = submissions.submit(
                session, principal, kind, data, public_id, refresh_round_id=refresh_round.id
            )
        except InvalidSubmission as invalid:  # checked already; kept so nothing half-applies
            raise QuestionnaireRejected(
                [CellProblem(ARRANGEMENTS, f"A{answer.row}", str(p)) for p in invalid.problems]
            ) from None
        submission.refresh_round_id = refresh_round.id
        made.append(submission)
    return made
