"""Error pages in the service's design; under /api the API's own problem+json handlers answer."""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

PAGES = {404: "errors/404.html", 429: "errors/429.html", 500: "errors/500.html", 503: "errors/503.html"}


def init_app(app: Flask) -> None:
    for status in PAGES:
        app.register_error_handler(status, _page)
    app.register_error_handler(CSRFError, _csrf)


def _page(error: HTTPException | Exception):
    status = getattr(error, "code", None) or 500
    if request.path.startswith("/api/"):
        return error if isinstance(error, HTTPException) else ("Internal Server Error", 500)
    return render_template(PAGES.get(status, "errors/500.html"), error=error), status


def _csrf(error: CSRFError):
    return render_template("auth/expired_form.html", error=error), 400
