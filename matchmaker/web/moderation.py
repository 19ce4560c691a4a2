"""The advisers' moderation queue: each submission's difference, then approve or reject."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from matchmaker.db import Arrangement, Submission
from matchmaker.flask_database import get_session
from matchmaker.services import moderation, submissions
from matchmaker.services.access import is_adviser
from matchmaker.web.principal import current_principal

blueprint = Blueprint("moderation", __name__, url_prefix="/moderation")


def adviser_only(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not is_adviser(current_principal()):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _submission(submission_id: int) -> Submission:
    found = get_session().get(Submission, submission_id) if submission_id < 2**31 else None
    if found is None:
        abort(404)
    return found


@blueprint.get("")
@adviser_only
def queue():
    session = get_session()
    pending = submissions.pending(session)
    names = {
        a.id: a.public_id
        for a in session.query(Arrangement).filter(
            Arrangement.id.in_({s.arrangement_id for s in pending if s.arrangement_id})
        )
    }
    return render_template("refresh/queue.html", pending=pending, names=names)


@blueprint.get("/<int:submission_id>")
@adviser_only
def show(submission_id: int):
    session = get_session()
    submission = _submission(submission_id)
    review = moderation.review(session, submission)
    arrangement = session.get(Arrangement, submission.arrangement_id) if submission.arrangement_id else None
    return render_template("refresh/review.html", review=review, s=submission, arrangement=arrangement)


@blueprint.post("/<int:submission_id>/approve")
@adviser_only
def approve(submission_id: int):
    session = get_session()
    submission = _submission(submission_id)
    expected = request.form.get("expected_version", "")
    try:
        changed = moderation.approve(
            session, submission, current_principal(), int(expected) if expected.isdigit() else None
        )
        session.commit()
    except moderation.ModerationConflict as error:
        session.rollback()
        flash(f"Not approved: {error}", "error")
        return redirect(url_for("moderation.show", submission_id=submission_id))
    flash(
        f"Submission {submission_id} approved" + (f": {changed.public_id} updated." if changed else "."),
        "success",
    )
    return redirect(url_for("moderation.queue"))


@blueprint.post("/<int:submission_id>/reject")
@adviser_only
def reject(submission_id: int):
    session = get_session()
    submission = _submission(submission_id)
    try:
        moderation.reject(session, submission, current_principal(), request.form.get("reason", ""))
        session.commit()
    except (ValueError, moderation.ModerationConflict) as error:
        session.rollback()
        flash(f"Not rejected: {error}", "error")
        return redirect(url_for("moderation.show", submission_id=submission_id))
    flash(f"Submission {submission_id} rejected; the submitter sees your reason.", "success")
    return redirect(url_for("moderation.queue"))
