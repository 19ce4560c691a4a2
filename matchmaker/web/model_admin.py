"""The administrators' model page: how old the model is against the data, retraining as a job,
its progress, and why a new model was used or kept back."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from matchmaker.core.artefact import read_artefact
from matchmaker.flask_database import get_session
from matchmaker.jobs.queue import after_commit, get_queue
from matchmaker.services import retraining
from matchmaker.web.principal import current_principal

blueprint = Blueprint("model_admin", __name__, url_prefix="/admin/model")
STATUS_WORDS = {
    "queued": ("Waiting", "grey"),
    "running": ("Running", "blue"),
    "activated": ("New model in use", "green"),
    "kept_back": ("Kept back", "yellow"),
    "failed": ("Failed", "red"),
}


@blueprint.before_request
@login_required
def _admins_only():
    if current_principal().role != "admin":
        abort(403)


def _active_artefact() -> dict | None:
    try:
        return read_artefact(current_app.config["MODEL_PATH"])
    except (OSError, ValueError):
        return None


@blueprint.get("")
def index():
    session = get_session()
    artefact = _active_artefact()
    return render_template(
        "model/index.html",
        artefact=artefact,
        figures=retraining.headline(artefact),
        staleness=retraining.staleness(session, artefact),
        running=retraining.unfinished(session),
        runs=retraining.runs(session),
        status_words=STATUS_WORDS,
        inline=get_queue().inline,
    )


@blueprint.post("/retrain")
def retrain():
    session = get_session()
    try:
        run = retraining.start(session, current_user.name or current_user.email)
    except retraining.RetrainRefused as refused:
        flash(f"Retraining was not started: {refused}.", "info")
        return redirect(url_for("model_admin.index"))
    after_commit(session, "retrain", run_id=run.id)
    session.commit()
    flash("Retraining started. This page shows its progress.", "success")
    return redirect(url_for("model_admin.index"))
