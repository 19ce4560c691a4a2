"""/api/v1/submissions: submit for your organisation (or report anonymously), and moderation."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from sqlalchemy import select

from matchmaker.api.auth import current_principal, require
from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.caching import no_store
from matchmaker.api.commits import committed, sentence
from matchmaker.api.errors import ApiProblem, not_found
from matchmaker.api.schemas.submissions import (
    ApprovalSchema,
    CorrectionSchema,
    NewArrangementSchema,
    RejectionSchema,
    ReportSchema,
    ReviewSchema,
    SavingsUpdateSchema,
    SubmissionListArgsSchema,
    SubmissionListSchema,
    SubmissionSchema,
)  # fmt: skip
from matchmaker.db import Arrangement, Organisation, Submission
from matchmaker.flask_database import get_session
from matchmaker.ingest.submission_rules import InvalidSubmission
from matchmaker.services import moderation, submissions
from matchmaker.services.access import Principal, is_adviser

blueprint = ResourceBlueprint(
    "api_submissions",
    __name__,
    url_prefix="/api/v1/submissions",
    description="New arrangements, corrections, savings updates and reports, held for moderation.",
    tag="Submissions",
)
PRIVATE_PAYLOAD = ("receipt_sha256", "email")


def representation(submission: Submission, principal: Principal) -> dict[str, Any]:
    session = get_session()
    arrangement = session.get(Arrangement, submission.arrangement_id) if submission.arrangement_id else None
    duplicate = session.get(Arrangement, submission.duplicate_of_id) if submission.duplicate_of_id else None
    organisation = session.get(Organisation, submission.organisation_id) if submission.organisation_id else None
    payload = submission.payload
    if not is_adviser(principal):
        payload = {k: v for k, v in payload.items() if k not in PRIVATE_PAYLOAD}
    return {
        "id": submission.id,
        "kind": submission.kind,
        "status": submission.status,
        "arrangement_id": arrangement.public_id if arrangement else None,
        "organisation": organisation.gss_code if organisation else None,
        "duplicate_of": duplicate.public_id if duplicate else None,
        "refresh_round": submission.refresh_round_id,
        "payload": payload,
        "created_at": submission.created_at,
        "decided_at": submission.decided_at,
        "reject_reason": submission.reject_reason,
    }


MAX_ID = 2**31 - 1  # larger numbers name nothing (and overflow the database's integers)


def _visible(submission_id: int, principal: Principal) -> Submission:
    submission = get_session().get(Submission, submission_id) if submission_id <= MAX_ID else None
    if submission is None or not (
        is_adviser(principal) or (principal.user_id is not None and submission.submitted_by_id == principal.user_id)
    ):
        raise not_found(f"There is no submission {submission_id} that you can see.")
    return submission


def _submit(kind: str, data: dict[str, Any], public_id: str | None = None) -> dict[str, Any]:
    """Store the submission. The body already passed its schema, so what the import rules still
    refuse is a reference to something unknown (404) or a contradiction (409)."""
    principal, session = current_principal(), get_session()
    no_store()
    try:
        created, receipt = submissions.submit(session, principal, kind, _form_values(data), public_id)
    except InvalidSubmission as error:
        raise refused_submission(error) from None
    except submissions.UnknownArrangement as error:
        raise not_found(f"There is {error}.") from None
    except submissions.SubmissionRefused as error:
        raise ApiProblem(401 if principal.is_anonymous else 403, sentence(error)) from None
    session.commit()
    result = representation(created, principal)
    if receipt:
        result["receipt"] = receipt
    return result


def _form_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: list(dict.fromkeys(v)) if isinstance(v, list) else v for k, v in data.items()}
    savings = values.pop("savings", None)
    if savings:
        values.update(savings_gbp=savings["amount_gbp"], savings_kind=savings["kind"])
    return values


def refused_submission(error: InvalidSubmission) -> ApiProblem:
    params = [{"name": p.column or "body", "in": "body", "reason": p.message} for p in error.problems]
    detail = "; ".join(f"{p['name']}: {p['reason']}" for p in params)
    unknown = all(p.message.startswith("unknown GSS code") for p in error.problems)
    return ApiProblem(
        404 if unknown else 409,
        detail,
        invalid_params=params,
        type_slug=None if unknown else "submission-contradiction",
    )


@blueprint.route("/new-arrangements")
class NewArrangements(MethodView):
    @blueprint.arguments(NewArrangementSchema, location="json")
    @blueprint.response(201, SubmissionSchema)
    def post(self, body: dict[str, Any]):
        """Propose an arrangement (signed-in users, including their own organisation). Flagged
        when it duplicates one held. 409 when it contradicts itself (ends before it starts)."""
        return _submit("new_arrangement", body)


@blueprint.route("/corrections")
class Corrections(MethodView):
    @blueprint.arguments(CorrectionSchema, location="json")
    @blueprint.response(201, SubmissionSchema)
    def post(self, body: dict[str, Any]):
        """Correct an arrangement your organisation belongs to: send only the fields to change.
        409 when it changes nothing or contradicts the arrangement (ends before it starts)."""
        public_id = body.pop("arrangement_id")
        return _submit("correction", body, public_id)


@blueprint.route("/savings-updates")
class SavingsUpdates(MethodView):
    @blueprint.arguments(SavingsUpdateSchema, location="json")
    @blueprint.response(201, SubmissionSchema)
    def post(self, body: dict[str, Any]):
        """A savings figure, achieved or expected, for a financial year."""
        public_id = body.pop("arrangement_id")
        return _submit("savings_update", body, public_id)


@blueprint.route("/reports")
class Reports(MethodView):
    @blueprint.arguments(ReportSchema, location="json")
    @blueprint.response(201, SubmissionSchema)
    def post(self, body: dict[str, Any]):
        """Anyone, signed in or not: report a missing or wrong arrangement, with an email address
        for follow-up. The answer carries a receipt (shown once) to see the decision."""
        return _submit("report", body)


@blueprint.route("")
class Submissions(MethodView):
    @blueprint.arguments(SubmissionListArgsSchema, location="query", as_kwargs=True)
    @blueprint.response(200, SubmissionListSchema)
    def get(self, status: str | None = None):
        """Advisers see every submission (the moderation queue); others see their own."""
        principal, session = current_principal(), get_session()
        if principal.user_id is None and not is_adviser(principal):
            raise ApiProblem(401, "Sign in or use a key linked to a user to see submissions.")
        no_store()
        query = select(Submission).order_by(Submission.id)
        if not is_adviser(principal):
            query = query.where(Submission.submitted_by_id == principal.user_id)
        if status:
            query = query.where(Submission.status == status)
        return {"items": [representation(s, principal) for s in session.scalars(query)]}


@blueprint.route("/<int:submission_id>")
class SubmissionDetail(MethodView):
    @blueprint.response(200, ReviewSchema)
    def get(self, submission_id: int):
        """One submission with the difference approving it would make to the data as it is now."""
        principal = current_principal()
        submission = _visible(submission_id, principal)
        no_store()
        review = moderation.review(get_session(), submission)
        return {**review, "submission": representation(submission, principal)}


def _decided(submission_id: int, decide) -> dict[str, Any]:
    principal = require("adviser")
    submission = _visible(submission_id, principal)
    committed(
        lambda session: decide(session, submission, principal),
        {moderation.ModerationConflict: lambda error: ApiProblem(409, sentence(error))},
    )
    return representation(submission, principal)


@blueprint.route("/<int:submission_id>/approval")
class Approval(MethodView):
    @blueprint.arguments(ApprovalSchema, location="json")
    @blueprint.response(200, SubmissionSchema)
    def post(self, body: dict[str, Any], submission_id: int):
        """Approve (adviser): applied in one transaction with a history version and an audit
        event. 409 when the arrangement changed since the submission (or the version given)."""
        return _decided(
            submission_id,
            lambda s, sub, p: moderation.approve(s, sub, p, body.get("expected_version")),
        )


@blueprint.route("/<int:submission_id>/rejection")
class Rejection(MethodView):
    @blueprint.arguments(RejectionSchema, location="json")
    @blueprint.response(200, SubmissionSchema)
    def post(self, body: dict[str, Any], submission_id: int):
        """Reject (adviser) with a reason the submitter sees."""
        return _decided(submission_id, lambda s, sub, p: moderation.reject(s, sub, p, body["reason"]))


@blueprint.route("/receipts/<text:receipt>")
class Receipt(MethodView):
    @blueprint.response(200, SubmissionSchema)
    def get(self, receipt: str):
        """An anonymous report's status and, if rejected, the reason, found by its receipt."""
        found = submissions.by_receipt(get_session(), receipt) if len(receipt) <= 64 else None
        if found is None:
            raise not_found("There is no report with this receipt.")
        no_store()
        return representation(found, current_principal())
