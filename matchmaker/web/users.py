"""Administrators' pages for accounts: the list, inviting someone, changing a role, disabling."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select

from matchmaker.db import Organisation, User
from matchmaker.flask_database import get_session
from matchmaker.services import account_mail, users
from matchmaker.web.passwords import base_url, delivery_note, mail_settings
from matchmaker.web.pickers import council_options
from matchmaker.web.principal import current_principal

blueprint = Blueprint("users", __name__, url_prefix="/admin/users")
ROLE_OPTIONS = [("", "Choose a role")] + list(users.ROLE_NAMES.items())


@blueprint.before_request
@login_required
def _admins_only():
    if current_principal().role != "admin":
        abort(403)


def organisation_options() -> list[tuple[str, str]]:
    return council_options()


def _organisation(code: str) -> Organisation | None:
    if not code:
        return None
    return get_session().scalar(select(Organisation).where(Organisation.gss_code == code))


@blueprint.get("")
def index():
    return render_template(
        "users/index.html",
        users=users.all_users(get_session()),
        role_names=users.ROLE_NAMES,
        has_password=users.has_password,
    )


@blueprint.route("/invite", methods=["GET", "POST"])
def invite():
    form = request.form
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not form.get("email", "").strip():
            errors["email"] = "Enter the email address of the person to invite"
        else:
            session = get_session()
            try:
                issued = users.invite(
                    session,
                    current_principal().actor,
                    form["email"],
                    form.get("role", ""),
                    _organisation(form.get("organisation", "")),
                    form.get("name", ""),
                )
                delivery = account_mail.send_invitation(mail_settings(), base_url(), issued)
            except users.AccountProblem as problem:
                session.rollback()
                errors[problem.field] = problem.message
            else:
                session.commit()
                flash(f"Invitation sent to {issued.user.email}. The link works once and expires in 3 days.", "success")
                note = delivery_note(delivery)
                if note:
                    flash(note, "info")
                return redirect(url_for("users.show", user_id=issued.user.id))
    return render_template(
        "users/invite.html", form=form, errors=errors, roles=ROLE_OPTIONS, organisations=organisation_options()
    ), (400 if errors else 200)


def _user(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@blueprint.get("/<int:user_id>")
def show(user_id: int):
    return _show(_user(user_id))


def _show(user: User, errors: dict[str, str] | None = None, status: int = 200):
    return render_template(
        "users/show.html",
        user=user,
        role_names=users.ROLE_NAMES,
        roles=ROLE_OPTIONS[1:],
        organisations=organisation_options(),
        errors=errors or {},
        has_password=users.has_password(user),
        is_self=user.id == current_principal().user_id,
    ), status


@blueprint.post("/<int:user_id>/role")
def change_role(user_id: int):
    user = _user(user_id)
    session = get_session()
    if user.id == current_principal().user_id:
        return _show(user, {"role": "You cannot change your own role: ask another administrator"}, 400)
    try:
        users.change_role(
            session,
            current_principal().actor,
            user,
            request.form.get("role", ""),
            _organisation(request.form.get("organisation", "")),
        )
    except users.AccountProblem as problem:
        session.rollback()
        return _show(user, {problem.field: problem.message}, 400)
    session.commit()
    flash(f"{user.email} is now {users.ROLE_NAMES[user.role].lower()}.", "success")
    return redirect(url_for("users.show", user_id=user.id))


@blueprint.post("/<int:user_id>/disable")
def disable(user_id: int):
    user = _user(user_id)
    if user.id == current_principal().user_id:
        return _show(user, {"disable": "You cannot disable your own account"}, 400)
    session = get_session()
    users.disable(session, current_principal().actor, user)
    session.commit()
    flash(f"{user.email} is disabled: they cannot sign in, and their API keys no longer work.", "success")
    return redirect(url_for("users.show", user_id=user.id))


@blueprint.post("/<int:user_id>/enable")
def enable(user_id: int):
    user = _user(user_id)
    session = get_session()
    users.enable(session, current_principal().actor, user)
    session.commit()
    flash(f"{user.email} can sign in again.", "success")
    return redirect(url_for("users.show", user_id=user.id))


@blueprint.post("/<int:user_id>/link")
def send_link(user_id: int):
    user = _user(user_id)
    if not user.active:
        return _show(user, {"link": "Enable the account before sending it a link"}, 400)
    session = get_session()
    purpose = "reset" if users.has_password(user) else "invite"
    issued = users.issue_link(session, user, purpose)
    send = account_mail.send_reset if purpose == "reset" else account_mail.send_invitation
    delivery = send(mail_settings(), base_url(), issued)
    session.commit()
    flash(f"A new link was sent to {user.email}; earlier links no longer work.", "success")
    note = delivery_note(delivery)
    if note:
        flash(note, "info")
    return redirect(url_for("users.show", user_id=user.id))
