"""An arrangement's history page: every version, what changed, and restore for advisers."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from matchmaker.db import Arrangement
from matchmaker.flask_database import get_session
from matchmaker.services import history
from matchmaker.services.access import is_adviser
from matchmaker.web.moderation import adviser_only
from matchmaker.web.principal import current_principal

blueprint = Blueprint("history", __name__, url_prefix="/arrangements")


def _arrangement(public_id: str) -> Arrangement:
    found = get_session().scalar(select(Arrangement).where(Arrangement.public_id == public_id))
    if found is None:
        abort(404)
    return found


@blueprint.get("/<public_id>/history")
def show(public_id: str):
    arrangement = _arrangement(public_id)
    return render_template(
        "refresh/history.html",
        arrangement=arrangement,
        versions=history.history(get_session(), arrangement),
        may_restore=is_adviser(current_principal()),
    )


@blueprint.post("/<public_id>/history/<int:number>/restore")
@adviser_only
def restore(public_id: str, number: int):
    session = get_session()
    arrangement = _arrangement(public_id)
    try:
        version = history.restore(session, arrangement, number, current_principal().actor)
    except history.VersionNotFound:
        abort(404)
    session.commit()
    flash(f"Version {number} restored as version {version.number}.", "success")
    return redirect(url_for("history.show", public_id=public_id))
