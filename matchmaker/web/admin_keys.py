"""Administrators' view of every API key: whose it is, what it may do, when it was last used."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.db import ApiKey
from matchmaker.flask_database import get_session
from matchmaker.services import audit, keys
from matchmaker.web.principal import current_principal

blueprint = Blueprint("admin_keys", __name__, url_prefix="/admin/keys")


@blueprint.before_request
@login_required
def _admins_only():
    if current_principal().role != "admin":
        abort(403)


@blueprint.get("")
def index():
    found = (
        get_session()
        .scalars(
            select(ApiKey)
            .options(selectinload(ApiKey.user))
            .order_by(ApiKey.revoked_at.is_not(None), ApiKey.created_at.desc())
        )
        .all()
    )
    return render_template("users/keys.html", keys=found)


@blueprint.post("/revoke")
def revoke():
    session = get_session()
    key = keys.revoke(session, request.form.get("prefix", ""))
    if key is None:
        abort(404)
    audit.record(session, current_principal().actor, "api_key.revoke", "api_key", key.prefix)
    session.commit()
    flash(f"Key {key.prefix} ({key.owner}) revoked. Tools using it can no longer call the API.", "success")
    return redirect(url_for("admin_keys.index"))
