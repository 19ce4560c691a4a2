"""Forms sent twice act once. Every page form carries a one-time token (``form_token_field()`` in
templates, beside the CSRF token); the first post presenting it is handled and where it led is
remembered; the same form posted again (a double click, a resubmitted page, the back button) is
sent to that result with a message instead of acting again. A post that changed nothing (a form
with errors, a refusal shown on the page, a failure, a redirect to sign in) frees its token.
A post that shows its result on its own response instead of redirecting (a new key's secret, a
report's receipt) names with ``result_shown_at`` the page a repeat should be sent to.

Posts without a token (scripts, the API) are handled as they come: the API has its own keys."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, redirect, request, url_for
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from matchmaker.flask_database import get_database
from matchmaker.services import form_posts

FIELD = "form_token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
ALREADY_SENT = "You already sent this form, so it was not sent again. This is what it did."
STILL_SENDING = "This form is already being sent. Check this page in a moment before sending it again."


def init_app(app: Flask) -> None:
    app.jinja_env.globals["form_token_field"] = form_token_field
    app.before_request(_claim)
    app.after_request(_remember_result)
    app.teardown_request(_free_unused)


def form_token_field() -> Markup:
    return Markup(f'<input type="hidden" name="{FIELD}" value="{form_posts.new_token()}">')


def result_shown_at(url: str) -> None:
    """This post succeeded and shows its result itself: a repeat of it is sent to ``url``."""
    g.form_result = url


def _claim():
    if request.method in SAFE_METHODS or request.path.startswith("/api/"):
        return None
    token = request.form.get(FIELD, "")
    if not form_posts.is_well_formed(token):
        return None
    earlier = form_posts.claim(get_database(), token)
    if earlier is None:
        g.form_token = token
        return None
    if earlier.result_url:
        flash(ALREADY_SENT)
        return redirect(earlier.result_url, 303)
    flash(STILL_SENDING)
    return redirect(_same_site_referrer() or url_for("home.index"), 303)


def _remember_result(response):
    token = g.pop("form_token", None)
    if token is None:
        return response
    result = _result_of(response)
    if result:
        form_posts.record(get_database(), token, result)
    else:
        form_posts.release(get_database(), token)
    return response


def _result_of(response) -> str | None:
    if response.status_code in (301, 302, 303, 307, 308) and not _to_sign_in(response.location):
        return response.location
    if response.status_code < 300:
        return g.pop("form_result", None)
    return None


def _free_unused(_exc: BaseException | None) -> None:
    """A post that failed before a response was made must not hold its token."""
    token = g.pop("form_token", None)
    if token is None:
        return
    try:
        form_posts.release(get_database(), token)
    except SQLAlchemyError:  # the database is why the post failed; the claim lapses in time
        current_app.logger.warning("a form token could not be freed", exc_info=True)


def _to_sign_in(location: str | None) -> bool:
    return urlsplit(location or "").path == url_for("auth.sign_in")


def _same_site_referrer() -> str | None:
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or not referrer.path.startswith("/"):
        return None
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")
