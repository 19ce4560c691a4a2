"""Sign in and out: Flask-Login sessions over the users table, rate-limited sign-in."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from sqlalchemy import func, select

from matchmaker.db import User
from matchmaker.flask_database import get_session
from matchmaker.limits import client_address, get_limiter
from matchmaker.services import audit, passwords
from matchmaker.services.sessions import end_sessions, parse_session_token, session_token
from matchmaker.web.forms import SignInForm, SignOutForm

blueprint = Blueprint("auth", __name__)
login_manager = LoginManager()
SIGN_IN_LIMIT = "10 per minute"
ACCOUNT_SIGN_IN_LIMIT = "10 per 15 minutes"


@dataclass(frozen=True)
class SignedInUser:
    """What a request needs to know about its user (detached from the database session)."""

    id: int
    email: str
    name: str
    role: str
    organisation_id: int | None
    organisation_name: str | None
    demo: bool
    session_version: int = 1
    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False

    def get_id(self) -> str:
        return session_token(self.id, self.session_version)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    app.register_blueprint(blueprint)


@login_manager.user_loader
def load_user(token: str) -> SignedInUser | None:
    """The cookie's user, if still active and the cookie is of the user's current sessions."""
    parsed = parse_session_token(token)
    if parsed is None:
        return None
    user = get_session().get(User, parsed[0])
    if user is None or not user.active or user.session_version != parsed[1]:
        return None
    return _signed_in(user)


def _signed_in(user: User) -> SignedInUser:
    organisation = user.organisation
    return SignedInUser(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        organisation_id=user.organisation_id,
        organisation_name=organisation.display_name if organisation else None,
        demo=user.demo,
        session_version=user.session_version,
    )


def find_user(email: str, password: str) -> User | None:
    session = get_session()
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    matches = passwords.matches(user.password_hash if user is not None else None, password)
    return user if user is not None and user.active and matches else None


def _account_key() -> str:
    return "account:" + request.form.get("email", "").strip().lower()[:254]


def safe_next(target: str | None) -> str:
    """Only same-site paths; anything else goes home."""
    if not target:
        return url_for("home.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("home.index")
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return url_for("home.index")
    return target


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm()
    failed = False
    if request.method == "POST":
        with get_limiter().limit(SIGN_IN_LIMIT, key_func=client_address, scope="sign-in"):
            pass
        with get_limiter().limit(ACCOUNT_SIGN_IN_LIMIT, key_func=_account_key, scope="sign-in-account"):
            pass
    if form.validate_on_submit():
        user = find_user(form.email.data, form.password.data)
        if user is not None:
            login_user(_signed_in(user))
            with_session = get_session()
            audit.record(with_session, f"user:{user.id}", "user.sign_in", "user", user.id)
            with_session.commit()
            flash("You are signed in.", "success")
            return redirect(safe_next(request.args.get("next")))
        failed = True
    status = 400 if (failed or form.errors) else 200
    return render_template("auth/sign_in.html", form=form, failed=failed), status


@blueprint.post("/sign-out")
def sign_out():
    form = SignOutForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            session = get_session()
            end_sessions(session, current_user.id)
            audit.record(session, f"user:{current_user.id}", "user.sign_out", "user", current_user.id)
            session.commit()
        logout_user()
        flash("You are signed out.", "success")
    return redirect(url_for("home.index"))
