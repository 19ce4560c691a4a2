"""The account page: the signed-in user's own API keys, created (shown once) and revoked."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from matchmaker.db import ApiKey
from matchmaker.flask_database import get_session
from matchmaker.services import audit, keys
from matchmaker.web import resubmission
from matchmaker.web.forms import CreateKeyForm, RevokeKeyForm
from matchmaker.web.principal import current_principal

blueprint = Blueprint("account", __name__, url_prefix="/account")


def own_keys() -> list[ApiKey]:
    return list(
        get_session().scalars(
            select(ApiKey).where(ApiKey.user_id == current_user.id).order_by(ApiKey.created_at.desc())
        )
    )


def _page(form: CreateKeyForm, new_key: str | None = None, status: int = 200):
    principal = current_principal()
    return render_template(
        "account/index.html",
        form=form,
        keys=own_keys(),
        new_key=new_key,
        may_contacts=principal.has("contacts:read"),
        may_requests=principal.has("requests:write"),
    ), status


@blueprint.get("")
@login_required
def index():
    return _page(CreateKeyForm())


@blueprint.post("/keys")
@login_required
def create_key():
    form = CreateKeyForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    principal = current_principal()
    scopes = ["public:read"]
    if form.contacts.data and principal.has("contacts:read"):
        scopes.append("contacts:read")
    if form.requests.data and principal.has("requests:write"):
        scopes.append("requests:write")
    session = get_session()
    key, plaintext = keys.create_key(session, form.owner.data.strip(), scopes, user_id=current_user.id)
    audit.record(session, principal.actor, "api_key.create", "api_key", key.prefix, scopes=scopes)
    session.commit()
    resubmission.result_shown_at(url_for("account.index"))
    # Rendered, not redirected: the key is shown on this one response and never again.
    response, _ = _page(CreateKeyForm(formdata=None), new_key=plaintext, status=201)
    return response, 201, {"Cache-Control": "no-store"}


@blueprint.post("/keys/revoke")
@login_required
def revoke_key():
    form = RevokeKeyForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == form.prefix.data))
    if key is None or key.user_id != current_user.id:
        abort(404)
    keys.revoke(session, key.prefix)
    audit.record(session, current_principal().actor, "api_key.revoke", "api_key", key.prefix)
    session.commit()
    flash(f"Key {key.prefix} revoked. Tools using it can no longer call the API.", "success")
    return redirect(url_for("account.index"))
