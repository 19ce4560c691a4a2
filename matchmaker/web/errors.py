"""Error pages in the service's design; under /api the API's own problem+json handlers answer.

Every status a person can meet has a page saying what happened and what to do next. URLs longer
than MAX_URL_LENGTH are refused here with 414, below the server's own request-line limit, so the
refusal is this page rather than a bare one; request bodies over MAX_CONTENT_LENGTH get 413.
"""

from __future__ import annotations

from flask import Flask, abort, g, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MAX_URL_LENGTH = 2048
MAX_CONTENT_LENGTH = 10 * 1024 * 1024
PAGES = {
    400: "errors/400.html",
    403: "errors/403.html",
    404: "errors/404.html",
    405: "errors/405.html",
    413: "errors/413.html",
    414: "errors/414.html",
    429: "errors/429.html",
    500: "errors/500.html",
    503: "errors/503.html",
}


def init_app(app: Flask) -> None:
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None: no limit
        app.config["MAX_CONTENT_LENGTH"] = MAX_CONTENT_LENGTH
    for status in PAGES:
        app.register_error_handler(status, _page)
    app.register_error_handler(CSRFError, _csrf)
    app.before_request(_refuse_long_urls)


def _refuse_long_urls() -> None:
    if len(request.full_path) > MAX_URL_LENGTH:
        abort(414)


def _page(error: HTTPException | Exception):
    status = getattr(error, "code", None) or 500
    if request.path.startswith("/api/"):
        return error if isinstance(error, HTTPException) else ("Internal Server Error", 500)
    if status >= 500:
        from matchmaker.web.navigation import public_items

        g.navigation_items = public_items()  # no database read on a page about a failure
    headers = {}
    if status == 405 and isinstance(error, HTTPException):
        headers = dict(error.get_response().headers.items())
        headers = {"Allow": headers["Allow"]} if "Allow" in headers else {}
    return render_template(PAGES.get(status, "errors/500.html"), error=error), status, headers


def _csrf(error: CSRFError):
    return render_template("auth/expired_form.html", error=error), 400
