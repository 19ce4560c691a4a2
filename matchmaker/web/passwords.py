"""Setting a password through an emailed link (invitations and resets), and asking for a reset."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from matchmaker.flask_database import get_session
from matchmaker.limits import client_address, get_limiter
from matchmaker.services import account_mail, passwords, users
from matchmaker.services.mail import Delivery, MailSettings
from matchmaker.web import resubmission

blueprint = Blueprint("passwords", __name__)
RESET_LIMIT = "5 per 15 minutes"
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def mail_settings() -> MailSettings:
    return MailSettings.from_config(current_app.config, current_app.instance_path)


def base_url() -> str:
    return request.host_url


OUTBOX_NOTE = (
    "No email server is set up (MATCHMAKER_SMTP_HOST), so messages are not sent: "
    "they are written as .eml files to outbox/ in the service's instance folder."
)


def delivery_note(delivery: Delivery) -> str | None:
    """What the page says when no SMTP server is set: where the message was written instead."""
    if delivery.sent:
        return None
    return (
        f"No email server is set up (MATCHMAKER_SMTP_HOST), so the message was not sent: it "
        f"was written to {delivery.file.parent.name}/{delivery.file.name} in the service's "
        "instance folder."
    )


@blueprint.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    session = get_session()
    found = users.live_token(session, token)
    if found is None:
        return render_template("auth/link_expired.html"), 404, NO_STORE
    errors: dict[str, str] = {}
    if request.method == "POST":
        password = request.form.get("password", "")
        if password != request.form.get("confirm", ""):
            errors["confirm"] = "Enter the same password twice"
        else:
            try:
                users.set_password(session, token, password)
            except users.AccountProblem as problem:
                errors[problem.field] = problem.message
            else:
                session.commit()
                flash("Your password is set. Sign in with your email address and new password.", "success")
                return redirect(url_for("auth.sign_in"))
    return (
        render_template(
            "auth/set_password.html",
            email=found.user.email,
            invited=found.purpose == "invite",
            errors=errors,
            minimum=passwords.MINIMUM_LENGTH,
        ),
        (400 if errors else 200),
        NO_STORE,
    )


@blueprint.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    errors: dict[str, str] = {}
    email = request.form.get("email", "").strip()
    if request.method == "POST":
        with get_limiter().limit(RESET_LIMIT, key_func=client_address, scope="forgot-password"):
            pass
        try:
            email = users.normalise_email(email) if email else ""
        except users.AccountProblem as problem:
            errors["email"] = problem.message
        if not email and not errors:
            errors["email"] = "Enter your email address"
        if not errors:
            return _send_reset(email)
    return render_template("auth/forgot_password.html", errors=errors, email=email), (400 if errors else 200)


def _send_reset(email: str):
    session = get_session()
    settings = mail_settings()
    issued = users.request_reset(session, email)
    if issued is not None:
        account_mail.send_reset(settings, base_url(), issued)
        session.commit()
    # The same answer whether or not the address has an account, so the page reveals nothing.
    note = None if settings.host else OUTBOX_NOTE
    resubmission.result_shown_at(url_for("passwords.forgot_password"))
    return render_template("auth/reset_sent.html", email=email, note=note)
